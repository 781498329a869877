using System;
using OptimDsl;

namespace OptimDsl.Samples.Quickstart;

/// <summary>The sample's objectives: a straight line fitted to data, and Rosenbrock's valley.</summary>
public static partial class Problems
{
    /// <summary>
    /// The squared error of the line w·x + b on one sample (x, y). Because x and y are [Data], the
    /// generated gradient and optimizers take the whole data set and minimise the mean squared error.
    /// </summary>
    [Objective]
    [GradientDescent(LearningRate = 0.1)]
    [Sgd(LearningRate = 0.01, BatchSize = 64, Seed = 1)]
    [Adam(LearningRate = 0.05)]
    public static double Line(double w, double b, [Data] double x, [Data] double y)
    {
        var residual = w * x + b - y;
        return residual * residual;
    }

    /// <summary>Rosenbrock's banana-shaped valley, minimal (0) at (1, 1): a classic test of optimizers.</summary>
    [Objective, Adam(LearningRate = 0.02)]
    public static double Rosenbrock(double x, double y)
        => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
}
