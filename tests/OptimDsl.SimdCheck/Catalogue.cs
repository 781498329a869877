using System;
using OptimDsl;

namespace OptimDsl.SimdCheck;

/// <summary>
/// Every optimizer of the catalogue (README, Optimizers) with each flag (Nesterov, AmsGrad, Centered,
/// momentum), weight decay, clipping, and minibatches on a non-Sgd optimizer, on 5, 7, 8 and 27 parameters
/// (the Vector512, Vector256, Vector128 and scalar paths of the rules) and on an objective with data.
/// </summary>
public static partial class CatalogueProblems
{
    [Objective]
    public static double Body5(double a, double b, double c, double d, double e)
        => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e + Math.Sqrt(1 + b * b);

    [Objective]
    public static double Body7(double a, double b, double c, double d, double e, double f, double g)
        => (a - 1) * (a - 1) + 2 * Math.Pow(b - 2, 2) + 3 * c * c + 0.5 * Math.Sqrt(1 + d * d) + 1.5 * (e - 0.5) * (e - 0.5) + 2.5 * (f + 2) * (f + 2) + (g - 3) * (g - 3) + 0.25 * a * g;

    [Objective]
    public static double Body8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7)
    {
        var r0 = p1 - p0 * p0;
        var r1 = p3 - p2 * p2;
        var r2 = p5 - p4 * p4;
        var r3 = p7 - p6 * p6;
        return 10 * (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3)
            + (1 - p0) * (1 - p0) + (1 - p2) * (1 - p2) + (1 - p4) * (1 - p4) + (1 - p6) * (1 - p6);
    }

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true), Adam(LearningRate = 0.05, AmsGrad = true), AdamW(LearningRate = 0.05, AmsGrad = true), Adamax(LearningRate = 0.05), NAdam(LearningRate = 0.05), RAdam(LearningRate = 0.05), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta, Rprop(LearningRate = 0.05), Lion(LearningRate = 0.01)]
    public static double Flags5(double a, double b, double c, double d, double e) => Body5(a, b, c, d, e);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.01, ClipValue = 2), Adam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3), Adamax(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 2), NAdam(LearningRate = 0.05, WeightDecay = 0.01, MomentumDecay = 0.01, ClipValue = 1), RAdam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), RmsProp(LearningRate = 0.005, WeightDecay = 0.01, ClipValue = 1), AdaGrad(LearningRate = 0.1, WeightDecay = 0.01, ClipNorm = 1), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01, ClipValue = 1), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1, ClipNorm = 1), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5)]
    public static double Clipped5(double a, double b, double c, double d, double e) => Body5(a, b, c, d, e);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9), RmsProp(LearningRate = 0.005, Momentum = 0.9), Adam(LearningRate = 0.05), AdamW(LearningRate = 0.05), Lion(LearningRate = 0.01, Beta1 = 0.95, Beta2 = 0.98)]
    public static double Momentum5(double a, double b, double c, double d, double e) => Body5(a, b, c, d, e);

    [Objective, GradientDescent(LearningRate = 0.002), RmsProp(LearningRate = 0.005, Centered = true)]
    public static double Centered5(double a, double b, double c, double d, double e) => Body5(a, b, c, d, e);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true), Adam(LearningRate = 0.05, AmsGrad = true), AdamW(LearningRate = 0.05, AmsGrad = true), Adamax(LearningRate = 0.05), NAdam(LearningRate = 0.05), RAdam(LearningRate = 0.05), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta, Rprop(LearningRate = 0.05), Lion(LearningRate = 0.01)]
    public static double Flags7(double a, double b, double c, double d, double e, double f, double g) => Body7(a, b, c, d, e, f, g);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.01, ClipValue = 2), Adam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3), Adamax(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 2), NAdam(LearningRate = 0.05, WeightDecay = 0.01, MomentumDecay = 0.01, ClipValue = 1), RAdam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), RmsProp(LearningRate = 0.005, WeightDecay = 0.01, ClipValue = 1), AdaGrad(LearningRate = 0.1, WeightDecay = 0.01, ClipNorm = 1), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01, ClipValue = 1), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1, ClipNorm = 1), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5)]
    public static double Clipped7(double a, double b, double c, double d, double e, double f, double g) => Body7(a, b, c, d, e, f, g);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9), RmsProp(LearningRate = 0.005, Momentum = 0.9), Adam(LearningRate = 0.05), AdamW(LearningRate = 0.05), Lion(LearningRate = 0.01, Beta1 = 0.95, Beta2 = 0.98)]
    public static double Momentum7(double a, double b, double c, double d, double e, double f, double g) => Body7(a, b, c, d, e, f, g);

    [Objective, GradientDescent(LearningRate = 0.002), RmsProp(LearningRate = 0.005, Centered = true)]
    public static double Centered7(double a, double b, double c, double d, double e, double f, double g) => Body7(a, b, c, d, e, f, g);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true), Adam(LearningRate = 0.05, AmsGrad = true), AdamW(LearningRate = 0.05, AmsGrad = true), Adamax(LearningRate = 0.05), NAdam(LearningRate = 0.05), RAdam(LearningRate = 0.05), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta, Rprop(LearningRate = 0.05), Lion(LearningRate = 0.01)]
    public static double Flags8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7) => Body8(p0, p1, p2, p3, p4, p5, p6, p7);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.01, ClipValue = 2), Adam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3), Adamax(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 2), NAdam(LearningRate = 0.05, WeightDecay = 0.01, MomentumDecay = 0.01, ClipValue = 1), RAdam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1), RmsProp(LearningRate = 0.005, WeightDecay = 0.01, ClipValue = 1), AdaGrad(LearningRate = 0.1, WeightDecay = 0.01, ClipNorm = 1), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01, ClipValue = 1), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1, ClipNorm = 1), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5)]
    public static double Clipped8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7) => Body8(p0, p1, p2, p3, p4, p5, p6, p7);

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9), RmsProp(LearningRate = 0.005, Momentum = 0.9), Adam(LearningRate = 0.05), AdamW(LearningRate = 0.05), Lion(LearningRate = 0.01, Beta1 = 0.95, Beta2 = 0.98)]
    public static double Momentum8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7) => Body8(p0, p1, p2, p3, p4, p5, p6, p7);

    [Objective, GradientDescent(LearningRate = 0.002), RmsProp(LearningRate = 0.005, Centered = true)]
    public static double Centered8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7) => Body8(p0, p1, p2, p3, p4, p5, p6, p7);

    [Objective, GradientDescent(LearningRate = 0.01, Momentum = 0.9, Nesterov = true), Adam(LearningRate = 0.05, AmsGrad = true), AdamW(LearningRate = 0.05, AmsGrad = true), Adamax(LearningRate = 0.05), NAdam(LearningRate = 0.05), RAdam(LearningRate = 0.05), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta, Rprop(LearningRate = 0.05), Lion(LearningRate = 0.01), Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true, BatchSize = 8, Seed = 4)]
    public static double DataFull(double w0, double w1, double w2, double w3, double b, [Data] double x0, [Data] double x1, [Data] double y)
    {
        var r = w0 * x0 + w1 * x1 + w2 * x0 * x1 + w3 * Math.Tanh(x0) + b - y;
        return r * r;
    }

    // 27 doubles: past the unrolled limit (README, Performance), the update's loop of Update512 (8 doubles), then one
    // Update128 and one scalar.
    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true), Adam(LearningRate = 0.05, AmsGrad = true), AdamW(LearningRate = 0.05, AmsGrad = true), Adamax(LearningRate = 0.05), NAdam(LearningRate = 0.05), RAdam(LearningRate = 0.05), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta, Rprop(LearningRate = 0.05), Lion(LearningRate = 0.01)]
    public static double Wide27([Length(27)] ReadOnlySpan<double> w)
    {
        var s = 0.0;
        for (var i = 0; i < 27; i++)
        {
            s += (w[i] - 0.1 * i) * (w[i] - 0.1 * i) * (1 + 0.25 * i) + Math.Sqrt(1 + w[i] * w[i]);
        }

        return s;
    }

    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.01, ClipValue = 2, BatchSize = 5, Seed = 0), Adam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1, BatchSize = 6, Seed = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3, BatchSize = 7, Seed = 2), Adamax(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 2, BatchSize = 8, Seed = 3), NAdam(LearningRate = 0.05, WeightDecay = 0.01, MomentumDecay = 0.01, ClipValue = 1, BatchSize = 9, Seed = 4), RAdam(LearningRate = 0.05, WeightDecay = 0.01, ClipNorm = 1, BatchSize = 10, Seed = 5), RmsProp(LearningRate = 0.005, WeightDecay = 0.01, ClipValue = 1, BatchSize = 11, Seed = 6), AdaGrad(LearningRate = 0.1, WeightDecay = 0.01, ClipNorm = 1, BatchSize = 12, Seed = 7), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01, ClipValue = 1, BatchSize = 13, Seed = 8), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1, ClipNorm = 1, BatchSize = 14, Seed = 9), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5, BatchSize = 15, Seed = 10), Sgd(LearningRate = 0.01, Momentum = 0.8, Dampening = 0.2, WeightDecay = 0.01, ClipNorm = 1, BatchSize = 16, Seed = 9)]
    public static double DataBatches(double w0, double w1, double w2, double w3, double b, [Data] double x0, [Data] double x1, [Data] double y)
    {
        var r = w0 * x0 + w1 * x1 + w2 * x0 * x1 + w3 * Math.Tanh(x0) + b - y;
        return r * r;
    }
}

