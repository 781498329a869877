using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl;

/// <summary>
/// <c>Max</c>, <c>Min</c>, <c>Clamp</c> and negation for the data gradient OptimDsl generates, one
/// sample per lane: every lane of a <see cref="Vector128{T}"/> or <see cref="Vector256{T}"/> result is
/// exactly what <see cref="Math.Max(double, double)"/>, <see cref="Math.Min(double, double)"/> and
/// unary minus give for that lane, on every runtime and every vector width (in hardware or in software).
/// A NaN operand gives that NaN, and −0 is less than +0.
/// </summary>
/// <remarks>
/// <para>Not meant to be called by hand; the generated data gradient calls it.</para>
/// <para>
/// The BCL's vector <c>Max</c> and <c>Min</c> follow <c>Math.Max</c> and <c>Math.Min</c> from .NET 9
/// on. On .NET 8 they return the second operand when either operand is NaN or both are zero (x86's
/// <c>maxpd</c>), so a NaN sample would vanish from a gradient and the sign of a zero would depend on
/// whether the sample fell in a vector or in the scalar tail. The <c>lib/net8.0</c> build of this
/// library therefore computes them with comparisons and selects, which run on .NET 8 and later alike.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    /// <summary><see cref="Math.Max(double, double)"/>, the definition the vector overloads follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y) => Math.Max(x, y);

    /// <summary><see cref="Math.Min(double, double)"/>, the definition the vector overloads follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y) => Math.Min(x, y);

    /// <summary>
    /// <c>Math.Min(Math.Max(x, lo), hi)</c>: <c>Math.Clamp(x, lo, hi)</c> for <c>lo ≤ hi</c>, without
    /// its exception for <c>lo &gt; hi</c> (see the README on <c>Math.Clamp</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double x, double lo, double hi) => Math.Min(Math.Max(x, lo), hi);

    /// <summary><c>−x</c>: flips the sign bit, also of zeros and NaNs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Negate(double x) => -x;

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector128.Max(x, y);
#else
        // x where x is NaN or greater, else y; where they are equal, their AND (+0 unless both are −0).
        Vector128<double> takeX = Vector128.LessThan(y, x) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x & y, Vector128.ConditionalSelect(takeX, x, y));
#endif
    }

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector256.Max(x, y);
#else
        Vector256<double> takeX = Vector256.LessThan(y, x) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x & y, Vector256.ConditionalSelect(takeX, x, y));
#endif
    }

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector128.Min(x, y);
#else
        // x where x is NaN or less, else y; where they are equal, their OR (−0 if either is −0).
        Vector128<double> takeX = Vector128.LessThan(x, y) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(Vector128.Equals(x, y), x | y, Vector128.ConditionalSelect(takeX, x, y));
#endif
    }

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector256.Min(x, y);
#else
        Vector256<double> takeX = Vector256.LessThan(x, y) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(Vector256.Equals(x, y), x | y, Vector256.ConditionalSelect(takeX, x, y));
#endif
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
}
