using System;

namespace OptimDsl;

/// <summary>
/// An observer that also sees the parameters after each update (README, Watching a run): for early
/// stopping on a validation loss, or for keeping the best parameters seen. <c>Minimize&lt;TObserver&gt;</c>
/// calls <see cref="OnStep(long, double, double, ReadOnlySpan{double})"/> instead of
/// <see cref="IOptimizationObserver.OnStep(long, double, double)"/> when the observer implements this
/// interface, with no allocation per update.
/// </summary>
/// <remarks>
/// A struct observer passed by <see langword="ref"/> keeps what <c>OnStep</c> writes into its fields, as an
/// <see cref="IOptimizationObserver"/> does: <c>Minimize</c> hands it a copy held in a box the thread reuses
/// (allocated on the thread's first run with that observer type) and copies it back after each call.
/// </remarks>
public interface IParameterObserver : IOptimizationObserver
{
    /// <summary>Called once after each update, in place of the three-argument overload.</summary>
    /// <param name="iteration">The number of the update just made, counting from 1.</param>
    /// <param name="loss">The loss the update's step saw (before the update).</param>
    /// <param name="gradientNorm">The 2-norm of the gradient the update's step saw.</param>
    /// <param name="parameters">
    /// The optimizer's parameters after the update, in its parameter layout: a read-only view of its own
    /// storage, valid only during the call (copy it to keep it).
    /// </param>
    /// <returns><see langword="true"/> to go on; <see langword="false"/> to stop the run with <see cref="OptimizationStatus.Stopped"/>.</returns>
    bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters);
}
