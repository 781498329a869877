using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Akka.Actor;
using OptimDsl.Samples.Cluster;

// Data-parallel training on an Akka.NET cluster (README, "Beyond one machine"). Each node holds a shard
// of the data set and its own Adam replica; at every update each node computes LogisticGradientSum on its
// shard, the nodes exchange their sums, every node adds them in node order, divides by the number of
// samples and calls Apply. The replicas stay bit-identical, and equal to the same arithmetic in one process.
//
// Without --node, every node runs in this process (each its own actor system on a loopback TCP port):
// first one node, then N, and the table compares them. With --node K, this process is node K of a
// cluster of N processes, on one machine or many (Options.Usage).

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

// Every process generates the same data set from the same seed and keeps its shard (on a real cluster
// each machine would load only its own shard). Adam starts from w = 0, b = 0 on every node.
var data = DataSet.Generate(options.Samples);
var start = new Model.LogisticAdam(new double[Model.Features], 0);
var trainTimeout = TimeSpan.FromMinutes(10);

return options.Node is int node ? await RunOneNodeAsync(node) : await RunInProcessAsync();

// ---------------------------------------------------------------------------------------------------
// All nodes in this process: one node, then N, against the single-process reference.
async Task<int> RunInProcessAsync()
{
    Console.WriteLine($"Logistic regression, {data.Count:N0} samples of {Model.Features} features, Adam, {options.Updates} updates.");
    Console.WriteLine($"Each node is an Akka.NET actor system of its own on a loopback TCP port, all in this process ({Environment.ProcessorCount} cores).");
    Console.WriteLine();

    // The baseline without a cluster: Step on the whole data set, timed update by update, after as many
    // untimed updates, so that the JIT has compiled the gradient's final code before anything is timed.
    var warm = start.Clone();
    for (int u = 0; u < options.Updates; u++)
    {
        warm.Step(data.X, data.Y);
    }

    var stepped = start.Clone();
    var stepTimes = new TimeSpan[options.Updates];
    for (int u = 0; u < options.Updates; u++)
    {
        long t0 = Stopwatch.GetTimestamp();
        stepped.Step(data.X, data.Y);
        stepTimes[u] = Stopwatch.GetElapsedTime(t0);
    }

    int gradientBytes = sizeof(double) * Model.LogisticParameterCount;
    // Node 0's medians: an update is its shard's sums, then the wait for the others' (the exchange, and
    // any node that is slower), then the reduction and Apply.
    Console.WriteLine("nodes  samples/node  update (median)  sums (median)  wait (median)  messages/update  bytes sent/update  per node  equals single-process");
    Console.WriteLine($"    -  {data.Count,12:N0}  {Micro(Median(stepTimes)),15}  {"",13}  {"",13}  {"",15}  {"",17}  {"",8}  (Step, no cluster)");

    bool allEqual = true;
    var medians = new double[2];
    int[] sizes = options.Nodes == 1 ? [1] : [1, options.Nodes];
    Trained[]? last = null;
    foreach (int nodeCount in sizes)
    {
        await using var cluster = await LocalCluster.StartAsync(data, nodeCount, start, TimeSpan.FromSeconds(30));
        var trained = await cluster.TrainAsync(options.Updates, trainTimeout);
        var reference = SingleProcess.Train(data, nodeCount, start, options.Updates);
        bool equal = trained.All(t => t.Parameters.SequenceEqual(reference.Parameters.ToArray(), BitwiseComparer.Instance))
                     && trained.All(t => t.Iteration == options.Updates);
        if (nodeCount == 1)
        {
            // One shard: the sums divided by the count are the data overload's gradient, so this is Step.
            equal &= reference.Parameters.ToArray().SequenceEqual(stepped.Parameters.ToArray(), BitwiseComparer.Instance);
        }

        allEqual &= equal;
        var updateMedian = Median(trained[0].UpdateTimes);
        medians[nodeCount == 1 ? 0 : 1] = updateMedian.TotalMilliseconds;
        Console.WriteLine(
            $"{nodeCount,5}  {data.Count / nodeCount,12:N0}  {Micro(updateMedian),15}  {Micro(Median(trained[0].SumTimes)),13}  " +
            $"{Micro(Median(trained[0].UpdateTimes.Zip(trained[0].SumTimes, (u, s) => u - s).ToArray())),13}  " +
            $"{(double)cluster.MessagesSent / options.Updates,15:F0}  {(double)cluster.BytesSent / options.Updates,15:F0} B  " +
            $"{(double)cluster.BytesSent / options.Updates / nodeCount,6:F0} B  {(equal ? "bit for bit" : "NO")}");
        last = trained;
    }

    Console.WriteLine();
    Console.WriteLine($"The gradient is {Model.LogisticParameterCount} doubles, {gradientBytes} bytes; a message carries it, the loss sum and 12 bytes (update, node): {ShardSumsSerializer.SizeOf(Model.LogisticParameterCount)} B, to each of the N − 1 other nodes.");
    if (sizes.Length == 2)
    {
        Console.WriteLine($"{options.Nodes} nodes against 1: {medians[1] / medians[0]:F2}× the time per update (medians; Akka's own envelope and heartbeats are not counted in the bytes).");
    }

    var fitted = last![0];
    Console.WriteLine();
    Console.WriteLine($"Mean loss {fitted.Losses[0]:F4} before the first update, {fitted.Losses[^1]:F4} before the last. Fitted against true:");
    Console.WriteLine("  " + string.Join("  ", Enumerable.Range(0, Model.Features).Select(k => $"w{k} {fitted.Parameters[k],6:F3} ({DataSet.TrueW[k]})")) + $"  b {fitted.Parameters[^1]:F3} ({DataSet.TrueB})");
    if (!allEqual)
    {
        Console.Error.WriteLine("The cluster's parameters differ from the single-process training's.");
        return 1;
    }

    Console.WriteLine($"Every replica on every node equals the single-process training over the same shards, bit for bit (and with one node, Step).");
    return 0;
}

