using System;
using OptimDsl;

namespace OptimDsl.Benchmarks;

/// <summary>The vector objectives of the issue 11 benchmarks (VectorBenchmarks.cs).</summary>
public static partial class VectorObjectives
{
    /// <summary>Features of the logistic regression.</summary>
    public const int Features = 100;

    /// <summary>Inputs and hidden units of the tanh network.</summary>
    public const int Inputs = 8, Hidden = 32;

    /// <summary>The hidden units of the wide network: past the roll threshold, so its hidden layer is a rolled map.</summary>
    public const int WideHidden = 128;

    /// <summary>
    /// Trained values of the Adam objective: 10,000, with its loop rolled (README, Large loops and large models).
    /// </summary>
    public const int AdamValues = 10_000;

    /// <summary>
    /// Logistic regression over 100 features, labels y ∈ {0, 1}: softplus(z) − y·z with z = w·x + b,
    /// softplus written the stable way, max(z, 0) + log(1 + exp(−|z|)).
    /// </summary>
    [Objective]
    public static double LogisticRegression([Length(Features)] ReadOnlySpan<double> w, double b,
                                            [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
    {
        double z = b;
        for (int i = 0; i < Features; i++)
            z += w[i] * x[i];
        return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - y * z;
    }

    /// <summary>
    /// <see cref="LogisticRegression"/> in float (issue 13): the same loss over float features, labels and weights,
    /// with MathF; its loop over the 100 features is rolled (README, Float objectives).
    /// </summary>
    [Objective]
    public static float FloatLogisticRegression([Length(Features)] ReadOnlySpan<float> w, float b,
                                                [Data, Length(Features)] ReadOnlySpan<float> x, [Data] float y)
    {
        float z = b;
        for (int i = 0; i < Features; i++)
            z += w[i] * x[i];
        return MathF.Max(z, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(z))) - y * z;
    }

    /// <summary>An 8-32-1 network with tanh hidden units and a linear output, squared error.</summary>
    [Objective]
    public static double TanhNetwork([Length(Hidden * Inputs)] ReadOnlySpan<double> w1, [Length(Hidden)] ReadOnlySpan<double> b1,
                                     [Length(Hidden)] ReadOnlySpan<double> w2, double b2,
                                     [Data, Length(Inputs)] ReadOnlySpan<double> input, [Data] double target)
    {
        Span<double> hidden = stackalloc double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            double s = b1[j];
            for (int i = 0; i < Inputs; i++)
                s += w1[j * Inputs + i] * input[i];
            hidden[j] = Math.Tanh(s);
        }

        double output = b2;
        for (int j = 0; j < Hidden; j++)
            output += w2[j] * hidden[j];
        double r = output - target;
        return r * r;
    }

    /// <summary>An 8-128-1 network with tanh hidden units and a linear output, squared error: the hidden layer is a rolled map.</summary>
    [Objective]
    public static double WideTanhNetwork([Length(WideHidden * Inputs)] ReadOnlySpan<double> w1, [Length(WideHidden)] ReadOnlySpan<double> b1,
                                         [Length(WideHidden)] ReadOnlySpan<double> w2, double b2,
                                         [Data, Length(Inputs)] ReadOnlySpan<double> input, [Data] double target)
    {
        Span<double> hidden = stackalloc double[WideHidden];
        for (int j = 0; j < WideHidden; j++)
        {
            double s = b1[j];
            for (int i = 0; i < Inputs; i++)
                s += w1[j * Inputs + i] * input[i];
            hidden[j] = Math.Tanh(s);
        }

        double output = b2;
        for (int j = 0; j < WideHidden; j++)
            output += w2[j] * hidden[j];
        double r = output - target;
        return r * r;
    }

    /// <summary>Σ (w_i − 0.5)² over 10,000 trained values: a gradient so cheap that Adam's update dominates a step.</summary>
    [Objective, Adam(LearningRate = 0.01)]
    public static double WideBowl([Length(AdamValues)] ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int i = 0; i < AdamValues; i++)
        {
            double d = w[i] - 0.5;
            sum += d * d;
        }

        return sum;
    }

    /// <summary>
    /// Σ |w_i − 0.5| over 10,000 trained values. Adam never settles on it: each gradient component is ±1, so m and v stay
    /// normal numbers step after step, as in a run that is still learning; on <see cref="WideBowl"/> the benchmark's
    /// millions of steps drive the gradient, m and v towards zero and v into subnormal numbers, which slow the division.
    /// </summary>
    [Objective, Adam(LearningRate = 0.01)]
    public static double WideValley([Length(AdamValues)] ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int i = 0; i < AdamValues; i++)
        {
            sum += Math.Abs(w[i] - 0.5);
        }

        return sum;
    }
}
