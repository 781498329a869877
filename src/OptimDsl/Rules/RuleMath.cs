using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl.Rules;

/// <summary>
/// The sign and absolute value the update rules use (README, Optimizers), written with comparisons,
/// selects and bit masks so that the scalar, <see cref="Vector128{T}"/> and <see cref="Vector256{T}"/>
/// forms give the same bits on every runtime, with SIMD hardware or without; generic over the element
/// type (<c>double</c> or <c>float</c>), as the rules' arithmetic is.
/// </summary>
/// <remarks>
/// <para>
/// <c>Sign</c> is <see cref="Math.Sign(double)"/> in the element type, +1 for x &gt; 0 and −1 for x &lt; 0,
/// with +0 for both +0 and −0, and x itself (the same NaN, bit for bit) where <see cref="Math.Sign(double)"/>
/// would throw on a NaN. (<c>torch.sign</c> agrees, except that it keeps the sign of a zero.)
/// </para>
/// <para><c>Abs</c> clears the sign bit, also of zeros and NaNs.</para>
/// </remarks>
internal static class RuleMath
{
    private const long MagnitudeBits = 0x7FFF_FFFF_FFFF_FFFF;
    private const int SingleMagnitudeBits = 0x7FFF_FFFF;

    /// <summary>+1, −1, +0 for ±0, or the NaN itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sign<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => x > T.Zero ? T.One : x < T.Zero ? -T.One : x == T.Zero ? T.Zero : x;

    /// <summary><see cref="Sign{T}(T)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sign<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = Vector128<T>.Zero;
        return Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, zero),
            Vector128.Create(T.One),
            Vector128.ConditionalSelect(
                Vector128.LessThan(x, zero),
                Vector128.Create(-T.One),
                Vector128.ConditionalSelect(Vector128.Equals(x, zero), zero, x)));
    }

    /// <summary><see cref="Sign{T}(T)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sign<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = Vector256<T>.Zero;
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, zero),
            Vector256.Create(T.One),
            Vector256.ConditionalSelect(
                Vector256.LessThan(x, zero),
                Vector256.Create(-T.One),
                Vector256.ConditionalSelect(Vector256.Equals(x, zero), zero, x)));
    }

    /// <summary><see cref="Sign{T}(T)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sign<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = Vector512<T>.Zero;
        return Vector512.ConditionalSelect(
            Vector512.GreaterThan(x, zero),
            Vector512.Create(T.One),
            Vector512.ConditionalSelect(
                Vector512.LessThan(x, zero),
                Vector512.Create(-T.One),
                Vector512.ConditionalSelect(Vector512.Equals(x, zero), zero, x)));
    }

    /// <summary>|x|: x with its sign bit cleared (the element type is <c>double</c> or <c>float</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The optimizing JIT keeps the one branch of the element type. Unsafe.BitCast, not a cast through
        // object: tier-0 code does not remove such a box, and the update must not allocate in any tier.
        if (typeof(T) == typeof(double))
        {
            return Unsafe.BitCast<double, T>(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(Unsafe.BitCast<T, double>(x)) & MagnitudeBits));
        }

        if (typeof(T) == typeof(float))
        {
            return Unsafe.BitCast<float, T>(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(Unsafe.BitCast<T, float>(x)) & SingleMagnitudeBits));
        }

        throw new NotSupportedException();
    }

    /// <summary><see cref="Abs{T}(T)"/> in every lane: the sign bit (that of −0) masked off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector128.AndNot(x, Vector128.Create(-T.Zero));

    /// <summary><see cref="Abs{T}(T)"/> in every lane: the sign bit (that of −0) masked off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.AndNot(x, Vector256.Create(-T.Zero));

    /// <summary><see cref="Abs{T}(T)"/> in every lane: the sign bit (that of −0) masked off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector512.AndNot(x, Vector512.Create(-T.Zero));

    /// <summary>
    /// <see cref="VectorMath.Max(double, double)"/>'s definition in the element type, which the vector overloads of
    /// <see cref="VectorMath"/> follow: not <c>T.Max</c>, whose choice between two NaNs depends on the machine's instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => x != y ? (T.IsNaN(x) ? x : y < x ? x : y) : T.IsNegative(y) ? x : y;

    /// <summary><see cref="VectorMath.Min(double, double)"/>'s definition in the element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => x != y ? (T.IsNaN(x) ? x : x < y ? x : y) : T.IsNegative(x) ? x : y;

    /// <summary><c>Min(Max(x, lo), hi)</c> in the element type (see <see cref="VectorMath.Clamp(double, double, double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Clamp<T>(T x, T lo, T hi)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Min(Max(x, lo), hi);
}
