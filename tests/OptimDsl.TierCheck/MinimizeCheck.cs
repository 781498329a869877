using System;
using System.Diagnostics;
using OptimDsl;

namespace OptimDsl.TierCheck;

/// <summary>The objective of tests/OptimDsl.Benchmarks' MinimizeBenchmarks, generated here too.</summary>
public static partial class Problems
{
    [Objective, Adam(LearningRate = 0.02)]
    public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
}

/// <summary>
/// <c>--minimize</c>: the generated <c>Minimize</c> (10,000 Adam steps on Rosenbrock, tolerance 0) and
/// the hand-written loop of MinimizeBenchmarks, alternated 300 times after 3 s of warm-up in one
/// process; prints the minimum, 10th percentile and median of each and their ratios. Run it in several
/// processes: the generated loop has two speeds, and a process stays in one of them (Benchmarks README,
/// Issue 10, continued).
/// </summary>
public static class MinimizeCheck
{
    private const int Iterations = 10_000, Runs = 300;

    public static int Run()
    {
        double sink = 0;
        var generated = new double[Runs];
        var hand = new double[Runs];
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 3000)
        {
            sink += Generated() + OptimDsl.Benchmarks.HandWritten.AdamOnRosenbrock(Iterations);
        }

        for (int r = 0; r < Runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += Generated();
            generated[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            sink += OptimDsl.Benchmarks.HandWritten.AdamOnRosenbrock(Iterations);
            hand[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(generated);
        Array.Sort(hand);
        Console.WriteLine(FormattableString.Invariant(
            $"generated min {generated[0]:F1} p10 {generated[Runs / 10]:F1} median {generated[Runs / 2]:F1} µs | hand-written min {hand[0]:F1} p10 {hand[Runs / 10]:F1} median {hand[Runs / 2]:F1} µs | ratio min {generated[0] / hand[0]:F2} p10 {generated[Runs / 10] / hand[Runs / 10]:F2} median {generated[Runs / 2] / hand[Runs / 2]:F2}"));
        return sink == 12345.678 ? 1 : 0;
    }

    private static double Generated()
    {
        var adam = new Problems.RosenbrockAdam(x: -1.2, y: 1.0);
        var result = adam.Minimize(Iterations, tolerance: 0);
        return result.Loss + adam.X + adam.Y;
    }
}
