using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using OptimDsl;

namespace OptimDsl.SimdCheck;

/// <summary>
/// Objectives whose data gradients pass NaN samples and signed zeros through Max, Min, Clamp, Abs
/// and negation. Each is <c>a·m + b/m</c> of one such operation <c>m</c> of the data, so that
/// ∂/∂a is the mean of <c>m</c> (NaN when one sample's <c>m</c> is NaN) and ∂/∂b the mean of
/// <c>1/m</c> (±∞ when one sample's <c>m</c> is ±0: the sign of the zero shows).
/// </summary>
public static partial class SpecialValueProblems
{
    [Objective]
    public static double MaxOf(double a, double b, [Data] double x, [Data] double y)
    {
        var m = Math.Max(x, y);
        return a * m + b / m;
    }

    [Objective]
    public static double MinOf(double a, double b, [Data] double x, [Data] double y)
    {
        var m = Math.Min(x, y);
        return a * m + b / m;
    }

    [Objective]
    public static double ClampOf(double a, double b, [Data] double x, [Data] double lo, [Data] double hi)
    {
        var m = Math.Clamp(x, lo, hi);
        return a * m + b / m;
    }

    [Objective]
    public static double AbsOf(double a, double b, [Data] double x)
    {
        var m = Math.Abs(x);
        return a * m + b / m;
    }

    [Objective]
    public static double NegationOf(double a, double b, [Data] double x)
    {
        var m = -x;
        return a * m + b / m;
    }

    // A constant operand (ReLU) and a trainable one (a hinge loss, whose derivative is a select).
    [Objective]
    public static double ReluOf(double a, double b, [Data] double x)
    {
        var m = Math.Max(x, 0);
        return a * m + b / m;
    }

    // OptimDsl's own vector Exp and Log, whose special cases (NaN, ±0, ±∞, negative) are selects.
    [Objective]
    public static double ExpLog(double a, double b, [Data] double x) => a * Math.Exp(x) + b * Math.Log(x);

    [Objective]
    public static double Hinge(double a, double b, [Data] double x, [Data] double y)
        => Math.Max(0, 1 - y * (a * x + b)) + Math.Min(a * x, b * y);
}

