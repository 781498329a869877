using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Whole run (issue 5, item 5): Adam on Rosenbrock from (−1.2, 1) for 10,000 steps (tolerance 0, so
// every step is made), the generated Minimize against a hand-written loop with a hand-written gradient.

[MemoryDiagnoser]
public class MinimizeBenchmarks
{
    public const int Iterations = 10_000;

    [Benchmark]
    public double Generated()
    {
        var adam = new Objectives.RosenbrockAdam(x: -1.2, y: 1.0);
        var result = adam.Minimize(Iterations, tolerance: 0);
        return result.Loss + adam.X + adam.Y;
    }

    /// <summary>
    /// The same algorithm, written by hand: gradient, the same 2-norm stopping test, Adam's update
    /// (lr 0.02, β 0.9/0.999, ε 1e-8). No finiteness checks or rollback copy (the generated run has them).
    /// </summary>
    [Benchmark(Baseline = true)]
    public double HandWrittenLoop()
    {
        const double learningRate = 0.02, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, tolerance = 0;
        double x = -1.2, y = 1.0, mX = 0, mY = 0, vX = 0, vY = 0, beta1Power = 1, beta2Power = 1;
        double loss = HandWritten.RosenbrockGradient(x, y, out double gX, out double gY);
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
            loss = HandWritten.RosenbrockGradient(x, y, out gX, out gY);
        }

        return loss + x + y;
    }
}
