using System.Collections.Generic;

namespace OptimDsl;

/// <summary>One point of a hyperparameter search: its hyperparameters, its run's result and its score (lower is better).</summary>
/// <param name="Hyperparameters">The trial's hyperparameters.</param>
/// <param name="Result">What its last <c>Minimize</c> returned.</param>
/// <param name="Score">The mean validation loss when the search had validation data, else <see cref="OptimizationResult.Loss"/>; +∞ for a diverged run.</param>
public readonly record struct SearchTrial<THyperparameters>(THyperparameters Hyperparameters, OptimizationResult Result, double Score);

/// <summary>What a hyperparameter search found (README, Choosing hyperparameters).</summary>
public sealed class SearchResult<TOptimizer, THyperparameters>
{
    internal SearchResult(TOptimizer best, int bestIndex, IReadOnlyList<SearchTrial<THyperparameters>> trials)
    {
        Best = best;
        BestHyperparameters = trials[bestIndex].Hyperparameters;
        BestScore = trials[bestIndex].Score;
        Trials = trials;
    }

    /// <summary>The best trial's optimizer, after its run: the lowest score, the earlier trial on a tie (the first when every trial diverged).</summary>
    public TOptimizer Best { get; }

    /// <summary>The best trial's hyperparameters.</summary>
    public THyperparameters BestHyperparameters { get; }

    /// <summary>The best trial's score.</summary>
    public double BestScore { get; }

    /// <summary>Every trial, in trial order.</summary>
    public IReadOnlyList<SearchTrial<THyperparameters>> Trials { get; }
}
