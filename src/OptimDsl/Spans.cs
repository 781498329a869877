using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptimDsl;

/// <summary>Scalar loops over spans that the optimizers' checks and the solvers share (one definition, one order of operations).</summary>
internal static class Spans
{
    /// <summary>Whether every value is finite (an empty span is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// xᵀy, summed in double in index order. For float values each product of the widened values is exact, so only the
    /// additions round (README, Float objectives).
    /// </summary>
    public static double Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Widen(x[i]) * Widen(y[i]);
        }

        return sum;
    }

    /// <summary>A value of the element type as a double (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Widen<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.CreateTruncating(value);

    /// <summary>A double as the element type: unchanged for double, rounded to the nearest float for float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Narrow<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(value);
}