// ---------------------------------------------------------------------------------------------------
// This process is one node of N: on a real cluster every machine runs this with its own --node.
async Task<int> RunOneNodeAsync(int node)
{
    await using var self = ClusterNode.Start(node, options.Nodes, data.Shard(node, options.Nodes), start, options.Host, options.Port, options.PublicHost);
    var seed = options.Seed is var (host, port) ? new Address("akka.tcp", ClusterNode.SystemName, host, port) : self.Address;
    Console.WriteLine($"Node {node} of {options.Nodes} at {self.Address}, {data.Shard(node, options.Nodes).Count:N0} samples; joining {seed}.");
    self.Join(seed);
    await self.WhenReadyAsync(TimeSpan.FromMinutes(10));
    Console.WriteLine("Every node's worker is known: training.");
    var watch = Stopwatch.StartNew();
    var trained = await self.TrainAsync(options.Updates, trainTimeout);
    watch.Stop();

    var reference = SingleProcess.Train(data, options.Nodes, start, options.Updates);
    bool equal = trained.Parameters.SequenceEqual(reference.Parameters.ToArray(), BitwiseComparer.Instance);
    Console.WriteLine($"{options.Updates} updates in {watch.Elapsed.TotalMilliseconds:F0} ms: median {Micro(Median(trained.UpdateTimes))} per update, {Micro(Median(trained.SumTimes))} of it in the shard's sums; sent {(double)self.BytesSent / options.Updates:F0} B per update.");
    Console.WriteLine($"Mean loss {trained.Losses[^1]:F4}; parameters {(equal ? "equal" : "DIFFER FROM")} the single-process training over the same shards, bit for bit.");
    Console.WriteLine($"Parameters' bits: {string.Join(" ", trained.Parameters.Select(p => BitConverter.DoubleToInt64Bits(p).ToString("x16")))}");
    return equal ? 0 : 1;
}

static TimeSpan Median(System.Collections.Generic.IReadOnlyList<TimeSpan> times)
{
    var sorted = times.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static string Micro(TimeSpan time) => $"{time.TotalMicroseconds:F0} µs";
