using System;
using OptimDsl;

namespace OptimDsl.SimdCheck;

/// <summary>
/// A float objective's generated optimizers (README, Float objectives): every first-order optimizer of the catalogue but [Sgd] (the same rule as [GradientDescent], warned about without [Data]),
/// with flags, weight decay and clipping, on 13 float parameters (one Update256 of eight, one Update128 of four, one
/// scalar), run by Minimize; θ and the result are printed widened to double (exact), so the three runs of
/// SimdEquivalenceTests compare their bits.
/// </summary>
public static partial class FloatOptimizerProblems
{
    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true, ClipValue = 2), Adam(LearningRate = 0.05, AmsGrad = true, ClipNorm = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3), Adamax(LearningRate = 0.05, WeightDecay = 0.01), NAdam(LearningRate = 0.05, MomentumDecay = 0.01), RAdam(LearningRate = 0.05, WeightDecay = 0.01), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5)]
    public static float Spread([Length(13)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 13; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i) * (i + 1) + MathF.Sqrt(1 + w[i] * w[i]) + MathF.Exp(0.1f * w[i]);
        }

        return s;
    }

    // 45 floats: past the unrolled limit (README, Performance), the update's loop of Update512 (16 floats), then one
    // Update256, one Update128 and one scalar.
    [Objective, GradientDescent(LearningRate = 0.002, Momentum = 0.9, Nesterov = true, ClipValue = 2), Adam(LearningRate = 0.05, AmsGrad = true, ClipNorm = 1), AdamW(LearningRate = 0.05, WeightDecay = 0.05, ClipValue = 1, ClipNorm = 3), Adamax(LearningRate = 0.05, WeightDecay = 0.01), NAdam(LearningRate = 0.05, MomentumDecay = 0.01), RAdam(LearningRate = 0.05, WeightDecay = 0.01), RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true), AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1), AdaDelta(LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01), Rprop(EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 1e-4, MaxStep = 1), Lion(LearningRate = 0.01, WeightDecay = 0.1, ClipValue = 0.5)]
    public static float Wide([Length(45)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 45; i++)
        {
            s += (w[i] - 0.1f * i) * (w[i] - 0.1f * i) * (1 + 0.25f * i) + MathF.Sqrt(1 + w[i] * w[i]);
        }

        return s;
    }

    /// <summary>
    /// A float objective with [Data] rows (README, Float objectives): the full batch through the data overload's lanes of
    /// eight samples, and Sgd's minibatches of float sample gradients summed in double.
    /// </summary>
    [Objective, Adam(LearningRate = 0.02, ClipNorm = 2), Sgd(LearningRate = 0.01, Momentum = 0.9, BatchSize = 7, Seed = 3, WeightDecay = 0.01)]
    public static float Fit([Length(13)] ReadOnlySpan<float> w, float b, [Data, Length(13)] ReadOnlySpan<float> x, [Data] float y)
    {
        var z = b;
        for (var i = 0; i < 13; i++)
        {
            z += w[i] * x[i];
        }

        return MathF.Log(1 + MathF.Exp(-y * z)) + 0.01f * b * b;
    }
}

public static class FloatOptimizers
{
    private delegate OptimizationResult Run<T>(ref T optimizer);

    private delegate float[] Read<T>(ref T optimizer);

