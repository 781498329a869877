using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace OptimDsl.Tests.Rules;

/// <summary>
/// README, Float objectives: the float vector math of <see cref="VectorMath"/>. Exp and Log give the same bits in
/// a Vector256 (eight lanes), a Vector128 (four) and the scalar overload, and are within one ulp of e^x and ln x
/// computed in double and rounded to float (and within two of MathF's) over millions of sampled inputs, subnormals
/// included; Max, Min, Clamp and negation follow MathF lane by lane, NaNs and signed zeros included; SumLanes adds
/// the eight lanes in its documented order at both widths.
/// </summary>
public sealed class FloatVectorMathTests
{
    private const int Samples = 1 << 22;

    /// <summary>How many floats lie between a and b (0 when equal bit for bit; NaN against NaN counts as equal).</summary>
    private static long UlpDistance(float a, float b)
    {
        if (float.IsNaN(a) && float.IsNaN(b))
        {
            return 0;
        }

        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return long.MaxValue;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>The float's position on a line where consecutive floats are consecutive integers (−0 and +0 both 0).</summary>
    private static long Ordered(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        return bits < 0 ? -(long)(bits & 0x7FFF_FFFF) : bits;
    }

    /// <summary>Evaluates f on eight inputs as one Vector256, two Vector128s and eight scalars, and asserts that all three agree bit for bit.</summary>
    private static void EvaluateEveryWidth(
        float[] x, float[] result, Func<Vector256<float>, Vector256<float>> wide, Func<Vector128<float>, Vector128<float>> narrow, Func<float, float> scalar)
    {
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            var w = wide(Vector256.Create(x.AsSpan(i, 8)));
            var low = narrow(Vector128.Create(x.AsSpan(i, 4)));
            var high = narrow(Vector128.Create(x.AsSpan(i + 4, 4)));
            for (int l = 0; l < 8; l++)
            {
                float n = l < 4 ? low.GetElement(l) : high.GetElement(l - 4);
                float s = scalar(x[i + l]);
                int wb = BitConverter.SingleToInt32Bits(w.GetElement(l));
                if (wb != BitConverter.SingleToInt32Bits(n) || wb != BitConverter.SingleToInt32Bits(s))
                {
                    Assert.Fail($"x = {x[i + l]:R}: Vector256 {w.GetElement(l):R}, Vector128 {n:R}, scalar {s:R}");
                }

                result[i + l] = s;
            }
        }
    }

