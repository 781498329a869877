using System;
using OptimDsl;

namespace OptimDsl.Samples.Cluster;

/// <summary>The model every node trains: a logistic regression over eight features.</summary>
public static partial class Model
{
    /// <summary>The number of features of a sample.</summary>
    public const int Features = 8;

    /// <summary>
    /// The logistic loss log(1 + exp(−y(w·x + b))) of one sample: x one sample's row of eight
    /// features, y its label, −1 or +1. Each node's replica of the optimizer is a <c>LogisticAdam</c>.
    /// </summary>
    [Objective, Adam(LearningRate = 0.05)]
    public static double Logistic([Length(Features)] ReadOnlySpan<double> w, double b,
                                  [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
    {
        double z = b;
        for (int i = 0; i < w.Length; i++)
            z += w[i] * x[i];
        return Math.Log(1 + Math.Exp(-y * z));
    }
}
