using System;

namespace OptimDsl.Benchmarks;

/// <summary>
/// Rosenbrock's hand-written gradient and a hand-written Adam run on it: the baselines of
/// GradientBenchmarks and MinimizeBenchmarks, and of tests/OptimDsl.TierCheck's --minimize, which
/// compiles this file too.
/// </summary>
public static partial class HandWritten
{
    public static double RosenbrockGradient(double x, double y, out double dX, out double dY)
    {
        double a = 1 - x;
        double b = y - x * x;
        dX = -2 * a - 400 * x * b;
        dY = 200 * b;
        return a * a + 100 * (b * b);
    }

    /// <summary>
    /// Adam on Rosenbrock from (−1.2, 1) for <paramref name="iterations"/> steps, by hand: the gradient, the
    /// same 2-norm stopping test as Minimize (tolerance 0), Adam's update (lr 0.02, β 0.9/0.999, ε 1e-8).
    /// The baseline of MinimizeBenchmarks and of TierCheck's --minimize.
    /// </summary>
    public static double AdamOnRosenbrock(int iterations)
    {
        const double learningRate = 0.02, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, tolerance = 0;
        double x = -1.2, y = 1.0, mX = 0, mY = 0, vX = 0, vY = 0, beta1Power = 1, beta2Power = 1;
        double loss = HandWritten.RosenbrockGradient(x, y, out double gX, out double gY);
        for (int t = 0; t < iterations; t++)
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
