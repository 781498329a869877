using System;

namespace OptimDsl;

/// <summary>How a hyperparameter search chooses its points (README, Choosing hyperparameters).</summary>
public enum SearchStrategy
{
    /// <summary><see cref="Grid"/> when every range is a grid, else <see cref="Random"/>.</summary>
    Auto,

    /// <summary>Every point of the Cartesian product of the grids, the last hyperparameter varying fastest; ignores <see cref="SearchOptions.Trials"/>.</summary>
    Grid,

    /// <summary><see cref="SearchOptions.Trials"/> points drawn at random, each run for <see cref="SearchOptions.MaxIterations"/>.</summary>
    Random,

    /// <summary>
    /// Random points run in rungs of growing budgets, the best third continuing each time
    /// (Jamieson &amp; Talwalkar 2016, η = 3).
    /// </summary>
    SuccessiveHalving,
}

/// <summary>The options of a hyperparameter search (README, Choosing hyperparameters).</summary>
public sealed class SearchOptions
{
    /// <summary>The number of points of the Random and SuccessiveHalving strategies (20).</summary>
    public int Trials { get; set; } = 20;

    /// <summary>The iteration limit of each trial's <c>Minimize</c> (1000); SuccessiveHalving's last rung.</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The gradient-norm tolerance of each trial's <c>Minimize</c> (1e-8).</summary>
    public double Tolerance { get; set; } = 1e-8;

    /// <summary>The seed of the points drawn (0).</summary>
    public int Seed { get; set; }

    /// <summary>How the points are chosen (<see cref="SearchStrategy.Auto"/>).</summary>
    public SearchStrategy Strategy { get; set; } = SearchStrategy.Auto;

    /// <summary>How many trials run at once (the processor count). The result is the same for every value.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;
}
