using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OptimDsl.Rules;

/// <summary>
/// Accumulates the Gauss–Newton normal equations of a <c>[LevenbergMarquardt]</c> objective (README, Optimizers):
/// for f(θ) = (1/N) Σ c·r(θ)² over the residuals r of N samples, each with weight c &gt; 0, the caller adds every residual
/// and its Jacobian row with <c>AddResidual</c> (f += c·r² is the caller's), then calls
/// <see cref="Finish"/> with scale 2/N (and divides f by N), so that H = (2/N) Σ c JᵀJ is the Gauss–Newton Hessian and
/// g = (2/N) Σ c r J = ∇f exactly.
/// </summary>
/// <remarks>
/// H is n × n, row-major, element (i, j) at i·n + j. <c>AddResidual</c> writes its lower triangle (j ≤ i) only.
/// The loops run four (<see cref="Vector256{T}"/>) or two (<see cref="Vector128{T}"/>) values at a time where the
/// hardware accelerates them, one at a time otherwise; every width performs the same multiplications and additions in
/// the same order (no fused multiply–add), so the bits do not depend on the machine.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalEquations
{
    /// <summary>
    /// Adds one residual: for every j ≤ i, H[i·n + j] += (weight·row[i])·row[j]; for every i,
    /// g[i] += (weight·residual)·row[i]. The upper triangle of H is not touched.
    /// </summary>
    /// <param name="hessian">H, n × n.</param>
    /// <param name="gradient">g, n values.</param>
    /// <param name="jacobianRow">∂r/∂θ, n values.</param>
    /// <param name="residual">r.</param>
    /// <param name="weight">c, the residual's weight.</param>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="jacobianRow"/>'s.</exception>
    public static void AddResidual(Span<double> hessian, Span<double> gradient, ReadOnlySpan<double> jacobianRow, double residual, double weight)
    {
        int n = jacobianRow.Length;
        Check(hessian.Length, gradient.Length, n);
        for (int i = 0; i < n; i++)
        {
            AddScaled(hessian.Slice(i * n, i + 1), weight * jacobianRow[i], jacobianRow);
        }

        AddScaled(gradient, weight * residual, jacobianRow);
    }

    /// <summary>
    /// Adds one residual of a float objective (README, Float objectives): the float residual and row widened to double
    /// (exactly), then the additions of the overload above in the same order, one value at a time.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="jacobianRow"/>'s.</exception>
    public static void AddResidual(Span<double> hessian, Span<double> gradient, ReadOnlySpan<float> jacobianRow, double residual, double weight)
    {
        int n = jacobianRow.Length;
        Check(hessian.Length, gradient.Length, n);
        for (int i = 0; i < n; i++)
        {
            double scale = weight * jacobianRow[i];
            Span<double> row = hessian.Slice(i * n, i + 1);
            for (int j = 0; j <= i; j++)
            {
                row[j] += scale * jacobianRow[j];
            }
        }

        double weighted = weight * residual;
        for (int i = 0; i < n; i++)
        {
            gradient[i] += weighted * jacobianRow[i];
        }
    }

    /// <summary>
    /// Multiplies the lower triangle of H and all of g by <paramref name="scale"/> (2/N), then copies the lower triangle
    /// into the upper one, so that H is symmetric for whoever reads all of it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="hessian"/> does not hold n × n values, n = <paramref name="gradient"/>'s length.</exception>
    public static void Finish(Span<double> hessian, Span<double> gradient, double scale)
    {
        int n = gradient.Length;
        Check(hessian.Length, n, n);
        for (int i = 0; i < n; i++)
        {
            Span<double> row = hessian.Slice(i * n, n);
            for (int j = 0; j < i; j++)
            {
                double value = row[j] * scale;
                row[j] = value;
                hessian[j * n + i] = value;
            }

            row[i] *= scale;
            gradient[i] *= scale;
        }
    }

    private static void Check(int hessianLength, int gradientLength, int n)
    {
        if (gradientLength != n)
        {
            throw new ArgumentException($"gradient holds {gradientLength} values; {n} expected.", "gradient");
        }

        if (hessianLength != (long)n * n)
        {
            throw new ArgumentException($"hessian holds {hessianLength} values; {(long)n * n} expected.", "hessian");
        }
    }

    /// <summary>target[j] += scale·x[j] for j &lt; target's length (x at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(Span<double> target, double scale, ReadOnlySpan<double> x)
    {
        int length = target.Length;
        ref double t = ref MemoryMarshal.GetReference(target);
        ref double s = ref MemoryMarshal.GetReference(x);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var factor = Vector256.Create(scale);
            for (; j <= length - 4; j += 4)
            {
                (Vector256.LoadUnsafe(ref t, (nuint)j) + factor * Vector256.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var factor = Vector128.Create(scale);
            for (; j <= length - 2; j += 2)
            {
                (Vector128.LoadUnsafe(ref t, (nuint)j) + factor * Vector128.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
            }
        }

        for (; j < length; j++)
        {
            Unsafe.Add(ref t, j) += scale * Unsafe.Add(ref s, j);
        }
    }
}
