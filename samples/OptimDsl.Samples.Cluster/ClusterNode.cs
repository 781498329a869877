using System;
using System.Globalization;
using System.Threading.Tasks;
using Akka.Actor;
using Akka.Configuration;
using ClusterExtension = Akka.Cluster.Cluster;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// One node of the training cluster: an Akka.NET actor system with cluster remoting over TCP and the node's
/// <see cref="Worker"/>. In one process (the sample's default, and the test) several nodes listen on
/// loopback ports; on a real cluster each machine runs one, started by <c>Program</c>'s <c>--node</c> options.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    /// <summary>The actor system's name: nodes of one cluster share it (it is part of their addresses).</summary>
    public const string SystemName = "optimdsl";

    private readonly IActorRef _worker;
    private readonly ShardSumsSerializer _serializer;

    private ClusterNode(int node, ActorSystem system, IActorRef worker)
    {
        Node = node;
        System = system;
        _worker = worker;
        _serializer = (ShardSumsSerializer)system.Serialization.FindSerializerForType(typeof(ShardSums));
    }

    /// <summary>This node's index: its shard, and its place in the order the sums are added in.</summary>
    public int Node { get; }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The node's address (with the port it listens on, also when it was started with port 0), for others to join.</summary>
    public Address Address => ClusterExtension.Get(System).SelfAddress;

    /// <summary>The bytes of <see cref="ShardSums"/> this node has serialized, that is sent to other nodes.</summary>
    public long BytesSent => _serializer.BytesWritten;

    /// <summary>The <see cref="ShardSums"/> messages this node has sent to other nodes.</summary>
    public long MessagesSent => _serializer.MessagesWritten;

    /// <summary>
    /// Starts node <paramref name="node"/> of <paramref name="nodeCount"/>, listening on
    /// <paramref name="hostname"/>:<paramref name="port"/> (0: a free port), with its worker holding
    /// <paramref name="shard"/> and a replica started at <paramref name="start"/>. It is not in a cluster until
    /// <see cref="Join"/>. <paramref name="publicHostname"/> is the address other machines reach it at when it
    /// listens on another (0.0.0.0, behind NAT); by default the one it listens on.
    /// </summary>
    public static ClusterNode Start(int node, int nodeCount, Shard shard, Model.LogisticAdam start,
                                    string hostname = "127.0.0.1", int port = 0, string? publicHostname = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, nodeCount);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var system = ActorSystem.Create(SystemName, Configuration(node, hostname, port, publicHostname ?? hostname));
        // The worker exists before the node joins, so that a node that sees this one up finds its worker.
        var worker = system.ActorOf(Worker.Props(node, nodeCount, shard, start), Worker.Name);
        return new ClusterNode(node, system, worker);
    }

    /// <summary>Joins the cluster whose seed node is at <paramref name="seed"/> (the seed node joins its own address).</summary>
    public void Join(Address seed) => ClusterExtension.Get(System).Join(seed);

    /// <summary>Completes when the worker knows every node's worker; fails after <paramref name="timeout"/>.</summary>
    public Task WhenReadyAsync(TimeSpan timeout) => _worker.Ask<Ready>(AwaitReady.Instance, timeout);

    /// <summary>
    /// Makes <paramref name="updates"/> updates together with every other node (each node must be asked) and
    /// returns this node's replica and timings; fails after <paramref name="timeout"/> or when a node is lost.
    /// </summary>
    public Task<Trained> TrainAsync(int updates, TimeSpan timeout) => _worker.Ask<Trained>(new Train(updates), timeout);

    /// <summary>
    /// Leaves the cluster and stops the actor system. Only errors are logged from here on: the other nodes'
    /// connections closing as they stop too is no news.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        System.EventStream.SetLogLevel(Akka.Event.LogLevel.ErrorLevel);
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
    }

    private static Config Configuration(int node, string hostname, int port, string publicHostname)
    {
        string assembly = typeof(ShardSums).Assembly.GetName().Name!;
        string hocon = string.Create(CultureInfo.InvariantCulture, $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              actor {
                provider = cluster
                serializers.shard-sums = "{{typeof(ShardSumsSerializer).FullName}}, {{assembly}}"
                serialization-bindings { "{{typeof(ShardSums).FullName}}, {{assembly}}" = shard-sums }
              }
              remote.log-remote-lifecycle-events = off
              remote.dot-netty.tcp {
                hostname = "{{hostname}}"
                public-hostname = "{{publicHostname}}"
                port = {{port}}
                # Every update waits for the other nodes' sums: write each message at once rather than
                # batching writes, which holds a lone small message for up to 40 ms.
                batching.enabled = false
              }
              cluster {
                roles = ["{{Worker.Role(node)}}"]
                log-info = off
              }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """);
        return ConfigurationFactory.ParseString(hocon);
    }
}
