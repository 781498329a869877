using System;
using System.Collections.Generic;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// What one node sends every other node at each update: its shard's <c>LogisticGradientSum</c> at the
/// replicas' common parameters. The only message that crosses the network while training; it is written
/// by <see cref="ShardSumsSerializer"/>.
/// </summary>
/// <param name="Update">The update these sums are for, from 0: a faster node's sums for the next update may arrive early.</param>
/// <param name="Node">The sending node's index, which is its place in the order of addition.</param>
/// <param name="LossSum">The sum of the losses over the shard.</param>
/// <param name="GradientSum">The sum of the gradients over the shard, one value per parameter.</param>
public sealed record ShardSums(long Update, int Node, double LossSum, double[] GradientSum);

/// <summary>Asks a worker to answer <see cref="Ready"/> once it knows every node's worker.</summary>
public sealed record AwaitReady
{
    /// <summary>The message (it has no data).</summary>
    public static readonly AwaitReady Instance = new();
}

/// <summary>A worker's answer to <see cref="AwaitReady"/>.</summary>
/// <param name="Node">The worker's node index.</param>
public sealed record Ready(int Node);

/// <summary>Asks a worker to make <paramref name="Updates"/> updates with every other worker; it answers <see cref="Trained"/>.</summary>
public sealed record Train(int Updates);

/// <summary>A worker's answer to <see cref="Train"/>.</summary>
/// <param name="Node">The worker's node index.</param>
/// <param name="Parameters">The replica's parameters after the last update (w[8], b).</param>
/// <param name="Iteration">The replica's update count.</param>
/// <param name="Losses">The mean loss over the whole data set before each update, reduced like the gradient.</param>
/// <param name="UpdateTimes">The wall time of each update: the shard's sums, the exchange, the reduction and Apply.</param>
/// <param name="SumTimes">The time of each update spent in <c>LogisticGradientSum</c> on the shard.</param>
public sealed record Trained(
    int Node,
    double[] Parameters,
    long Iteration,
    IReadOnlyList<double> Losses,
    IReadOnlyList<TimeSpan> UpdateTimes,
    IReadOnlyList<TimeSpan> SumTimes);
