using System;
using System.ComponentModel;
using System.Numerics;

namespace OptimDsl.Rules;

/// <summary>
/// The caller-owned buffers a <see cref="LevenbergMarquardtSolver"/> works in (README, Optimizers): for n parameters,
/// θ and the trial point in the objective's element type <typeparamref name="T"/> (double or float), the rest in double;
/// θ, g, the trial point, the trial gradient and the step δ hold n values each; H, the trial point's H and the Cholesky
/// factor hold n × n values, row-major (element (i, j) at i·n + j), of which the solver reads and writes the lower
/// triangle j ≤ i only.
/// </summary>
/// <remarks>
/// The solver never allocates and never keeps these spans: the generated optimizer owns the storage, wraps it in this
/// view for each call, and evaluates the loss, g and H at <see cref="TrialPoint"/> into <see cref="TrialGradient"/> and
/// <see cref="TrialHessian"/> (with <see cref="NormalEquations"/>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct LevenbergMarquardtStorage<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A view of the buffers, checked for consistent lengths.</summary>
    /// <param name="theta">θ, the current parameters (n values); the solver moves it to each accepted point.</param>
    /// <param name="gradient">g = ∇f at θ (n values); the solver replaces it with the accepted point's.</param>
    /// <param name="hessian">H, the Gauss–Newton Hessian at θ (n × n); the solver replaces it with the accepted point's.</param>
    /// <param name="trialPoint">Where the caller evaluates next, θ + δ (n values).</param>
    /// <param name="trialGradient">The caller writes g at the trial point here (n values).</param>
    /// <param name="trialHessian">The caller writes H at the trial point here (n × n).</param>
    /// <param name="factor">The Cholesky factor of the damped matrix (n × n of scratch).</param>
    /// <param name="step">δ, the step of the current trial (n values).</param>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="theta"/>'s.</exception>
    public LevenbergMarquardtStorage(
        Span<T> theta,
        Span<double> gradient,
        Span<double> hessian,
        Span<T> trialPoint,
        Span<double> trialGradient,
        Span<double> trialHessian,
        Span<double> factor,
        Span<double> step)
    {
        int n = theta.Length;
        long square = (long)n * n;
        Check(gradient.Length, n, nameof(gradient));
        Check(hessian.Length, square, nameof(hessian));
        Check(trialPoint.Length, n, nameof(trialPoint));
        Check(trialGradient.Length, n, nameof(trialGradient));
        Check(trialHessian.Length, square, nameof(trialHessian));
        Check(factor.Length, square, nameof(factor));
        Check(step.Length, n, nameof(step));
        Theta = theta;
        Gradient = gradient;
        Hessian = hessian;
        TrialPoint = trialPoint;
        TrialGradient = trialGradient;
        TrialHessian = trialHessian;
        Factor = factor;
        Step = step;
    }

    /// <summary>θ (n values).</summary>
    public Span<T> Theta { get; }

    /// <summary>g = ∇f at θ (n values).</summary>
    public Span<double> Gradient { get; }

    /// <summary>H at θ (n × n, row-major; the lower triangle is read).</summary>
    public Span<double> Hessian { get; }

    /// <summary>The point the caller evaluates next.</summary>
    public Span<T> TrialPoint { get; }

    /// <summary>g at <see cref="TrialPoint"/>, written by the caller.</summary>
    public Span<double> TrialGradient { get; }

    /// <summary>H at <see cref="TrialPoint"/>, written by the caller (n × n; the lower triangle is read).</summary>
    public Span<double> TrialHessian { get; }

    /// <summary>The lower-triangular Cholesky factor L of the damped matrix, L Lᵀ = H + λD (scratch).</summary>
    public Span<double> Factor { get; }

    /// <summary>δ, the step of the current trial.</summary>
    public Span<double> Step { get; }

    /// <summary>n, the number of parameters.</summary>
    public int ParameterCount => Theta.Length;

    private static void Check(int length, long expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} holds {length} values; {expected} expected.", name);
        }
    }
}
