using System;
using OptimDsl;

namespace OptimDsl.Samples.Quickstart;

/// <summary>The objectives of the tutorial OptimDsl grew out of, and a few classics.</summary>
public static partial class Problems
{
    /// <summary>The tutorial's J(θ) = (θ − 3)², minimal at θ = 3.</summary>
    [Objective, GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.1)]
    public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

    /// <summary>Rosenbrock's banana valley, minimal at (1, 1).</summary>
    [Objective, Adam(LearningRate = 0.02)]
    public static double Rosenbrock(double x, double y)
        => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

    /// <summary>Booth's function, minimal at (1, 3).</summary>
    [Objective, GradientDescent(LearningRate = 0.05)]
    public static double Booth(double x, double y)
        => Math.Pow(x + 2 * y - 7, 2) + Math.Pow(2 * x + y - 5, 2);

    /// <summary>
    /// Squared error of a line w·x + b on one sample (x, y). With [Data] parameters the training
    /// loss is its mean over the data set.
    /// </summary>
    [Objective, Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1), GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.05)]
    public static double Line(double w, double b, [Data] double x, [Data] double y)
    {
        var r = w * x + b - y;
        return r * r;
    }

    /// <summary>The Huber loss of a constant model: quadratic near the data, linear far from it.</summary>
    [Objective]
    public static double Huber(double mu, [Data] double y)
    {
        const double delta = 1.0;
        var r = mu - y;
        return Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);
    }
}