    private static float[] Sample(int count, int seed, Func<Random, float> next)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = next(random);
        }

        return x;
    }

    /// <summary>Asserts the worst distance to e^x or ln x rounded from double, and to MathF, over the samples; returns the worst against double.</summary>
    private static long AssertAccuracy(float[] x, float[] actual, Func<double, double> exact, Func<float, float> mathF, long bound, long boundMathF, string what)
    {
        long worst = 0, worstMathF = 0;
        float worstX = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long d = UlpDistance((float)exact(x[i]), actual[i]);
            if (d > worst)
            {
                worst = d;
                worstX = x[i];
            }

            worstMathF = Math.Max(worstMathF, UlpDistance(mathF(x[i]), actual[i]));
        }

        Assert.True(worst <= bound, $"{what}: {worst} ulps from the double result rounded to float at x = {worstX:R}");
        Assert.True(worstMathF <= boundMathF, $"{what}: {worstMathF} ulps from MathF");
        return worst;
    }

    [Fact]
    public void Exp_is_the_same_at_every_width_and_within_one_ulp_over_the_whole_float_range()
    {
        // Uniform over [−104, 89] (all of e^x's finite, subnormal and zero results and the overflow), and uniform
        // over [−1, 1] where the result's ulp is finest relative to the input.
        var wide = Sample(Samples, 1, r => (float)(r.NextDouble() * 193 - 104));
        var near = Sample(Samples / 4, 2, r => (float)(r.NextDouble() * 2 - 1));
        foreach (var x in new[] { wide, near })
        {
            var y = new float[x.Length];
            EvaluateEveryWidth(x, y, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp);
            AssertAccuracy(x, y, Math.Exp, MathF.Exp, bound: 1, boundMathF: 2, "Exp");
        }
    }

    [Fact]
    public void Log_is_the_same_at_every_width_and_within_one_ulp_for_every_positive_float()
    {
        // Bit patterns uniform over the positive floats (every binade from the subnormals to float.MaxValue equally),
        // and values uniform over [0.5, 2] where ln x crosses 0.
        var patterns = Sample(Samples, 3, r => BitConverter.Int32BitsToSingle(r.Next(1, 0x7F80_0000)));
        var near = Sample(Samples / 4, 4, r => (float)(r.NextDouble() * 1.5 + 0.5));
        foreach (var x in new[] { patterns, near })
        {
            var y = new float[x.Length];
            EvaluateEveryWidth(x, y, VectorMath.Log, VectorMath.Log, VectorMath.Log);
            AssertAccuracy(x, y, Math.Log, MathF.Log, bound: 1, boundMathF: 2, "Log");
        }
    }

    [Fact]
    public void Exp_special_values_and_the_edges_of_overflow_and_underflow()
    {
        // e^x overflows above ln(float.MaxValue) ≈ 88.7228; it is subnormal below ln(2^−126) ≈ −87.3365 and rounds
        // to 0 below ln(2^−150) ≈ −103.9721.
        float[] x =
        [
            0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN,
            88.72283f, 88.72284f, 89f, 100f, float.MaxValue, -87.33654f, -87.33655f, -103.27893f,
            -103.9721f, -103.97208f, -104f, -200f, float.MinValue, float.Epsilon, -float.Epsilon, 1e-30f,
        ];
        var y = new float[x.Length];
        EvaluateEveryWidth(x, y, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            Assert.True(UlpDistance(expected, y[i]) <= 1, $"e^{x[i]:R} = {y[i]:R}, expected {expected:R}");
            Assert.Equal(float.IsPositiveInfinity(expected), float.IsPositiveInfinity(y[i]));
            Assert.Equal(expected == 0, y[i] == 0);
        }

        Assert.Equal(1f, VectorMath.Exp(0f));
        Assert.Equal(1f, VectorMath.Exp(-0f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Exp(float.NegativeInfinity));
        Assert.True(float.IsNaN(VectorMath.Exp(float.NaN)));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(88.72284f));
        Assert.True(float.IsFinite(VectorMath.Exp(88.72283f)));
        Assert.True(float.IsSubnormal(VectorMath.Exp(-90f)));
    }

    [Fact]
    public void Log_special_values_and_the_subnormal_and_largest_floats()
    {
        float[] x =
        [
            0f, -0f, -1f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, 1f, 2f,
            0.5f, MathF.E, float.Epsilon, 2 * float.Epsilon, 1.1754942E-38f, 1.17549435E-38f, float.MaxValue, 1.4142135f,
            1.4142137f, 0.70710677f, 0.7071068f, 1.0000001f, 0.99999994f, 3e-39f, 1e30f, 123.456f,
        ];
        var y = new float[x.Length];
        EvaluateEveryWidth(x, y, VectorMath.Log, VectorMath.Log, VectorMath.Log);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Log(x[i]);
            Assert.True(UlpDistance(expected, y[i]) <= 1, $"ln {x[i]:R} = {y[i]:R}, expected {expected:R}");
        }

        Assert.Equal(float.NegativeInfinity, VectorMath.Log(0f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(-0f));
        Assert.True(float.IsNaN(VectorMath.Log(-1f)));
        Assert.True(float.IsNaN(VectorMath.Log(float.NegativeInfinity)));
        Assert.Equal(float.PositiveInfinity, VectorMath.Log(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Log(1f));
        Assert.True(BitConverter.SingleToInt32Bits(VectorMath.Log(1f)) == 0, "ln 1 is +0");
    }

    [Fact]
    public void A_NaN_input_comes_back_as_the_same_NaN()
    {
        float payload = BitConverter.Int32BitsToSingle(0x7FC1_2345);
        float negative = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001));
        foreach (var nan in new[] { payload, negative })
        {
            int bits = BitConverter.SingleToInt32Bits(nan);
            Assert.Equal(bits, BitConverter.SingleToInt32Bits(VectorMath.Exp(nan)));
            Assert.Equal(bits, BitConverter.SingleToInt32Bits(VectorMath.Log(nan)));
            Assert.Equal(bits, BitConverter.SingleToInt32Bits(VectorMath.Exp(Vector256.Create(nan)).GetElement(5)));
            Assert.Equal(bits, BitConverter.SingleToInt32Bits(VectorMath.Log(Vector128.Create(nan)).GetElement(3)));
        }
    }

    private static readonly float[] Signed = [float.NaN, 0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity, 2.5f];

    [Fact]
    public void Max_Min_Clamp_and_Negate_follow_MathF_in_every_lane()
    {
        foreach (float a in Signed)
        {
            foreach (float b in Signed)
            {
                var x8 = Vector256.Create(a, b, a, b, b, a, a, b);
                var y8 = Vector256.Create(b, a, b, a, a, b, b, a);
                var x4 = x8.GetLower();
                var y4 = y8.GetLower();
                for (int l = 0; l < 8; l++)
                {
                    float x = x8.GetElement(l), y = y8.GetElement(l);
                    AssertBits(MathF.Max(x, y), VectorMath.Max(x8, y8).GetElement(l), $"Max({x}, {y})");
                    AssertBits(MathF.Min(x, y), VectorMath.Min(x8, y8).GetElement(l), $"Min({x}, {y})");
                    AssertBits(-x, VectorMath.Negate(x8).GetElement(l), $"-{x}");
                    AssertBits(MathF.Min(MathF.Max(x, -1f), y), VectorMath.Clamp(x8, Vector256.Create(-1f), y8).GetElement(l), $"Clamp({x}, -1, {y})");
                    if (l < 4)
                    {
                        AssertBits(MathF.Max(x, y), VectorMath.Max(x4, y4).GetElement(l), $"Max128({x}, {y})");
                        AssertBits(MathF.Min(x, y), VectorMath.Min(x4, y4).GetElement(l), $"Min128({x}, {y})");
                        AssertBits(-x, VectorMath.Negate(x4).GetElement(l), $"-128 {x}");
                        AssertBits(MathF.Min(MathF.Max(x, -1f), y), VectorMath.Clamp(x4, Vector128.Create(-1f), y4).GetElement(l), $"Clamp128({x}, -1, {y})");
                    }
                }

                AssertBits(MathF.Max(a, b), VectorMath.Max(a, b), "scalar Max");
                AssertBits(MathF.Min(a, b), VectorMath.Min(a, b), "scalar Min");
                AssertBits(-a, VectorMath.Negate(a), "scalar Negate");
            }
        }

        // −0 is less than +0, and a NaN operand wins (MathF's definitions, not x86's maxps).
        Assert.Equal(0, BitConverter.SingleToInt32Bits(VectorMath.Max(Vector128.Create(-0f), Vector128.Create(0f)).GetElement(0)));
        Assert.True(float.IsNaN(VectorMath.Max(Vector256.Create(1f), Vector256.Create(float.NaN)).GetElement(7)));
        Assert.True(float.IsNaN(VectorMath.Min(Vector256.Create(float.NaN), Vector256.Create(1f)).GetElement(0)));
    }

    private static void AssertBits(float expected, float actual, string what)
    {
        if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual) && !(float.IsNaN(expected) && float.IsNaN(actual)))
        {
            Assert.Fail($"{what}: {actual:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void SumLanes_adds_pairs_then_quadruples_then_the_halves_at_both_widths()
    {
        // ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)) with v = (2^24, 1, −2^24, 1, 1, 1, 1, 1): 2^24 + 1 rounds
        // to 2^24 (ties to even) and −2^24 + 1 is exact, so the first half is 1 and the second 4: 5. Left to right
        // gives 6 (2^24 + 1 → 2^24, − 2^24 → 0, then six ones), and lanes (0, 2) first 7.
        var v = Vector256.Create(16777216f, 1f, -16777216f, 1f, 1f, 1f, 1f, 1f);
        Assert.Equal(5f, VectorMath.SumLanes(v));
        Assert.Equal(5f, VectorMath.SumLanes(v.GetLower(), v.GetUpper()));

        // The halves are added last: (1 + 1) + (1 + 1) = 4; 2^24 + 1 rounds to 2^24, plus (1 + 1) is 2^24 + 2, and
        // 4 + (2^24 + 2) = 2^24 + 6, all exact. Left to right, 4 + 2^24 and then each + 1 rounds back: 2^24 + 4.
        var w = Vector256.Create(1f, 1f, 1f, 1f, 16777216f, 1f, 1f, 1f);
        Assert.Equal(16777222f, VectorMath.SumLanes(w));
        Assert.Equal(16777222f, VectorMath.SumLanes(w.GetLower(), w.GetUpper()));
    }

    [Fact]
    public void The_other_functions_are_MathF_lane_by_lane()
    {
        var x8 = Vector256.Create(0.3f, -0.7f, 1.9f, -2.5f, 0f, -0f, 0.99f, 3.5f);
        var y8 = Vector256.Create(1.5f, 2f, -0.5f, 3f, 0.25f, -1f, 2f, 0.5f);
        var x4 = x8.GetLower();
        var y4 = y8.GetLower();
        (Func<Vector256<float>, Vector256<float>> Wide, Func<Vector128<float>, Vector128<float>> Narrow, Func<float, float> F, string Name)[] unary =
        [
            (VectorMath.Cbrt, VectorMath.Cbrt, MathF.Cbrt, "Cbrt"), (VectorMath.Log10, VectorMath.Log10, MathF.Log10, "Log10"),
            (VectorMath.Log2, VectorMath.Log2, MathF.Log2, "Log2"), (VectorMath.Sin, VectorMath.Sin, MathF.Sin, "Sin"),
            (VectorMath.Cos, VectorMath.Cos, MathF.Cos, "Cos"), (VectorMath.Tan, VectorMath.Tan, MathF.Tan, "Tan"),
            (VectorMath.Asin, VectorMath.Asin, MathF.Asin, "Asin"), (VectorMath.Acos, VectorMath.Acos, MathF.Acos, "Acos"),
            (VectorMath.Atan, VectorMath.Atan, MathF.Atan, "Atan"), (VectorMath.Sinh, VectorMath.Sinh, MathF.Sinh, "Sinh"),
            (VectorMath.Cosh, VectorMath.Cosh, MathF.Cosh, "Cosh"), (VectorMath.Tanh, VectorMath.Tanh, MathF.Tanh, "Tanh"),
        ];
        foreach (var (wide, narrow, f, name) in unary)
        {
            for (int l = 0; l < 8; l++)
            {
                AssertBits(f(x8.GetElement(l)), wide(x8).GetElement(l), $"{name} lane {l}");
                if (l < 4)
                {
                    AssertBits(f(x4.GetElement(l)), narrow(x4).GetElement(l), $"{name} 128 lane {l}");
                }
            }
        }

        for (int l = 0; l < 8; l++)
        {
            AssertBits(MathF.Pow(x8.GetElement(l), y8.GetElement(l)), VectorMath.Pow(x8, y8).GetElement(l), $"Pow lane {l}");
            AssertBits(MathF.Atan2(x8.GetElement(l), y8.GetElement(l)), VectorMath.Atan2(x8, y8).GetElement(l), $"Atan2 lane {l}");
            if (l < 4)
            {
                AssertBits(MathF.Pow(x4.GetElement(l), y4.GetElement(l)), VectorMath.Pow(x4, y4).GetElement(l), $"Pow 128 lane {l}");
                AssertBits(MathF.Atan2(x4.GetElement(l), y4.GetElement(l)), VectorMath.Atan2(x4, y4).GetElement(l), $"Atan2 128 lane {l}");
            }
        }
    }
}