/// <summary>Runs each optimizer of <see cref="CatalogueProblems"/> and prints its trajectory: after 1, 10 and 200 updates.</summary>
internal static class Catalogue
{
    private delegate OptimizationResult Minimizer<T>(ref T optimizer, int iterations);

    private delegate double[] Reader<T>(ref T optimizer);

    public static void Print(Action<string, double[]> print, (double[] X0, double[] X1, double[] Y) data)
    {
        Trace(print, "catalogue GradientDescent 5 flags", new CatalogueProblems.Flags5GradientDescent(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5GradientDescent o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Adam 5 flags", new CatalogueProblems.Flags5Adam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5Adam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdamW 5 flags", new CatalogueProblems.Flags5AdamW(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5AdamW o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Adamax 5 flags", new CatalogueProblems.Flags5Adamax(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5Adamax o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue NAdam 5 flags", new CatalogueProblems.Flags5NAdam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5NAdam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RAdam 5 flags", new CatalogueProblems.Flags5RAdam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5RAdam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RmsProp 5 flags", new CatalogueProblems.Flags5RmsProp(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5RmsProp o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdaGrad 5 flags", new CatalogueProblems.Flags5AdaGrad(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5AdaGrad o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdaDelta 5 flags", new CatalogueProblems.Flags5AdaDelta(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5AdaDelta o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Rprop 5 flags", new CatalogueProblems.Flags5Rprop(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5Rprop o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Lion 5 flags", new CatalogueProblems.Flags5Lion(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Flags5Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags5Lion o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue GradientDescent 5 clipped", new CatalogueProblems.Clipped5GradientDescent(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5GradientDescent o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Adam 5 clipped", new CatalogueProblems.Clipped5Adam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5Adam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdamW 5 clipped", new CatalogueProblems.Clipped5AdamW(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5AdamW o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Adamax 5 clipped", new CatalogueProblems.Clipped5Adamax(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5Adamax o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue NAdam 5 clipped", new CatalogueProblems.Clipped5NAdam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5NAdam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RAdam 5 clipped", new CatalogueProblems.Clipped5RAdam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5RAdam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RmsProp 5 clipped", new CatalogueProblems.Clipped5RmsProp(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5RmsProp o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdaGrad 5 clipped", new CatalogueProblems.Clipped5AdaGrad(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5AdaGrad o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdaDelta 5 clipped", new CatalogueProblems.Clipped5AdaDelta(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5AdaDelta o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Rprop 5 clipped", new CatalogueProblems.Clipped5Rprop(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5Rprop o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Lion 5 clipped", new CatalogueProblems.Clipped5Lion(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Clipped5Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped5Lion o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue GradientDescent 5 momentum", new CatalogueProblems.Momentum5GradientDescent(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Momentum5GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum5GradientDescent o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RmsProp 5 momentum", new CatalogueProblems.Momentum5RmsProp(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Momentum5RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum5RmsProp o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Adam 5 momentum", new CatalogueProblems.Momentum5Adam(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Momentum5Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum5Adam o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue AdamW 5 momentum", new CatalogueProblems.Momentum5AdamW(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Momentum5AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum5AdamW o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue Lion 5 momentum", new CatalogueProblems.Momentum5Lion(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Momentum5Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum5Lion o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue GradientDescent 5 centered", new CatalogueProblems.Centered5GradientDescent(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Centered5GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered5GradientDescent o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue RmsProp 5 centered", new CatalogueProblems.Centered5RmsProp(0.3, -0.7, 1.1, 2.0, 4.0), (ref CatalogueProblems.Centered5RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered5RmsProp o) => [o.A, o.B, o.C, o.D, o.E]);
        Trace(print, "catalogue GradientDescent 7 flags", new CatalogueProblems.Flags7GradientDescent(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7GradientDescent o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Adam 7 flags", new CatalogueProblems.Flags7Adam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7Adam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdamW 7 flags", new CatalogueProblems.Flags7AdamW(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7AdamW o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Adamax 7 flags", new CatalogueProblems.Flags7Adamax(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7Adamax o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue NAdam 7 flags", new CatalogueProblems.Flags7NAdam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7NAdam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RAdam 7 flags", new CatalogueProblems.Flags7RAdam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7RAdam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RmsProp 7 flags", new CatalogueProblems.Flags7RmsProp(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7RmsProp o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdaGrad 7 flags", new CatalogueProblems.Flags7AdaGrad(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7AdaGrad o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdaDelta 7 flags", new CatalogueProblems.Flags7AdaDelta(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7AdaDelta o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Rprop 7 flags", new CatalogueProblems.Flags7Rprop(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7Rprop o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Lion 7 flags", new CatalogueProblems.Flags7Lion(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Flags7Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags7Lion o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue GradientDescent 7 clipped", new CatalogueProblems.Clipped7GradientDescent(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7GradientDescent o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Adam 7 clipped", new CatalogueProblems.Clipped7Adam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7Adam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdamW 7 clipped", new CatalogueProblems.Clipped7AdamW(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7AdamW o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Adamax 7 clipped", new CatalogueProblems.Clipped7Adamax(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7Adamax o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue NAdam 7 clipped", new CatalogueProblems.Clipped7NAdam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7NAdam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RAdam 7 clipped", new CatalogueProblems.Clipped7RAdam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7RAdam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RmsProp 7 clipped", new CatalogueProblems.Clipped7RmsProp(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7RmsProp o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdaGrad 7 clipped", new CatalogueProblems.Clipped7AdaGrad(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7AdaGrad o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdaDelta 7 clipped", new CatalogueProblems.Clipped7AdaDelta(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7AdaDelta o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Rprop 7 clipped", new CatalogueProblems.Clipped7Rprop(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7Rprop o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Lion 7 clipped", new CatalogueProblems.Clipped7Lion(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Clipped7Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped7Lion o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue GradientDescent 7 momentum", new CatalogueProblems.Momentum7GradientDescent(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Momentum7GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum7GradientDescent o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RmsProp 7 momentum", new CatalogueProblems.Momentum7RmsProp(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Momentum7RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum7RmsProp o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Adam 7 momentum", new CatalogueProblems.Momentum7Adam(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Momentum7Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum7Adam o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue AdamW 7 momentum", new CatalogueProblems.Momentum7AdamW(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Momentum7AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum7AdamW o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue Lion 7 momentum", new CatalogueProblems.Momentum7Lion(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Momentum7Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum7Lion o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue GradientDescent 7 centered", new CatalogueProblems.Centered7GradientDescent(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Centered7GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered7GradientDescent o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue RmsProp 7 centered", new CatalogueProblems.Centered7RmsProp(1, -1, 2, -2, 3, -3, 0.5), (ref CatalogueProblems.Centered7RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered7RmsProp o) => [o.A, o.B, o.C, o.D, o.E, o.F, o.G]);
        Trace(print, "catalogue GradientDescent 8 flags", new CatalogueProblems.Flags8GradientDescent(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8GradientDescent o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Adam 8 flags", new CatalogueProblems.Flags8Adam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8Adam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdamW 8 flags", new CatalogueProblems.Flags8AdamW(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8AdamW o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Adamax 8 flags", new CatalogueProblems.Flags8Adamax(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8Adamax o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue NAdam 8 flags", new CatalogueProblems.Flags8NAdam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8NAdam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RAdam 8 flags", new CatalogueProblems.Flags8RAdam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8RAdam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RmsProp 8 flags", new CatalogueProblems.Flags8RmsProp(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8RmsProp o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdaGrad 8 flags", new CatalogueProblems.Flags8AdaGrad(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8AdaGrad o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdaDelta 8 flags", new CatalogueProblems.Flags8AdaDelta(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8AdaDelta o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Rprop 8 flags", new CatalogueProblems.Flags8Rprop(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8Rprop o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Lion 8 flags", new CatalogueProblems.Flags8Lion(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Flags8Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Flags8Lion o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue GradientDescent 8 clipped", new CatalogueProblems.Clipped8GradientDescent(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8GradientDescent o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Adam 8 clipped", new CatalogueProblems.Clipped8Adam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8Adam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdamW 8 clipped", new CatalogueProblems.Clipped8AdamW(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8AdamW o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Adamax 8 clipped", new CatalogueProblems.Clipped8Adamax(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8Adamax o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue NAdam 8 clipped", new CatalogueProblems.Clipped8NAdam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8NAdam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RAdam 8 clipped", new CatalogueProblems.Clipped8RAdam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8RAdam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RmsProp 8 clipped", new CatalogueProblems.Clipped8RmsProp(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8RmsProp o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdaGrad 8 clipped", new CatalogueProblems.Clipped8AdaGrad(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8AdaGrad o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdaDelta 8 clipped", new CatalogueProblems.Clipped8AdaDelta(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8AdaDelta o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Rprop 8 clipped", new CatalogueProblems.Clipped8Rprop(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8Rprop o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Lion 8 clipped", new CatalogueProblems.Clipped8Lion(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Clipped8Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Clipped8Lion o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue GradientDescent 8 momentum", new CatalogueProblems.Momentum8GradientDescent(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Momentum8GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum8GradientDescent o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RmsProp 8 momentum", new CatalogueProblems.Momentum8RmsProp(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Momentum8RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum8RmsProp o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Adam 8 momentum", new CatalogueProblems.Momentum8Adam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Momentum8Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum8Adam o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue AdamW 8 momentum", new CatalogueProblems.Momentum8AdamW(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Momentum8AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum8AdamW o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue Lion 8 momentum", new CatalogueProblems.Momentum8Lion(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Momentum8Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Momentum8Lion o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue GradientDescent 8 centered", new CatalogueProblems.Centered8GradientDescent(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Centered8GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered8GradientDescent o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue RmsProp 8 centered", new CatalogueProblems.Centered8RmsProp(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3), (ref CatalogueProblems.Centered8RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Centered8RmsProp o) => [o.P0, o.P1, o.P2, o.P3, o.P4, o.P5, o.P6, o.P7]);
        Trace(print, "catalogue GradientDescent data full", new CatalogueProblems.DataFullGradientDescent(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullGradientDescent o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullGradientDescent o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Adam data full", new CatalogueProblems.DataFullAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdamW data full", new CatalogueProblems.DataFullAdamW(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullAdamW o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullAdamW o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Adamax data full", new CatalogueProblems.DataFullAdamax(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullAdamax o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullAdamax o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue NAdam data full", new CatalogueProblems.DataFullNAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullNAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullNAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue RAdam data full", new CatalogueProblems.DataFullRAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullRAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullRAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue RmsProp data full", new CatalogueProblems.DataFullRmsProp(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullRmsProp o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullRmsProp o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdaGrad data full", new CatalogueProblems.DataFullAdaGrad(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullAdaGrad o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullAdaGrad o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdaDelta data full", new CatalogueProblems.DataFullAdaDelta(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullAdaDelta o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullAdaDelta o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Rprop data full", new CatalogueProblems.DataFullRprop(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullRprop o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullRprop o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Lion data full", new CatalogueProblems.DataFullLion(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullLion o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullLion o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Sgd data full", new CatalogueProblems.DataFullSgd(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataFullSgd o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataFullSgd o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue GradientDescent data batches", new CatalogueProblems.DataBatchesGradientDescent(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesGradientDescent o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesGradientDescent o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Adam data batches", new CatalogueProblems.DataBatchesAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdamW data batches", new CatalogueProblems.DataBatchesAdamW(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesAdamW o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesAdamW o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Adamax data batches", new CatalogueProblems.DataBatchesAdamax(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesAdamax o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesAdamax o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue NAdam data batches", new CatalogueProblems.DataBatchesNAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesNAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesNAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue RAdam data batches", new CatalogueProblems.DataBatchesRAdam(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesRAdam o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesRAdam o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue RmsProp data batches", new CatalogueProblems.DataBatchesRmsProp(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesRmsProp o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesRmsProp o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdaGrad data batches", new CatalogueProblems.DataBatchesAdaGrad(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesAdaGrad o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesAdaGrad o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue AdaDelta data batches", new CatalogueProblems.DataBatchesAdaDelta(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesAdaDelta o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesAdaDelta o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Rprop data batches", new CatalogueProblems.DataBatchesRprop(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesRprop o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesRprop o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Lion data batches", new CatalogueProblems.DataBatchesLion(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesLion o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesLion o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue Sgd data batches", new CatalogueProblems.DataBatchesSgd(0.1, -0.1, 0.2, -0.2, 0), (ref CatalogueProblems.DataBatchesSgd o, int k) => o.Minimize(data.X0, data.X1, data.Y, k, 0), (ref CatalogueProblems.DataBatchesSgd o) => [o.W0, o.W1, o.W2, o.W3, o.B]);
        Trace(print, "catalogue GradientDescent 27 flags", new CatalogueProblems.Wide27GradientDescent(Wide27Start()), (ref CatalogueProblems.Wide27GradientDescent o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27GradientDescent o) => o.Parameters.ToArray());
        Trace(print, "catalogue Adam 27 flags", new CatalogueProblems.Wide27Adam(Wide27Start()), (ref CatalogueProblems.Wide27Adam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27Adam o) => o.Parameters.ToArray());
        Trace(print, "catalogue AdamW 27 flags", new CatalogueProblems.Wide27AdamW(Wide27Start()), (ref CatalogueProblems.Wide27AdamW o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27AdamW o) => o.Parameters.ToArray());
        Trace(print, "catalogue Adamax 27 flags", new CatalogueProblems.Wide27Adamax(Wide27Start()), (ref CatalogueProblems.Wide27Adamax o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27Adamax o) => o.Parameters.ToArray());
        Trace(print, "catalogue NAdam 27 flags", new CatalogueProblems.Wide27NAdam(Wide27Start()), (ref CatalogueProblems.Wide27NAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27NAdam o) => o.Parameters.ToArray());
        Trace(print, "catalogue RAdam 27 flags", new CatalogueProblems.Wide27RAdam(Wide27Start()), (ref CatalogueProblems.Wide27RAdam o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27RAdam o) => o.Parameters.ToArray());
        Trace(print, "catalogue RmsProp 27 flags", new CatalogueProblems.Wide27RmsProp(Wide27Start()), (ref CatalogueProblems.Wide27RmsProp o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27RmsProp o) => o.Parameters.ToArray());
        Trace(print, "catalogue AdaGrad 27 flags", new CatalogueProblems.Wide27AdaGrad(Wide27Start()), (ref CatalogueProblems.Wide27AdaGrad o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27AdaGrad o) => o.Parameters.ToArray());
        Trace(print, "catalogue AdaDelta 27 flags", new CatalogueProblems.Wide27AdaDelta(Wide27Start()), (ref CatalogueProblems.Wide27AdaDelta o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27AdaDelta o) => o.Parameters.ToArray());
        Trace(print, "catalogue Rprop 27 flags", new CatalogueProblems.Wide27Rprop(Wide27Start()), (ref CatalogueProblems.Wide27Rprop o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27Rprop o) => o.Parameters.ToArray());
        Trace(print, "catalogue Lion 27 flags", new CatalogueProblems.Wide27Lion(Wide27Start()), (ref CatalogueProblems.Wide27Lion o, int k) => o.Minimize(k, 0), (ref CatalogueProblems.Wide27Lion o) => o.Parameters.ToArray());
    }

    /// <summary>The start of <see cref="CatalogueProblems.Wide27"/>: 27 values in [−2, 2].</summary>
    private static double[] Wide27Start()
    {
        var start = new double[27];
        for (var k = 0; k < start.Length; k++)
        {
            start[k] = Math.Cos(0.7 * k) * 2;
        }

        return start;
    }

    /// <summary>Prints the parameters after 1, 10 and 200 updates (each Minimize continues the last), then the last result's loss and gradient norm.</summary>
    private static void Trace<T>(Action<string, double[]> print, string name, T optimizer, Minimizer<T> minimize, Reader<T> read)
    {
        var done = 0;
        OptimizationResult result = default;
        foreach (var total in new[] { 1, 10, 200 })
        {
            result = minimize(ref optimizer, total - done);
            done = total;
            print($"{name} @{total}", read(ref optimizer));
        }

        print($"{name} result", [result.Loss, result.GradientNorm, result.Iterations]);
    }
}
