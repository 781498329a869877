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
            sink += Generated() + HandWritten();
        }

        for (int r = 0; r < Runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += Generated();
            generated[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            sink += HandWritten();
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

    /// <summary>MinimizeBenchmarks.HandWrittenLoop with the generated scalar gradient (the same 16 instructions as the hand-written one).</summary>
    private static double HandWritten()
    {
        const double learningRate = 0.02, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, tolerance = 0;
        double x = -1.2, y = 1.0, mX = 0, mY = 0, vX = 0, vY = 0, beta1Power = 1, beta2Power = 1;
        double loss = Problems.RosenbrockGradient(x, y, out double gX, out double gY);
        for (int t = 0; t < Iterations; t++)
        {
            if (Math.Sqrt(gX * gX + gY * gY) <= tolerance)
            {
                break;
            }

            beta1Power *= beta1;
            beta2Power *= beta2;
            double biasCorrection1 = 1 - beta1Power, biasCorrection2 = 1 - beta2Power;
            mX = beta1 * mX + (1 - beta1) * gX;
            mY = beta1 * mY + (1 - beta1) * gY;
            vX = beta2 * vX + (1 - beta2) * (gX * gX);
            vY = beta2 * vY + (1 - beta2) * (gY * gY);
            x -= learningRate * (mX / biasCorrection1) / (Math.Sqrt(vX / biasCorrection2) + epsilon);
            y -= learningRate * (mY / biasCorrection1) / (Math.Sqrt(vY / biasCorrection2) + epsilon);
            loss = Problems.RosenbrockGradient(x, y, out gX, out gY);
        }

        return loss + x + y;
    }
}
