using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The runtime helper the generated data gradient calls for its vector math. Max, Min, Clamp,
/// negation and the lane-by-lane functions: every lane of every width is bit for bit the definition
/// written here (Max and Min: IEEE 754:2019 maximum and minimum, −0 &lt; +0, and of two NaNs the first —
/// what Math.Max documents, but whose choice between two NaNs varies with the JIT's instructions on the
/// machine, so Math is not the reference) or what System.Math gives for the other functions (here on net10.0;
/// Hostile/Net8SemanticsTests checks the net8.0 build on the .NET 8 runtime); constant folding in the
/// generator must agree too. Exp and Log, OptimDsl's own: the same bits in
/// every lane of both widths, and within 1 ulp (Exp) and 2 ulps (Log) of Math over the normal range.
/// </summary>
public sealed class VectorMathTests
{
    /// <summary>NaNs (x86's default, positive, with a payload), ±0, ±∞, subnormals, normals at the extremes.</summary>
    private static readonly double[] Special =
    [
        double.NaN, Bits(0x7FF8000000000000), Bits(0x7FF8000000000123), Bits(unchecked((long)0xFFF0000000000001)),
        -0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity,
        double.Epsilon, -double.Epsilon, Bits(0x000FFFFFFFFFFFFF), Bits(unchecked((long)0x800FFFFFFFFFFFFF)),
        double.MaxValue, double.MinValue, 2.2250738585072014E-308, 1.0, -1.0, 0.5,
    ];

    /// <summary>The larger: the first NaN, else the other NaN; +0 for ±0 unless both are −0; else the larger value.</summary>
    private static double Maximum(double x, double y)
        => double.IsNaN(x) ? x
        : double.IsNaN(y) ? y
        : x == y ? (double.IsNegative(x) ? y : x)
        : x > y ? x : y;

    /// <summary>The smaller: the first NaN, else the other NaN; −0 for ±0 when either is −0; else the smaller value.</summary>
    private static double Minimum(double x, double y)
        => double.IsNaN(x) ? x
        : double.IsNaN(y) ? y
        : x == y ? (double.IsNegative(x) ? x : y)
        : x < y ? x : y;

