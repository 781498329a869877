using System;

namespace OptimDsl;

/// <summary>
/// The same learning rate for every update: η_t = <see cref="Rate"/> for every t ≥ 1.
/// </summary>
/// <remarks>
/// Passing it to <c>Minimize</c> is the same as setting the optimizer's <c>LearningRate</c> once.
/// A <c>default(ConstantSchedule)</c>, made without the constructor, has no rate: its
/// <see cref="LearningRate"/> throws <see cref="InvalidOperationException"/> instead of returning 0.
/// </remarks>
public readonly struct ConstantSchedule : ILearningRateSchedule
{
    private readonly double _rate;

    /// <summary>A schedule that always gives <paramref name="rate"/>.</summary>
    /// <param name="rate">The learning rate; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not positive or not finite.</exception>
    public ConstantSchedule(double rate)
    {
        if (!(rate > 0) || !double.IsFinite(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be positive and finite.");
        }

        _rate = rate;
    }

    /// <summary>The learning rate given for every update.</summary>
    public double Rate => _rate;

    /// <summary>The learning rate of update t = <paramref name="iteration"/>: <see cref="Rate"/>.</summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns><see cref="Rate"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_rate == 0)
        {
            throw new InvalidOperationException("This ConstantSchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        return _rate;
    }
}
