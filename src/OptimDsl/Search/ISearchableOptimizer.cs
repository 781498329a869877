using System;
using System.ComponentModel;

namespace OptimDsl;

/// <summary>
/// What <see cref="HyperparameterSearch"/> asks of a generated optimizer (README, Choosing hyperparameters): a copy, the
/// searched hyperparameters set from a point and read back, one trial's <c>Minimize</c> and its validation loss. Every
/// generated optimizer implements it, the last three members explicitly; not meant to be called by hand.
/// </summary>
/// <typeparam name="TSelf">The optimizer struct.</typeparam>
/// <typeparam name="THyperparameters">Its nested <c>Hyperparameters</c> record struct.</typeparam>
/// <typeparam name="TData">The objective's number type, double or float: the element type of its data.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISearchableOptimizer<TSelf, THyperparameters, TData>
    where TSelf : struct, ISearchableOptimizer<TSelf, THyperparameters, TData>
    where TData : unmanaged
{
    /// <summary>An independent copy: the optimizer's public <c>Clone()</c>.</summary>
    TSelf Clone();

    /// <summary>Sets the searched hyperparameters: <c>point[k]</c> for the search space's k-th property, NaN where it is not searched.</summary>
    void SetSearchPoint(ReadOnlySpan<double> point);

    /// <summary>The values of the settable hyperparameters.</summary>
    THyperparameters SearchHyperparameters();

    /// <summary>
    /// <c>Minimize(maxIterations, tolerance)</c>, on <paramref name="data"/> (one memory per data parameter, in declaration
    /// order; empty for an objective without data).
    /// </summary>
    OptimizationResult MinimizeTrial(ReadOnlyMemory<TData>[] data, int maxIterations, double tolerance);

    /// <summary>
    /// The mean loss at the optimizer's parameters on <paramref name="validation"/> (one memory per data parameter). Only
    /// objectives with data have validation data, and implement it.
    /// </summary>
    double ValidationLoss(ReadOnlyMemory<TData>[] validation) => throw new NotSupportedException("An objective without data has no validation loss.");
}
