using System;

namespace OptimDsl.Benchmarks;

/// <summary>Hand-written analytic gradients and central finite differences: the baselines of the gradient benchmarks (Rosenbrock's in HandWrittenRosenbrock.cs).</summary>
public static partial class HandWritten
{
    /// <summary>The step of the central finite differences.</summary>
    public const double H = 1e-6;

    private const double InverseTwoH = 1 / (2 * H);

    public static double RosenbrockFiniteDifferences(double x, double y, out double dX, out double dY)
    {
        dX = (Objectives.Rosenbrock(x + H, y) - Objectives.Rosenbrock(x - H, y)) * InverseTwoH;
        dY = (Objectives.Rosenbrock(x, y + H) - Objectives.Rosenbrock(x, y - H)) * InverseTwoH;
        return Objectives.Rosenbrock(x, y);
    }

    public static double ExtendedRosenbrockGradient(
        double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7,
        out double d0, out double d1, out double d2, out double d3, out double d4, out double d5, out double d6, out double d7)
    {
        double a0 = 1 - x0, b0 = x1 - x0 * x0;
        double a1 = 1 - x2, b1 = x3 - x2 * x2;
        double a2 = 1 - x4, b2 = x5 - x4 * x4;
        double a3 = 1 - x6, b3 = x7 - x6 * x6;
        d0 = -2 * a0 - 400 * x0 * b0;
        d1 = 200 * b0;
        d2 = -2 * a1 - 400 * x2 * b1;
        d3 = 200 * b1;
        d4 = -2 * a2 - 400 * x4 * b2;
        d5 = 200 * b2;
        d6 = -2 * a3 - 400 * x6 * b3;
        d7 = 200 * b3;
        return a0 * a0 + 100 * (b0 * b0) + a1 * a1 + 100 * (b1 * b1) + a2 * a2 + 100 * (b2 * b2) + a3 * a3 + 100 * (b3 * b3);
    }

    private static double ExtendedRosenbrock(ReadOnlySpan<double> x) =>
        Objectives.ExtendedRosenbrock(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]);

    /// <summary>Central differences of the extended Rosenbrock function at <paramref name="x"/> (8 values), into <paramref name="gradient"/>.</summary>
    public static double ExtendedRosenbrockFiniteDifferences(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Span<double> probe = stackalloc double[8];
        x.CopyTo(probe);
        for (int i = 0; i < 8; i++)
        {
            probe[i] = x[i] + H;
            double plus = ExtendedRosenbrock(probe);
            probe[i] = x[i] - H;
            double minus = ExtendedRosenbrock(probe);
            probe[i] = x[i];
            gradient[i] = (plus - minus) * InverseTwoH;
        }

        return ExtendedRosenbrock(x);
    }

    public static double BealeGradient(double x, double y, out double dX, out double dY)
    {
        double y2 = y * y;
        double y3 = y2 * y;
        double a = 1.5 - x + x * y;
        double b = 2.25 - x + x * y2;
        double c = 2.625 - x + x * y3;
        dX = 2 * (a * (y - 1) + b * (y2 - 1) + c * (y3 - 1));
        dY = 2 * x * (a + 2 * b * y + 3 * c * y2);
        return a * a + b * b + c * c;
    }

    public static double BealeFiniteDifferences(double x, double y, out double dX, out double dY)
    {
        dX = (Objectives.Beale(x + H, y) - Objectives.Beale(x - H, y)) * InverseTwoH;
        dY = (Objectives.Beale(x, y + H) - Objectives.Beale(x, y - H)) * InverseTwoH;
        return Objectives.Beale(x, y);
    }

    public static double LogisticGradient(
        double w1, double w2, double w3, double w4, double b,
        double x1, double x2, double x3, double x4, double y,
        out double dW1, out double dW2, out double dW3, out double dW4, out double dB)
    {
        double e = Math.Exp(-y * (w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + b));
        double onePlusE = 1 + e;
        double s = -y * e / onePlusE;   // ∂loss/∂(w·x + b)
        dW1 = s * x1;
        dW2 = s * x2;
        dW3 = s * x3;
        dW4 = s * x4;
        dB = s;
        return Math.Log(onePlusE);
    }

    public static double LogisticFiniteDifferences(
        double w1, double w2, double w3, double w4, double b,
        double x1, double x2, double x3, double x4, double y,
        out double dW1, out double dW2, out double dW3, out double dW4, out double dB)
    {
        dW1 = (Objectives.Logistic(w1 + H, w2, w3, w4, b, x1, x2, x3, x4, y) - Objectives.Logistic(w1 - H, w2, w3, w4, b, x1, x2, x3, x4, y)) * InverseTwoH;
        dW2 = (Objectives.Logistic(w1, w2 + H, w3, w4, b, x1, x2, x3, x4, y) - Objectives.Logistic(w1, w2 - H, w3, w4, b, x1, x2, x3, x4, y)) * InverseTwoH;
        dW3 = (Objectives.Logistic(w1, w2, w3 + H, w4, b, x1, x2, x3, x4, y) - Objectives.Logistic(w1, w2, w3 - H, w4, b, x1, x2, x3, x4, y)) * InverseTwoH;
        dW4 = (Objectives.Logistic(w1, w2, w3, w4 + H, b, x1, x2, x3, x4, y) - Objectives.Logistic(w1, w2, w3, w4 - H, b, x1, x2, x3, x4, y)) * InverseTwoH;
        dB = (Objectives.Logistic(w1, w2, w3, w4, b + H, x1, x2, x3, x4, y) - Objectives.Logistic(w1, w2, w3, w4, b - H, x1, x2, x3, x4, y)) * InverseTwoH;
        return Objectives.Logistic(w1, w2, w3, w4, b, x1, x2, x3, x4, y);
    }
}
