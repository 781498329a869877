using System;
using System.ComponentModel;

namespace OptimDsl;

/// <summary>
/// What the learning-rate range test found (Smith 2017; README, Choosing hyperparameters): the rates tried,
/// the loss before each rate's update, and the suggested rate.
/// </summary>
public sealed class LearningRateFinderResult
{
    internal LearningRateFinderResult(double[] rates, double[] losses, double suggested)
    {
        Rates = rates;
        Losses = losses;
        SuggestedLearningRate = suggested;
    }

    /// <summary>The rates, one per update made: rate i is minRate·(maxRate/minRate)^(i/(steps − 1)).</summary>
    public double[] Rates { get; }

    /// <summary>The loss before the update made at <c>Rates[i]</c> (the minibatch's, where there are minibatches).</summary>
    public double[] Losses { get; }

    /// <summary>The rate where the smoothed loss falls fastest against log(rate).</summary>
    public double SuggestedLearningRate { get; }
}

/// <summary>
/// The learning-rate range test behind every generated optimizer's <c>FindLearningRate</c>: the rates, the
/// smoothed losses, the stop and the suggestion; the generated code makes one update per rate.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LearningRateFinder
{
    /// <summary>The factor of the exponential average of the losses (fast.ai).</summary>
    public const double Smoothing = 0.98;

    /// <summary>The test stops after the first smoothed loss above this multiple of the best one.</summary>
    public const double StopFactor = 4;

    private readonly double _minRate;
    private readonly double _maxRate;
    private readonly double[] _rates;
    private readonly double[] _losses;
    private readonly double[] _smoothed;
    private int _count;
    private double _average;
    private double _best = double.PositiveInfinity;
    private bool _stopped;

    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive and finite, <paramref name="maxRate"/> is not above <paramref name="minRate"/>, or <paramref name="steps"/> is below 2.</exception>
    public LearningRateFinder(double minRate, double maxRate, int steps)
    {
        if (!(minRate > 0) || !double.IsFinite(minRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "minRate must be positive and finite.");
        }

        if (!(maxRate > minRate) || !double.IsFinite(maxRate))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, "maxRate must be finite and greater than minRate.");
        }

        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 2.");
        }

        _minRate = minRate;
        _maxRate = maxRate;
        _rates = new double[steps];
        _losses = new double[steps];
        _smoothed = new double[steps];
    }

    /// <summary>The next rate to make an update with, or false when the test is over.</summary>
    public bool Next(out double rate)
    {
        if (_stopped || _count == _rates.Length)
        {
            rate = 0;
            return false;
        }

        rate = _count == _rates.Length - 1 ? _maxRate : _minRate * Math.Pow(_maxRate / _minRate, _count / (double)(_rates.Length - 1));
        _rates[_count] = rate;
        return true;
    }

    /// <summary>Records the loss before the update made at the rate <see cref="Next"/> gave.</summary>
    public void Record(double loss)
    {
        _losses[_count] = loss;
        _average = (Smoothing * _average) + ((1 - Smoothing) * loss);
        var smoothed = _average / (1 - Math.Pow(Smoothing, _count + 1));
        _smoothed[_count] = smoothed;
        _count++;
        if (!double.IsFinite(smoothed) || smoothed > StopFactor * _best)
        {
            _stopped = true;
            return;
        }

        _best = Math.Min(_best, smoothed);
    }

    /// <summary>The rates and losses recorded, and the rate where the smoothed loss falls fastest against log(rate).</summary>
    public LearningRateFinderResult Result()
    {
        var rates = _rates.AsSpan(0, _count).ToArray();
        var losses = _losses.AsSpan(0, _count).ToArray();
        return new LearningRateFinderResult(rates, losses, Steepest(rates, _smoothed.AsSpan(0, _count)));
    }

    /// <summary>
    /// The rate at the most negative slope of the smoothed loss over log(rate): central differences inside,
    /// one-sided at the ends (numpy.gradient, as fast.ai's suggestion uses); the first on a tie; non-finite
    /// slopes are skipped.
    /// </summary>
    internal static double Steepest(ReadOnlySpan<double> rates, ReadOnlySpan<double> smoothed)
    {
        if (rates.Length < 2)
        {
            return rates.Length == 1 ? rates[0] : double.NaN;
        }

        var best = 0;
        var steepest = double.PositiveInfinity;
        for (var i = 0; i < rates.Length; i++)
        {
            var (a, b) = i == 0 ? (0, 1) : i == rates.Length - 1 ? (i - 1, i) : (i - 1, i + 1);
            var slope = (smoothed[b] - smoothed[a]) / (Math.Log(rates[b]) - Math.Log(rates[a]));
            if (double.IsFinite(slope) && slope < steepest)
            {
                steepest = slope;
                best = i;
            }
        }

        return rates[best];
    }
}
