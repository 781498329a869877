using System;
using OptimDsl;

namespace OptimDsl.Samples.Vectors;

/// <summary>The sample's objectives: a linear regression over ten features, a 2-4-1 tanh network, and a 1-64-1 one.</summary>
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

    /// <summary>The hidden units of <see cref="Wave"/>.</summary>
    public const int Hidden = 64;

    /// <summary>The squared error of <see cref="WaveOutput"/> on one sample (x, y).</summary>
    [Objective, Lbfgs]
    public static double Wave([Length(Hidden)] ReadOnlySpan<double> w1, [Length(Hidden)] ReadOnlySpan<double> b1,
                              [Length(Hidden)] ReadOnlySpan<double> w2, double b2, [Data] double x, [Data] double y)
    {
        double r = WaveOutput(w1, b1, w2, b2, x) - y;
        return r * r;
    }

    /// <summary>
    /// The output of a network with 1 input, 64 tanh hidden units and 1 linear output. Its loops have 64
    /// iterations, so they stay loops in the generated code: the first fills the hidden layer h (a rolled
    /// map, README "Large loops and large models"), the second sums over it.
    /// </summary>
    [Objective]
    public static double WaveOutput([Length(Hidden)] ReadOnlySpan<double> w1, [Length(Hidden)] ReadOnlySpan<double> b1,
                                    [Length(Hidden)] ReadOnlySpan<double> w2, double b2, [Data] double x)
    {
        Span<double> h = stackalloc double[Hidden];
        for (int j = 0; j < Hidden; j++)
            h[j] = Math.Tanh(w1[j] * x + b1[j]);
        double output = b2;
        for (int j = 0; j < Hidden; j++)
            output += w2[j] * h[j];
        return output;
    }
}
