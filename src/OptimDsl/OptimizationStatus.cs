namespace OptimDsl;

/// <summary>Why a generated optimizer's <c>Minimize</c> returned.</summary>
public enum OptimizationStatus
{
    /// <summary>The gradient's 2-norm fell to the tolerance or below.</summary>
    Converged,

    /// <summary>The maximum number of iterations was reached before convergence.</summary>
    IterationLimit,

    /// <summary>
    /// The loss or the gradient became NaN or infinite; the parameters are those of the last
    /// finite step.
    /// </summary>
    Diverged,

    /// <summary>An <see cref="IOptimizationObserver"/> asked to stop by returning <see langword="false"/>.</summary>
    Stopped,

    /// <summary>
    /// An update could make no progress (an <c>[Lbfgs]</c> line search found no acceptable point, or
    /// <c>[LevenbergMarquardt]</c>'s damping reached its upper bound); the parameters are those before it.
    /// </summary>
    Stalled,
}
