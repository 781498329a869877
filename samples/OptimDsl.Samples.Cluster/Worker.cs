using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using ClusterExtension = Akka.Cluster.Cluster;
using ClusterEvent = Akka.Cluster.ClusterEvent;
using Member = Akka.Cluster.Member;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// One node's worker: it holds the node's shard and its own replica of the optimizer. At each update it
/// computes <c>LogisticGradientSum</c> on its shard, sends the sums to every other node's worker, and once
/// it holds every node's sums for that update it adds them in node order (0, 1, …), divides by the size of
/// the whole data set and calls <c>Apply</c> on its replica. Every worker adds the same doubles in the same
/// order, so every replica makes the same update and they stay bit-identical (README, Beyond one machine).
/// </summary>
/// <remarks>
/// There is no coordinator: this is an all-gather, each node sending (N − 1) messages of 20 + 8(n + 1)
/// bytes per update. A worker finds the others through the cluster's membership: node k is the member
/// with the role <c>node-k</c>, and its worker is at <c>/user/worker</c>.
/// </remarks>
public sealed class Worker : ReceiveActor, IWithTimers
{
    /// <summary>The name of the worker on every node, so that the others find it by path.</summary>
    public const string Name = "worker";

    private const string RolePrefix = "node-";

    private readonly int _node;
    private readonly int _nodeCount;
    private readonly Shard _shard;
    private readonly IActorRef?[] _workers;
    private readonly Dictionary<int, Member> _members = [];
    private readonly List<IActorRef> _awaitingReady = [];

    // Sums received for updates not yet made (a node can be at most one update ahead of another).
    private readonly Dictionary<long, ShardSums?[]> _received = [];
    private Model.LogisticAdam _replica;

    // The training in progress: who asked, how far, and what it recorded.
    private IActorRef? _trainer;
    private int _updates;
    private long _update;
    private List<double> _losses = [];
    private List<TimeSpan> _updateTimes = [];
    private List<TimeSpan> _sumTimes = [];
    private readonly Stopwatch _updateWatch = new();

