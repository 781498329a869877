using System;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// Labelled samples for <see cref="Model.Logistic"/>: <see cref="X"/> holds the rows of
/// <see cref="Model.Features"/> features back to back, <see cref="Y"/> the labels (−1 or +1).
/// </summary>
public sealed class DataSet
{
    /// <summary>The weights the labels are drawn from; the bias is <see cref="TrueB"/>.</summary>
    public static readonly double[] TrueW = [1.5, -2, 0.5, 3, -1, 0.25, 2, -0.75];

    /// <summary>The bias the labels are drawn from.</summary>
    public const double TrueB = 0.3;

    private DataSet(double[] x, double[] y)
    {
        X = x;
        Y = y;
    }

    /// <summary>The rows of features, back to back: sample s is X[8s .. 8s + 8).</summary>
    public double[] X { get; }

    /// <summary>The labels, −1 or +1.</summary>
    public double[] Y { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Y.Length;

    /// <summary>
    /// <paramref name="count"/> samples with features uniform in [−1, 1) and the label +1 with probability
    /// σ(w·x + b) for the true w and b, else −1, from a fixed seed: every process that generates the same
    /// count and seed holds the same bits.
    /// </summary>
    public static DataSet Generate(int count, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var x = new double[count * Model.Features];
        var y = new double[count];
        for (int s = 0; s < count; s++)
        {
            double z = TrueB;
            for (int k = 0; k < Model.Features; k++)
            {
                double feature = (random.NextDouble() * 2) - 1;
                x[(s * Model.Features) + k] = feature;
                z += TrueW[k] * feature;
            }

            y[s] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : -1;
        }

        return new DataSet(x, y);
    }

    /// <summary>
    /// The samples of node <paramref name="node"/> of <paramref name="nodeCount"/>: the contiguous range
    /// [node·count/nodeCount, (node + 1)·count/nodeCount), so the shards, in node order, are the data set.
    /// </summary>
    public Shard Shard(int node, int nodeCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, nodeCount);
        int start = (int)((long)node * Count / nodeCount);
        int end = (int)((long)(node + 1) * Count / nodeCount);
        return new Shard(
            X.AsMemory(start * Model.Features, (end - start) * Model.Features),
            Y.AsMemory(start, end - start),
            Count);
    }
}

/// <summary>One node's samples, and the size of the whole data set (what the summed gradient is divided by).</summary>
/// <param name="X">The shard's rows of features, back to back.</param>
/// <param name="Y">The shard's labels.</param>
/// <param name="TotalCount">The number of samples of the whole data set, over every node.</param>
public sealed record Shard(ReadOnlyMemory<double> X, ReadOnlyMemory<double> Y, int TotalCount)
{
    /// <summary>The number of samples in this shard.</summary>
    public int Count => Y.Length;
}