    [Fact]
    public void Max_and_Min_are_the_IEEE_maximum_and_minimum_in_every_lane_position()
    {
        var wrong = new List<string>();
        foreach (var x in Special)
        {
            foreach (var y in Special)
            {
                Check("Max", x, y, Maximum, VectorMath.Max, VectorMath.Max, VectorMath.Max, wrong);
                Check("Min", x, y, Minimum, VectorMath.Min, VectorMath.Min, VectorMath.Min, wrong);
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    [Fact]
    public void Clamp_is_Math_Min_of_Math_Max_in_every_lane_position()
    {
        var wrong = new List<string>();
        foreach (var hi in Special)
        {
            foreach (var x in Special)
            {
                foreach (var lo in Special)
                {
                    Check(
                        $"Clamp(…, {Show(hi)})", x, lo,
                        (u, v) => Minimum(Maximum(u, v), hi),
                        (u, v) => VectorMath.Clamp(u, v, hi),
                        (u, v) => VectorMath.Clamp(u, v, Vector256.Create(hi)),
                        (u, v) => VectorMath.Clamp(u, v, Vector128.Create(hi)),
                        wrong);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    [Fact]
    public void Negate_flips_the_sign_bit_of_every_value_as_scalar_negation_does()
    {
        var wrong = new List<string>();
        foreach (var x in Special)
        {
            Check("Negate", x, x, (u, _) => -u, (u, _) => VectorMath.Negate(u), (u, _) => VectorMath.Negate(u), (u, _) => VectorMath.Negate(u), wrong);
            if (BitConverter.DoubleToInt64Bits(-x) != (BitConverter.DoubleToInt64Bits(x) ^ long.MinValue))
            {
                wrong.Add($"-{Show(x)} is {Show(-x)}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Hand_derived_signed_zeros_and_NaNs()
    {
        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(VectorMath.Max(Vector256.Create(-0.0), Vector256.Create(0.0)).GetElement(2)));
        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(VectorMath.Max(Vector128.Create(0.0), Vector128.Create(-0.0)).GetElement(1)));
        Assert.Equal(long.MinValue, BitConverter.DoubleToInt64Bits(VectorMath.Min(Vector256.Create(0.0), Vector256.Create(-0.0)).GetElement(3)));
        Assert.True(double.IsNaN(VectorMath.Max(Vector256.Create(double.NaN), Vector256.Create(1.0)).GetElement(0)));
        Assert.True(double.IsNaN(VectorMath.Max(Vector128.Create(1.0), Vector128.Create(double.NaN)).GetElement(1)));
        Assert.True(double.IsNaN(VectorMath.Clamp(Vector128.Create(1.0), Vector128.Create(double.NaN), Vector128.Create(2.0)).GetElement(0)));
        Assert.Equal(long.MinValue, BitConverter.DoubleToInt64Bits(VectorMath.Negate(Vector128.Create(0.0)).GetElement(0)));
    }

    /// <summary>
    /// Select, which the generated scalar code calls for a choice between two constants, gives the bits of the chosen
    /// operand, exactly as <c>c ? a : b</c> does: NaN payloads and signed zeros included, in double and in float.
    /// </summary>
    [Fact]
    public void Select_gives_the_chosen_operands_bits()
    {
        foreach (var a in Special)
        {
            foreach (var b in Special)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits(VectorMath.Select(true, a, b)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(b), BitConverter.DoubleToInt64Bits(VectorMath.Select(false, a, b)));
                float af = (float)a, bf = (float)b;
                Assert.Equal(BitConverter.SingleToInt32Bits(af), BitConverter.SingleToInt32Bits(VectorMath.Select(true, af, bf)));
                Assert.Equal(BitConverter.SingleToInt32Bits(bf), BitConverter.SingleToInt32Bits(VectorMath.Select(false, af, bf)));
            }
        }

        // A condition computed at run time, as in generated code: x >= 0 for each sign.
        foreach (var x in Special)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(x >= 0 ? 1.0 : -1.0), BitConverter.DoubleToInt64Bits(VectorMath.Select(x >= 0, 1.0, -1.0)));
        }
    }

    /// <summary>
    /// The simplifier folds Max, Min and Clamp of constants with the generator's own Evaluator, which
    /// must give what the generated code computes at run time (VectorMath's scalar overloads, that is
    /// System.Math of .NET Core 3.0 and later) on any host, .NET Framework included.
    /// </summary>
    [Fact]
    public void Constant_folding_of_Max_Min_and_Clamp_gives_the_run_time_bits()
    {
        var wrong = new List<string>();
        foreach (var x in Special)
        {
            foreach (var y in Special)
            {
                Compare("Max", x, y, Evaluator.Apply(Operation.Max, x, y), VectorMath.Max(x, y), wrong);
                Compare("Min", x, y, Evaluator.Apply(Operation.Min, x, y), VectorMath.Min(x, y), wrong);
                foreach (var hi in new[] { -0.0, 0.0, 1.0, double.NaN })
                {
                    Compare($"Clamp(…, {Show(hi)})", x, y, Evaluator.Apply(Operation.Clamp, x, y, hi), VectorMath.Clamp(x, y, hi), wrong);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    // ---- Exp and Log ---------------------------------------------------------------------------------

    /// <summary>
    /// Exp's arguments: its special values (±0, ±∞, NaNs, subnormals), both sides of the clamp at −746
    /// and 710, of overflow (ln(double.MaxValue) ≈ 709.7827) and of the smallest normal and subnormal
    /// results (ln 2^−1022 ≈ −708.3964, ln 2^−1075 ≈ −745.1332), the reduction's boundaries (k + ½)·ln 2,
    /// then random arguments over the whole range, near 0, and random bit patterns.
    /// </summary>
    private static double[] ExpArguments()
    {
        var arguments = new List<double>(Special)
        {
            -746, -746.0000001, -745.9999999, -745.1332191019412, -745.13321910194122, -745, -744.5, -740,
            -708.3964185322641, -708.39641853226408, -708.4, -708, -700, 700, 708, 709, 709.78, 709.782712893384,
            709.7827128933841, 709.79, 710, 710.0000001, 711, 1000, -1000, 1e-300, -1e-300, 1e-17, -1e-17,
        };
        for (var k = -1075; k <= 1024; k += 7)
        {
            var boundary = (k + 0.5) * Math.Log(2);
            arguments.Add(boundary);
            arguments.Add(Math.BitIncrement(boundary));
            arguments.Add(Math.BitDecrement(boundary));
            arguments.Add(k * Math.Log(2));
        }

        var random = new Random(20261201);
        for (var i = 0; i < 40_000; i++)
        {
            arguments.Add(random.NextDouble() * 1470 - 750);
            arguments.Add((random.NextDouble() - 0.5) * 4);
            arguments.Add(Bits(random.NextInt64(long.MinValue, long.MaxValue)));
        }

        return arguments.ToArray();
    }

    /// <summary>
    /// Log's arguments: its special values (±0, ±∞, NaNs, negatives), subnormals and the smallest
    /// normals, both sides of the reduction's boundary √2, 1 and its neighbours (where ln x is tiny),
    /// then random arguments over every exponent, in [½, 3/2), and random bit patterns.
    /// </summary>
    private static double[] LogArguments()
    {
        var arguments = new List<double>(Special)
        {
            2 * double.Epsilon, 3 * double.Epsilon, 1e-320, 1e-310, Bits(0x0008000000000000), 2.2250738585072014E-308,
            Math.BitIncrement(2.2250738585072014E-308), Math.BitDecrement(2.2250738585072014E-308), 1e-300, 1e300,
            Math.Sqrt(2), Math.BitIncrement(Math.Sqrt(2)), Math.BitDecrement(Math.Sqrt(2)), Math.Sqrt(0.5), 2, 4, 0.25, Math.E, 10,
            -2, -double.Epsilon, -1e300,
        };
        for (var k = 1; k <= 2000; k++)
        {
            arguments.Add(1 + k * Math.Pow(2, -52));
            arguments.Add(1 - k * Math.Pow(2, -53));
        }

        var random = new Random(20261202);
        for (var i = 0; i < 40_000; i++)
        {
            arguments.Add(Math.Pow(2, random.NextDouble() * 2100 - 1076));
            arguments.Add(0.5 + random.NextDouble());
            arguments.Add(1 + (random.NextDouble() - 0.5) * 1e-6);
            arguments.Add(Bits(random.NextInt64(long.MinValue, long.MaxValue)));
        }

        return arguments.ToArray();
    }

    [Fact]
    public void Exp_gives_the_same_bits_in_every_lane_of_both_widths()
        => AssertSameBitsInEveryLane("Exp", ExpArguments(), VectorMath.Exp, VectorMath.Exp);

    [Fact]
    public void Log_gives_the_same_bits_in_every_lane_of_both_widths()
        => AssertSameBitsInEveryLane("Log", LogArguments(), VectorMath.Log, VectorMath.Log);

    /// <summary>Within 1 ulp of Math.Exp wherever the result is a normal double (x from about −708.4 to 709.78).</summary>
    [Fact]
    public void Exp_is_within_an_ulp_of_Math_Exp_over_the_normal_range()
        => AssertWithinUlps("Exp", ExpArguments(), 1, Math.Exp, x => VectorMath.Exp(Vector256.Create(x)).GetElement(0), IsNormal);

    /// <summary>Within 2 ulps of Math.Log for every positive normal x (the result is then normal or zero).</summary>
    [Fact]
    public void Log_is_within_two_ulps_of_Math_Log_over_the_normal_range()
        => AssertWithinUlps("Log", LogArguments().Where(IsNormal).Where(x => x > 0).ToArray(), 2, Math.Log, x => VectorMath.Log(Vector128.Create(x)).GetElement(1), _ => true);

    /// <summary>
    /// The values IEEE 754 and System.Math define: e^±0 = 1, e^−∞ = +0, e^+∞ = +∞; e^x overflows to +∞
    /// beyond ln(double.MaxValue) ≈ 709.7827 and is +0 below ln 2^−1075 ≈ −745.1332 (half the smallest
    /// subnormal, which rounds to 0); ln 1 = +0, ln ±0 = −∞, ln of a negative number is NaN, ln +∞ = +∞,
    /// and NaN stays NaN (with its payload). ln 2^k = k · ln 2 and e^±1 to within an ulp of the
    /// correctly rounded value.
    /// </summary>
    [Fact]
    public void Hand_derived_special_values_of_Exp_and_Log()
    {
        double Exp(double x) => VectorMath.Exp(Vector256.Create(x)).GetElement(3);
        double Log(double x) => VectorMath.Log(Vector128.Create(x)).GetElement(0);

        Assert.Equal(1.0, Exp(0.0));
        Assert.Equal(1.0, Exp(-0.0));
        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(Exp(double.NegativeInfinity)));
        Assert.Equal(double.PositiveInfinity, Exp(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, Exp(709.79));
        Assert.Equal(double.PositiveInfinity, Exp(710));
        Assert.Equal(double.PositiveInfinity, Exp(double.MaxValue));
        Assert.True(double.IsFinite(Exp(709.78)));
        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(Exp(-746)));
        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(Exp(-1000)));
        Assert.True(Exp(-745) > 0 && Exp(-745) < 2.2250738585072014E-308, "e^−745 is a subnormal");
        Assert.True(double.IsNaN(Exp(double.NaN)));
        Assert.Equal(0x7FF8000000000123L, BitConverter.DoubleToInt64Bits(Exp(Bits(0x7FF8000000000123))));

        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(Log(1.0)));
        Assert.Equal(double.NegativeInfinity, Log(0.0));
        Assert.Equal(double.NegativeInfinity, Log(-0.0));
        Assert.True(double.IsNaN(Log(-1.0)));
        Assert.True(double.IsNaN(Log(-double.Epsilon)));
        Assert.True(double.IsNaN(Log(double.NegativeInfinity)));
        Assert.Equal(double.PositiveInfinity, Log(double.PositiveInfinity));
        Assert.True(double.IsNaN(Log(double.NaN)));
        Assert.Equal(0x7FF8000000000123L, BitConverter.DoubleToInt64Bits(Log(Bits(0x7FF8000000000123))));

        // ln 2^k = k · ln 2: m = 1, s = 0, so the result is k·ln2_hi + (0 + k·ln2_lo), within 1 ulp of k · ln 2.
        foreach (var k in new[] { -1074, -1022, -1, 1, 2, 10, 1023 })
        {
            var expected = k * 0.6931471805599453;
            Assert.True(Math.Abs(Log(Math.Pow(2, k)) - expected) <= Math.Abs(expected) * 2.3e-16, $"ln 2^{k} = {Log(Math.Pow(2, k)):R}, expected {expected:R}");
        }

        // e^1 and e^−1 to the double nearest (e = 2.718281828459045…, 1/e = 0.36787944117144233…), within 1 ulp.
        Assert.True(Math.Abs(Exp(1) - 2.718281828459045) <= 4.5e-16, $"e^1 = {Exp(1):R}");
        Assert.True(Math.Abs(Exp(-1) - 0.36787944117144233) <= 5.6e-17, $"e^−1 = {Exp(-1):R}");
    }

    /// <summary>
    /// The functions OptimDsl has no vector version of go lane by lane through System.Math: every lane
    /// of both widths is Math's result for that lane's arguments, bit for bit, with each argument in each
    /// lane position.
    /// </summary>
    [Fact]
    public void The_lane_by_lane_functions_equal_Math_in_every_lane_position()
    {
        var unary = new (string Name, Func<double, double> Math, Func<Vector256<double>, Vector256<double>> Wide, Func<Vector128<double>, Vector128<double>> Narrow)[]
        {
            ("Cbrt", Math.Cbrt, VectorMath.Cbrt, VectorMath.Cbrt), ("Log10", Math.Log10, VectorMath.Log10, VectorMath.Log10),
            ("Log2", Math.Log2, VectorMath.Log2, VectorMath.Log2), ("Sin", Math.Sin, VectorMath.Sin, VectorMath.Sin),
            ("Cos", Math.Cos, VectorMath.Cos, VectorMath.Cos), ("Tan", Math.Tan, VectorMath.Tan, VectorMath.Tan),
            ("Asin", Math.Asin, VectorMath.Asin, VectorMath.Asin), ("Acos", Math.Acos, VectorMath.Acos, VectorMath.Acos),
            ("Atan", Math.Atan, VectorMath.Atan, VectorMath.Atan), ("Sinh", Math.Sinh, VectorMath.Sinh, VectorMath.Sinh),
            ("Cosh", Math.Cosh, VectorMath.Cosh, VectorMath.Cosh), ("Tanh", Math.Tanh, VectorMath.Tanh, VectorMath.Tanh),
        };
        var wrong = new List<string>();
        var values = Special.Concat([0.3, -0.7, 2.5, 100, -1e10]).ToArray();
        foreach (var x in values)
        {
            foreach (var (name, math, wide, narrow) in unary)
            {
                Check(name, x, x, (u, _) => math(u), (u, _) => math(u), (u, _) => wide(u), (u, _) => narrow(u), wrong);
            }

            foreach (var y in values)
            {
                Check("Pow", x, y, Math.Pow, Math.Pow, VectorMath.Pow, VectorMath.Pow, wrong);
                Check("Atan2", x, y, Math.Atan2, Math.Atan2, VectorMath.Atan2, VectorMath.Atan2, wrong);
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    /// <summary>
    /// Runs <paramref name="arguments"/> through both widths four times, shifted by one each time, so
    /// that every argument is in every lane of a Vector256 and both lanes of a Vector128 with different
    /// neighbours, and compares each lane's bits with the Vector256 result of the first pass.
    /// </summary>
    private static void AssertSameBitsInEveryLane(
        string name,
        double[] arguments,
        Func<Vector256<double>, Vector256<double>> wide,
        Func<Vector128<double>, Vector128<double>> narrow)
    {
        var count = arguments.Length;
        var reference = new long[count];
        var wrong = new List<string>();
        for (var shift = 0; shift < 4; shift++)
        {
            for (var start = 0; start < count; start += 4)
            {
                var at = new int[4];
                for (var lane = 0; lane < 4; lane++)
                {
                    at[lane] = (start + shift + lane) % count; // wraps around: every argument in every pass
                }

                var x = Vector256.Create(arguments[at[0]], arguments[at[1]], arguments[at[2]], arguments[at[3]]);
                var w = wide(x);
                var low = narrow(x.GetLower());
                var high = narrow(x.GetUpper());
                for (var lane = 0; lane < 4; lane++)
                {
                    var bits = BitConverter.DoubleToInt64Bits(w.GetElement(lane));
                    var narrowBits = BitConverter.DoubleToInt64Bits(lane < 2 ? low.GetElement(lane) : high.GetElement(lane - 2));
                    if (shift == 0)
                    {
                        reference[at[lane]] = bits;
                    }
                    else if (bits != reference[at[lane]])
                    {
                        wrong.Add($"{name}({Show(arguments[at[lane]])}) in Vector256 lane {lane} is {bits:X16}, in the first pass {reference[at[lane]]:X16}");
                    }

                    if (narrowBits != bits)
                    {
                        wrong.Add($"{name}({Show(arguments[at[lane]])}) in Vector128 lane {lane % 2} is {narrowBits:X16}, in Vector256 lane {lane} {bits:X16}");
                    }
                }
            }
        }

        Assert.True(count >= 4 && wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    private static void AssertWithinUlps(string name, double[] arguments, long bound, Func<double, double> math, Func<double, double> vector, Func<double, bool> inRange)
    {
        var wrong = new List<string>();
        var compared = 0;
        foreach (var x in arguments)
        {
            var expected = math(x);
            if (!IsNormal(expected) && expected != 0 || !inRange(expected))
            {
                continue;
            }

            compared++;
            var actual = vector(x);
            var ulps = Math.Sign(actual) == Math.Sign(expected)
                ? Math.Abs(BitConverter.DoubleToInt64Bits(actual) - BitConverter.DoubleToInt64Bits(expected))
                : long.MaxValue;
            if (ulps > bound)
            {
                wrong.Add($"{name}({x:R}) = {actual:R}, Math gives {expected:R}: {ulps} ulps apart");
            }
        }

        Assert.True(compared > 50_000, $"only {compared} {name} arguments in the normal range");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    private static bool IsNormal(double x) => double.IsNormal(x);

    /// <summary>
    /// Puts (x, y) in each lane in turn, with other special pairs in the other lanes, and compares every
    /// lane of both widths, and the scalar overload, with <paramref name="math"/> of that lane's pair.
    /// </summary>
    private static void Check(
        string name,
        double x,
        double y,
        Func<double, double, double> math,
        Func<double, double, double> scalar,
        Func<Vector256<double>, Vector256<double>, Vector256<double>> wide,
        Func<Vector128<double>, Vector128<double>, Vector128<double>> narrow,
        List<string> wrong)
    {
        Compare(name + " scalar", x, y, scalar(x, y), math(x, y), wrong);
        var others = Special.Where(v => BitConverter.DoubleToInt64Bits(v) != BitConverter.DoubleToInt64Bits(x)).Take(3).ToArray();
        for (var lane = 0; lane < 4; lane++)
        {
            var u = Vector256.Create(others[0], others[1], others[2], y).WithElement(lane, x);
            var v = Vector256.Create(y, others[2], others[0], others[1]).WithElement(lane, y);
            var result = wide(u, v);
            for (var k = 0; k < 4; k++)
            {
                Compare($"{name} Vector256 lane {k} (the pair in lane {lane})", u.GetElement(k), v.GetElement(k), result.GetElement(k), math(u.GetElement(k), v.GetElement(k)), wrong);
            }
        }

        for (var lane = 0; lane < 2; lane++)
        {
            var u = Vector128.Create(others[0], others[1]).WithElement(lane, x);
            var v = Vector128.Create(others[2], y).WithElement(lane, y);
            var result = narrow(u, v);
            for (var k = 0; k < 2; k++)
            {
                Compare($"{name} Vector128 lane {k} (the pair in lane {lane})", u.GetElement(k), v.GetElement(k), result.GetElement(k), math(u.GetElement(k), v.GetElement(k)), wrong);
            }
        }
    }

    private static void Compare(string name, double x, double y, double actual, double expected, List<string> wrong)
    {
        if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected))
        {
            wrong.Add($"{name}({Show(x)}, {Show(y)}) = {Show(actual)}, expected {Show(expected)}");
        }
    }

    private static double Bits(long bits) => BitConverter.Int64BitsToDouble(bits);

    private static string Show(double value) => $"{BitConverter.DoubleToInt64Bits(value):X16}({value:R})";
}
