using System;
using System.Linq;
using System.Threading.Tasks;
using OptimDsl.Samples.Cluster;
using Xunit;

namespace OptimDsl.Cluster.Tests;

/// <summary>
/// README, Beyond one machine: nodes of an Akka.NET cluster on loopback, each with a shard and an Adam
/// replica, exchange their shards' <c>LogisticGradientSum</c>, add them in node order and <c>Apply</c> the
/// mean; every replica then equals, bit for bit, single-process training over the same shards.
/// </summary>
public sealed class DataParallelTrainingTests
{
    // Bounded: a loaded machine joins in a few seconds and makes these updates in well under one.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TrainTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private const int Updates = 40;

    // An odd count: the two shards are 5,000 and 5,001 samples.
    private static readonly DataSet Data = DataSet.Generate(10_001, seed: 3);

    private static Model.LogisticAdam Start() =>
        new([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8], 0.05);

    /// <summary>
    /// The reference, written out here: samples [⌊kC/N⌋, ⌊(k+1)C/N⌋) are node k's; at each update the
    /// shards' sums are added in node order from zero, divided by C, and applied.
    /// </summary>
    private static long[] SingleProcessBits(int nodeCount)
    {
        var optimizer = Start();
        var sums = new double[Model.LogisticParameterCount];
        var mean = new double[Model.LogisticParameterCount];
        for (int update = 0; update < Updates; update++)
        {
            Array.Clear(mean);
            for (int node = 0; node < nodeCount; node++)
            {
                int from = node * Data.Count / nodeCount, to = (node + 1) * Data.Count / nodeCount;
                Model.LogisticGradientSum(
                    optimizer.Parameters,
                    Data.X.AsSpan(from * Model.Features, (to - from) * Model.Features),
                    Data.Y.AsSpan(from, to - from),
                    sums);
                for (int k = 0; k < mean.Length; k++)
                {
                    mean[k] += sums[k];
                }
            }

            for (int k = 0; k < mean.Length; k++)
            {
                mean[k] /= Data.Count;
            }

            optimizer.Apply(mean);
        }

        return Bits(optimizer.Parameters.ToArray());
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    private static async Task<(Trained[] Trained, long Bytes, long Messages)> TrainOnCluster(int nodeCount)
    {
        var cluster = await LocalCluster.StartAsync(Data, nodeCount, Start(), StartTimeout);
        try
        {
            var trained = await cluster.TrainAsync(Updates, TrainTimeout);
            return (trained, cluster.BytesSent, cluster.MessagesSent);
        }
        finally
        {
            await cluster.DisposeAsync().AsTask().WaitAsync(StopTimeout);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_replica_equals_single_process_training_over_the_same_shards_bit_for_bit(int nodeCount)
    {
        var (trained, _, _) = await TrainOnCluster(nodeCount);

        var expected = SingleProcessBits(nodeCount);
        Assert.Equal(Enumerable.Range(0, nodeCount), trained.Select(t => t.Node));
        foreach (var node in trained)
        {
            Assert.Equal(expected, Bits(node.Parameters));
            Assert.Equal(Updates, node.Iteration);
            Assert.Equal(Updates, node.Losses.Count);
        }

        // It trained: the mean loss fell from log 2 at w = 0 (it starts near it) by a clear margin.
        Assert.True(trained[0].Losses[^1] < trained[0].Losses[0] - 0.05, $"loss {trained[0].Losses[0]} → {trained[0].Losses[^1]}");
    }

    [Fact]
    public async Task One_node_is_Step_on_the_whole_data_set_bit_for_bit()
    {
        var (trained, bytes, messages) = await TrainOnCluster(1);

        var stepped = Start();
        for (int update = 0; update < Updates; update++)
        {
            stepped.Step(Data.X, Data.Y);
        }

        Assert.Equal(Bits(stepped.Parameters.ToArray()), Bits(trained[0].Parameters));
        Assert.Equal(SingleProcessBits(1), Bits(trained[0].Parameters));
        Assert.Equal(0, messages); // a single node sends nothing
        Assert.Equal(0, bytes);
    }

    /// <summary>
    /// Per update each of the N nodes sends its sums to the N − 1 others: 8 bytes of update number, 4 of node
    /// index, then the loss sum and the 9 gradient sums, 8 bytes each: 12 + 8·10 = 92 bytes a message.
    /// </summary>
    [Fact]
    public async Task Each_node_sends_the_n_plus_one_sums_and_twelve_bytes_to_each_other_node_per_update()
    {
        const int nodeCount = 2;
        var (_, bytes, messages) = await TrainOnCluster(nodeCount);

        Assert.Equal(nodeCount * (nodeCount - 1) * Updates, messages);
        Assert.Equal(messages * 92, bytes);
    }

    [Fact]
    public async Task A_node_that_leaves_during_training_fails_the_training_of_the_others()
    {
        var cluster = await LocalCluster.StartAsync(Data, 2, Start(), StartTimeout);
        try
        {
            var training = cluster.Nodes[0].TrainAsync(1_000_000, TrainTimeout);
            _ = cluster.Nodes[1].TrainAsync(1_000_000, TrainTimeout).ContinueWith(t => t.Exception, TaskScheduler.Default);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            Assert.False(training.IsCompleted);

            await cluster.Nodes[1].DisposeAsync().AsTask().WaitAsync(StopTimeout);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => training);
            Assert.Contains("node 1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.DisposeAsync().AsTask().WaitAsync(StopTimeout);
        }
    }

    [Fact]
    public void A_shard_split_covers_the_data_set_in_node_order()
    {
        var shards = Enumerable.Range(0, 3).Select(k => Data.Shard(k, 3)).ToArray();
        Assert.Equal([3333, 3334, 3334], shards.Select(s => s.Count));
        Assert.Equal(Data.Y, shards.SelectMany(s => s.Y.ToArray()));
        Assert.Equal(Data.X, shards.SelectMany(s => s.X.ToArray()));
        Assert.All(shards, s => Assert.Equal(Data.Count, s.TotalCount));
    }
}
