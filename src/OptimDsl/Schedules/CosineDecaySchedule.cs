using System;

namespace OptimDsl;

/// <summary>
/// A learning rate that falls along half a cosine from <see cref="Initial"/> to
/// <see cref="Minimum"/> over <see cref="DecaySteps"/> updates and then stays at
/// <see cref="Minimum"/>, as <c>torch.optim.lr_scheduler.CosineAnnealingLR</c> with
/// <c>T_max</c> = <see cref="DecaySteps"/>:
/// η_t = η_min + (η_0 − η_min) · (1 + cos(π (t − 1) / <see cref="DecaySteps"/>)) / 2 for
/// t ≤ <see cref="DecaySteps"/>, and η_t = η_min for t &gt; <see cref="DecaySteps"/>.
/// </summary>
/// <remarks>
/// <para>
/// The anchor's epoch index is t − 1, so update 1 uses <see cref="Initial"/> and update
/// <see cref="DecaySteps"/> + 1 (torch's epoch <c>T_max</c>) is the first to use
/// <see cref="Minimum"/>. The value is torch's closed form
/// (<c>_get_closed_form_lr</c>: <c>eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * last_epoch / T_max)) / 2</c>),
/// evaluated in the same order with <see cref="Math.Cos"/>; past <c>T_max</c>, where torch's cosine
/// would rise again, the rate is held at <see cref="Minimum"/>.
/// </para>
/// <para>
/// A <c>default(CosineDecaySchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public readonly struct CosineDecaySchedule : ILearningRateSchedule
{
    private readonly double _initial;
    private readonly long _decaySteps;
    private readonly double _minimum;

    /// <summary>A schedule that falls from <paramref name="initial"/> to <paramref name="minimum"/> over <paramref name="decaySteps"/> updates.</summary>
    /// <param name="initial">The learning rate of update 1 (torch's <c>base_lr</c>); positive and finite.</param>
    /// <param name="decaySteps">The length of the decay (torch's <c>T_max</c>); at least 1.</param>
    /// <param name="minimum">The rate reached at the end and kept after (torch's <c>eta_min</c>); non-negative and finite. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public CosineDecaySchedule(double initial, long decaySteps, double minimum = 0)
    {
        if (!(initial > 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial rate must be positive and finite.");
        }

        if (decaySteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "The number of decay steps must be at least 1.");
        }

        if (!(minimum >= 0) || !double.IsFinite(minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate must be non-negative and finite.");
        }

        _initial = initial;
        _decaySteps = decaySteps;
        _minimum = minimum;
    }

    /// <summary>The learning rate of update 1 (torch's <c>base_lr</c>).</summary>
    public double Initial => _initial;

    /// <summary>The number of updates over which the rate falls (torch's <c>T_max</c>).</summary>
    public long DecaySteps => _decaySteps;

    /// <summary>The rate at the end of the decay and after it (torch's <c>eta_min</c>).</summary>
    public double Minimum => _minimum;

    /// <summary>
    /// The learning rate of update t = <paramref name="iteration"/>:
    /// η_min + (η_0 − η_min) · (1 + cos(π (t − 1) / <see cref="DecaySteps"/>)) / 2 while
    /// t ≤ <see cref="DecaySteps"/>, then <see cref="Minimum"/>.
    /// </summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns>The rate of update <paramref name="iteration"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_decaySteps == 0)
        {
            throw new InvalidOperationException("This CosineDecaySchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        var epoch = iteration - 1;
        if (epoch >= _decaySteps)
        {
            return _minimum;
        }

        return _minimum + ((_initial - _minimum) * (1 + Math.Cos(Math.PI * epoch / _decaySteps)) / 2);
    }
}
