using System;

namespace OptimDsl;

/// <summary>
/// The 1cycle policy of <c>torch.optim.lr_scheduler.OneCycleLR</c> (<c>anneal_strategy='cos'</c>,
/// <c>three_phase=False</c>): the rate rises along half a cosine from
/// <see cref="MaxRate"/> / <see cref="DivFactor"/> to <see cref="MaxRate"/>, then falls along half a
/// cosine to <see cref="MaxRate"/> / <see cref="DivFactor"/> / <see cref="FinalDivFactor"/> at update
/// <see cref="TotalSteps"/>, and stays there.
/// </summary>
/// <remarks>
/// <para>
/// With s = min(t − 1, <see cref="TotalSteps"/> − 1) (torch's <c>last_epoch</c>),
/// η_initial = <see cref="MaxRate"/> / <see cref="DivFactor"/>, η_min = η_initial / <see cref="FinalDivFactor"/>,
/// and torch's phase ends e₁ = <see cref="PctStart"/> · <see cref="TotalSteps"/> − 1 (a double, not rounded) and
/// e₂ = <see cref="TotalSteps"/> − 1:
/// </para>
/// <list type="bullet">
/// <item><description>s ≤ e₁: η = anneal(η_initial, <see cref="MaxRate"/>, s / e₁);</description></item>
/// <item><description>s &gt; e₁: η = anneal(<see cref="MaxRate"/>, η_min, (s − e₁) / (e₂ − e₁));</description></item>
/// </list>
/// <para>
/// where anneal(a, b, p) = b + (a − b) / 2 · (cos(π p) + 1), torch's <c>_annealing_cos</c>, evaluated in
/// its order with <see cref="Math.Cos"/>. Update 1 uses η_initial (as torch computes it,
/// <see cref="MaxRate"/> + (η_initial − <see cref="MaxRate"/>), which can differ from η_initial in the last
/// bits), update <see cref="TotalSteps"/> uses exactly η_min, and every later update η_min too (torch refuses
/// to step that far). The momentum cycling of
/// torch's <c>cycle_momentum</c> is not done: a schedule sets only the learning rate.
/// </para>
/// <para>
/// A <c>default(OneCycleSchedule)</c>, made without the constructor, throws
/// <see cref="InvalidOperationException"/> from <see cref="LearningRate"/> instead of returning 0.
/// </para>
/// </remarks>
public readonly struct OneCycleSchedule : ILearningRateSchedule
{
    private readonly double _maxRate;
    private readonly long _totalSteps;
    private readonly double _pctStart;
    private readonly double _divFactor;
    private readonly double _finalDivFactor;
    private readonly double _initialRate;
    private readonly double _minimumRate;
    private readonly double _warmupEnd;
    private readonly double _end;

    /// <summary>A 1cycle schedule peaking at <paramref name="maxRate"/> over <paramref name="totalSteps"/> updates.</summary>
    /// <param name="maxRate">The peak rate (torch's <c>max_lr</c>); positive and finite.</param>
    /// <param name="totalSteps">The length of the cycle (torch's <c>total_steps</c>); at least 1.</param>
    /// <param name="pctStart">The fraction of the cycle spent rising (torch's <c>pct_start</c>); in (0, 1), with <paramref name="pctStart"/> · <paramref name="totalSteps"/> ≥ 2 so that the rise has a length. Default 0.3.</param>
    /// <param name="divFactor">The initial rate is <paramref name="maxRate"/> / <paramref name="divFactor"/> (torch's <c>div_factor</c>); positive and finite. Default 25.</param>
    /// <param name="finalDivFactor">The final rate is the initial rate / <paramref name="finalDivFactor"/> (torch's <c>final_div_factor</c>); positive and finite. Default 1e4.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above, or a derived rate is not finite.</exception>
    public OneCycleSchedule(double maxRate, long totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        if (!(maxRate > 0) || !double.IsFinite(maxRate))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, "The maximum rate must be positive and finite.");
        }

        if (totalSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "The number of steps must be at least 1.");
        }

        if (!(pctStart > 0 && pctStart < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pctStart must be in (0, 1).");
        }

        var warmupLength = pctStart * totalSteps;
        if (!(warmupLength >= 2))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"pctStart · totalSteps is {warmupLength}; it must be at least 2 for the rising phase to have a length.");
        }

        if (!(divFactor > 0) || !double.IsFinite(divFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "divFactor must be positive and finite.");
        }

        if (!(finalDivFactor > 0) || !double.IsFinite(finalDivFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "finalDivFactor must be positive and finite.");
        }

        var initialRate = maxRate / divFactor;
        if (!double.IsFinite(initialRate))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "maxRate / divFactor must be finite.");
        }

        var minimumRate = initialRate / finalDivFactor;
        if (!double.IsFinite(minimumRate))
        {
            throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "maxRate / divFactor / finalDivFactor must be finite.");
        }

        _maxRate = maxRate;
        _totalSteps = totalSteps;
        _pctStart = pctStart;
        _divFactor = divFactor;
        _finalDivFactor = finalDivFactor;
        _initialRate = initialRate;
        _minimumRate = minimumRate;
        _warmupEnd = warmupLength - 1;
        _end = totalSteps - 1;
    }

    /// <summary>The peak rate (torch's <c>max_lr</c>).</summary>
    public double MaxRate => _maxRate;

    /// <summary>The length of the cycle in updates (torch's <c>total_steps</c>).</summary>
    public long TotalSteps => _totalSteps;

    /// <summary>The fraction of the cycle spent rising (torch's <c>pct_start</c>).</summary>
    public double PctStart => _pctStart;

    /// <summary>The ratio of <see cref="MaxRate"/> to the initial rate (torch's <c>div_factor</c>).</summary>
    public double DivFactor => _divFactor;

    /// <summary>The ratio of the initial rate to the final rate (torch's <c>final_div_factor</c>).</summary>
    public double FinalDivFactor => _finalDivFactor;

    /// <summary>
    /// The learning rate of update t = <paramref name="iteration"/>, with s = min(t − 1, <see cref="TotalSteps"/> − 1),
    /// e₁ = <see cref="PctStart"/> · <see cref="TotalSteps"/> − 1, e₂ = <see cref="TotalSteps"/> − 1:
    /// anneal(η_max / div, η_max, s / e₁) for s ≤ e₁, else anneal(η_max, η_max / div / finalDiv, (s − e₁) / (e₂ − e₁)),
    /// with anneal(a, b, p) = b + (a − b) / 2 · (cos(π p) + 1).
    /// </summary>
    /// <param name="iteration">The number of the update, from 1.</param>
    /// <param name="loss">The loss the update sees; ignored.</param>
    /// <returns>The rate of update <paramref name="iteration"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iteration"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The schedule was not made with its constructor (it is <c>default</c>).</exception>
    public double LearningRate(long iteration, double loss)
    {
        if (_totalSteps == 0)
        {
            throw new InvalidOperationException("This OneCycleSchedule is default: make it with its constructor.");
        }

        if (iteration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "Iterations count from 1.");
        }

        // torch's last_epoch; held at the last step of the cycle past it.
        double step = Math.Min(iteration - 1, _totalSteps - 1);
        if (step <= _warmupEnd)
        {
            return Anneal(_initialRate, _maxRate, step / _warmupEnd);  // the first phase starts at step 0
        }

        return Anneal(_maxRate, _minimumRate, (step - _warmupEnd) / (_end - _warmupEnd));
    }

    // torch's OneCycleLR._annealing_cos.
    private static double Anneal(double start, double end, double pct)
    {
        var cosOut = Math.Cos(Math.PI * pct) + 1;
        return end + ((start - end) / 2.0 * cosOut);
    }
}
