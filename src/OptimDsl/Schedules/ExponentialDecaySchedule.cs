using System;

namespace OptimDsl;

/// <summary>
/// A learning rate multiplied by <see cref="Gamma"/> at every update, as
/// <c>torch.optim.lr_scheduler.ExponentialLR</c>: η_t = <see cref="Initial"/> · γ^(t − 1).
/// </summary>
/// <remarks>
/// <para>
/// The anchor's epoch index is t − 1, so update 1 uses <see cref="Initial"/>. The value is computed
/// with torch's closed form (<c>_get_closed_form_lr</c>: <c>base_lr * gamma ** last_epoch</c>,
/// here <see cref="Initial"/> · <see cref="Math.Pow"/>(γ, t − 1)), not by repeated multiplication,
/// so it depends only on t.
/// </para>
/// <para>
/// A <c>default(ExponentialDecaySchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public readonly struct ExponentialDecaySchedule : ILearningRateSchedule
{
    private readonly double _initial;
    private readonly double _gamma;

    /// <summary>A schedule that starts at <paramref name="initial"/> and is multiplied by <paramref name="gamma"/> at every update.</summary>
    /// <param name="initial">The learning rate of update 1; positive and finite.</param>
    /// <param name="gamma">The factor applied at each update; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public ExponentialDecaySchedule(double initial, double gamma)
    {
        if (!(initial > 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial rate must be positive and finite.");
        }

        if (!(gamma > 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be positive and finite.");
        }

        _initial = initial;
        _gamma = gamma;
    }

    /// <summary>The learning rate of update 1 (torch's <c>base_lr</c>).</summary>
    public double Initial => _initial;

    /// <summary>The factor applied at each update (torch's <c>gamma</c>).</summary>
    public double Gamma => _gamma;

    /// <summary>The learning rate of update t = <paramref name="iteration"/>: <see cref="Initial"/> · γ^(t − 1).</summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns>The rate of update <paramref name="iteration"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_initial == 0)
        {
            throw new InvalidOperationException("This ExponentialDecaySchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        var epoch = iteration - 1;
        return _initial * Math.Pow(_gamma, epoch);
    }
}
