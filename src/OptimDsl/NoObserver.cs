namespace OptimDsl;

/// <summary>
/// An observer that watches nothing and never stops a run: pass it to
/// <c>Minimize&lt;TObserver, TSchedule&gt;</c> when only a learning-rate schedule is wanted.
/// </summary>
public readonly struct NoObserver : IOptimizationObserver
{
    /// <summary>Does nothing and lets the run go on.</summary>
    /// <param name="iteration">The number of the update just made, counting from 1; ignored.</param>
    /// <param name="loss">The loss the update's step saw; ignored.</param>
    /// <param name="gradientNorm">The 2-norm of the gradient the update's step saw; ignored.</param>
    /// <returns>Always <see langword="true"/>.</returns>
    public bool OnStep(long iteration, double loss, double gradientNorm) => true;
}
