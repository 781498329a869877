using System;
using OptimDsl;

namespace OptimDsl.SimdCheck;

/// <summary>
/// A float objective's generated solvers (README, Float objectives): [Lbfgs] on 13 float parameters (the flat gradient's
/// chunks of eight, four and one), [Lbfgs] and [LevenbergMarquardt] on float data over two shards (the data gradient's
/// eight-sample lanes; the residual pass one sample at a time), run by Minimize; θ and the results are printed widened to
/// double (exact), so the three runs of SimdEquivalenceTests compare their bits.
/// </summary>
public static partial class FloatSolverProblems
{
    [Objective, Lbfgs(History = 5)]
    public static float Spread([Length(13)] ReadOnlySpan<float> w) => FloatOptimizerProblems.Spread(w);

    [Objective, Lbfgs, LevenbergMarquardt]
    public static float Decay(float a, float k, float c, [Data] float t, [Data] float y)
    {
        var r = a * MathF.Exp(-k * t) + c - y;
        return r * r;
    }
}

public static class FloatSolvers
{
    public static void Print(Action<string, double[]> print)
    {
        var start = new float[13];
        for (var k = 0; k < start.Length; k++)
        {
            start[k] = MathF.Sin(0.9f * k) * 2;
        }

        var spread = new FloatSolverProblems.SpreadLbfgs(start);
        Report(print, "float Lbfgs 13", spread.Minimize(60, 0), spread.Parameters.ToArray());

        // 8,203 points: two shards, and a tail of three samples after the eight-sample lanes.
        var t = new float[8203];
        var y = new float[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            t[i] = i / 2000f;
            y[i] = (2.5f * MathF.Exp(-1.3f * t[i])) + 0.5f + (0.01f * MathF.Sin(i));
        }

        var lbfgs = new FloatSolverProblems.DecayLbfgs(1f, 1f, 0f);
        Report(print, "float Lbfgs decay", lbfgs.Minimize(t, y, 40, 0), [lbfgs.A, lbfgs.K, lbfgs.C]);
        var lm = new FloatSolverProblems.DecayLevenbergMarquardt(1f, 1f, 0f) { MaxDegreeOfParallelism = 2 };
        Report(print, "float LevenbergMarquardt decay", lm.Minimize(t, y, 40, 0), [lm.A, lm.K, lm.C]);
    }

    private static void Report(Action<string, double[]> print, string name, OptimizationResult result, float[] theta)
        => print($"{name} {result.Status} after {result.Iterations}", [result.Loss, result.GradientNorm, .. Array.ConvertAll(theta, v => (double)v)]);
}
