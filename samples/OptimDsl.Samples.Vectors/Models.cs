using System;
using OptimDsl;

namespace OptimDsl.Samples.Vectors;

/// <summary>The sample's objectives: a linear regression over ten features, and a 2-4-1 tanh network.</summary>
public static partial class Models
{
    /// <summary>The number of features of <see cref="Linear"/>.</summary>
    public const int Features = 10;

    /// <summary>
    /// The squared error of w·x + b on one sample (x, y). w holds ten trained values; x is one sample's
    /// row of ten features, so the generated data overloads take all rows back to back.
    /// </summary>
    [Objective, Adam(LearningRate = 0.05)]
    public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
    {
        double prediction = b;
        for (int i = 0; i < w.Length; i++)
            prediction += w[i] * x[i];
        double r = prediction - y;
        return r * r;
    }

    /// <summary>
    /// The squared error of a network with 2 inputs, 4 tanh hidden units and 1 linear output on one
    /// sample. w1 is the hidden layer's 4×2 weights, row by row; the loops unroll at compile time.
    /// </summary>
    [Objective, Adam(LearningRate = 0.05)]
    public static double Xor([Length(8)] ReadOnlySpan<double> w1, [Length(4)] ReadOnlySpan<double> b1,
                             [Length(4)] ReadOnlySpan<double> w2, double b2,
                             [Data, Length(2)] ReadOnlySpan<double> input, [Data] double target)
    {
        double output = Network(w1, b1, w2, b2, input);
        return (output - target) * (output - target);
    }

    /// <summary>The network's output for one input: an objective too, so that <see cref="Xor"/> can call it and the program can print predictions.</summary>
    [Objective]
    public static double Network([Length(8)] ReadOnlySpan<double> w1, [Length(4)] ReadOnlySpan<double> b1,
                                 [Length(4)] ReadOnlySpan<double> w2, double b2,
                                 [Data, Length(2)] ReadOnlySpan<double> input)
    {
        Span<double> hidden = stackalloc double[4];
        for (int j = 0; j < 4; j++)
        {
            double s = b1[j];
            for (int i = 0; i < 2; i++)
                s += w1[j * 2 + i] * input[i];
            hidden[j] = Math.Tanh(s);
        }

        double output = b2;
        for (int j = 0; j < 4; j++)
            output += w2[j] * hidden[j];
        return output;
    }
}
