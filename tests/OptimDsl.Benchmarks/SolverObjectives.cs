using System;
using OptimDsl;

namespace OptimDsl.Benchmarks;

/// <summary>
/// The objectives of the issue 12 solver benchmarks (SolverBenchmarks.cs): each with the optimizers it is
/// run with (README, Which optimizer?). Adam's learning rate is set at run time from a grid (the attribute's
/// value is only the constructor's default).
/// </summary>
public static partial class SolverObjectives
{
    /// <summary>Features of the logistic regression (as VectorObjectives.LogisticRegression).</summary>
    public const int Features = 100;

    /// <summary>
    /// The squared residual of one point of y = a·exp(−k·t) + c; the mean over the points is the loss,
    /// as the curve-fitting sample (samples/OptimDsl.Samples.CurveFitting).
    /// </summary>
    [Objective]
    [LevenbergMarquardt]
    [Lbfgs]
    [Adam]
    public static double DecayFit(double a, double k, double c, [Data] double t, [Data] double y)
    {
        var r = a * Math.Exp(-k * t) + c - y;
        return r * r;
    }

    /// <summary>
    /// Four decaying exponentials, 8 parameters: for the cost of a Levenberg–Marquardt pass at that width
    /// (<c>NormalEquationsWidthBenchmarks</c>). Every Jacobian entry varies.
    /// </summary>
    [Objective]
    [LevenbergMarquardt]
    public static double FourDecays(double a0, double k0, double a1, double k1, double a2, double k2, double a3, double k3, [Data] double t, [Data] double y)
    {
        var r = a0 * Math.Exp(-k0 * t) + a1 * Math.Exp(-k1 * t) + a2 * Math.Exp(-k2 * t) + a3 * Math.Exp(-k3 * t) - y;
        return r * r;
    }

    /// <summary>Six decaying exponentials, 12 parameters: the widest Levenberg–Marquardt pass that runs four samples at a time.</summary>
    [Objective]
    [LevenbergMarquardt]
    public static double SixDecays(double a0, double k0, double a1, double k1, double a2, double k2, double a3, double k3, double a4, double k4, double a5, double k5, [Data] double t, [Data] double y)
    {
        var r = a0 * Math.Exp(-k0 * t) + a1 * Math.Exp(-k1 * t) + a2 * Math.Exp(-k2 * t) + a3 * Math.Exp(-k3 * t) + a4 * Math.Exp(-k4 * t) + a5 * Math.Exp(-k5 * t) - y;
        return r * r;
    }

    /// <summary>Rosenbrock's function, minimum 0 at (1, 1).</summary>
    [Objective]
    [Lbfgs]
    [Adam]
    public static double Rosenbrock(double x, double y)
        => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

    /// <summary>
    /// Logistic regression over 100 features, labels y ∈ {0, 1}: softplus(z) − y·z with z = w·x + b, the
    /// log-loss −[y·log σ(z) + (1 − y)·log(1 − σ(z))] written the stable way, max(z, 0) + log(1 + exp(−|z|)) − y·z.
    /// The mean over the samples is ML.NET's training log-loss without regularisation. The loop of 100 is
    /// rolled (README, Large loops and large models).
    /// </summary>
    [Objective]
    [Lbfgs]
    public static double LogisticRegression([Length(Features)] ReadOnlySpan<double> w, double b,
                                            [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
    {
        double z = b;
        for (int i = 0; i < Features; i++)
            z += w[i] * x[i];
        return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - y * z;
    }
}
