using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

/// <summary>Σ (wᵢ − i/4)² over 13 and 63 parameters, in double and in float, each with Adam (README, Float objectives).</summary>
public static partial class FloatObjectives
{
    [Objective, Adam(LearningRate = 0.01)]
    public static double Squares13([Length(13)] ReadOnlySpan<double> w)
    {
        var s = 0.0;
        for (var i = 0; i < 13; i++)
        {
            s += (w[i] - 0.25 * i) * (w[i] - 0.25 * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares13F([Length(13)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 13; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares56F([Length(56)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 56; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares57F([Length(57)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 57; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }
    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares60F([Length(60)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 60; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares61F([Length(61)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 61; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares62F([Length(62)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 62; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }

    /// <summary>Squares63F with the loss in two sums (even and odd i) added at the end: a dependency chain of 32 additions instead of 63.</summary>
    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares63FTwoSums([Length(63)] ReadOnlySpan<float> w)
    {
        var even = 0f;
        var odd = 0f;
        for (var i = 0; i < 62; i += 2)
        {
            even += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
            odd += (w[i + 1] - 0.25f * (i + 1)) * (w[i + 1] - 0.25f * (i + 1));
        }

        return (even + (w[62] - 15.5f) * (w[62] - 15.5f)) + odd;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static double Squares63([Length(63)] ReadOnlySpan<double> w)
    {
        var s = 0.0;
        for (var i = 0; i < 63; i++)
        {
            s += (w[i] - 0.25 * i) * (w[i] - 0.25 * i);
        }

        return s;
    }

    [Objective, Adam(LearningRate = 0.01)]
    public static float Squares63F([Length(63)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 63; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i);
        }

        return s;
    }
}

/// <summary>
/// Issue 13: one generated Adam <c>Step()</c> (gradient + update) of a float objective against the same objective in double,
/// 64 steps per invocation from a copy of the same start (the reset amortised over them); the mean is per step.
/// </summary>
[MemoryDiagnoser]
public class FloatOptimizerBenchmarks
{
    private const int Steps = 64;

    private static readonly FloatObjectives.Squares13Adam Double13Start = new(new double[13]);
    private static readonly FloatObjectives.Squares13FAdam Float13Start = new(new float[13]);
    private static readonly FloatObjectives.Squares63Adam Double63Start = new(new double[63]);
    private static readonly FloatObjectives.Squares63FAdam Float63Start = new(new float[63]);

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Double13()
    {
        var adam = Double13Start;
        double loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float13()
    {
        var adam = Float13Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    private static readonly FloatObjectives.Squares56FAdam Float56Start = new(new float[56]);

    private static readonly FloatObjectives.Squares57FAdam Float57Start = new(new float[57]);

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float57()
    {
        var adam = Float57Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    private static readonly FloatObjectives.Squares60FAdam Float60Start = new(new float[60]);

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float60()
    {
        var adam = Float60Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }


    private static readonly FloatObjectives.Squares61FAdam Float61Start = new(new float[61]);

    /// <summary>61 floats: seven Update256 calls, one Update128 and 61 − 60 scalar updates (between Float60 and Float63).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float61()
    {
        var adam = Float61Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    private static readonly FloatObjectives.Squares62FAdam Float62Start = new(new float[62]);

    /// <summary>62 floats: seven Update256 calls, one Update128 and 62 − 60 scalar updates (between Float60 and Float63).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float62()
    {
        var adam = Float62Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    private static readonly FloatObjectives.Squares63FTwoSumsAdam Float63TwoSumsStart = new(new float[63]);

    /// <summary>Float63 with the loss summed in two chains (Squares63FTwoSums): the same update, half the additions in a row.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float63TwoSums()
    {
        var adam = Float63TwoSumsStart;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    /// <summary>56 floats: seven Update256 calls and no tail, against Float63's seven, one Update128 and three scalar updates.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float56()
    {
        var adam = Float56Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Double63()
    {
        var adam = Double63Start;
        double loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Float63()
    {
        var adam = Float63Start;
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += adam.Step();
        return loss;
    }

    private static readonly double[] Point63 = new double[63];
    private static readonly double[] Gradient63 = new double[63];
    private static readonly float[] Point63F = new float[63];
    private static readonly float[] Gradient63F = new float[63];

    /// <summary>The flat gradient alone, Steps times: the part of Double63's step that is not the update.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public double GradientDouble63()
    {
        double loss = 0;
        for (int k = 0; k < Steps; k++) loss += FloatObjectives.Squares63Gradient(Point63, Gradient63);
        return loss;
    }

    /// <summary>The flat gradient alone, Steps times: the part of Float63's step that is not the update.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float GradientFloat63()
    {
        float loss = 0;
        for (int k = 0; k < Steps; k++) loss += FloatObjectives.Squares63FGradient(Point63F, Gradient63F);
        return loss;
    }
}
