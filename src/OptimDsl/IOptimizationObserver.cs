namespace OptimDsl;

/// <summary>
/// Watches a generated optimizer's <c>Minimize</c> run. Implement it on a struct and pass it by
/// <see langword="ref"/> to <c>Minimize&lt;TObserver&gt;</c>: the call is then direct, with no
/// allocation and no boxing.
/// </summary>
public interface IOptimizationObserver
{
    /// <summary>Called once after each update.</summary>
    /// <param name="iteration">The number of the update just made, counting from 1.</param>
    /// <param name="loss">The loss the update's step saw (before the update).</param>
    /// <param name="gradientNorm">The 2-norm of the gradient the update's step saw.</param>
    /// <returns><see langword="true"/> to go on; <see langword="false"/> to stop the run with <see cref="OptimizationStatus.Stopped"/>.</returns>
    bool OnStep(long iteration, double loss, double gradientNorm);
}
