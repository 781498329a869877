using System;
using System.Runtime.CompilerServices;

namespace OptimDsl;

/// <summary>Scalar loops over spans that the optimizers' checks and the solvers share (one definition, one order of operations).</summary>
internal static class Spans
{
    /// <summary>Whether every value is finite (an empty span is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every float value is finite (an empty span is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>xᵀy, summed in index order.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
