using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl;

/// <summary>
/// Stores chunks of a gradient for the code OptimDsl generates: one <see cref="Vector256{T}"/> store,
/// two <see cref="Vector128{T}"/> stores or scalars, the widths in which the generated optimizers'
/// updates load the gradient back, so that each load is forwarded from exactly one store.
/// </summary>
/// <remarks>Not meant to be called by hand; the generated gradient code calls it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientStore
{
    /// <summary>Writes <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>, <paramref name="d"/> to <paramref name="destination"/> and the three doubles after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store4(ref double destination, double a, double b, double c, double d)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256.StoreUnsafe(Vector256.Create(a, b, c, d), ref destination);
        }
        else
        {
            Store2(ref destination, a, b);
            Store2(ref Unsafe.Add(ref destination, 2), c, d);
        }
    }

    /// <summary>Writes <paramref name="a"/> and <paramref name="b"/> to <paramref name="destination"/> and the double after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store2(ref double destination, double a, double b)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128.StoreUnsafe(Vector128.Create(a, b), ref destination);
        }
        else
        {
            destination = a;
            Unsafe.Add(ref destination, 1) = b;
        }
    }

    /// <summary>Writes eight floats to <paramref name="destination"/> and the seven after it: one <see cref="Vector256{T}"/> store, or two <see cref="Store4(ref float, float, float, float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store8(ref float destination, float a, float b, float c, float d, float e, float f, float g, float h)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256.StoreUnsafe(Vector256.Create(a, b, c, d, e, f, g, h), ref destination);
        }
        else
        {
            Store4(ref destination, a, b, c, d);
            Store4(ref Unsafe.Add(ref destination, 4), e, f, g, h);
        }
    }

    /// <summary>Writes four floats to <paramref name="destination"/> and the three after it: one <see cref="Vector128{T}"/> store, or scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store4(ref float destination, float a, float b, float c, float d)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128.StoreUnsafe(Vector128.Create(a, b, c, d), ref destination);
        }
        else
        {
            destination = a;
            Unsafe.Add(ref destination, 1) = b;
            Unsafe.Add(ref destination, 2) = c;
            Unsafe.Add(ref destination, 3) = d;
        }
    }
}