/// <summary>
/// Prints the special-value gradients, each next to the same mean computed by a plain scalar loop
/// over <c>System.Math</c> (the reference the tests compare it with), for a special sample at every
/// position of six: the four lanes of the vector loop and the two samples of the scalar tail.
/// Also prints <see cref="VectorMath"/> itself over a grid of special values in every lane, and its
/// own Exp and Log over special values and the edges of their ranges in every lane (which the tests
/// compare across SIMD widths and between .NET 8 and .NET 10).
/// </summary>
internal static class SpecialValues
{
    // x86's default NaN (what 0/0 gives: double.NaN's bits), the same with the sign bit clear, and one with a payload.
    private static readonly double NaN = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000));
    private static readonly double PositiveNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
    private static readonly double PayloadNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000123);

    /// <summary>NaNs of both signs and with a payload, ±0, ±∞, ± the smallest subnormal, ±1, the largest double.</summary>
    private static readonly double[] Grid =
    [
        NaN, PositiveNaN, PayloadNaN, -0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity,
        double.Epsilon, -double.Epsilon, 1.0, -1.0, double.MaxValue,
    ];

    // The other samples: every m and 1/m is a power of two, so each mean is exact in any order.
    private static readonly double[] FillX = [1, 2, 4, 0.5, 8, 0.25];
    private static readonly double[] FillY = [2, 1, 0.5, 4, 0.25, 8];
    private static readonly double[] FillSigned = [1, -2, 4, -0.5, 8, -0.25];

    public static void Print(Action<string, double[]> print)
    {
        PrintObjectives(print);
        PrintVectorMath(print);
        PrintExpLog(print);
    }

    private static void PrintObjectives(Action<string, double[]> print)
    {
        double[] parameters = [1, 1];
        var pairs = new (double X, double Y)[]
        {
            (NaN, 1), (1, NaN), (NaN, PositiveNaN), (PositiveNaN, NaN), (-0.0, 0.0), (0.0, -0.0),
            (-0.0, -0.0), (0.0, 0.0), (double.NegativeInfinity, double.PositiveInfinity), (double.Epsilon, -double.Epsilon),
        };
        foreach (var (x, y) in pairs)
        {
            for (var p = 0; p < FillX.Length; p++)
            {
                var xs = With(FillX, p, x);
                var ys = With(FillY, p, y);
                Two($"max({Name(x)}, {Name(y)}) at {p}", SpecialValueProblems.MaxOfGradient, Maximum, parameters, xs, ys, print);
                Two($"min({Name(x)}, {Name(y)}) at {p}", SpecialValueProblems.MinOfGradient, Minimum, parameters, xs, ys, print);
            }
        }

        var triples = new (double X, double Lo, double Hi)[]
        {
            (NaN, 0.25, 4), (1, NaN, 4), (1, 0.25, NaN), (-0.0, 0.0, 1), (0.0, -0.0, -0.0),
            (-1, -0.0, 0.0), (2, -0.0, 0.0), (-0.0, -0.0, -0.0), (0.0, 0.0, 0.0),
        };
        foreach (var (x, lo, hi) in triples)
        {
            for (var p = 0; p < FillX.Length; p++)
            {
                var xs = With(FillX, p, x);
                var los = With([0.25, 0.25, 0.25, 0.25, 0.25, 0.25], p, lo);
                var his = With([4.0, 4, 4, 4, 4, 4], p, hi);
                var g = new double[2];
                var loss = SpecialValueProblems.ClampOfGradient(parameters, xs, los, his, g);
                var m = new double[xs.Length];
                for (var i = 0; i < m.Length; i++)
                {
                    m[i] = Minimum(Maximum(xs[i], los[i]), his[i]);
                }

                PrintWithReference($"clamp({Name(x)}, {Name(lo)}, {Name(hi)}) at {p}", loss, g, m, print);
            }
        }

        foreach (var x in Grid)
        {
            for (var p = 0; p < FillX.Length; p++)
            {
                var xs = With(FillSigned, p, x);
                One($"abs({Name(x)}) at {p}", SpecialValueProblems.AbsOfGradient, Math.Abs, parameters, xs, print);
                One($"negation({Name(x)}) at {p}", SpecialValueProblems.NegationOfGradient, v => -v, parameters, xs, print);
                One($"relu({Name(x)}) at {p}", SpecialValueProblems.ReluOfGradient, v => Math.Max(v, 0), parameters, With(FillX, p, x), print);

                // The hinge's derivative selects by comparisons, and the vector Exp and Log are within
                // a few ulps of Math's: only the equivalence of the paths is checked.
                var g = new double[2];
                var loss = SpecialValueProblems.HingeGradient([0.5, -0.25], xs, With(FillY, p, x), g);
                print($"hinge({Name(x)}) at {p}", [loss, g[0], g[1]]);
                loss = SpecialValueProblems.ExpLogGradient(parameters, With(FillX, p, x), g);
                print($"exp and log({Name(x)}) at {p}", [loss, g[0], g[1]]);
            }
        }
    }

    private delegate double OneData(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> gradient, int maxDegreeOfParallelism = 1);

    private delegate double TwoData(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> gradient, int maxDegreeOfParallelism = 1);

    private static void One(string name, OneData gradient, Func<double, double> operation, double[] parameters, double[] xs, Action<string, double[]> print)
    {
        Span<double> g = stackalloc double[2];
        var loss = gradient(parameters, xs, g);
        PrintWithReference(name, loss, g, Array.ConvertAll(xs, v => operation(v)), print);
    }

    private static void Two(string name, TwoData gradient, Func<double, double, double> operation, double[] parameters, double[] xs, double[] ys, Action<string, double[]> print)
    {
        Span<double> g = stackalloc double[2];
        var loss = gradient(parameters, xs, ys, g);
        var m = new double[xs.Length];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = operation(xs[i], ys[i]);
        }

        PrintWithReference(name, loss, g, m, print);
    }

    /// <summary>
    /// The generated loss and gradient of <c>a·m + b/m</c> at a = b = 1, then "Math" and the means of
    /// <c>m + 1/m</c>, <c>m</c> and <c>1/m</c> over the samples' <paramref name="m"/>.
    /// </summary>
    private static void PrintWithReference(string name, double loss, ReadOnlySpan<double> gradient, double[] m, Action<string, double[]> print)
    {
        double sumLoss = 0, sumM = 0, sumInverse = 0;
        foreach (var v in m)
        {
            sumLoss += v + 1 / v;
            sumM += v;
            sumInverse += 1 / v;
        }

        print(name + " generated", [loss, gradient[0], gradient[1]]);
        print(name + " Math", [sumLoss / m.Length, sumM / m.Length, sumInverse / m.Length]);
    }

    /// <summary>
    /// The reference for Max: IEEE 754:2019 maximum, −0 &lt; +0, of two NaNs the first. That is what Math.Max documents, but
    /// which of two NaNs Math.Max returns varies with the instructions the JIT picks on the machine (README, What is generated).
    /// </summary>
    private static double Maximum(double x, double y)
        => double.IsNaN(x) ? x : double.IsNaN(y) ? y : x == y ? (double.IsNegative(x) ? y : x) : x > y ? x : y;

    /// <summary>The reference for Min: IEEE 754:2019 minimum, −0 &lt; +0, of two NaNs the first.</summary>
    private static double Minimum(double x, double y)
        => double.IsNaN(x) ? x : double.IsNaN(y) ? y : x == y ? (double.IsNegative(x) ? x : y) : x < y ? x : y;

    /// <summary>
    /// For every pair of the grid: the reference result, then VectorMath's Vector256 and Vector128 results
    /// with the pair in each lane (the other lanes hold 1 and 2), then VectorMath's scalar result.
    /// </summary>
    private static void PrintVectorMath(Action<string, double[]> print)
    {
        foreach (var x in Grid)
        {
            foreach (var y in Grid)
            {
                print($"VectorMath.Max({Name(x)}, {Name(y)})", Lanes(x, y, Maximum, VectorMath.Max, VectorMath.Max, VectorMath.Max));
                print($"VectorMath.Min({Name(x)}, {Name(y)})", Lanes(x, y, Minimum, VectorMath.Min, VectorMath.Min, VectorMath.Min));
                foreach (var hi in new[] { -0.0, 0.0, 1.0, NaN })
                {
                    print(
                        $"VectorMath.Clamp({Name(x)}, {Name(y)}, {Name(hi)})",
                        Lanes(x, y, (u, v) => Minimum(Maximum(u, v), hi), (u, v) => VectorMath.Clamp(u, v, Vector256.Create(hi)), (u, v) => VectorMath.Clamp(u, v, Vector128.Create(hi)), (u, v) => VectorMath.Clamp(u, v, hi)));
                }
            }

            print($"VectorMath.Negate({Name(x)})", Lanes(x, x, (u, _) => -u, (u, _) => VectorMath.Negate(u), (u, _) => VectorMath.Negate(u), (u, _) => VectorMath.Negate(u)));
        }
    }

    /// <summary>
    /// OptimDsl's own Exp and Log: for each argument, the Vector256 results with it in each lane, then
    /// the Vector128 results with it in each lane (the other lanes hold 1 and 2). Not System.Math's
    /// bits, so these lines are named "Own…", outside the "VectorMath." lines compared with Math.
    /// </summary>
    private static void PrintExpLog(Action<string, double[]> print)
    {
        double[] edges =
        [
            -746, -745.5, -745.1332191019412, -745, -740, -708.4, -708.3964185322641, -0.5 * Math.Log(2), 0.5 * Math.Log(2),
            0.5, 2, 700, 709.78, 709.782712893384, 709.79, 710, 711, 2.2250738585072014E-308, 1e-310,
            1 + Math.Pow(2, -52), 1 - Math.Pow(2, -53), Math.Sqrt(2), Math.BitIncrement(Math.Sqrt(2)), 1e300,
        ];
        foreach (double x in (double[])[.. Grid, .. edges]) // no argument twice: the tests key the lines by name
        {
            print($"OwnExp({Name(x)})", EveryLane(x, VectorMath.Exp, VectorMath.Exp));
            print($"OwnLog({Name(x)})", EveryLane(x, VectorMath.Log, VectorMath.Log));
        }
    }

    private static double[] EveryLane(double x, Func<Vector256<double>, Vector256<double>> wide, Func<Vector128<double>, Vector128<double>> narrow)
    {
        var values = new List<double>();
        for (var lane = 0; lane < 4; lane++)
        {
            values.Add(wide(Vector256.Create(1.0, 2, 1, 2).WithElement(lane, x)).GetElement(lane));
        }

        for (var lane = 0; lane < 2; lane++)
        {
            values.Add(narrow(Vector128.Create(1.0, 2).WithElement(lane, x)).GetElement(lane));
        }

        return [.. values];
    }

    private static double[] Lanes(
        double x,
        double y,
        Func<double, double, double> math,
        Func<Vector256<double>, Vector256<double>, Vector256<double>> wide,
        Func<Vector128<double>, Vector128<double>, Vector128<double>> narrow,
        Func<double, double, double> scalar)
    {
        var values = new List<double> { math(x, y) };
        for (var lane = 0; lane < 4; lane++)
        {
            var u = Vector256.Create(1.0, 2, 1, 2).WithElement(lane, x);
            var v = Vector256.Create(2.0, 1, 2, 1).WithElement(lane, y);
            values.Add(wide(u, v).GetElement(lane));
        }

        for (var lane = 0; lane < 2; lane++)
        {
            var u = Vector128.Create(1.0, 2).WithElement(lane, x);
            var v = Vector128.Create(2.0, 1).WithElement(lane, y);
            values.Add(narrow(u, v).GetElement(lane));
        }

        values.Add(scalar(x, y));
        return [.. values];
    }

    private static double[] With(double[] fill, int position, double value)
    {
        var copy = (double[])fill.Clone();
        copy[position] = value;
        return copy;
    }

    private static string Name(double value) => double.IsNaN(value)
        ? BitConverter.DoubleToInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture)
        : value == 0 && double.IsNegative(value) ? "-0" : value.ToString("R", CultureInfo.InvariantCulture);
}
