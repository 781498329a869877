using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl.Rules;

/// <summary>
/// The sign and absolute value the update rules use (README, Optimizers), written with comparisons,
/// selects and bit masks so that the scalar, <see cref="Vector128{T}"/> and <see cref="Vector256{T}"/>
/// forms give the same bits on every runtime, with SIMD hardware or without.
/// </summary>
/// <remarks>
/// <para>
/// <c>Sign</c> is <see cref="Math.Sign(double)"/> as a double, +1 for x &gt; 0 and −1 for x &lt; 0, with
/// +0 for both +0 and −0, and x itself (the same NaN, bit for bit) where <see cref="Math.Sign(double)"/>
/// would throw on a NaN. (<c>torch.sign</c> agrees, except that it keeps the sign of a zero.)
/// </para>
/// <para><c>Abs</c> clears the sign bit, also of zeros and NaNs.</para>
/// </remarks>
internal static class RuleMath
{
    private const long MagnitudeBits = 0x7FFF_FFFF_FFFF_FFFF;

    /// <summary>+1, −1, +0 for ±0, or the NaN itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;

    /// <summary><see cref="Sign(double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sign(Vector128<double> x)
    {
        var zero = Vector128<double>.Zero;
        return Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, zero),
            Vector128.Create(1.0),
            Vector128.ConditionalSelect(
                Vector128.LessThan(x, zero),
                Vector128.Create(-1.0),
                Vector128.ConditionalSelect(Vector128.Equals(x, zero), zero, x)));
    }

    /// <summary><see cref="Sign(double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sign(Vector256<double> x)
    {
        var zero = Vector256<double>.Zero;
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, zero),
            Vector256.Create(1.0),
            Vector256.ConditionalSelect(
                Vector256.LessThan(x, zero),
                Vector256.Create(-1.0),
                Vector256.ConditionalSelect(Vector256.Equals(x, zero), zero, x)));
    }

    /// <summary>|x|: x with its sign bit cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & MagnitudeBits);

    /// <summary><see cref="Abs(double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Abs(Vector128<double> x) => x & Vector128.Create(MagnitudeBits).AsDouble();

    /// <summary><see cref="Abs(double)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => x & Vector256.Create(MagnitudeBits).AsDouble();
}
