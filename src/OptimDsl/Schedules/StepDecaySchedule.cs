using System;

namespace OptimDsl;

/// <summary>
/// A learning rate multiplied by <see cref="Gamma"/> every <see cref="StepSize"/> updates, as
/// <c>torch.optim.lr_scheduler.StepLR</c>: η_t = <see cref="Initial"/> · γ^⌊(t − 1) / <see cref="StepSize"/>⌋.
/// </summary>
/// <remarks>
/// <para>
/// The anchor's epoch index is t − 1, so updates 1 to <see cref="StepSize"/> use
/// <see cref="Initial"/>, updates <see cref="StepSize"/> + 1 to 2·<see cref="StepSize"/> use
/// <see cref="Initial"/>·γ, and so on. The value is computed with torch's closed form
/// (<c>_get_closed_form_lr</c>: <c>base_lr * gamma ** (last_epoch // step_size)</c>, here
/// <see cref="Initial"/> · <see cref="Math.Pow"/>(γ, k)), not by repeated multiplication, so it
/// depends only on t.
/// </para>
/// <para>
/// A <c>default(StepDecaySchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public readonly struct StepDecaySchedule : ILearningRateSchedule
{
    private readonly double _initial;
    private readonly long _stepSize;
    private readonly double _gamma;

    /// <summary>A schedule that starts at <paramref name="initial"/> and is multiplied by <paramref name="gamma"/> every <paramref name="stepSize"/> updates.</summary>
    /// <param name="initial">The learning rate of updates 1 to <paramref name="stepSize"/>; positive and finite.</param>
    /// <param name="stepSize">The number of updates between two decays (torch's <c>step_size</c>); at least 1.</param>
    /// <param name="gamma">The factor applied at each decay; positive and finite. Default 0.1, as torch.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public StepDecaySchedule(double initial, long stepSize, double gamma = 0.1)
    {
        if (!(initial > 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial rate must be positive and finite.");
        }

        if (stepSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be at least 1.");
        }

        if (!(gamma > 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be positive and finite.");
        }

        _initial = initial;
        _stepSize = stepSize;
        _gamma = gamma;
    }

    /// <summary>The learning rate of the first <see cref="StepSize"/> updates (torch's <c>base_lr</c>).</summary>
    public double Initial => _initial;

    /// <summary>The number of updates between two decays (torch's <c>step_size</c>).</summary>
    public long StepSize => _stepSize;

    /// <summary>The factor applied at each decay (torch's <c>gamma</c>).</summary>
    public double Gamma => _gamma;

    /// <summary>
    /// The learning rate of update t = <paramref name="iteration"/>:
    /// <see cref="Initial"/> · γ^⌊(t − 1) / <see cref="StepSize"/>⌋.
    /// </summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns>The rate of update <paramref name="iteration"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_stepSize == 0)
        {
            throw new InvalidOperationException("This StepDecaySchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        var epoch = iteration - 1;
        return _initial * Math.Pow(_gamma, epoch / _stepSize);
    }
}
