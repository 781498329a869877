using System;
using System.ComponentModel;
using System.Numerics;
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
    /// <remarks>
    /// x is the result when x is NaN, when y &lt; x, or when x = y and y is −0 (x is then ±0); y otherwise. Those
    /// conditions are combined without branches (<see cref="Select(bool, double, double)"/>), as a sample's sign is not
    /// predictable.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y)
        => Select(double.IsNaN(x) | (y < x) | ((x == y) & double.IsNegative(y)), x, y);

    /// <summary>The smaller of x and y: x when x is NaN, else y when y is NaN, −0 for +0 and −0 (see <see cref="Max(double, double)"/>).</summary>
    /// <remarks>x when x is NaN, when x &lt; y, or when x = y and x is −0; y otherwise; without branches.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y)
        => Select(double.IsNaN(x) | (x < y) | ((x == y) & double.IsNegative(x)), x, y);

    /// <summary>
    /// <c>condition ? ifTrue : ifFalse</c> without a branch: the bits of the chosen operand, selected by a mask. The
    /// generated scalar code chooses so between two constants (the derivatives of <c>Abs</c>, <c>Max</c> and
    /// <c>Min</c>: 1 or 0, 1 or −1), on conditions that change from sample to sample, where a mispredicted branch costs
    /// more than the select (README, What is generated).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Select(bool condition, double ifTrue, double ifFalse)
    {
        long mask = -(long)(condition ? 1 : 0);
        return BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(ifTrue) & mask) | (BitConverter.DoubleToInt64Bits(ifFalse) & ~mask));
    }

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
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y) => Max<double>(x, y);

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y) => Max<double>(x, y);

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y) => Min<double>(x, y);

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y) => Min<double>(x, y);

    /// <summary><c>Math.Max</c> of the element type (<c>double</c> or <c>float</c>) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> Max<T>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // x where x is NaN or greater, else y; where they are equal, their AND (+0 unless both are −0). Not
        // Vector128.Max: which of two NaNs it returns depends on the instructions the JIT picks (AVX-512's differ).
        Vector128<T> takeX = Vector128.LessThan(y, x) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x & y, Vector128.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Max</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Max<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> takeX = Vector256.LessThan(y, x) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x & y, Vector256.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Max</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Max<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> takeX = Vector512.LessThan(y, x) | ~Vector512.Equals(x, x);
        return Vector512.ConditionalSelect(Vector512.Equals(x, y), x & y, Vector512.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Min</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> Min<T>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // x where x is NaN or less, else y; where they are equal, their OR (−0 if either is −0).
        Vector128<T> takeX = Vector128.LessThan(x, y) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x | y, Vector128.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Min</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Min<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> takeX = Vector256.LessThan(x, y) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x | y, Vector256.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Min</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Min<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> takeX = Vector512.LessThan(x, y) | ~Vector512.Equals(x, x);
        return Vector512.ConditionalSelect(Vector512.Equals(x, y), x | y, Vector512.ConditionalSelect(takeX, x, y));
    }

    /// <summary><c>Math.Min(Math.Max(x, lo), hi)</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> Clamp<T>(Vector128<T> x, Vector128<T> lo, Vector128<T> hi)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Min(Max(x, lo), hi);

    /// <summary><c>Math.Min(Math.Max(x, lo), hi)</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Clamp<T>(Vector256<T> x, Vector256<T> lo, Vector256<T> hi)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Min(Max(x, lo), hi);

    /// <summary><c>Math.Min(Math.Max(x, lo), hi)</c> of the element type in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Clamp<T>(Vector512<T> x, Vector512<T> lo, Vector512<T> hi)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Min(Max(x, lo), hi);

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

    // float (README, Float objectives): the same definitions in single precision, four lanes in a Vector128 and eight in a Vector256.

    /// <summary>The larger of x and y, as <see cref="Max(double, double)"/> defines it, in float: the definition the float vector overloads follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float x, float y)
        => Select(float.IsNaN(x) | (y < x) | ((x == y) & float.IsNegative(y)), x, y);

    /// <summary>The smaller of x and y, as <see cref="Min(double, double)"/> defines it, in float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float x, float y)
        => Select(float.IsNaN(x) | (x < y) | ((x == y) & float.IsNegative(x)), x, y);

    /// <summary><c>condition ? ifTrue : ifFalse</c> without a branch, as <see cref="Select(bool, double, double)"/>, in float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(bool condition, float ifTrue, float ifFalse)
    {
        int mask = -(condition ? 1 : 0);
        return BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(ifTrue) & mask) | (BitConverter.SingleToInt32Bits(ifFalse) & ~mask));
    }

    /// <summary><c>Min(Max(x, lo), hi)</c> (see <see cref="Clamp(double, double, double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Clamp(float x, float lo, float hi) => Min(Max(x, lo), hi);

    /// <summary><c>−x</c>: flips the sign bit, also of zeros and NaNs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Negate(float x) => -x;

    /// <summary><see cref="Max(float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> x, Vector128<float> y) => Max<float>(x, y);

    /// <summary><see cref="Min(float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> x, Vector128<float> y) => Min<float>(x, y);

    /// <summary><see cref="Clamp(float, float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> x, Vector128<float> lo, Vector128<float> hi) => Min(Max(x, lo), hi);

    /// <summary><c>−x</c> in every lane: flips the sign bit (see <see cref="Negate(Vector128{double})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Negate(Vector128<float> x) => x ^ Vector128.Create(-0f);

    /// <summary><see cref="Max(float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> x, Vector256<float> y) => Max<float>(x, y);

    /// <summary><see cref="Min(float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> x, Vector256<float> y) => Min<float>(x, y);

    /// <summary><see cref="Clamp(float, float, float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> x, Vector256<float> lo, Vector256<float> hi) => Min(Max(x, lo), hi);

    /// <summary><c>−x</c> in every lane: flips the sign bit (see <see cref="Negate(Vector128{double})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> x) => x ^ Vector256.Create(-0f);

    /// <summary>
    /// e^x in every lane (OptimDsl's own: identical on every vector width and to <see cref="Exp(float)"/>, within
    /// one ulp of e^x rounded to float over the normal range; NaN stays NaN, −∞ gives +0 and +∞ gives +∞).
    /// </summary>
    /// <remarks>
    /// The double <see cref="Exp(Vector128{double})"/>'s method in float: k = round(x / ln 2), r = x − k·ln 2 with a
    /// two-part ln 2 whose high part has 16 bits (k·ln2_hi is exact for |k| ≤ 2^8), |r| ≤ ln2/2, the degree-7 Taylor
    /// polynomial (its remainder below 10⁻⁸, a tenth of an ulp) as 1 + (r + r²·q(r)) with q by Estrin's scheme,
    /// and 2^k as two powers of two, which reaches the subnormal range with one rounding. x is clamped to
    /// [−104, 89], beyond which e^x rounds to 0 or overflows to ∞ in float.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> magic = Vector128.Create(12582912f); // 1.5 · 2^23: adding it rounds to an integer
        Vector128<float> clamped = Vector128.Min(Vector128.Max(x, Vector128.Create(-104f)), Vector128.Create(89f));
        Vector128<float> shifted = clamped * Vector128.Create(1.442695041f) + magic;
        Vector128<float> k = shifted - magic;
        Vector128<float> r = (clamped - k * Vector128.Create(0.693145751953125f)) - k * Vector128.Create(1.4286068e-06f);
        Vector128<float> r2 = r * r;
        Vector128<float> r4 = r2 * r2;
        // q(r) = 1/2! + r/3! + … + r⁵/7!
        Vector128<float> q01 = Vector128.Create(1f / 2) + Vector128.Create(1f / 6) * r;
        Vector128<float> q23 = Vector128.Create(1f / 24) + Vector128.Create(1f / 120) * r;
        Vector128<float> q45 = Vector128.Create(1f / 720) + Vector128.Create(1f / 5040) * r;
        Vector128<float> q = (q01 + q23 * r2) + q45 * r4;
        Vector128<float> p = Vector128.Create(1f) + (r + r2 * q);
        Vector128<int> n = Vector128.AsInt32(shifted) - Vector128.AsInt32(magic);
        Vector128<int> half = Vector128.ShiftRightArithmetic(n, 1);
        Vector128<float> scale1 = Vector128.AsSingle(Vector128.ShiftLeft(half + Vector128.Create(127), 23));
        Vector128<float> scale2 = Vector128.AsSingle(Vector128.ShiftLeft(n - half + Vector128.Create(127), 23));
        Vector128<float> result = p * scale1 * scale2;
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>e^x in every lane: the same operations as the <see cref="Vector128{T}"/> overload, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> magic = Vector256.Create(12582912f); // 1.5 · 2^23: adding it rounds to an integer
        Vector256<float> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(-104f)), Vector256.Create(89f));
        Vector256<float> shifted = clamped * Vector256.Create(1.442695041f) + magic;
        Vector256<float> k = shifted - magic;
        Vector256<float> r = (clamped - k * Vector256.Create(0.693145751953125f)) - k * Vector256.Create(1.4286068e-06f);
        Vector256<float> r2 = r * r;
        Vector256<float> r4 = r2 * r2;
        // q(r) = 1/2! + r/3! + … + r⁵/7!
        Vector256<float> q01 = Vector256.Create(1f / 2) + Vector256.Create(1f / 6) * r;
        Vector256<float> q23 = Vector256.Create(1f / 24) + Vector256.Create(1f / 120) * r;
        Vector256<float> q45 = Vector256.Create(1f / 720) + Vector256.Create(1f / 5040) * r;
        Vector256<float> q = (q01 + q23 * r2) + q45 * r4;
        Vector256<float> p = Vector256.Create(1f) + (r + r2 * q);
        Vector256<int> n = Vector256.AsInt32(shifted) - Vector256.AsInt32(magic);
        Vector256<int> half = Vector256.ShiftRightArithmetic(n, 1);
        Vector256<float> scale1 = Vector256.AsSingle(Vector256.ShiftLeft(half + Vector256.Create(127), 23));
        Vector256<float> scale2 = Vector256.AsSingle(Vector256.ShiftLeft(n - half + Vector256.Create(127), 23));
        Vector256<float> result = p * scale1 * scale2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>e^x in float: lane 0 of <see cref="Exp(Vector128{float})"/>, so the same bits as every lane of every width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => Exp(Vector128.CreateScalarUnsafe(x)).ToScalar();

    /// <summary>
    /// ln x in every lane (OptimDsl's own: identical on every vector width and to <see cref="Log(float)"/>, within
    /// one ulp of ln x rounded to float; ±0 gives −∞, a negative x NaN, +∞ gives +∞ and NaN stays NaN).
    /// </summary>
    /// <remarks>
    /// ln x = e·ln 2 + ln(1 + f) with x = 2^e·(1 + f), 1 + f ∈ [√½, √2) (subnormals scaled by 2^23 first), and
    /// ln(1 + f) = 2·atanh(s) = f − s·(f − R(s²)) with s = f/(2 + f), |s| ≤ 0.1716: f is exact, so only the small
    /// correction s·(f − R) carries rounding (fdlibm's arrangement). R is the odd series to s¹¹ (its remainder
    /// below 10⁻¹⁰ relative); ln 2 is two-part as in <see cref="Exp(Vector128{float})"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x)
    {
        Vector128<float> subnormal = Vector128.LessThan(x, Vector128.Create(1.17549435E-38f));
        Vector128<float> normal = Vector128.ConditionalSelect(subnormal, x * Vector128.Create(8388608f), x);
        Vector128<int> bits = Vector128.AsInt32(normal);
        Vector128<int> exponent = Vector128.ShiftRightLogical(bits, 23) - Vector128.Create(127);
        Vector128<float> m = Vector128.AsSingle((bits & Vector128.Create(0x007FFFFF)) | Vector128.Create(0x3F800000));
        Vector128<float> large = Vector128.GreaterThan(m, Vector128.Create(1.41421356f));
        m = Vector128.ConditionalSelect(large, m * Vector128.Create(0.5f), m);
        Vector128<float> e = Vector128.ConvertToSingle(exponent)
            + Vector128.ConditionalSelect(large, Vector128.Create(1f), Vector128<float>.Zero)
            - Vector128.ConditionalSelect(subnormal, Vector128.Create(23f), Vector128<float>.Zero);
        Vector128<float> f = m - Vector128.Create(1f);
        Vector128<float> s = f / (Vector128.Create(2f) + f);
        Vector128<float> z = s * s;
        Vector128<float> z2 = z * z;
        // R(z) = 2z/3 + 2z²/5 + … + 2z⁵/11, by Estrin's scheme.
        Vector128<float> p01 = Vector128.Create(2f / 3) + Vector128.Create(2f / 5) * z;
        Vector128<float> p23 = Vector128.Create(2f / 7) + Vector128.Create(2f / 9) * z;
        Vector128<float> rest = z * ((p01 + p23 * z2) + Vector128.Create(2f / 11) * (z2 * z2));
        Vector128<float> correction = s * (f - rest) - e * Vector128.Create(1.4286068e-06f);
        Vector128<float> result = e * Vector128.Create(0.693145751953125f) + (f - correction);
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), Vector128.Create(float.NegativeInfinity), result);
        result = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128.Create(float.NaN), result);
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)), x, result);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>ln x in every lane: the same operations as the <see cref="Vector128{T}"/> overload, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<float> subnormal = Vector256.LessThan(x, Vector256.Create(1.17549435E-38f));
        Vector256<float> normal = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(8388608f), x);
        Vector256<int> bits = Vector256.AsInt32(normal);
        Vector256<int> exponent = Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(127);
        Vector256<float> m = Vector256.AsSingle((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000));
        Vector256<float> large = Vector256.GreaterThan(m, Vector256.Create(1.41421356f));
        m = Vector256.ConditionalSelect(large, m * Vector256.Create(0.5f), m);
        Vector256<float> e = Vector256.ConvertToSingle(exponent)
            + Vector256.ConditionalSelect(large, Vector256.Create(1f), Vector256<float>.Zero)
            - Vector256.ConditionalSelect(subnormal, Vector256.Create(23f), Vector256<float>.Zero);
        Vector256<float> f = m - Vector256.Create(1f);
        Vector256<float> s = f / (Vector256.Create(2f) + f);
        Vector256<float> z = s * s;
        Vector256<float> z2 = z * z;
        // R(z) = 2z/3 + 2z²/5 + … + 2z⁵/11, by Estrin's scheme.
        Vector256<float> p01 = Vector256.Create(2f / 3) + Vector256.Create(2f / 5) * z;
        Vector256<float> p23 = Vector256.Create(2f / 7) + Vector256.Create(2f / 9) * z;
        Vector256<float> rest = z * ((p01 + p23 * z2) + Vector256.Create(2f / 11) * (z2 * z2));
        Vector256<float> correction = s * (f - rest) - e * Vector256.Create(1.4286068e-06f);
        Vector256<float> result = e * Vector256.Create(0.693145751953125f) + (f - correction);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(float.NaN), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x); // NaN stays NaN
    }

    /// <summary>ln x in float: lane 0 of <see cref="Log(Vector128{float})"/>, so the same bits as every lane of every width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x) => Log(Vector128.CreateScalarUnsafe(x)).ToScalar();

    // The functions OptimDsl has no float vector version of: System.MathF lane by lane, as the scalar code computes them.

    /// <summary><see cref="MathF.Cbrt(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Cbrt(Vector128<float> x) => Vector128.Create(MathF.Cbrt(x.GetElement(0)), MathF.Cbrt(x.GetElement(1)), MathF.Cbrt(x.GetElement(2)), MathF.Cbrt(x.GetElement(3)));

    /// <summary><see cref="MathF.Cbrt(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Cbrt(Vector256<float> x) => Vector256.Create(MathF.Cbrt(x.GetElement(0)), MathF.Cbrt(x.GetElement(1)), MathF.Cbrt(x.GetElement(2)), MathF.Cbrt(x.GetElement(3)), MathF.Cbrt(x.GetElement(4)), MathF.Cbrt(x.GetElement(5)), MathF.Cbrt(x.GetElement(6)), MathF.Cbrt(x.GetElement(7)));

    /// <summary><see cref="MathF.Log10(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log10(Vector128<float> x) => Vector128.Create(MathF.Log10(x.GetElement(0)), MathF.Log10(x.GetElement(1)), MathF.Log10(x.GetElement(2)), MathF.Log10(x.GetElement(3)));

    /// <summary><see cref="MathF.Log10(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log10(Vector256<float> x) => Vector256.Create(MathF.Log10(x.GetElement(0)), MathF.Log10(x.GetElement(1)), MathF.Log10(x.GetElement(2)), MathF.Log10(x.GetElement(3)), MathF.Log10(x.GetElement(4)), MathF.Log10(x.GetElement(5)), MathF.Log10(x.GetElement(6)), MathF.Log10(x.GetElement(7)));

    /// <summary><see cref="MathF.Log2(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log2(Vector128<float> x) => Vector128.Create(MathF.Log2(x.GetElement(0)), MathF.Log2(x.GetElement(1)), MathF.Log2(x.GetElement(2)), MathF.Log2(x.GetElement(3)));

    /// <summary><see cref="MathF.Log2(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log2(Vector256<float> x) => Vector256.Create(MathF.Log2(x.GetElement(0)), MathF.Log2(x.GetElement(1)), MathF.Log2(x.GetElement(2)), MathF.Log2(x.GetElement(3)), MathF.Log2(x.GetElement(4)), MathF.Log2(x.GetElement(5)), MathF.Log2(x.GetElement(6)), MathF.Log2(x.GetElement(7)));

    /// <summary><see cref="MathF.Sin(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sin(Vector128<float> x) => Vector128.Create(MathF.Sin(x.GetElement(0)), MathF.Sin(x.GetElement(1)), MathF.Sin(x.GetElement(2)), MathF.Sin(x.GetElement(3)));

    /// <summary><see cref="MathF.Sin(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sin(Vector256<float> x) => Vector256.Create(MathF.Sin(x.GetElement(0)), MathF.Sin(x.GetElement(1)), MathF.Sin(x.GetElement(2)), MathF.Sin(x.GetElement(3)), MathF.Sin(x.GetElement(4)), MathF.Sin(x.GetElement(5)), MathF.Sin(x.GetElement(6)), MathF.Sin(x.GetElement(7)));

    /// <summary><see cref="MathF.Cos(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Cos(Vector128<float> x) => Vector128.Create(MathF.Cos(x.GetElement(0)), MathF.Cos(x.GetElement(1)), MathF.Cos(x.GetElement(2)), MathF.Cos(x.GetElement(3)));

    /// <summary><see cref="MathF.Cos(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Cos(Vector256<float> x) => Vector256.Create(MathF.Cos(x.GetElement(0)), MathF.Cos(x.GetElement(1)), MathF.Cos(x.GetElement(2)), MathF.Cos(x.GetElement(3)), MathF.Cos(x.GetElement(4)), MathF.Cos(x.GetElement(5)), MathF.Cos(x.GetElement(6)), MathF.Cos(x.GetElement(7)));

    /// <summary><see cref="MathF.Tan(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tan(Vector128<float> x) => Vector128.Create(MathF.Tan(x.GetElement(0)), MathF.Tan(x.GetElement(1)), MathF.Tan(x.GetElement(2)), MathF.Tan(x.GetElement(3)));

    /// <summary><see cref="MathF.Tan(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tan(Vector256<float> x) => Vector256.Create(MathF.Tan(x.GetElement(0)), MathF.Tan(x.GetElement(1)), MathF.Tan(x.GetElement(2)), MathF.Tan(x.GetElement(3)), MathF.Tan(x.GetElement(4)), MathF.Tan(x.GetElement(5)), MathF.Tan(x.GetElement(6)), MathF.Tan(x.GetElement(7)));

    /// <summary><see cref="MathF.Asin(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Asin(Vector128<float> x) => Vector128.Create(MathF.Asin(x.GetElement(0)), MathF.Asin(x.GetElement(1)), MathF.Asin(x.GetElement(2)), MathF.Asin(x.GetElement(3)));

    /// <summary><see cref="MathF.Asin(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Asin(Vector256<float> x) => Vector256.Create(MathF.Asin(x.GetElement(0)), MathF.Asin(x.GetElement(1)), MathF.Asin(x.GetElement(2)), MathF.Asin(x.GetElement(3)), MathF.Asin(x.GetElement(4)), MathF.Asin(x.GetElement(5)), MathF.Asin(x.GetElement(6)), MathF.Asin(x.GetElement(7)));

    /// <summary><see cref="MathF.Acos(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Acos(Vector128<float> x) => Vector128.Create(MathF.Acos(x.GetElement(0)), MathF.Acos(x.GetElement(1)), MathF.Acos(x.GetElement(2)), MathF.Acos(x.GetElement(3)));

    /// <summary><see cref="MathF.Acos(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Acos(Vector256<float> x) => Vector256.Create(MathF.Acos(x.GetElement(0)), MathF.Acos(x.GetElement(1)), MathF.Acos(x.GetElement(2)), MathF.Acos(x.GetElement(3)), MathF.Acos(x.GetElement(4)), MathF.Acos(x.GetElement(5)), MathF.Acos(x.GetElement(6)), MathF.Acos(x.GetElement(7)));

    /// <summary><see cref="MathF.Atan(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Atan(Vector128<float> x) => Vector128.Create(MathF.Atan(x.GetElement(0)), MathF.Atan(x.GetElement(1)), MathF.Atan(x.GetElement(2)), MathF.Atan(x.GetElement(3)));

    /// <summary><see cref="MathF.Atan(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Atan(Vector256<float> x) => Vector256.Create(MathF.Atan(x.GetElement(0)), MathF.Atan(x.GetElement(1)), MathF.Atan(x.GetElement(2)), MathF.Atan(x.GetElement(3)), MathF.Atan(x.GetElement(4)), MathF.Atan(x.GetElement(5)), MathF.Atan(x.GetElement(6)), MathF.Atan(x.GetElement(7)));

    /// <summary><see cref="MathF.Sinh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sinh(Vector128<float> x) => Vector128.Create(MathF.Sinh(x.GetElement(0)), MathF.Sinh(x.GetElement(1)), MathF.Sinh(x.GetElement(2)), MathF.Sinh(x.GetElement(3)));

    /// <summary><see cref="MathF.Sinh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sinh(Vector256<float> x) => Vector256.Create(MathF.Sinh(x.GetElement(0)), MathF.Sinh(x.GetElement(1)), MathF.Sinh(x.GetElement(2)), MathF.Sinh(x.GetElement(3)), MathF.Sinh(x.GetElement(4)), MathF.Sinh(x.GetElement(5)), MathF.Sinh(x.GetElement(6)), MathF.Sinh(x.GetElement(7)));

    /// <summary><see cref="MathF.Cosh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Cosh(Vector128<float> x) => Vector128.Create(MathF.Cosh(x.GetElement(0)), MathF.Cosh(x.GetElement(1)), MathF.Cosh(x.GetElement(2)), MathF.Cosh(x.GetElement(3)));

    /// <summary><see cref="MathF.Cosh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Cosh(Vector256<float> x) => Vector256.Create(MathF.Cosh(x.GetElement(0)), MathF.Cosh(x.GetElement(1)), MathF.Cosh(x.GetElement(2)), MathF.Cosh(x.GetElement(3)), MathF.Cosh(x.GetElement(4)), MathF.Cosh(x.GetElement(5)), MathF.Cosh(x.GetElement(6)), MathF.Cosh(x.GetElement(7)));

    /// <summary><see cref="MathF.Tanh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) => Vector128.Create(MathF.Tanh(x.GetElement(0)), MathF.Tanh(x.GetElement(1)), MathF.Tanh(x.GetElement(2)), MathF.Tanh(x.GetElement(3)));

    /// <summary><see cref="MathF.Tanh(float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) => Vector256.Create(MathF.Tanh(x.GetElement(0)), MathF.Tanh(x.GetElement(1)), MathF.Tanh(x.GetElement(2)), MathF.Tanh(x.GetElement(3)), MathF.Tanh(x.GetElement(4)), MathF.Tanh(x.GetElement(5)), MathF.Tanh(x.GetElement(6)), MathF.Tanh(x.GetElement(7)));

    /// <summary><see cref="MathF.Pow(float, float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow(Vector128<float> x, Vector128<float> y) => Vector128.Create(MathF.Pow(x.GetElement(0), y.GetElement(0)), MathF.Pow(x.GetElement(1), y.GetElement(1)), MathF.Pow(x.GetElement(2), y.GetElement(2)), MathF.Pow(x.GetElement(3), y.GetElement(3)));

    /// <summary><see cref="MathF.Pow(float, float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow(Vector256<float> x, Vector256<float> y) => Vector256.Create(MathF.Pow(x.GetElement(0), y.GetElement(0)), MathF.Pow(x.GetElement(1), y.GetElement(1)), MathF.Pow(x.GetElement(2), y.GetElement(2)), MathF.Pow(x.GetElement(3), y.GetElement(3)), MathF.Pow(x.GetElement(4), y.GetElement(4)), MathF.Pow(x.GetElement(5), y.GetElement(5)), MathF.Pow(x.GetElement(6), y.GetElement(6)), MathF.Pow(x.GetElement(7), y.GetElement(7)));

    /// <summary><see cref="MathF.Atan2(float, float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Atan2(Vector128<float> x, Vector128<float> y) => Vector128.Create(MathF.Atan2(x.GetElement(0), y.GetElement(0)), MathF.Atan2(x.GetElement(1), y.GetElement(1)), MathF.Atan2(x.GetElement(2), y.GetElement(2)), MathF.Atan2(x.GetElement(3), y.GetElement(3)));

    /// <summary><see cref="MathF.Atan2(float, float)"/> in every lane, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Atan2(Vector256<float> x, Vector256<float> y) => Vector256.Create(MathF.Atan2(x.GetElement(0), y.GetElement(0)), MathF.Atan2(x.GetElement(1), y.GetElement(1)), MathF.Atan2(x.GetElement(2), y.GetElement(2)), MathF.Atan2(x.GetElement(3), y.GetElement(3)), MathF.Atan2(x.GetElement(4), y.GetElement(4)), MathF.Atan2(x.GetElement(5), y.GetElement(5)), MathF.Atan2(x.GetElement(6), y.GetElement(6)), MathF.Atan2(x.GetElement(7), y.GetElement(7)));

    /// <summary>
    /// The sum of the eight lanes as <c>((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7))</c>, in that order: how a
    /// float data gradient combines its per-lane accumulators (lane <c>l</c> holds the samples <c>≡ l (mod 8)</c>), the
    /// same additions as <see cref="SumLanes(Vector128{float}, Vector128{float})"/>, so both widths give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumLanes(Vector256<float> v)
        => ((v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3))) + ((v.GetElement(4) + v.GetElement(5)) + (v.GetElement(6) + v.GetElement(7)));

    /// <summary>
    /// The sum of the eight lanes of a Vector128 pair, lanes 0–3 in <paramref name="low"/> and 4–7 in
    /// <paramref name="high"/>: the same additions as <see cref="SumLanes(Vector256{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumLanes(Vector128<float> low, Vector128<float> high)
        => ((low.GetElement(0) + low.GetElement(1)) + (low.GetElement(2) + low.GetElement(3))) + ((high.GetElement(0) + high.GetElement(1)) + (high.GetElement(2) + high.GetElement(3)));
}
