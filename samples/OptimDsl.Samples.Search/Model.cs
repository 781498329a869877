using System;
using OptimDsl;

namespace OptimDsl.Samples.Search;

/// <summary>The sample's objective: a linear model of three features fitted by least squares.</summary>
public static partial class Model
{
    /// <summary>
    /// The squared error of w1·x1 + w2·x2 + w3·x3 + b on one sample. Because the x's and y are [Data],
    /// the generated optimizers minimise the mean over the data set, and the search scores a trial by
    /// the mean over the validation set.
    /// </summary>
    [Objective]
    [Adam(LearningRate = 0.01)]
    public static double Linear(double w1, double w2, double w3, double b, [Data] double x1, [Data] double x2, [Data] double x3, [Data] double y)
    {
        var residual = w1 * x1 + w2 * x2 + w3 * x3 + b - y;
        return residual * residual;
    }
}
