using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Float data gradients (issue 13): the full-batch logistic gradient of ParallelGradientBenchmarks (2 features,
// labels ±1, 2^20 samples) at maxDegreeOfParallelism 1, in double and in float side by side; the target is float
// at most 0.6× double's time. The float objective's lanes are summed in double (README, Float objectives);
// FloatLanesSummedInFloat is the alternative that was measured against it: the same per-sample float operations,
// summed in Vector256<float> lanes within each shard and the shards in double. The setup prints both float results'
// errors against the double objective evaluated on the same (float) data.

/// <summary>The logistic loss of one sample with 2 features, labels y ∈ {−1, 1}, in float.</summary>
public static partial class FloatObjectives
{
    [Objective]
    public static float LogisticLoss(float w1, float w2, float b, [Data] float x1, [Data] float x2, [Data] float y)
        => MathF.Log(1 + MathF.Exp(-y * (w1 * x1 + w2 * x2 + b)));
}

[MemoryDiagnoser]
public class FloatDataGradientBenchmarks
{
    [Params(1 << 20)]
    public int Samples { get; set; }

    private double[] _x1 = [], _x2 = [], _y = [];
    private float[] _x1F = [], _x2F = [], _yF = [];
    private readonly double[] _parameters = [0.5, -0.25, 0.1];
    private readonly float[] _parametersF = [0.5f, -0.25f, 0.1f];
    private readonly double[] _gradient = new double[3];
    private readonly float[] _gradientF = new float[3];
    private readonly double[] _sums = new double[3];

    [GlobalSetup]
    public void Setup()
    {
        (_x1, _x2, _y) = LogisticDataGradientBenchmarks.Data(Samples);
        _x1F = _x1.Select(v => (float)v).ToArray();
        _x2F = _x2.Select(v => (float)v).ToArray();
        _yF = _y.Select(v => (float)v).ToArray();

        // The accuracy of both float sums, against the double objective on the float data (exactly representable in double).
        var exact = new double[3];
        double exactLoss = Objectives.LogisticLossGradient(_parameters, _x1F.Select(v => (double)v).ToArray(), _x2F.Select(v => (double)v).ToArray(), _yF.Select(v => (double)v).ToArray(), exact);
        float loss = Float();
        var inDouble = (float[])_gradientF.Clone();
        float lanes = FloatLanesSummedInFloat();
        Console.WriteLine($"// Accuracy over {Samples} samples, relative error against double: "
            + $"lanes summed in double: loss {Relative(loss, exactLoss):E2}, gradient {string.Join(", ", inDouble.Select((g, k) => Relative(g, exact[k]).ToString("E2")))}; "
            + $"lanes summed in float per shard: loss {Relative(lanes, exactLoss):E2}, gradient {string.Join(", ", _gradientF.Select((g, k) => Relative(g, exact[k]).ToString("E2")))}");

        // Before the final rounding to float: the sums themselves (MGradientSum, and the alternative's shards).
        var sums = new double[3];
        double lossSum = FloatObjectives.LogisticLossGradientSum(_parametersF, _x1F, _x2F, _yF, sums);
        var alternative = new double[3];
        double alternativeLoss = FloatLanesSums(alternative);
        Console.WriteLine($"// Sums against double (relative error): in double: loss {Relative(lossSum, exactLoss * Samples):E2}, gradient {string.Join(", ", sums.Select((g, k) => Relative(g, exact[k] * Samples).ToString("E2")))}; "
            + $"in float per shard: loss {Relative(alternativeLoss, exactLoss * Samples):E2}, gradient {string.Join(", ", alternative.Select((g, k) => Relative(g, exact[k] * Samples).ToString("E2")))}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 20; call++)
        {
            Float();
        }

        Console.WriteLine($"// Allocated by 20 float calls after the first: {GC.GetAllocatedBytesForCurrentThread() - before} B");
    }

    private static double Relative(double value, double exact) => Math.Abs(value - exact) / Math.Abs(exact);

    [Benchmark(Baseline = true)]
    public double Double() => Objectives.LogisticLossGradient(_parameters, _x1, _x2, _y, _gradient, 1);

    [Benchmark]
    public float Float() => FloatObjectives.LogisticLossGradient(_parametersF, _x1F, _x2F, _yF, _gradientF, 1);

    /// <summary>The alternative: float lanes summed in float within each shard of DataShards, the shards' sums added in double.</summary>
    [Benchmark]
    public float FloatLanesSummedInFloat()
    {
        double loss = FloatLanesSums(_sums);
        _gradientF[0] = (float)(_sums[0] / _x1F.Length);
        _gradientF[1] = (float)(_sums[1] / _x1F.Length);
        _gradientF[2] = (float)(_sums[2] / _x1F.Length);
        return (float)(loss / _x1F.Length);
    }

    private double FloatLanesSums(double[] sums)
    {
        int samples = _x1F.Length;
        int shards = DataShards.ShardCount(samples);
        double loss = 0, dW1 = 0, dW2 = 0, dB = 0;
        for (int k = 0; k < shards; k++)
        {
            int start = DataShards.ShardStart(samples, shards, k);
            int count = DataShards.ShardStart(samples, shards, k + 1) - start;
            var (l, g1, g2, g3) = Shard(_parametersF, _x1F.AsSpan(start, count), _x2F.AsSpan(start, count), _yF.AsSpan(start, count));
            loss += l;
            dW1 += g1;
            dW2 += g2;
            dB += g3;
        }

        (sums[0], sums[1], sums[2]) = (dW1, dW2, dB);
        return loss;
    }

    private static (float Loss, float DW1, float DW2, float DB) Shard(float[] p, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> y)
    {
        var w1 = Vector256.Create(p[0]);
        var w2 = Vector256.Create(p[1]);
        var b = Vector256.Create(p[2]);
        Vector256<float> loss = Vector256<float>.Zero, dW1 = Vector256<float>.Zero, dW2 = Vector256<float>.Zero, dB = Vector256<float>.Zero;
        ref float x1Ref = ref MemoryMarshal.GetReference(x1);
        ref float x2Ref = ref MemoryMarshal.GetReference(x2);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i <= x1.Length - 8; i += 8)
        {
            var a = Vector256.LoadUnsafe(ref x1Ref, (nuint)i);
            var c = Vector256.LoadUnsafe(ref x2Ref, (nuint)i);
            var label = Vector256.LoadUnsafe(ref yRef, (nuint)i);
            // The generated loop's operations (its sumShard), summed in float lanes instead of widened to double.
            var v0 = VectorMath.Exp(VectorMath.Negate(label * (b + ((w1 * a) + (w2 * c)))));
            var v1 = Vector256.Create(1f) + v0;
            var v2 = label * (v0 / v1);
            loss += VectorMath.Log(v1);
            dW1 += VectorMath.Negate(a * v2);
            dW2 += VectorMath.Negate(c * v2);
            dB += VectorMath.Negate(v2);
        }

        float l = VectorMath.SumLanes(loss), g1 = VectorMath.SumLanes(dW1), g2 = VectorMath.SumLanes(dW2), g3 = VectorMath.SumLanes(dB);
        for (; i < x1.Length; i++)
        {
            float z = p[2] + (p[0] * x1[i]) + (p[1] * x2[i]);
            float e = MathF.Exp(-(y[i] * z));
            float dz = -y[i] * (e / (1 + e));
            l += MathF.Log(1 + e);
            g1 += x1[i] * dz;
            g2 += x2[i] * dz;
            g3 += dz;
        }

        return (l, g1, g2, g3);
    }
}
