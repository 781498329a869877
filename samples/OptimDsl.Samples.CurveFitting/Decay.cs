using System;
using OptimDsl;

namespace OptimDsl.Samples.CurveFitting;

/// <summary>The model y = a·exp(−k·t) + c, fitted to points (t, y) by least squares.</summary>
public static partial class Decay
{
    /// <summary>The squared residual of one point: the mean over the points is the loss.</summary>
    [Objective]
    [LevenbergMarquardt]
    [Lbfgs]
    [Adam(LearningRate = 0.05)]
    public static double Fit(double a, double k, double c, [Data] double t, [Data] double y)
    {
        var r = a * Math.Exp(-k * t) + c - y;
        return r * r;
    }
}
