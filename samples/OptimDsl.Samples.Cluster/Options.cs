using System;
using System.Globalization;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// The sample's command line. Without <c>--node</c> it runs every node in this process; with it, this
/// process is that one node of a cluster of <c>--nodes</c> processes (README, Beyond one machine).
/// </summary>
public sealed record Options
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        dotnet run --project samples/OptimDsl.Samples.Cluster -c Release [-- options]
          --nodes N          nodes in the cluster (default 2; in one process, 1 and N are compared)
          --samples S        samples in the whole data set (default 40000)
          --updates U        Adam updates (default 300)
          --node K           run only node K (0 ≤ K < N) in this process, one of N processes
          --host H           the address this node listens on (default 127.0.0.1)
          --public-host P    the address other machines reach it at (default: --host)
          --port P           the port it listens on (default 0, a free one; give node 0 a fixed one)
          --seed H:P         the seed node's address, which the others join (node 0 without it joins itself)
        """;

    /// <summary>The nodes in the cluster.</summary>
    public int Nodes { get; init; } = 2;

    /// <summary>The samples in the whole data set.</summary>
    public int Samples { get; init; } = 40_000;

    /// <summary>The updates made.</summary>
    public int Updates { get; init; } = 300;

    /// <summary>The one node run by this process, or null to run every node in it.</summary>
    public int? Node { get; init; }

    /// <summary>The address this node listens on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The address other machines reach this node at, if not <see cref="Host"/>.</summary>
    public string? PublicHost { get; init; }

    /// <summary>The port this node listens on (0: a free one).</summary>
    public int Port { get; init; }

    /// <summary>The seed node's host and port, or null for node 0 to be the seed.</summary>
    public (string Host, int Port)? Seed { get; init; }

    /// <summary>Reads the command line; an ArgumentException names the option that is wrong.</summary>
    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.", name);
            options = name switch
            {
                "--nodes" => options with { Nodes = Positive(name, value) },
                "--samples" => options with { Samples = Positive(name, value) },
                "--updates" => options with { Updates = Positive(name, value) },
                "--node" => options with { Node = Integer(name, value) },
                "--host" => options with { Host = value },
                "--public-host" => options with { PublicHost = value },
                "--port" => options with { Port = Integer(name, value) },
                "--seed" => options with { Seed = HostAndPort(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}.", name),
            };
        }

        if (options.Node is int node && (node < 0 || node >= options.Nodes))
        {
            throw new ArgumentException($"--node {node} is not in [0, {options.Nodes}).", "--node");
        }

        if (options.Node is > 0 && options.Seed is null)
        {
            throw new ArgumentException("A node other than node 0 needs --seed, the address of the node it joins.", "--seed");
        }

        return options;
    }

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw new ArgumentException($"{name} takes a non-negative integer, not '{value}'.", name);

    private static int Positive(string name, string value) =>
        Integer(name, value) is var result and > 0 ? result : throw new ArgumentException($"{name} must be at least 1.", name);

    private static (string, int) HostAndPort(string name, string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 ? (value[..colon], Integer(name, value[(colon + 1)..]))
            : throw new ArgumentException($"{name} takes HOST:PORT, not '{value}'.", name);
    }
}
