using System;
using BenchmarkDotNet.Attributes;
using OptimDsl.Rules;

namespace OptimDsl.Benchmarks;

// Issue 13: one Adam update of n parameters through the rule's entry points, in double (Step.Update256, four
// values a call) and in float (SingleStep.Update256, eight), with the tail through the narrower entry points as a
// generated optimizer unrolls it. What the float optimizers will cost per update, before the generator emits them.

/// <summary>Adam (AmsGrad off, no weight decay) over n parameters: double against float entry points.</summary>
[MemoryDiagnoser]
public class FloatRuleBenchmarks
{
    [Params(64, 4096)]
    public int Parameters { get; set; }

    private double[] _theta = [], _gradient = [], _m = [], _v = [], _vMax = [];
    private float[] _thetaF = [], _gradientF = [], _mF = [], _vF = [], _vMaxF = [];
    private AdamRule _rule;

    [GlobalSetup]
    public void Setup()
    {
        _theta = new double[Parameters];
        _gradient = new double[Parameters];
        _m = new double[Parameters];
        _v = new double[Parameters];
        _vMax = new double[Parameters];
        _thetaF = new float[Parameters];
        _gradientF = new float[Parameters];
        _mF = new float[Parameters];
        _vF = new float[Parameters];
        _vMaxF = new float[Parameters];
        for (int i = 0; i < Parameters; i++)
        {
            _gradient[i] = Math.Sin(i);
            _gradientF[i] = (float)_gradient[i];
        }

        _rule = new AdamRule(0.001, 0.9, 0.999, 1e-8, 0, false);
    }

    [Benchmark(Baseline = true)]
    public double Double()
    {
        var step = _rule.Begin();
        int i = 0;
        for (; i + 4 <= Parameters; i += 4)
        {
            step.Update256(ref _theta[i], ref _gradient[i], ref _m[i], ref _v[i], ref _vMax[i]);
        }

        for (; i < Parameters; i++)
        {
            step.Update(ref _theta[i], ref _gradient[i], ref _m[i], ref _v[i], ref _vMax[i]);
        }

        return _theta[0];
    }

    [Benchmark]
    public float Single()
    {
        var step = _rule.BeginSingle();
        int i = 0;
        for (; i + 8 <= Parameters; i += 8)
        {
            step.Update256(ref _thetaF[i], ref _gradientF[i], ref _mF[i], ref _vF[i], ref _vMaxF[i]);
        }

        for (; i < Parameters; i++)
        {
            step.Update(ref _thetaF[i], ref _gradientF[i], ref _mF[i], ref _vF[i], ref _vMaxF[i]);
        }

        return _thetaF[0];
    }
}
