using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Gradient cost (issue 5, item 2). Each benchmark evaluates one function at the same 1,024 points
// (OperationsPerInvoke: the mean is per point) and folds every output into a checksum, summed as a
// tree so that one addition per point is on the loop-carried chain whatever the number of outputs.
// Baseline: the objective alone. Targets: generated ≤ 2× objective, within 10% of hand-written.

/// <summary>Shared inputs: <see cref="Points"/> points of <c>columns</c> values each, row-major, from a fixed seed.</summary>
public abstract class GradientBenchmarkBase
{
    public const int Points = 1024;

    protected static double[] Make(int columns, double low, double high, int seed = 5)
    {
        var random = new Random(seed);
        var data = new double[Points * columns];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = low + (high - low) * random.NextDouble();
        }

        return data;
    }
}

[MemoryDiagnoser]
public class RosenbrockGradientBenchmarks : GradientBenchmarkBase
{
    private readonly double[] _p = Make(2, -2, 2);

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Objective()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            sum += Objectives.Rosenbrock(p[2 * i], p[2 * i + 1]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = Objectives.RosenbrockGradient(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double HandWrittenGradient()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = HandWritten.RosenbrockGradient(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double FiniteDifferences()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = HandWritten.RosenbrockFiniteDifferences(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }
}

[MemoryDiagnoser]
public class ExtendedRosenbrockGradientBenchmarks : GradientBenchmarkBase
{
    private readonly double[] _p = Make(8, -2, 2);

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Objective()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 8 * i;
            sum += Objectives.ExtendedRosenbrock(p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 8 * i;
            double v = Objectives.ExtendedRosenbrockGradient(
                p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7],
                out double d0, out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7);
            sum += ((v + d0) + (d1 + d2)) + ((d3 + d4) + (d5 + (d6 + d7)));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double HandWrittenGradient()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 8 * i;
            double v = HandWritten.ExtendedRosenbrockGradient(
                p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7],
                out double d0, out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7);
            sum += ((v + d0) + (d1 + d2)) + ((d3 + d4) + (d5 + (d6 + d7)));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double FiniteDifferences()
    {
        var p = _p;
        Span<double> d = stackalloc double[8];
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = HandWritten.ExtendedRosenbrockFiniteDifferences(p.AsSpan(8 * i, 8), d);
            sum += ((v + d[0]) + (d[1] + d[2])) + ((d[3] + d[4]) + (d[5] + (d[6] + d[7])));
        }

        return sum;
    }
}

[MemoryDiagnoser]
public class BealeGradientBenchmarks : GradientBenchmarkBase
{
    private readonly double[] _p = Make(2, -4.5, 4.5);

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Objective()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            sum += Objectives.Beale(p[2 * i], p[2 * i + 1]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = Objectives.BealeGradient(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double HandWrittenGradient()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = HandWritten.BealeGradient(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double FiniteDifferences()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double v = HandWritten.BealeFiniteDifferences(p[2 * i], p[2 * i + 1], out double dX, out double dY);
            sum += v + (dX + dY);
        }

        return sum;
    }
}

/// <summary>One sample: 5 trainable parameters (w1…w4, b), 4 features and a label ±1.</summary>
[MemoryDiagnoser]
public class LogisticGradientBenchmarks : GradientBenchmarkBase
{
    private readonly double[] _p = MakeSamples();

    private static double[] MakeSamples()
    {
        var p = Make(10, -1, 1);
        for (int i = 0; i < Points; i++)
        {
            p[10 * i + 9] = p[10 * i + 9] < 0 ? -1 : 1;
        }

        return p;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Objective()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 10 * i;
            sum += Objectives.Logistic(p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 10 * i;
            double v = Objectives.LogisticGradient(
                p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9],
                out double d0, out double d1, out double d2, out double d3, out double d4);
            sum += (v + d0) + ((d1 + d2) + (d3 + d4));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double HandWrittenGradient()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 10 * i;
            double v = HandWritten.LogisticGradient(
                p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9],
                out double d0, out double d1, out double d2, out double d3, out double d4);
            sum += (v + d0) + ((d1 + d2) + (d3 + d4));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double FiniteDifferences()
    {
        var p = _p;
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            int o = 10 * i;
            double v = HandWritten.LogisticFiniteDifferences(
                p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9],
                out double d0, out double d1, out double d2, out double d3, out double d4);
            sum += (v + d0) + ((d1 + d2) + (d3 + d4));
        }

        return sum;
    }
}
