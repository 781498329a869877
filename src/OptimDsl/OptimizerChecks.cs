using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimDsl;

/// <summary>
/// What every generated optimizer measures and checks, whatever its objective: the gradient's 2-norm,
/// finiteness, and the use of an optimizer that was never constructed.
/// </summary>
/// <remarks>Not meant to be called by hand; the generated optimizers call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptimizerChecks
{
    /// <summary>‖g‖₂, without overflow or underflow of the squares: the norm <c>Minimize</c> tests and reports.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm(ReadOnlySpan<double> gradient)
    {
        double sum = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            sum += gradient[i] * gradient[i];
        }

        return sum > 1e-290 && sum < double.PositiveInfinity ? Math.Sqrt(sum) : ScaledNorm(gradient);
    }

    /// <summary>
    /// <see cref="GradientNorm(ReadOnlySpan{double})"/> of the two doubles from <paramref name="gradient"/> on, read as one
    /// <see cref="Vector128{T}"/>: the same additions in the same order, so the same bits (README, Performance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm128(ref double gradient) => GradientNorm128(Vector128.LoadUnsafe(ref gradient));

    /// <summary><see cref="GradientNorm(ReadOnlySpan{double})"/> of a vector's two values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm128(Vector128<double> g)
    {
        double sum = 0;
        sum += g.GetElement(0) * g.GetElement(0);
        sum += g.GetElement(1) * g.GetElement(1);
        return sum > 1e-290 && sum < double.PositiveInfinity ? Math.Sqrt(sum) : ScaledNorm(g);
    }

    /// <summary><see cref="GradientNorm128(ref double)"/> of the four doubles from <paramref name="gradient"/> on, read as one <see cref="Vector256{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm256(ref double gradient) => GradientNorm256(Vector256.LoadUnsafe(ref gradient));

    /// <summary><see cref="GradientNorm(ReadOnlySpan{double})"/> of a vector's four values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm256(Vector256<double> g)
    {
        double sum = 0;
        sum += g.GetElement(0) * g.GetElement(0);
        sum += g.GetElement(1) * g.GetElement(1);
        sum += g.GetElement(2) * g.GetElement(2);
        sum += g.GetElement(3) * g.GetElement(3);
        return sum > 1e-290 && sum < double.PositiveInfinity ? Math.Sqrt(sum) : ScaledNorm(g);
    }

    /// <summary>Whether the two doubles from <paramref name="parameters"/> on are finite, read as one <see cref="Vector128{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite128(ref double parameters)
    {
        var p = Vector128.LoadUnsafe(ref parameters);
        return double.IsFinite(p.GetElement(0)) & double.IsFinite(p.GetElement(1));
    }

    /// <summary>Whether the four doubles from <paramref name="parameters"/> on are finite, read as one <see cref="Vector256{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite256(ref double parameters)
    {
        var p = Vector256.LoadUnsafe(ref parameters);
        return double.IsFinite(p.GetElement(0)) & double.IsFinite(p.GetElement(1)) & double.IsFinite(p.GetElement(2)) & double.IsFinite(p.GetElement(3));
    }

    // The scaled norms of a vector's values, as ScaledNorm(ReadOnlySpan) computes them (the same operations in the same
    // order), written out so that no call is left in the loop of MinimizeInRegisters: on x64 Unix every SIMD register is
    // lost across a call, and a call on even a cold path there made the JIT keep the loop's values in memory
    // (Benchmarks README, "Minimize in registers").
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScaledNorm(Vector128<double> g)
    {
        double a = g.GetElement(0), b = g.GetElement(1);
        double largest = Math.Max(Math.Max(0, Math.Abs(a)), Math.Abs(b));
        if (largest == 0 || !double.IsFinite(largest))
        {
            return largest;
        }

        double scaled = 0;
        scaled += (a / largest) * (a / largest);
        scaled += (b / largest) * (b / largest);
        return largest * Math.Sqrt(scaled);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScaledNorm(Vector256<double> g)
    {
        double a = g.GetElement(0), b = g.GetElement(1), c = g.GetElement(2), d = g.GetElement(3);
        double largest = Math.Max(Math.Max(Math.Max(Math.Max(0, Math.Abs(a)), Math.Abs(b)), Math.Abs(c)), Math.Abs(d));
        if (largest == 0 || !double.IsFinite(largest))
        {
            return largest;
        }

        double scaled = 0;
        scaled += (a / largest) * (a / largest);
        scaled += (b / largest) * (b / largest);
        scaled += (c / largest) * (c / largest);
        scaled += (d / largest) * (d / largest);
        return largest * Math.Sqrt(scaled);
    }

    /// <summary>‖g‖₂ when the squares overflowed or underflowed: scaled by the largest component.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ScaledNorm(ReadOnlySpan<double> gradient)
    {
        double largest = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(gradient[i]));
        }

        if (largest == 0 || !double.IsFinite(largest))
        {
            return largest;
        }

        double scaled = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            double component = gradient[i] / largest;
            scaled += component * component;
        }

        return largest * Math.Sqrt(scaled);
    }

    /// <summary>
    /// ‖g‖₂ of a float gradient, in double: each square is exact in double and their sum (in index order) can
    /// neither overflow nor underflow for float components, so no scaling is needed. The norm <c>Minimize</c>
    /// tests and reports for a float objective, and the one <see cref="GradientClipping.Apply(Span{float})"/> divides by.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GradientNorm(ReadOnlySpan<float> gradient)
    {
        double sum = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            double component = gradient[i];
            sum += component * component;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Whether the loss, the gradient norm and every parameter are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(double loss, double norm, ReadOnlySpan<double> parameters)
        => IsFinite(loss, norm, Spans.AllFinite(parameters));

    /// <summary>Whether the loss and the gradient norm are finite, and the parameters (measured by the optimizer) too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(double loss, double norm, bool parametersFinite)
        => parametersFinite && double.IsFinite(loss) && double.IsFinite(norm);

    /// <summary>Whether the loss, the gradient norm and every float parameter are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(double loss, double norm, ReadOnlySpan<float> parameters)
        => IsFinite(loss, norm, Spans.AllFinite(parameters));

    /// <summary>Throws unless <paramref name="constructed"/>: <c>default(T)</c> has no valid hyperparameters.</summary>
    /// <param name="constructed">The optimizer's flag, false in <c>default(T)</c>.</param>
    /// <param name="constructor">How to construct it, as C#: <c>new MAdam(x, y)</c>.</param>
    /// <exception cref="InvalidOperationException">The optimizer was not constructed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnsureConstructed(bool constructed, string constructor)
    {
        if (!constructed)
        {
            ThrowNotConstructed(constructor);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotConstructed(string constructor)
    {
        var type = constructor.Substring(4, constructor.IndexOf('(') - 4);
        throw new InvalidOperationException($"This {type} was not constructed: create it with {constructor}.");
    }
}
