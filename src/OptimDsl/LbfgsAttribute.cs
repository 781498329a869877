using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an L-BFGS optimizer (Nocedal &amp; Wright 2006, Algorithm 7.4, with the strong-Wolfe
/// line search of Algorithms 3.5–3.6; <c>torch.optim.LBFGS</c>) for this <see cref="ObjectiveAttribute">objective</see>:
/// a struct named <c>{Method}Lbfgs</c>. Each <c>Step</c> is one iteration over the full batch (README, Which optimizer?).
/// </summary>
/// <remarks>
/// The direction comes from the newest <see cref="History"/> curvature pairs (s, y) by the two-loop recursion, with
/// H₀ = γI, γ = sᵀy / yᵀy; a pair with sᵀy ≤ 1e-10 is skipped. The line search's first trial step is
/// <see cref="LearningRate"/>, scaled on the first iteration by min(1, 1/‖g‖₁). The optimizer has no clipping and no
/// minibatches, and never allocates after construction.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LbfgsAttribute : OptimizerAttribute
{
    /// <summary>The line search's first trial step, or the step with <see cref="OptimDsl.LineSearch.None"/>; positive and finite. Default 1.</summary>
    public double LearningRate { get; set; } = 1;

    /// <summary>
    /// The number of curvature pairs kept, in [1, 1000]: the capacity of the optimizer's inline history. The generated
    /// optimizer's <c>History</c> property may be set within [1, this value] (it uses that many of the newest pairs).
    /// Default 10.
    /// </summary>
    public int History { get; set; } = 10;

    /// <summary>How the step along the direction is chosen; fixed at compile time. Default <see cref="OptimDsl.LineSearch.StrongWolfe"/>.</summary>
    public LineSearch LineSearch { get; set; } = LineSearch.StrongWolfe;
}
