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
/// <c>--minimize</c>: the generated <c>Minimize</c> (10,000 Adam steps on Rosenbrock, tolerance 0),
/// the hand-written loop of MinimizeBenchmarks and that loop with Minimize's checks added by hand
/// (<see cref="CheckedAdamOnRosenbrock"/>), alternated 300 times after 3 s of warm-up in one
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
        var checkedHand = new double[Runs];
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 3000)
        {
            sink += Generated() + OptimDsl.Benchmarks.HandWritten.AdamOnRosenbrock(Iterations) + CheckedAdamOnRosenbrock(Iterations);
        }

        for (int r = 0; r < Runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += Generated();
            generated[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            sink += OptimDsl.Benchmarks.HandWritten.AdamOnRosenbrock(Iterations);
            hand[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            sink += CheckedAdamOnRosenbrock(Iterations);
            checkedHand[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(generated);
        Array.Sort(hand);
        Array.Sort(checkedHand);
        Console.WriteLine(FormattableString.Invariant(
            $"generated min {generated[0]:F1} p10 {generated[Runs / 10]:F1} median {generated[Runs / 2]:F1} µs | hand-written min {hand[0]:F1} p10 {hand[Runs / 10]:F1} median {hand[Runs / 2]:F1} µs | ratio min {generated[0] / hand[0]:F2} p10 {generated[Runs / 10] / hand[Runs / 10]:F2} median {generated[Runs / 2] / hand[Runs / 2]:F2}"));
        Console.WriteLine(FormattableString.Invariant(
            $"hand-written with Minimize's checks min {checkedHand[0]:F1} p10 {checkedHand[Runs / 10]:F1} median {checkedHand[Runs / 2]:F1} µs | ratio to hand-written min {checkedHand[0] / hand[0]:F2} p10 {checkedHand[Runs / 10] / hand[Runs / 10]:F2} median {checkedHand[Runs / 2] / hand[Runs / 2]:F2} | generated / it min {generated[0] / checkedHand[0]:F2} p10 {generated[Runs / 10] / checkedHand[Runs / 10]:F2} median {generated[Runs / 2] / checkedHand[Runs / 2]:F2}"));
        return sink == 12345.678 ? 1 : 0;
    }

    /// <summary>
    /// The hand-written loop with what <c>Minimize</c> does besides the update, by hand and in locals: the state before
    /// each update kept for a rollback, the loss, the gradient's 2-norm and the parameters checked for finiteness after
    /// it, the run's counters; and Adam's arithmetic as the rule does it (step size lr/(1 − β₁ᵗ), 1/√(1 − β₂ᵗ) per
    /// update). What is left between it and the generated <c>Minimize</c> is the state going through memory.
    /// </summary>
    public static double CheckedAdamOnRosenbrock(int iterations)
    {
        const double learningRate = 0.02, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, tolerance = 0;
        double x = -1.2, y = 1.0, mX = 0, mY = 0, vX = 0, vY = 0, beta1Power = 1, beta2Power = 1;
        long t = 0;
        double loss = OptimDsl.Benchmarks.HandWritten.RosenbrockGradient(x, y, out double gX, out double gY);
        double norm = Math.Sqrt(gX * gX + gY * gY);
        int updates = 0;
        while (!(norm <= tolerance) && updates < iterations)
        {
            var saved = (x, y, mX, mY, vX, vY, beta1Power, beta2Power, t, gX, gY, loss, norm);
            t++;
            beta1Power *= beta1;
            beta2Power *= beta2;
            double stepSize = learningRate / (1 - beta1Power), inverseRoot2 = 1 / Math.Sqrt(1 - beta2Power);
            mX = beta1 * mX + (1 - beta1) * gX;
            mY = beta1 * mY + (1 - beta1) * gY;
            vX = beta2 * vX + (1 - beta2) * (gX * gX);
            vY = beta2 * vY + (1 - beta2) * (gY * gY);
            x -= mX / (Math.Sqrt(vX) * inverseRoot2 + epsilon) * stepSize;
            y -= mY / (Math.Sqrt(vY) * inverseRoot2 + epsilon) * stepSize;
            loss = OptimDsl.Benchmarks.HandWritten.RosenbrockGradient(x, y, out gX, out gY);
            updates++;
            double sum = gX * gX + gY * gY;
            norm = Math.Sqrt(sum);
            if (!double.IsFinite(loss) || !double.IsFinite(norm) || !double.IsFinite(x) || !double.IsFinite(y))
            {
                (x, y, mX, mY, vX, vY, beta1Power, beta2Power, t, gX, gY, loss, norm) = saved;
                updates--;
                break;
            }
        }

        return loss + x + y + updates;
    }

    private static double Generated()
    {
        var adam = new Problems.RosenbrockAdam(x: -1.2, y: 1.0);
        var result = adam.Minimize(Iterations, tolerance: 0);
        return result.Loss + adam.X + adam.Y;
    }
}
