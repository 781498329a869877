using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a stochastic gradient-descent optimizer for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}Sgd</c> that applies
/// θ ← θ − η g with g the mean gradient over a minibatch of <see cref="BatchSize"/> samples. Each
/// epoch visits every sample once, in an order shuffled deterministically from <see cref="Seed"/>.
/// </summary>
/// <remarks>The objective needs at least one <see cref="DataAttribute"/> parameter.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SgdAttribute : Attribute
{
    /// <summary>
    /// The default learning rate η of the generated optimizer; positive and finite. Default 0.01.
    /// </summary>
    public double LearningRate { get; set; } = 0.01;

    /// <summary>The number of samples in each minibatch; at least 1. Default 1.</summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>
    /// The seed of the generator that shuffles the samples each epoch: the same seed and data give
    /// a bit-identical run. Default 0.
    /// </summary>
    public int Seed { get; set; }
}
