using System;

namespace OptimDsl.SimdCheck;

/// <summary>
/// Rolled loops in float (README, Float objectives): eight iterations per Vector256&lt;float&gt;, or per pair of
/// Vector128&lt;float&gt;, or in software. Each gradient is printed widened to double (exact), so the three runs of
/// SimdEquivalenceTests compare its bits.
/// </summary>
public static partial class FloatRolled
{
    // The iteration as a value, strided indexes (lane-by-lane loads and stores), a fixed scalar whose partial derivative
    // sums over the iterations, a subexpression of it alone (hoisted), Exp and Tanh per lane, and a condition that
    // differs between lanes; 75 = 4·16 + 8 + 3 iterations: two sets of eight lanes, one pass into the first set, a tail of 3.
    [Objective]
    public static float Mix([Length(150)] ReadOnlySpan<float> v, float s)
    {
        var sum = 0f;
        for (var i = 0; i < 75; i++)
        {
            float a = v[2 * i], c = v[2 * i + 1];
            sum += s * MathF.Tanh(a * (i + 1) / 50f) + MathF.Exp(-c * c) * (s * s + 1) + (a > c ? a - c : 0.5f * (c - a) * (c - a));
        }

        return sum + s * s;
    }

    // A softplus sum with OptimDsl's own Exp and Log in the lanes over 77 = 9·8 + 5 values, a Max kink, and a smoothness
    // penalty whose two leaves add to the same partial derivatives (its adjoint loop runs one iteration at a time).
    [Objective]
    public static float Smooth([Length(77)] ReadOnlySpan<float> w, float c)
    {
        var fit = 0f;
        for (var i = 0; i < 77; i++)
        {
            fit += MathF.Log(1 + MathF.Exp(w[i] - c)) + MathF.Max(w[i], 0.25f * w[i]);
        }

        var rough = 0f;
        for (var i = 1; i < 77; i++)
        {
            rough += (w[i] - w[i - 1]) * (w[i] - w[i - 1]);
        }

        return fit + 0.5f * rough;
    }

    public static void Print(Action<string, double[]> print)
    {
        var mix = new float[151];
        for (var k = 0; k < mix.Length; k++)
        {
            mix[k] = MathF.Cos(0.7f * k);
        }

        var mixGradient = new float[151];
        var mixValue = MixGradient(mix, mixGradient);
        print("float rolled mix gradient", [mixValue, .. Array.ConvertAll(mixGradient, g => (double)g)]);

        var smooth = new float[78];
        for (var k = 0; k < smooth.Length; k++)
        {
            smooth[k] = MathF.Sin(1.3f * k) * 3;
        }

        var smoothGradient = new float[78];
        var smoothValue = SmoothGradient(smooth, smoothGradient);
        print("float rolled smooth gradient", [smoothValue, .. Array.ConvertAll(smoothGradient, g => (double)g)]);
    }
}
