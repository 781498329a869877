using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Float optimizers on data (issue 13): Adam's Step on the logistic loss of ParallelGradientBenchmarks (2 features,
// labels ±1, 2^16 samples) at maxDegreeOfParallelism 1, in double and in float side by side: on the full batch (the data
// overload's gradient) and on minibatches of 64 (each sample's float gradient summed in double; README, Float objectives).

/// <summary>The logistic loss of one sample with 2 features, with Adam, in double and in float.</summary>
public static partial class DataOptimizerObjectives
{
    [Objective, Adam(LearningRate = 0.01)]
    public static double Logistic(double w1, double w2, double b, [Data] double x1, [Data] double x2, [Data] double y)
        => Math.Log(1 + Math.Exp(-y * (w1 * x1 + w2 * x2 + b)));

    [Objective, Adam(LearningRate = 0.01)]
    public static float LogisticSingle(float w1, float w2, float b, [Data] float x1, [Data] float x2, [Data] float y)
        => MathF.Log(1 + MathF.Exp(-y * (w1 * x1 + w2 * x2 + b)));
}

[MemoryDiagnoser]
public class FloatDataOptimizerBenchmarks
{
    [Params(1 << 16)]
    public int Samples { get; set; }

    /// <summary>0: the full batch; 64: minibatches of 64.</summary>
    [Params(0, 64)]
    public int BatchSize { get; set; }

    private double[] _x1 = [], _x2 = [], _y = [];
    private float[] _x1F = [], _x2F = [], _yF = [];
    private DataOptimizerObjectives.LogisticAdam _double;
    private DataOptimizerObjectives.LogisticSingleAdam _float;

    [GlobalSetup]
    public void Setup()
    {
        (_x1, _x2, _y) = LogisticDataGradientBenchmarks.Data(Samples);
        _x1F = _x1.Select(v => (float)v).ToArray();
        _x2F = _x2.Select(v => (float)v).ToArray();
        _yF = _y.Select(v => (float)v).ToArray();
        _double = new DataOptimizerObjectives.LogisticAdam(0.5, -0.25, 0.1) { BatchSize = BatchSize, Seed = 1 };
        _float = new DataOptimizerObjectives.LogisticSingleAdam(0.5f, -0.25f, 0.1f) { BatchSize = BatchSize, Seed = 1 };
    }

    [Benchmark(Baseline = true)]
    public double Double() => _double.Step(_x1, _x2, _y);

    [Benchmark]
    public float Float() => _float.Step(_x1F, _x2F, _yF);
}
