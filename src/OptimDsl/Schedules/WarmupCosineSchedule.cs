using System;

namespace OptimDsl;

/// <summary>
/// A linear warm-up from <see cref="Initial"/> to <see cref="Peak"/> over
/// <see cref="WarmupSteps"/> updates, then half a cosine from <see cref="Peak"/> to
/// <see cref="Final"/>, ending <see cref="DecaySteps"/> updates after the start, then
/// <see cref="Final"/>: <c>optax.warmup_cosine_decay_schedule(init_value, peak_value,
/// warmup_steps, decay_steps, end_value)</c> with its count c = t − 1.
/// </summary>
/// <remarks>
/// <para>
/// With c = t − 1, W = <see cref="WarmupSteps"/>, D = <see cref="DecaySteps"/> − W and
/// α = <see cref="Final"/> / <see cref="Peak"/>, as Optax computes it:
/// </para>
/// <list type="bullet">
/// <item><description>c &lt; W (updates 1 to W, <c>optax.linear_schedule</c>):
/// η = (<see cref="Initial"/> − <see cref="Peak"/>) · (1 − c / W) + <see cref="Peak"/>;</description></item>
/// <item><description>c ≥ W (<c>optax.cosine_decay_schedule</c> at k = min(c − W, D)):
/// η = <see cref="Peak"/> · ((1 − α) · ½ (1 + cos(π k / D)) + α).</description></item>
/// </list>
/// <para>
/// So update 1 uses <see cref="Initial"/>, update W + 1 is the first to use <see cref="Peak"/>,
/// and from update <see cref="DecaySteps"/> + 1 on the rate is <see cref="Peak"/> · α, which is
/// <see cref="Final"/> up to the rounding of α (as in Optax). <see cref="DecaySteps"/> counts the
/// warm-up, as Optax's <c>decay_steps</c> does. The cosine is <see cref="Math.Cos"/> of
/// <c>π · k / D</c>, evaluated in Optax's order.
/// </para>
/// <para>
/// A <c>default(WarmupCosineSchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public readonly struct WarmupCosineSchedule : ILearningRateSchedule
{
    private readonly double _peak;
    private readonly long _warmupSteps;
    private readonly long _decaySteps;
    private readonly double _initial;
    private readonly double _final;
    private readonly double _alpha;

    /// <summary>A warm-up to <paramref name="peak"/> over <paramref name="warmupSteps"/> updates, then a cosine decay to <paramref name="final"/> ending at update <paramref name="decaySteps"/> + 1.</summary>
    /// <param name="peak">The rate at the end of the warm-up (Optax's <c>peak_value</c>); positive and finite.</param>
    /// <param name="warmupSteps">The length of the warm-up (Optax's <c>warmup_steps</c>); at least 1.</param>
    /// <param name="decaySteps">The length of the whole schedule, warm-up included (Optax's <c>decay_steps</c>); greater than <paramref name="warmupSteps"/>.</param>
    /// <param name="initial">The rate of update 1 (Optax's <c>init_value</c>); non-negative and finite. Default 0.</param>
    /// <param name="final">The rate at the end and after it (Optax's <c>end_value</c>); non-negative and finite. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public WarmupCosineSchedule(double peak, long warmupSteps, long decaySteps, double initial = 0, double final = 0)
    {
        if (!(peak > 0) || !double.IsFinite(peak))
        {
            throw new ArgumentOutOfRangeException(nameof(peak), peak, "The peak rate must be positive and finite.");
        }

        if (warmupSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The number of warm-up steps must be at least 1.");
        }

        if (decaySteps <= warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "The number of decay steps counts the warm-up and must be greater than the number of warm-up steps.");
        }

        if (!(initial >= 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial rate must be non-negative and finite.");
        }

        if (!(final >= 0) || !double.IsFinite(final))
        {
            throw new ArgumentOutOfRangeException(nameof(final), final, "The final rate must be non-negative and finite.");
        }

        _peak = peak;
        _warmupSteps = warmupSteps;
        _decaySteps = decaySteps;
        _initial = initial;
        _final = final;
        _alpha = final / peak;
    }

    /// <summary>The rate at the end of the warm-up (Optax's <c>peak_value</c>).</summary>
    public double Peak => _peak;

    /// <summary>The number of warm-up updates (Optax's <c>warmup_steps</c>).</summary>
    public long WarmupSteps => _warmupSteps;

    /// <summary>The length of the whole schedule, warm-up included (Optax's <c>decay_steps</c>).</summary>
    public long DecaySteps => _decaySteps;

    /// <summary>The rate of update 1 (Optax's <c>init_value</c>).</summary>
    public double Initial => _initial;

    /// <summary>The rate at the end of the decay and after it (Optax's <c>end_value</c>).</summary>
    public double Final => _final;

    /// <summary>
    /// The learning rate of update t = <paramref name="iteration"/>, with c = t − 1,
    /// W = <see cref="WarmupSteps"/>, D = <see cref="DecaySteps"/> − W, α = <see cref="Final"/> / <see cref="Peak"/>:
    /// (η_init − η_peak) · (1 − c / W) + η_peak for c &lt; W, else
    /// η_peak · ((1 − α) · ½ (1 + cos(π min(c − W, D) / D)) + α).
    /// </summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns>The rate of update <paramref name="iteration"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_warmupSteps == 0)
        {
            throw new InvalidOperationException("This WarmupCosineSchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        var count = iteration - 1;
        if (count < _warmupSteps)
        {
            // optax.linear_schedule: polynomial_schedule with power 1 (frac ** 1 is frac).
            var frac = 1 - ((double)count / _warmupSteps);
            return ((_initial - _peak) * frac) + _peak;
        }

        // optax.cosine_decay_schedule(peak, D, alpha) at count − W (optax.join_schedules), exponent 1.
        var decaySteps = _decaySteps - _warmupSteps;
        var step = Math.Min(count - _warmupSteps, decaySteps);
        var cosineDecay = 0.5 * (1 + Math.Cos(Math.PI * step / decaySteps));
        var decayed = ((1 - _alpha) * cosineDecay) + _alpha;
        return _peak * decayed;
    }
}
