using System;

namespace OptimDsl;

/// <summary>
/// The values a hyperparameter search tries for one hyperparameter (README, Choosing hyperparameters):
/// a grid of values, or a uniform or log-uniform interval [low, high).
/// </summary>
public sealed class SearchRange
{
    private readonly double[] _values;

    private SearchRange(Kind kind, double[] values, double low, double high)
    {
        RangeKind = kind;
        _values = values;
        Low = low;
        High = high;
    }

    internal enum Kind
    {
        Grid,
        Uniform,
        LogUniform,
    }

    internal Kind RangeKind { get; }

    /// <summary>The grid's values, in order; empty for an interval.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The interval's lower end (included); for a grid, its smallest value.</summary>
    public double Low { get; }

    /// <summary>The interval's upper end (excluded); for a grid, its largest value (included).</summary>
    public double High { get; }

    /// <summary>Whether this is a grid of values.</summary>
    public bool IsGrid => RangeKind == Kind.Grid;

    /// <summary>These values, in this order: the Grid strategy tries each, the Random strategy draws one of them uniformly.</summary>
    /// <exception cref="ArgumentException">No values, or a value is NaN.</exception>
    public static SearchRange Grid(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("A grid needs at least one value.", nameof(values));
        }

        var copy = (double[])values.Clone();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var value in copy)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("A grid's values must not be NaN.", nameof(values));
            }

            low = Math.Min(low, value);
            high = Math.Max(high, value);
        }

        return new SearchRange(Kind.Grid, copy, low, high);
    }

    /// <summary>Values drawn uniformly from [low, high).</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is not less than <paramref name="high"/>, or either is not finite.</exception>
    public static SearchRange Uniform(double low, double high)
    {
        CheckInterval(low, high);
        return new SearchRange(Kind.Uniform, Array.Empty<double>(), low, high);
    }

    /// <summary>Values whose logarithm is drawn uniformly from [log low, log high): for learning rates and other scales.</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is not positive, not less than <paramref name="high"/>, or either is not finite.</exception>
    public static SearchRange LogUniform(double low, double high)
    {
        CheckInterval(low, high);
        if (low <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, "A log-uniform range needs low > 0.");
        }

        return new SearchRange(Kind.LogUniform, Array.Empty<double>(), low, high);
    }

    /// <summary>The smallest and the largest value the range can give: what the search checks against the hyperparameter's valid values.</summary>
    internal (double Smallest, double Largest) Extremes
        => RangeKind == Kind.Grid ? (Low, High) : (Low, Math.BitDecrement(High));

    /// <summary>A value drawn with <paramref name="random"/>.</summary>
    internal double Draw(ref SearchRandom random)
    {
        var u = random.NextDouble();
        switch (RangeKind)
        {
            case Kind.Grid:
                return _values[Math.Min((int)(u * _values.Length), _values.Length - 1)];
            case Kind.Uniform:
                return Below(Low + ((High - Low) * u));
            default:
                return Below(Math.Exp(Math.Log(Low) + ((Math.Log(High) - Math.Log(Low)) * u)));
        }

        // Rounding may reach the excluded end.
        double Below(double value) => value < High ? Math.Max(value, Low) : Math.BitDecrement(High);
    }

    /// <inheritdoc/>
    public override string ToString() => RangeKind switch
    {
        Kind.Grid => $"Grid({string.Join(", ", _values)})",
        Kind.Uniform => $"Uniform({Low}, {High})",
        _ => $"LogUniform({Low}, {High})",
    };

    private static void CheckInterval(double low, double high)
    {
        if (!double.IsFinite(low))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, "A range's ends must be finite.");
        }

        if (!double.IsFinite(high))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, "A range's ends must be finite.");
        }

        if (!(low < high))
        {
            throw new ArgumentException($"A range needs low < high (low = {low}, high = {high}).", nameof(high));
        }
    }
}
