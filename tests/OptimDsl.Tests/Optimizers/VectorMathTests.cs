using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The runtime helper the generated data gradient calls for Max, Min, Clamp and negation: every lane
/// of every width is bit for bit what System.Math gives (here on net10.0; Hostile/Net8SemanticsTests
/// checks the net8.0 build on the .NET 8 runtime). Constant folding in the generator must agree too.
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

    [Fact]
    public void Max_and_Min_equal_Math_in_every_lane_position()
    {
        var wrong = new List<string>();
        foreach (var x in Special)
        {
            foreach (var y in Special)
            {
                Check("Max", x, y, Math.Max, VectorMath.Max, VectorMath.Max, VectorMath.Max, wrong);
                Check("Min", x, y, Math.Min, VectorMath.Min, VectorMath.Min, VectorMath.Min, wrong);
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
                        (u, v) => Math.Min(Math.Max(u, v), hi),
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