    public static void Print(Action<string, double[]> print)
    {
        var start = new float[13];
        for (var k = 0; k < start.Length; k++)
        {
            start[k] = MathF.Sin(0.9f * k) * 2;
        }

        Trace(print, "float GradientDescent 13", new FloatOptimizerProblems.SpreadGradientDescent(start), (ref FloatOptimizerProblems.SpreadGradientDescent o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadGradientDescent o) => o.Parameters.ToArray());
        Trace(print, "float Adam 13", new FloatOptimizerProblems.SpreadAdam(start), (ref FloatOptimizerProblems.SpreadAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadAdam o) => o.Parameters.ToArray());
        Trace(print, "float AdamW 13", new FloatOptimizerProblems.SpreadAdamW(start), (ref FloatOptimizerProblems.SpreadAdamW o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadAdamW o) => o.Parameters.ToArray());
        Trace(print, "float Adamax 13", new FloatOptimizerProblems.SpreadAdamax(start), (ref FloatOptimizerProblems.SpreadAdamax o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadAdamax o) => o.Parameters.ToArray());
        Trace(print, "float NAdam 13", new FloatOptimizerProblems.SpreadNAdam(start), (ref FloatOptimizerProblems.SpreadNAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadNAdam o) => o.Parameters.ToArray());
        Trace(print, "float RAdam 13", new FloatOptimizerProblems.SpreadRAdam(start), (ref FloatOptimizerProblems.SpreadRAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadRAdam o) => o.Parameters.ToArray());
        Trace(print, "float RmsProp 13", new FloatOptimizerProblems.SpreadRmsProp(start), (ref FloatOptimizerProblems.SpreadRmsProp o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadRmsProp o) => o.Parameters.ToArray());
        Trace(print, "float AdaGrad 13", new FloatOptimizerProblems.SpreadAdaGrad(start), (ref FloatOptimizerProblems.SpreadAdaGrad o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadAdaGrad o) => o.Parameters.ToArray());
        Trace(print, "float AdaDelta 13", new FloatOptimizerProblems.SpreadAdaDelta(start), (ref FloatOptimizerProblems.SpreadAdaDelta o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadAdaDelta o) => o.Parameters.ToArray());
        Trace(print, "float Rprop 13", new FloatOptimizerProblems.SpreadRprop(start), (ref FloatOptimizerProblems.SpreadRprop o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadRprop o) => o.Parameters.ToArray());
        Trace(print, "float Lion 13", new FloatOptimizerProblems.SpreadLion(start), (ref FloatOptimizerProblems.SpreadLion o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.SpreadLion o) => o.Parameters.ToArray());

        var wide = new float[45];
        for (var k = 0; k < wide.Length; k++)
        {
            wide[k] = MathF.Cos(0.7f * k) * 2;
        }

        Trace(print, "float GradientDescent 45", new FloatOptimizerProblems.WideGradientDescent(wide), (ref FloatOptimizerProblems.WideGradientDescent o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideGradientDescent o) => o.Parameters.ToArray());
        Trace(print, "float Adam 45", new FloatOptimizerProblems.WideAdam(wide), (ref FloatOptimizerProblems.WideAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideAdam o) => o.Parameters.ToArray());
        Trace(print, "float AdamW 45", new FloatOptimizerProblems.WideAdamW(wide), (ref FloatOptimizerProblems.WideAdamW o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideAdamW o) => o.Parameters.ToArray());
        Trace(print, "float Adamax 45", new FloatOptimizerProblems.WideAdamax(wide), (ref FloatOptimizerProblems.WideAdamax o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideAdamax o) => o.Parameters.ToArray());
        Trace(print, "float NAdam 45", new FloatOptimizerProblems.WideNAdam(wide), (ref FloatOptimizerProblems.WideNAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideNAdam o) => o.Parameters.ToArray());
        Trace(print, "float RAdam 45", new FloatOptimizerProblems.WideRAdam(wide), (ref FloatOptimizerProblems.WideRAdam o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideRAdam o) => o.Parameters.ToArray());
        Trace(print, "float RmsProp 45", new FloatOptimizerProblems.WideRmsProp(wide), (ref FloatOptimizerProblems.WideRmsProp o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideRmsProp o) => o.Parameters.ToArray());
        Trace(print, "float AdaGrad 45", new FloatOptimizerProblems.WideAdaGrad(wide), (ref FloatOptimizerProblems.WideAdaGrad o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideAdaGrad o) => o.Parameters.ToArray());
        Trace(print, "float AdaDelta 45", new FloatOptimizerProblems.WideAdaDelta(wide), (ref FloatOptimizerProblems.WideAdaDelta o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideAdaDelta o) => o.Parameters.ToArray());
        Trace(print, "float Rprop 45", new FloatOptimizerProblems.WideRprop(wide), (ref FloatOptimizerProblems.WideRprop o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideRprop o) => o.Parameters.ToArray());
        Trace(print, "float Lion 45", new FloatOptimizerProblems.WideLion(wide), (ref FloatOptimizerProblems.WideLion o) => o.Minimize(40, 0), (ref FloatOptimizerProblems.WideLion o) => o.Parameters.ToArray());
    }

    /// <summary>Minimize on 1,003 samples of <see cref="FloatOptimizerProblems.Fit"/> (125 lanes of eight and a tail of three).</summary>
    public static void PrintData(Action<string, double[]> print)
    {
        const int samples = 1003;
        var x = new float[samples * 13];
        var y = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            var z = 0f;
            for (var k = 0; k < 13; k++)
            {
                x[i * 13 + k] = MathF.Sin(0.37f * i + 1.3f * k);
                z += x[i * 13 + k] * (k % 3 - 1);
            }

            y[i] = z + 0.3f * MathF.Cos(1.7f * i) > 0 ? 1 : -1;
        }

        var start = new float[14];
        Trace(print, "float data Adam 14", new FloatOptimizerProblems.FitAdam(start), (ref FloatOptimizerProblems.FitAdam o) => o.Minimize(x, y, 40, 0), (ref FloatOptimizerProblems.FitAdam o) => o.Parameters.ToArray());
        Trace(print, "float data Sgd 14", new FloatOptimizerProblems.FitSgd(start), (ref FloatOptimizerProblems.FitSgd o) => o.Minimize(x, y, 300, 0), (ref FloatOptimizerProblems.FitSgd o) => o.Parameters.ToArray());
    }

    private static void Trace<T>(Action<string, double[]> print, string name, T optimizer, Run<T> run, Read<T> read)
    {
        var result = run(ref optimizer);
        print($"{name} {result.Status} after {result.Iterations}", [result.Loss, result.GradientNorm, .. Array.ConvertAll(read(ref optimizer), v => (double)v)]);
    }
}
