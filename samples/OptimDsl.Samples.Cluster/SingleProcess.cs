using System;

namespace OptimDsl.Samples.Cluster;

/// <summary>The training the cluster does, in one process: what its result is checked against.</summary>
public static class SingleProcess
{
    /// <summary>
    /// <paramref name="updates"/> updates from <paramref name="start"/>, each from the shards' sums added in
    /// node order and divided by the number of samples: the arithmetic of the nodes, without the network.
    /// With one node this is <c>Step</c> on the whole data set, bit for bit.
    /// </summary>
    public static Model.LogisticAdam Train(DataSet data, int nodeCount, Model.LogisticAdam start, int updates)
    {
        var replica = start.Clone();
        var gradientSum = new double[Model.LogisticParameterCount];
        var mean = new double[Model.LogisticParameterCount];
        for (int update = 0; update < updates; update++)
        {
            mean.AsSpan().Clear();
            for (int node = 0; node < nodeCount; node++)
            {
                var shard = data.Shard(node, nodeCount);
                Model.LogisticGradientSum(replica.Parameters, shard.X.Span, shard.Y.Span, gradientSum);
                for (int k = 0; k < mean.Length; k++)
                {
                    mean[k] += gradientSum[k];
                }
            }

            for (int k = 0; k < mean.Length; k++)
            {
                mean[k] /= data.Count;
            }

            replica.Apply(mean);
        }

        return replica;
    }
}
