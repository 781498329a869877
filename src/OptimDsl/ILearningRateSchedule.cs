namespace OptimDsl;

/// <summary>
/// Gives a generated optimizer's learning rate for each update of a <c>Minimize</c> run.
/// Implement it on a struct and pass it by <see langword="ref"/> to
/// <c>Minimize&lt;TObserver, TSchedule&gt;</c>: the call is then direct, with no allocation and no
/// boxing, and a schedule with state (such as <see cref="ReduceOnPlateauSchedule"/>) keeps it
/// from one call to the next.
/// </summary>
/// <remarks>
/// Before update t (t = the optimizer's <c>Iteration</c> + 1, so a second <c>Minimize</c> call
/// continues the count), <c>Minimize</c> sets the learning rate to
/// <c>LearningRate(t, loss)</c>. A rate that is negative, NaN or infinite makes <c>Minimize</c>
/// throw <see cref="System.ArgumentOutOfRangeException"/> (parameter <c>schedule</c>); 0 is
/// allowed and makes that update move nothing. The schedules shipped with OptimDsl are
/// <see cref="ConstantSchedule"/>, <see cref="StepDecaySchedule"/>,
/// <see cref="ExponentialDecaySchedule"/>, <see cref="CosineDecaySchedule"/>,
/// <see cref="WarmupCosineSchedule"/>, <see cref="OneCycleSchedule"/> and
/// <see cref="ReduceOnPlateauSchedule"/>; each follows its anchor (PyTorch or Optax) exactly, with the
/// anchor's epoch or step index equal to t − 1.
/// </remarks>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate of update <paramref name="iteration"/>.</summary>
    /// <param name="iteration">The number of the update about to be made, counting from 1.</param>
    /// <param name="loss">The loss that update sees (before it is made).</param>
    /// <returns>The learning rate for that update: non-negative and finite.</returns>
    double LearningRate(long iteration, double loss);
}
