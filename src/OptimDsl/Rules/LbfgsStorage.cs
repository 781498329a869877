using System;
using System.ComponentModel;
using System.Numerics;

namespace OptimDsl.Rules;

/// <summary>
/// The caller-owned buffers an <see cref="LbfgsSolver"/> works in (README, Optimizers), the vectors in the objective's
/// element type <typeparamref name="T"/> (double or float) and ρ and α in double:
/// for n parameters and a history capacity m, θ, g, d, the trial point and the trial gradient hold n values each,
/// S and Y hold m pairs of n values each (pair k at [k·n, (k + 1)·n)), ρ and the two-loop scratch α hold m values.
/// </summary>
/// <remarks>
/// The solver never allocates and never keeps these spans: the generated optimizer owns the storage, wraps it in
/// this view for each call, and evaluates the objective at <see cref="TrialPoint"/> into <see cref="TrialGradient"/>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct LbfgsStorage<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A view of the buffers, checked for consistent lengths.</summary>
    /// <param name="theta">θ, the current parameters (n values); the solver moves it to each accepted point.</param>
    /// <param name="gradient">g, the gradient at θ (n values); the solver replaces it with the accepted point's.</param>
    /// <param name="pairS">The history's s vectors (m × n values).</param>
    /// <param name="pairY">The history's y vectors (m × n values).</param>
    /// <param name="rho">ρ = 1 / sᵀy of each stored pair (m values).</param>
    /// <param name="alpha">The two-loop recursion's α of each pair (m values of scratch).</param>
    /// <param name="direction">d, the search direction (n values).</param>
    /// <param name="trialPoint">Where the caller evaluates next (n values).</param>
    /// <param name="trialGradient">The caller writes the gradient at the trial point here (n values).</param>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="theta"/>'s and <paramref name="rho"/>'s.</exception>
    public LbfgsStorage(
        Span<T> theta,
        Span<T> gradient,
        Span<T> pairS,
        Span<T> pairY,
        Span<double> rho,
        Span<double> alpha,
        Span<T> direction,
        Span<T> trialPoint,
        Span<T> trialGradient)
    {
        int n = theta.Length;
        int m = rho.Length;
        if (m < 1)
        {
            throw new ArgumentException("The history holds at least one pair.", nameof(rho));
        }

        Check(gradient.Length, n, nameof(gradient));
        Check(direction.Length, n, nameof(direction));
        Check(trialPoint.Length, n, nameof(trialPoint));
        Check(trialGradient.Length, n, nameof(trialGradient));
        Check(alpha.Length, m, nameof(alpha));
        Check(pairS.Length, (long)m * n, nameof(pairS));
        Check(pairY.Length, (long)m * n, nameof(pairY));
        Theta = theta;
        Gradient = gradient;
        PairS = pairS;
        PairY = pairY;
        Rho = rho;
        Alpha = alpha;
        Direction = direction;
        TrialPoint = trialPoint;
        TrialGradient = trialGradient;
    }

    /// <summary>θ (n values).</summary>
    public Span<T> Theta { get; }

    /// <summary>g, the gradient at θ (n values).</summary>
    public Span<T> Gradient { get; }

    /// <summary>The s vectors, pair k at [k·n, (k + 1)·n).</summary>
    public Span<T> PairS { get; }

    /// <summary>The y vectors, pair k at [k·n, (k + 1)·n).</summary>
    public Span<T> PairY { get; }

    /// <summary>ρ of each pair.</summary>
    public Span<double> Rho { get; }

    /// <summary>The two-loop recursion's α of each pair (scratch).</summary>
    public Span<double> Alpha { get; }

    /// <summary>d, the direction of the current iteration.</summary>
    public Span<T> Direction { get; }

    /// <summary>The point the caller evaluates next.</summary>
    public Span<T> TrialPoint { get; }

    /// <summary>The gradient at <see cref="TrialPoint"/>, written by the caller.</summary>
    public Span<T> TrialGradient { get; }

    /// <summary>n, the number of parameters.</summary>
    public int ParameterCount => Theta.Length;

    /// <summary>m, the number of pairs the history can hold.</summary>
    public int Capacity => Rho.Length;

    private static void Check(int length, long expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} holds {length} values; {expected} expected.", name);
        }
    }
}
