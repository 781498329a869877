using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// N nodes in this process, each an actor system of its own on a free loopback port, talking over TCP as
/// separate machines would: node 0 is the seed node and the others join it.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly ClusterNode[] _nodes;

    private LocalCluster(ClusterNode[] nodes) => _nodes = nodes;

    /// <summary>The nodes, in node order.</summary>
    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    /// <summary>The bytes of <see cref="ShardSums"/> all nodes have sent.</summary>
    public long BytesSent => _nodes.Sum(n => n.BytesSent);

    /// <summary>The <see cref="ShardSums"/> messages all nodes have sent.</summary>
    public long MessagesSent => _nodes.Sum(n => n.MessagesSent);

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes, node k holding <c>data.Shard(k, nodeCount)</c> and a replica
    /// started at <paramref name="start"/>, and waits until every worker knows every other, at most <paramref name="timeout"/>.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(DataSet data, int nodeCount, Model.LogisticAdam start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        var nodes = new ClusterNode[nodeCount];
        var cluster = new LocalCluster(nodes);
        try
        {
            for (int k = 0; k < nodeCount; k++)
            {
                nodes[k] = ClusterNode.Start(k, nodeCount, data.Shard(k, nodeCount), start);
            }

            foreach (var node in nodes)
            {
                node.Join(nodes[0].Address);
            }

            await Task.WhenAll(nodes.Select(n => n.WhenReadyAsync(timeout))).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Makes <paramref name="updates"/> updates on every node; returns each node's result, in node order.</summary>
    public Task<Trained[]> TrainAsync(int updates, TimeSpan timeout) =>
        Task.WhenAll(_nodes.Select(n => n.TrainAsync(updates, timeout)));

    /// <summary>Stops every node that was started, together.</summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_nodes.Where(n => n is not null).Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
}
