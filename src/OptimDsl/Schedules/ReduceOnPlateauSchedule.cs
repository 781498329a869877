using System;

namespace OptimDsl;

/// <summary>
/// A learning rate cut by <see cref="Factor"/> when the loss stops improving, as
/// <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> with <c>mode='min'</c>,
/// <c>threshold_mode='rel'</c>, <c>cooldown=0</c> and <c>eps=1e-8</c>.
/// </summary>
/// <remarks>
/// <para>
/// The schedule has state: pass it by <see langword="ref"/> (as <c>Minimize</c> takes it) so that the
/// state carries from call to call; a copy carries on separately. Each call to
/// <see cref="LearningRate"/> first does torch's <c>step(loss)</c>, then returns the rate:
/// </para>
/// <list type="number">
/// <item><description>if loss &lt; best · (1 − <see cref="Threshold"/>), best ← loss and the count of bad calls ← 0;
/// otherwise the count goes up by 1 (best starts at +∞, so the first finite loss is always better; a NaN loss is never better);</description></item>
/// <item><description>if the count exceeds <see cref="Patience"/>: new = max(rate · <see cref="Factor"/>, <see cref="Minimum"/>);
/// the rate becomes new only if rate − new &gt; 1e-8 (torch's <c>eps</c>); and the count ← 0.</description></item>
/// </list>
/// <para>
/// So <see cref="Patience"/> bad calls in a row keep the rate and the next one cuts it. The rate
/// depends on the losses given, not on the iteration number, which is only checked.
/// A <c>default(ReduceOnPlateauSchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public struct ReduceOnPlateauSchedule : ILearningRateSchedule
{
    // torch's eps: a cut smaller than this is ignored.
    private const double MinimumCut = 1e-8;

    private readonly double _initial;
    private readonly double _factor;
    private readonly int _patience;
    private readonly double _threshold;
    private readonly double _minimum;
    private double _rate;
    private double _best;
    private long _badCalls;

    /// <summary>A schedule that starts at <paramref name="initial"/> and is cut by <paramref name="factor"/> after more than <paramref name="patience"/> calls in a row without improvement.</summary>
    /// <param name="initial">The rate until the first cut (the optimizer's <c>lr</c> in torch); positive and finite.</param>
    /// <param name="factor">The factor of each cut (torch's <c>factor</c>); in (0, 1). Default 0.1.</param>
    /// <param name="patience">The number of calls without improvement that are tolerated (torch's <c>patience</c>); non-negative. Default 10.</param>
    /// <param name="threshold">The relative improvement that counts (torch's <c>threshold</c>, relative mode); non-negative and finite. Default 1e-4.</param>
    /// <param name="minimum">The floor of the rate (torch's <c>min_lr</c>); non-negative and finite. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public ReduceOnPlateauSchedule(double initial, double factor = 0.1, int patience = 10, double threshold = 1e-4, double minimum = 0)
    {
        if (!(initial > 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial rate must be positive and finite.");
        }

        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        }

        if (patience < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "The patience must be non-negative.");
        }

        if (!(threshold >= 0) || !double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be non-negative and finite.");
        }

        if (!(minimum >= 0) || !double.IsFinite(minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate must be non-negative and finite.");
        }

        _initial = initial;
        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _minimum = minimum;
        _rate = initial;
        _best = double.PositiveInfinity;
        _badCalls = 0;
    }

    /// <summary>The rate until the first cut.</summary>
    public readonly double Initial => _initial;

    /// <summary>The factor of each cut (torch's <c>factor</c>).</summary>
    public readonly double Factor => _factor;

    /// <summary>The number of calls in a row without improvement that keep the rate (torch's <c>patience</c>).</summary>
    public readonly int Patience => _patience;

    /// <summary>The relative improvement that counts: a loss is better when it is below best · (1 − <see cref="Threshold"/>) (torch's <c>threshold</c>).</summary>
    public readonly double Threshold => _threshold;

    /// <summary>The floor of the rate (torch's <c>min_lr</c>).</summary>
    public readonly double Minimum => _minimum;

    /// <summary>
    /// Steps the plateau logic with <paramref name="loss"/>, then returns the rate: a loss below
    /// best · (1 − <see cref="Threshold"/>) becomes the best and clears the count of bad calls; any
    /// other loss adds one to it; when the count exceeds <see cref="Patience"/>, the rate becomes
    /// max(rate · <see cref="Factor"/>, <see cref="Minimum"/>) if that lowers it by more than 1e-8,
    /// and the count is cleared.
    /// </summary>
    /// <param name="iteration">The number of the update, from 1; checked, otherwise unused.</param>
    /// <param name="loss">The loss the update sees (torch's <c>metrics</c>).</param>
    /// <returns>The rate of this update.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1 (the state is left as it was).</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_initial == 0)
        {
            throw new InvalidOperationException("This ReduceOnPlateauSchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        if (loss < _best * (1.0 - _threshold))
        {
            _best = loss;
            _badCalls = 0;
        }
        else
        {
            _badCalls++;
        }

        if (_badCalls > _patience)
        {
            var cut = Math.Max(_rate * _factor, _minimum);
            if (_rate - cut > MinimumCut)
            {
                _rate = cut;
            }

            _badCalls = 0;
        }

        return _rate;
    }
}
