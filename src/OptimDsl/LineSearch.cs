namespace OptimDsl;

/// <summary>How an <c>[Lbfgs]</c> optimizer chooses the step along its direction (README, Optimizers).</summary>
public enum LineSearch
{
    /// <summary>
    /// A step satisfying the strong Wolfe conditions with c₁ = 1e-4 and c₂ = 0.9 (Nocedal &amp; Wright 2006,
    /// Algorithms 3.5 and 3.6), found by bracketing then zooming with cubic interpolation, starting from
    /// <c>LearningRate</c>.
    /// </summary>
    StrongWolfe,

    /// <summary>No search: the step is <c>LearningRate</c> times the direction.</summary>
    None,
}