    /// <summary>A worker for node <paramref name="node"/> of <paramref name="nodeCount"/>, with its shard and a replica started at <paramref name="start"/>.</summary>
    public Worker(int node, int nodeCount, Shard shard, Model.LogisticAdam start)
    {
        _node = node;
        _nodeCount = nodeCount;
        _shard = shard;
        _replica = start.Clone();
        _workers = new IActorRef?[nodeCount];
        _workers[node] = Self;

        Receive<ClusterEvent.MemberUp>(up => Identify(up.Member));
        Receive<ActorIdentity>(OnIdentity);
        Receive<RetryIdentify>(retry => Identify(_members[retry.Node]));
        Receive<AwaitReady>(_ =>
        {
            if (IsReady)
            {
                Sender.Tell(new Ready(_node));
            }
            else
            {
                _awaitingReady.Add(Sender);
            }
        });
        Receive<Train>(OnTrain);
        Receive<ShardSums>(OnSums);
        Receive<ClusterEvent.MemberRemoved>(removed => OnRemoved(removed.Member));
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a worker, for <c>ActorOf(props, Worker.Name)</c>.</summary>
    public static Props Props(int node, int nodeCount, Shard shard, Model.LogisticAdam start) =>
        Akka.Actor.Props.Create(() => new Worker(node, nodeCount, shard, start));

    /// <summary>The role that marks node <paramref name="node"/>'s member.</summary>
    public static string Role(int node) => RolePrefix + node.ToString(CultureInfo.InvariantCulture);

    private bool IsReady => Array.TrueForAll(_workers, w => w is not null);

    /// <inheritdoc/>
    protected override void PreStart() =>
        ClusterExtension.Get(Context.System).Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp),
            typeof(ClusterEvent.MemberRemoved));

    /// <inheritdoc/>
    protected override void PostStop() => ClusterExtension.Get(Context.System).Unsubscribe(Self);

    private void Identify(Member member)
    {
        int node = NodeOf(member);
        if (node < 0 || node >= _nodeCount || node == _node || _workers[node] is not null)
        {
            return;
        }

        // The identify's id travels to the other node and back: the node index (an int) rather than the member.
        _members[node] = member;
        var selection = Context.ActorSelection(new RootActorPath(member.Address) / "user" / Name);
        selection.Tell(new Identify(node), Self);
    }

    private void OnIdentity(ActorIdentity identity)
    {
        int node = (int)identity.MessageId;
        if (identity.Subject is null)
        {
            // The member is up but its worker is not started yet: ask again shortly.
            Timers.StartSingleTimer(node, new RetryIdentify(node), TimeSpan.FromMilliseconds(100));
            return;
        }

        _workers[node] = identity.Subject;
        if (IsReady)
        {
            foreach (var asker in _awaitingReady)
            {
                asker.Tell(new Ready(_node));
            }

            _awaitingReady.Clear();
        }
    }

    private void OnTrain(Train train)
    {
        if (!IsReady || _trainer is not null || train.Updates < 1)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException(
                !IsReady ? "The worker does not know every node yet: await Ready first."
                : _trainer is not null ? "A training is already running."
                : $"Train needs at least one update, not {train.Updates}.")));
            return;
        }

        _trainer = Sender;
        _updates = train.Updates;
        _update = 0;
        _losses = new List<double>(train.Updates);
        _updateTimes = new List<TimeSpan>(train.Updates);
        _sumTimes = new List<TimeSpan>(train.Updates);
        StartUpdate();
    }

    // Computes this shard's sums for the current update and sends them to every other worker.
    private void StartUpdate()
    {
        _updateWatch.Restart();
        var gradientSum = new double[Model.LogisticParameterCount];
        double lossSum = Model.LogisticGradientSum(_replica.Parameters, _shard.X.Span, _shard.Y.Span, gradientSum);
        _sumTimes.Add(_updateWatch.Elapsed);
        var sums = new ShardSums(_update, _node, lossSum, gradientSum);
        for (int k = 0; k < _nodeCount; k++)
        {
            if (k != _node)
            {
                _workers[k]!.Tell(sums, Self);
            }
        }

        OnSums(sums);
    }

    private void OnSums(ShardSums sums)
    {
        if (!_received.TryGetValue(sums.Update, out var all))
        {
            all = new ShardSums?[_nodeCount];
            _received.Add(sums.Update, all);
        }

        all[sums.Node] = sums;
        // Another node's sums for an update this worker has not started wait in _received.
        if (_trainer is not null && sums.Update == _update && Array.TrueForAll(all, s => s is not null))
        {
            _received.Remove(_update);
            ApplyUpdate(all!);
        }
    }

    // Adds the nodes' sums in node order, divides by the whole data set's size and applies the mean.
    private void ApplyUpdate(ShardSums[] all)
    {
        double lossSum = 0;
        var mean = new double[Model.LogisticParameterCount];
        foreach (var sums in all)
        {
            lossSum += sums.LossSum;
            for (int k = 0; k < mean.Length; k++)
            {
                mean[k] += sums.GradientSum[k];
            }
        }

        for (int k = 0; k < mean.Length; k++)
        {
            mean[k] /= _shard.TotalCount;
        }

        _replica.Apply(mean);
        _losses.Add(lossSum / _shard.TotalCount);
        _updateTimes.Add(_updateWatch.Elapsed);
        _update++;
        if (_update < _updates)
        {
            StartUpdate();
            return;
        }

        _trainer!.Tell(new Trained(_node, _replica.Parameters.ToArray(), _replica.Iteration, _losses, _updateTimes, _sumTimes));
        _trainer = null;
    }

    // A node removed from the cluster sends no more sums: the training fails, unless all this worker still
    // needs from it are its sums for the last update and they are here (a node that finished first may
    // leave first). An unreachable node is only waited for: remoting delivers its sums if it comes back,
    // and the cluster removes it if it does not.
    private void OnRemoved(Member member)
    {
        int node = NodeOf(member);
        if (_trainer is null || node < 0 || node >= _nodeCount)
        {
            return;
        }

        bool lastSumsHere = _update == _updates - 1 && _received.TryGetValue(_update, out var all) && all[node] is not null;
        if (!lastSumsHere)
        {
            _trainer.Tell(new Status.Failure(new InvalidOperationException(
                $"Node {_node} stopped training at update {_update}: node {node} ({member.Address}) left the cluster.")));
            _trainer = null;
        }
    }

    private static int NodeOf(Member member)
    {
        foreach (string role in member.Roles)
        {
            if (role.StartsWith(RolePrefix, StringComparison.Ordinal)
                && int.TryParse(role.AsSpan(RolePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int node))
            {
                return node;
            }
        }

        return -1;
    }

    private sealed record RetryIdentify(int Node);
}
