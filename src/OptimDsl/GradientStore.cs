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
}
