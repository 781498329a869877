using System;
using OptimDsl;

namespace OptimDsl.Benchmarks;

/// <summary>The objectives whose generated gradients and optimizers are benchmarked.</summary>
/// <remarks>
/// Squares are written as products (not <c>Math.Pow(a, 2)</c>) so that "objective alone" is the
/// cheapest honest evaluation of each function, the baseline the gradient is held to.
/// </remarks>
public static partial class Objectives
{
    /// <summary>Rosenbrock's banana valley, minimal at (1, 1).</summary>
    [Objective, Adam(LearningRate = 0.02)]
    public static double Rosenbrock(double x, double y)
    {
        var a = 1 - x;
        var b = y - x * x;
        return a * a + 100 * (b * b);
    }

    /// <summary>The extended Rosenbrock function in 8 variables: 4 independent Rosenbrock pairs.</summary>
    [Objective]
    public static double ExtendedRosenbrock(double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7)
    {
        var a0 = 1 - x0;
        var b0 = x1 - x0 * x0;
        var a1 = 1 - x2;
        var b1 = x3 - x2 * x2;
        var a2 = 1 - x4;
        var b2 = x5 - x4 * x4;
        var a3 = 1 - x6;
        var b3 = x7 - x6 * x6;
        return a0 * a0 + 100 * (b0 * b0) + a1 * a1 + 100 * (b1 * b1) + a2 * a2 + 100 * (b2 * b2) + a3 * a3 + 100 * (b3 * b3);
    }

    /// <summary>Beale's function, minimal at (3, 0.5).</summary>
    [Objective]
    public static double Beale(double x, double y)
    {
        var a = 1.5 - x + x * y;
        var b = 2.25 - x + x * (y * y);
        var c = 2.625 - x + x * (y * y * y);
        return a * a + b * b + c * c;
    }

    /// <summary>The logistic loss log(1 + exp(−y(w·x + b))) of one sample with 4 features.</summary>
    [Objective]
    public static double Logistic(
        double w1, double w2, double w3, double w4, double b,
        [Data] double x1, [Data] double x2, [Data] double x3, [Data] double x4, [Data] double y)
        => Math.Log(1 + Math.Exp(-y * (w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + b)));

    /// <summary>Σ (p_i − c_i)² over 2 parameters: a cheap objective, so that the optimizer's update dominates a step.</summary>
    [Objective, GradientDescent(LearningRate = 0.01), Adam(LearningRate = 0.01), AdamW(LearningRate = 0.01), RmsProp(LearningRate = 0.01), Lion(LearningRate = 0.001)]
    public static double ShiftedSquares2(double p0, double p1)
    {
        var a0 = p0 - 0.5;
        var a1 = p1 - 0.75;
        return a0 * a0 + a1 * a1;
    }

    /// <summary>Σ (p_i − c_i)² over 8 parameters.</summary>
    [Objective, GradientDescent(LearningRate = 0.01), Adam(LearningRate = 0.01), AdamW(LearningRate = 0.01), RmsProp(LearningRate = 0.01), Lion(LearningRate = 0.001)]
    public static double ShiftedSquares8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7)
    {
        var a0 = p0 - 0.5;
        var a1 = p1 - 0.75;
        var a2 = p2 - 1.0;
        var a3 = p3 - 1.25;
        var a4 = p4 - 1.5;
        var a5 = p5 - 1.75;
        var a6 = p6 - 2.0;
        var a7 = p7 - 2.25;
        return a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7;
    }

    /// <summary>Least squares of a line w·x + b on one sample: the data gradient's mean over a data set is benchmarked.</summary>
    [Objective]
    public static double LeastSquares(double w, double b, [Data] double x, [Data] double y)
    {
        var r = w * x + b - y;
        return r * r;
    }

    /// <summary>The logistic loss of one sample with 2 features, labels y ∈ {−1, 1}.</summary>
    [Objective]
    public static double LogisticLoss(double w1, double w2, double b, [Data] double x1, [Data] double x2, [Data] double y)
        => Math.Log(1 + Math.Exp(-y * (w1 * x1 + w2 * x2 + b)));
}
