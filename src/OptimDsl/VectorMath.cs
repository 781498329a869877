using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl;

/// <summary>
/// The vector math of the data gradient OptimDsl generates, one sample per lane. <c>Max</c>, <c>Min</c>,
/// <c>Clamp</c> and negation give in every lane of a <see cref="Vector128{T}"/> or
/// <see cref="Vector256{T}"/> exactly what the scalar <see cref="Max(double, double)"/>,
/// <see cref="Min(double, double)"/> and unary minus give for that lane, on every runtime, machine and
/// vector width (in hardware or in software); a NaN operand gives that NaN (the first, of two), and −0 is
/// less than +0. The generated scalar code calls these too, rather than <see cref="Math.Max(double, double)"/>.
/// <c>Exp</c> and <c>Log</c> are OptimDsl's own, identical at every width; the other functions go lane
/// by lane through <see cref="Math"/>.
/// </summary>
/// <remarks>
/// <para>Not meant to be called by hand; the generated data gradient calls it.</para>
/// <para>
/// The BCL's vector <c>Max</c> and <c>Min</c> are not used. On .NET 8 they return the second operand when
/// either operand is NaN or both are zero (x86's <c>maxpd</c>), so a NaN sample would vanish from a
/// gradient and the sign of a zero would depend on whether the sample fell in a vector or in the scalar
/// tail; from .NET 9 on, which of two NaNs they (and <c>Math.Max</c>) return depends on the instructions
/// the JIT selects for the machine. Comparisons and selects give the same bits everywhere.
/// </para>
/// <para>
/// <c>Exp</c> and <c>Log</c> — the heart of logistic, softplus and likelihood losses — are range
/// reduction plus a polynomial, using only IEEE-exact operations (no fused multiply-add), so a
/// Vector256 and a Vector128 (hardware or software) give bit-identical lanes. They are within a few
/// units in the last place of <c>Math.Exp</c> and <c>Math.Log</c>: one for Exp and two for Log in the
/// tests, over the normal range; more in the subnormal range. Every other function (<c>Cbrt</c>,
/// <c>Log10</c>, <c>Log2</c>, <c>Pow</c>, the trigonometric and hyperbolic functions and their
/// inverses) goes lane by lane through <see cref="Math"/>, exactly as the scalar code does, so its
/// lanes are the scalar results (see the README, What is generated).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    /// <summary>
    /// The larger of x and y, the definition every <c>Max</c> here follows: x when x is NaN, else y when y is NaN,
    /// +0 for +0 and −0. It is <see cref="Math.Max(double, double)"/>'s documented result, written out because which
    /// of two NaNs <c>Math.Max</c> returns depends on the instructions the JIT picks for it on the machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y)
        => x != y ? (double.IsNaN(x) ? x : y < x ? x : y) : double.IsNegative(y) ? x : y;

    /// <summary>The smaller of x and y: x when x is NaN, else y when y is NaN, −0 for +0 and −0 (see <see cref="Max(double, double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y)
        => x != y ? (double.IsNaN(x) ? x : x < y ? x : y) : double.IsNegative(x) ? x : y;

    /// <summary>
    /// <c>Math.Min(Math.Max(x, lo), hi)</c>: <c>Math.Clamp(x, lo, hi)</c> for <c>lo ≤ hi</c>, without
    /// its exception for <c>lo &gt; hi</c> (see the README on <c>Math.Clamp</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double x, double lo, double hi) => Min(Max(x, lo), hi);

    /// <summary><c>−x</c>: flips the sign bit, also of zeros and NaNs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Negate(double x) => -x;

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y)
    {
        // x where x is NaN or greater, else y; where they are equal, their AND (+0 unless both are −0). Not
        // Vector128.Max: which of two NaNs it returns depends on the instructions the JIT picks (AVX-512's differ).
        Vector128<double> takeX = Vector128.LessThan(y, x) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x & y, Vector128.ConditionalSelect(takeX, x, y));
    }

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y)
    {
        Vector256<double> takeX = Vector256.LessThan(y, x) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x & y, Vector256.ConditionalSelect(takeX, x, y));
    }

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y)
    {
        // x where x is NaN or less, else y; where they are equal, their OR (−0 if either is −0).
        Vector128<double> takeX = Vector128.LessThan(x, y) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x | y, Vector128.ConditionalSelect(takeX, x, y));
    }

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y)
    {
        Vector256<double> takeX = Vector256.LessThan(x, y) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x | y, Vector256.ConditionalSelect(takeX, x, y));
    }

    /// <summary><see cref="Clamp(double, double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Clamp(Vector128<double> x, Vector128<double> lo, Vector128<double> hi) => Min(Max(x, lo), hi);

    /// <summary><see cref="Clamp(double, double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Clamp(Vector256<double> x, Vector256<double> lo, Vector256<double> hi) => Min(Max(x, lo), hi);

    /// <summary>
    /// <c>−x</c> in every lane: flips the sign bit, as scalar negation does. (.NET 8's software
    /// <c>Vector128</c>, used without SIMD hardware, computes <c>0 − x</c>, which makes −(+0) = +0 and
    /// leaves the sign of a NaN.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Negate(Vector128<double> x) => x ^ Vector128.Create(-0.0);

    /// <summary><c>−x</c> in every lane (see the <see cref="Vector128{T}"/> overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Negate(Vector256<double> x) => x ^ Vector256.Create(-0.0);

    /// <summary>
    /// e^x in every lane (OptimDsl's own: identical on every vector width, within one ulp of
    /// <see cref="Math.Exp(double)"/> over the normal range; NaN stays NaN, −∞ gives +0 and +∞ gives +∞).
    /// </summary>
    /// <remarks>
    /// e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k·ln 2 (two-part ln 2, Cody–Waite), so
    /// |r| ≤ ln2/2 and the degree-13 Taylor polynomial is exact to rounding; 2^k is applied as two
    /// powers of two built from exponent bits, which also reaches the subnormal range.
    /// The polynomial is 1 + (r + r²·q(r)), with q evaluated by Estrin's scheme: its pairs, quadruples
    /// and octets are independent, so the dependency chain is about a third of Horner's (the data
    /// loop is latency-bound on it), and the large terms 1 and r are added last, once.
    /// The clamp calls the BCL's Max and Min, not this class's: where .NET 8's differ (a NaN
    /// operand, two zeros) cannot matter here, as the bounds are not zero and a NaN lane is replaced
    /// by x at the end.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        Vector128<double> magic = Vector128.Create(6755399441055744.0); // 1.5 · 2^52: adding it rounds to an integer
        Vector128<double> clamped = Vector128.Min(Vector128.Max(x, Vector128.Create(-746.0)), Vector128.Create(710.0));
        Vector128<double> shifted = clamped * Vector128.Create(1.4426950408889634) + magic;
        Vector128<double> k = shifted - magic;
        Vector128<double> r = (clamped - k * Vector128.Create(0.6931471803691238)) - k * Vector128.Create(1.9082149292705877E-10);
        Vector128<double> r2 = r * r;
        Vector128<double> r4 = r2 * r2;
        Vector128<double> r8 = r4 * r4;
        // q(r) = 1/2! + r/3! + … + r¹¹/13!
        Vector128<double> q01 = Vector128.Create(0.5) + Vector128.Create(0.16666666666666666) * r;
        Vector128<double> q23 = Vector128.Create(0.041666666666666664) + Vector128.Create(0.008333333333333333) * r;
        Vector128<double> q45 = Vector128.Create(0.001388888888888889) + Vector128.Create(0.0001984126984126984) * r;
        Vector128<double> q67 = Vector128.Create(2.48015873015873E-05) + Vector128.Create(2.7557319223985893E-06) * r;
        Vector128<double> q89 = Vector128.Create(2.755731922398589E-07) + Vector128.Create(2.505210838544172E-08) * r;
        Vector128<double> q1011 = Vector128.Create(2.08767569878681E-09) + Vector128.Create(1.6059043836821613E-10) * r;
        Vector128<double> q03 = q01 + q23 * r2;
        Vector128<double> q47 = q45 + q67 * r2;
        Vector128<double> q811 = q89 + q1011 * r2;
        Vector128<double> q = (q03 + q47 * r4) + q811 * r8;
        Vector128<double> p = Vector128.Create(1.0) + (r + r2 * q);
        Vector128<long> n = Vector128.AsInt64(shifted) - Vector128.AsInt64(magic);
        Vector128<long> half = Vector128.ShiftRightArithmetic(n, 1);
        Vector128<double> scale1 = Vector128.AsDouble(Vector128.ShiftLeft(half + Vector128.Create(1023L), 52));
        Vector128<double> scale2 = Vector128.AsDouble(Vector128.ShiftLeft(n - half + Vector128.Create(1023L), 52));
        Vector128<double> result = p * scale1 * scale2;
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>
    /// ln x in every lane (OptimDsl's own: identical on every vector width, within two ulps of
    /// <see cref="Math.Log(double)"/> over the normal range; ±0 gives −∞, a negative x NaN, +∞ gives +∞
    /// and NaN stays NaN).
    /// </summary>
    /// <remarks>
    /// ln x = e·ln 2 + ln m with x = 2^e·m, m ∈ [√½, √2), and ln m = 2·atanh(s), s = (m − 1)/(m + 1),
    /// |s| ≤ 0.1716, from its odd series to s^23 (2s + s·z·p(z), z = s²). Subnormals are scaled by 2^52 first.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log(Vector128<double> x)
    {
        Vector128<double> subnormal = Vector128.LessThan(x, Vector128.Create(2.2250738585072014E-308));
        Vector128<double> normal = Vector128.ConditionalSelect(subnormal, x * Vector128.Create(4503599627370496.0), x);
        Vector128<long> bits = Vector128.AsInt64(normal);
        Vector128<long> exponent = Vector128.ShiftRightLogical(bits, 52) - Vector128.Create(1023L);
        Vector128<double> m = Vector128.AsDouble((bits & Vector128.Create(0x000FFFFFFFFFFFFFL)) | Vector128.Create(0x3FF0000000000000L));
        Vector128<double> large = Vector128.GreaterThan(m, Vector128.Create(1.4142135623730951));
        m = Vector128.ConditionalSelect(large, m * Vector128.Create(0.5), m);
        Vector128<double> e = Vector128.ConvertToDouble(exponent)
            + Vector128.ConditionalSelect(large, Vector128.Create(1.0), Vector128<double>.Zero)
            - Vector128.ConditionalSelect(subnormal, Vector128.Create(52.0), Vector128<double>.Zero);
        Vector128<double> s = (m - Vector128.Create(1.0)) / (m + Vector128.Create(1.0));
        Vector128<double> z = s * s;
        Vector128<double> z2 = z * z;
        Vector128<double> z4 = z2 * z2;
        Vector128<double> z8 = z4 * z4;
        // p(z) = 2/3 + 2z/5 + … + 2z¹⁰/23, by Estrin's scheme (see Exp).
        Vector128<double> p01 = Vector128.Create(0.6666666666666666) + Vector128.Create(0.4) * z;
        Vector128<double> p23 = Vector128.Create(0.2857142857142857) + Vector128.Create(0.2222222222222222) * z;
        Vector128<double> p45 = Vector128.Create(0.18181818181818182) + Vector128.Create(0.15384615384615385) * z;
        Vector128<double> p67 = Vector128.Create(0.13333333333333333) + Vector128.Create(0.11764705882352941) * z;
        Vector128<double> p89 = Vector128.Create(0.10526315789473684) + Vector128.Create(0.09523809523809523) * z;
        Vector128<double> p03 = p01 + p23 * z2;
        Vector128<double> p47 = p45 + p67 * z2;
        Vector128<double> p810 = p89 + Vector128.Create(0.08695652173913043) * z2;
        Vector128<double> p = (p03 + p47 * z4) + p810 * z8;
        Vector128<double> logM = Vector128.Create(2.0) * s + s * (z * p);
        Vector128<double> result = e * Vector128.Create(0.6931471803691238) + (logM + e * Vector128.Create(1.9082149292705877E-10));
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<double>.Zero), Vector128.Create(double.NegativeInfinity), result);
        result = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<double>.Zero), Vector128.Create(double.NaN), result);
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(double.PositiveInfinity)), x, result);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>e^x in every lane: the same operations as the <see cref="Vector128{T}"/> overload, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        Vector256<double> magic = Vector256.Create(6755399441055744.0); // 1.5 · 2^52: adding it rounds to an integer
        Vector256<double> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(-746.0)), Vector256.Create(710.0));
        Vector256<double> shifted = clamped * Vector256.Create(1.4426950408889634) + magic;
        Vector256<double> k = shifted - magic;
        Vector256<double> r = (clamped - k * Vector256.Create(0.6931471803691238)) - k * Vector256.Create(1.9082149292705877E-10);
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> r8 = r4 * r4;
        // q(r) = 1/2! + r/3! + … + r¹¹/13!
        Vector256<double> q01 = Vector256.Create(0.5) + Vector256.Create(0.16666666666666666) * r;
        Vector256<double> q23 = Vector256.Create(0.041666666666666664) + Vector256.Create(0.008333333333333333) * r;
        Vector256<double> q45 = Vector256.Create(0.001388888888888889) + Vector256.Create(0.0001984126984126984) * r;
        Vector256<double> q67 = Vector256.Create(2.48015873015873E-05) + Vector256.Create(2.7557319223985893E-06) * r;
        Vector256<double> q89 = Vector256.Create(2.755731922398589E-07) + Vector256.Create(2.505210838544172E-08) * r;
        Vector256<double> q1011 = Vector256.Create(2.08767569878681E-09) + Vector256.Create(1.6059043836821613E-10) * r;
        Vector256<double> q03 = q01 + q23 * r2;
        Vector256<double> q47 = q45 + q67 * r2;
        Vector256<double> q811 = q89 + q1011 * r2;
        Vector256<double> q = (q03 + q47 * r4) + q811 * r8;
        Vector256<double> p = Vector256.Create(1.0) + (r + r2 * q);
        Vector256<long> n = Vector256.AsInt64(shifted) - Vector256.AsInt64(magic);
        Vector256<long> half = Vector256.ShiftRightArithmetic(n, 1);
        Vector256<double> scale1 = Vector256.AsDouble(Vector256.ShiftLeft(half + Vector256.Create(1023L), 52));
        Vector256<double> scale2 = Vector256.AsDouble(Vector256.ShiftLeft(n - half + Vector256.Create(1023L), 52));
        Vector256<double> result = p * scale1 * scale2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>ln x in every lane: the same operations as the <see cref="Vector128{T}"/> overload, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        Vector256<double> subnormal = Vector256.LessThan(x, Vector256.Create(2.2250738585072014E-308));
        Vector256<double> normal = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(4503599627370496.0), x);
        Vector256<long> bits = Vector256.AsInt64(normal);
        Vector256<long> exponent = Vector256.ShiftRightLogical(bits, 52) - Vector256.Create(1023L);
        Vector256<double> m = Vector256.AsDouble((bits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L));
        Vector256<double> large = Vector256.GreaterThan(m, Vector256.Create(1.4142135623730951));
        m = Vector256.ConditionalSelect(large, m * Vector256.Create(0.5), m);
        Vector256<double> e = Vector256.ConvertToDouble(exponent)
            + Vector256.ConditionalSelect(large, Vector256.Create(1.0), Vector256<double>.Zero)
            - Vector256.ConditionalSelect(subnormal, Vector256.Create(52.0), Vector256<double>.Zero);
        Vector256<double> s = (m - Vector256.Create(1.0)) / (m + Vector256.Create(1.0));
        Vector256<double> z = s * s;
        Vector256<double> z2 = z * z;
        Vector256<double> z4 = z2 * z2;
        Vector256<double> z8 = z4 * z4;
        // p(z) = 2/3 + 2z/5 + … + 2z¹⁰/23, by Estrin's scheme (see Exp).
        Vector256<double> p01 = Vector256.Create(0.6666666666666666) + Vector256.Create(0.4) * z;
        Vector256<double> p23 = Vector256.Create(0.2857142857142857) + Vector256.Create(0.2222222222222222) * z;
        Vector256<double> p45 = Vector256.Create(0.18181818181818182) + Vector256.Create(0.15384615384615385) * z;
        Vector256<double> p67 = Vector256.Create(0.13333333333333333) + Vector256.Create(0.11764705882352941) * z;
        Vector256<double> p89 = Vector256.Create(0.10526315789473684) + Vector256.Create(0.09523809523809523) * z;
        Vector256<double> p03 = p01 + p23 * z2;
        Vector256<double> p47 = p45 + p67 * z2;
        Vector256<double> p810 = p89 + Vector256.Create(0.08695652173913043) * z2;
        Vector256<double> p = (p03 + p47 * z4) + p810 * z8;
        Vector256<double> logM = Vector256.Create(2.0) * s + s * (z * p);
        Vector256<double> result = e * Vector256.Create(0.6931471803691238) + (logM + e * Vector256.Create(1.9082149292705877E-10));
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(double.NaN), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)), x, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x); // NaN stays NaN
    }

    // The functions OptimDsl has no vector version of: System.Math lane by lane, as the scalar code computes them.

    /// <summary><see cref="Math.Cbrt(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Cbrt(Vector128<double> x) => Vector128.Create(Math.Cbrt(x.GetElement(0)), Math.Cbrt(x.GetElement(1)));

    /// <summary><see cref="Math.Cbrt(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Cbrt(Vector256<double> x) => Vector256.Create(Math.Cbrt(x.GetElement(0)), Math.Cbrt(x.GetElement(1)), Math.Cbrt(x.GetElement(2)), Math.Cbrt(x.GetElement(3)));

    /// <summary><see cref="Math.Log10(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log10(Vector128<double> x) => Vector128.Create(Math.Log10(x.GetElement(0)), Math.Log10(x.GetElement(1)));

    /// <summary><see cref="Math.Log10(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log10(Vector256<double> x) => Vector256.Create(Math.Log10(x.GetElement(0)), Math.Log10(x.GetElement(1)), Math.Log10(x.GetElement(2)), Math.Log10(x.GetElement(3)));

    /// <summary><see cref="Math.Log2(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log2(Vector128<double> x) => Vector128.Create(Math.Log2(x.GetElement(0)), Math.Log2(x.GetElement(1)));

    /// <summary><see cref="Math.Log2(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log2(Vector256<double> x) => Vector256.Create(Math.Log2(x.GetElement(0)), Math.Log2(x.GetElement(1)), Math.Log2(x.GetElement(2)), Math.Log2(x.GetElement(3)));

    /// <summary><see cref="Math.Pow(double, double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow(Vector128<double> x, Vector128<double> y) => Vector128.Create(Math.Pow(x.GetElement(0), y.GetElement(0)), Math.Pow(x.GetElement(1), y.GetElement(1)));

    /// <summary><see cref="Math.Pow(double, double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow(Vector256<double> x, Vector256<double> y) => Vector256.Create(Math.Pow(x.GetElement(0), y.GetElement(0)), Math.Pow(x.GetElement(1), y.GetElement(1)), Math.Pow(x.GetElement(2), y.GetElement(2)), Math.Pow(x.GetElement(3), y.GetElement(3)));

    /// <summary><see cref="Math.Sin(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sin(Vector128<double> x) => Vector128.Create(Math.Sin(x.GetElement(0)), Math.Sin(x.GetElement(1)));

    /// <summary><see cref="Math.Sin(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sin(Vector256<double> x) => Vector256.Create(Math.Sin(x.GetElement(0)), Math.Sin(x.GetElement(1)), Math.Sin(x.GetElement(2)), Math.Sin(x.GetElement(3)));

    /// <summary><see cref="Math.Cos(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Cos(Vector128<double> x) => Vector128.Create(Math.Cos(x.GetElement(0)), Math.Cos(x.GetElement(1)));

    /// <summary><see cref="Math.Cos(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Cos(Vector256<double> x) => Vector256.Create(Math.Cos(x.GetElement(0)), Math.Cos(x.GetElement(1)), Math.Cos(x.GetElement(2)), Math.Cos(x.GetElement(3)));

    /// <summary><see cref="Math.Tan(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tan(Vector128<double> x) => Vector128.Create(Math.Tan(x.GetElement(0)), Math.Tan(x.GetElement(1)));

    /// <summary><see cref="Math.Tan(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tan(Vector256<double> x) => Vector256.Create(Math.Tan(x.GetElement(0)), Math.Tan(x.GetElement(1)), Math.Tan(x.GetElement(2)), Math.Tan(x.GetElement(3)));

    /// <summary><see cref="Math.Asin(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Asin(Vector128<double> x) => Vector128.Create(Math.Asin(x.GetElement(0)), Math.Asin(x.GetElement(1)));

    /// <summary><see cref="Math.Asin(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Asin(Vector256<double> x) => Vector256.Create(Math.Asin(x.GetElement(0)), Math.Asin(x.GetElement(1)), Math.Asin(x.GetElement(2)), Math.Asin(x.GetElement(3)));

    /// <summary><see cref="Math.Acos(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Acos(Vector128<double> x) => Vector128.Create(Math.Acos(x.GetElement(0)), Math.Acos(x.GetElement(1)));

    /// <summary><see cref="Math.Acos(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Acos(Vector256<double> x) => Vector256.Create(Math.Acos(x.GetElement(0)), Math.Acos(x.GetElement(1)), Math.Acos(x.GetElement(2)), Math.Acos(x.GetElement(3)));

    /// <summary><see cref="Math.Atan(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Atan(Vector128<double> x) => Vector128.Create(Math.Atan(x.GetElement(0)), Math.Atan(x.GetElement(1)));

    /// <summary><see cref="Math.Atan(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Atan(Vector256<double> x) => Vector256.Create(Math.Atan(x.GetElement(0)), Math.Atan(x.GetElement(1)), Math.Atan(x.GetElement(2)), Math.Atan(x.GetElement(3)));

    /// <summary><see cref="Math.Atan2(double, double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Atan2(Vector128<double> x, Vector128<double> y) => Vector128.Create(Math.Atan2(x.GetElement(0), y.GetElement(0)), Math.Atan2(x.GetElement(1), y.GetElement(1)));

    /// <summary><see cref="Math.Atan2(double, double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Atan2(Vector256<double> x, Vector256<double> y) => Vector256.Create(Math.Atan2(x.GetElement(0), y.GetElement(0)), Math.Atan2(x.GetElement(1), y.GetElement(1)), Math.Atan2(x.GetElement(2), y.GetElement(2)), Math.Atan2(x.GetElement(3), y.GetElement(3)));

    /// <summary><see cref="Math.Sinh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sinh(Vector128<double> x) => Vector128.Create(Math.Sinh(x.GetElement(0)), Math.Sinh(x.GetElement(1)));

    /// <summary><see cref="Math.Sinh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sinh(Vector256<double> x) => Vector256.Create(Math.Sinh(x.GetElement(0)), Math.Sinh(x.GetElement(1)), Math.Sinh(x.GetElement(2)), Math.Sinh(x.GetElement(3)));

    /// <summary><see cref="Math.Cosh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Cosh(Vector128<double> x) => Vector128.Create(Math.Cosh(x.GetElement(0)), Math.Cosh(x.GetElement(1)));

    /// <summary><see cref="Math.Cosh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Cosh(Vector256<double> x) => Vector256.Create(Math.Cosh(x.GetElement(0)), Math.Cosh(x.GetElement(1)), Math.Cosh(x.GetElement(2)), Math.Cosh(x.GetElement(3)));

    /// <summary><see cref="Math.Tanh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x) => Vector128.Create(Math.Tanh(x.GetElement(0)), Math.Tanh(x.GetElement(1)));

    /// <summary><see cref="Math.Tanh(double)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x) => Vector256.Create(Math.Tanh(x.GetElement(0)), Math.Tanh(x.GetElement(1)), Math.Tanh(x.GetElement(2)), Math.Tanh(x.GetElement(3)));

    /// <summary>
    /// The sum of the four lanes as <c>(v0 + v1) + (v2 + v3)</c>, in that order: how the data gradient
    /// combines its per-lane accumulators (lane <c>l</c> holds the samples <c>≡ l (mod 4)</c>), the same
    /// additions as <see cref="SumLanes(Vector128{double}, Vector128{double})"/>, so both widths give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumLanes(Vector256<double> v)
        => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));

    /// <summary>
    /// The sum of the four lanes of a Vector128 pair as <c>(low0 + low1) + (high0 + high1)</c>, in that
    /// order: the same additions as <see cref="SumLanes(Vector256{double})"/> over lanes 0 and 1 in
    /// <paramref name="low"/> and lanes 2 and 3 in <paramref name="high"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumLanes(Vector128<double> low, Vector128<double> high)
        => (low.GetElement(0) + low.GetElement(1)) + (high.GetElement(0) + high.GetElement(1));
}
