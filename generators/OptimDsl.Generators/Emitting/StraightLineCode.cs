using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Lowers a set of output nodes to straight-line C#: a local for every node that is shared (used
/// more than once) or that the user named, in topological order, and the outputs as expressions
/// over those locals. This is where common subexpressions become visible as variables.
/// </summary>
internal sealed class StraightLineCode
{
    private readonly ExpressionGraph _graph;
    private readonly Dictionary<int, string> _names = new();
    private readonly ExpressionPrinter _printer;
    private readonly Dictionary<int, string> _types = new();

    /// <param name="graph">The graph.</param>
    /// <param name="outputs">The nodes to compute.</param>
    /// <param name="leafNames">Identifiers for parameter and data nodes, by node id.</param>
    /// <param name="hints">Preferred names for some nodes.</param>
    /// <param name="scope">Names already taken in the method (parameters, outputs); local names avoid them.</param>
    public StraightLineCode(ExpressionGraph graph, IReadOnlyList<int> outputs, IReadOnlyDictionary<int, string> leafNames, IEnumerable<NameHint> hints, NameScope scope)
    {
        _graph = graph;
        foreach (var leaf in leafNames)
        {
            _names[leaf.Key] = leaf.Value;
        }

        var hinted = new Dictionary<int, string>();
        foreach (var hint in hints)
        {
            if (!hinted.ContainsKey(hint.Node))
            {
                hinted[hint.Node] = hint.Name;
            }
        }

        var reachable = graph.Reachable(outputs);
        var uses = new int[graph.Count];
        foreach (var output in outputs)
        {
            uses[output]++;
        }

        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            if (reachable[id])
            {
                for (var k = 0; k < node.Operation.Arity(); k++)
                {
                    uses[node.Operand(k)]++;
                }
            }
        }

        var locals = new List<Local>();
        var unnamed = 0;
        var inline = new InlineExtent(graph);
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            if (!reachable[id] || node.Operation.IsLeaf() || _names.ContainsKey(id))
            {
                continue;
            }

            var isHinted = hinted.TryGetValue(id, out var hint);
            var tooLarge = inline.Measure(id, operand => _names.ContainsKey(operand));
            if (uses[id] > 1 || isHinted || tooLarge)
            {
                var name = scope.Reserve(isHinted ? hint! : "t" + unnamed++);
                _names[id] = name;
                var type = node.Operation.IsBoolean() ? "bool" : graph.Element.Keyword();
                locals.Add(new Local(id, name, type));
                _types[id] = type;
            }
        }

        _printer = new ExpressionPrinter(graph, id => _names.TryGetValue(id, out var n) ? n : null, qualified: true);
        Locals = locals;
    }

    /// <summary>A local variable: the node it holds, its name and its C# type.</summary>
    public readonly record struct Local(int Node, string Name, string Type);

    public IReadOnlyList<Local> Locals { get; }

    /// <summary>The expression that computes a node's value (its own definition, for a local).</summary>
    public string Definition(int node)
    {
        var name = _names.TryGetValue(node, out var n) ? n : null;
        if (name is null || _graph[node].Operation.IsLeaf())
        {
            return Reference(node);
        }

        _names.Remove(node);
        try
        {
            return _printer.Print(node);
        }
        finally
        {
            _names[node] = name;
        }
    }

    /// <summary>The expression for a node as used elsewhere: its local's name when it has one.</summary>
    public string Reference(int node) => _printer.Print(node);

    /// <summary>Whether the node gets a local of its own (see <see cref="Locals"/>).</summary>
    public bool IsLocal(int node) => _types.ContainsKey(node);

    /// <summary>The C# type of a local's node.</summary>
    public string TypeOf(int node) => _types[node];
}

/// <summary>
/// How deeply and how largely a node would print inline, over operands that are not printed by
/// name. Every emitter gives a node whose extent passes <see cref="MaxDepth"/> or
/// <see cref="MaxSize"/> a local of its own, so that every printed expression is small: the
/// compiler refuses expressions nested too deeply (CS8078), and the printers recurse once per level.
/// </summary>
internal sealed class InlineExtent
{
    /// <summary>The deepest nesting of operations printed in one expression.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most operations printed in one expression.</summary>
    public const int MaxSize = 256;

    private readonly ExpressionGraph _graph;
    private readonly int[] _depth;
    private readonly int[] _size;

    public InlineExtent(ExpressionGraph graph)
    {
        _graph = graph;
        _depth = new int[graph.Count];
        _size = new int[graph.Count];
    }

    /// <summary>
    /// Measures node <paramref name="id"/>, whose operands were measured before (ids ascend), and
    /// says whether it is too large to print inline.
    /// </summary>
    /// <param name="id">The node.</param>
    /// <param name="isNamed">Whether an operand is printed by name (a parameter or a local).</param>
    public bool Measure(int id, Func<int, bool> isNamed)
    {
        var node = _graph[id];
        var depth = 0;
        var size = 1;
        for (var k = 0; k < node.Operation.Arity(); k++)
        {
            var operand = node.Operand(k);
            if (!isNamed(operand))
            {
                depth = Math.Max(depth, _depth[operand]);
                size += _size[operand];
            }
        }

        _depth[id] = depth + 1;
        _size[id] = size;
        return depth + 1 > MaxDepth || size > MaxSize;
    }
}

/// <summary>
/// A demand-driven statement order over <see cref="StraightLineCode"/>: for each output in turn, the
/// parameters and locals it needs that are not defined yet, dependencies first. Defining each value
/// just before its first use keeps few values live at once; the JIT keeps the statement order.
/// </summary>
internal sealed class DemandOrder
{
    private readonly ExpressionGraph _graph;
    private readonly StraightLineCode _code;
    private readonly bool[] _visited;

    public DemandOrder(ExpressionGraph graph, StraightLineCode code)
    {
        _graph = graph;
        _code = code;
        _visited = new bool[graph.Count];
    }

    /// <summary>The parameter and local nodes <paramref name="output"/> needs that no earlier call returned, in an order that defines dependencies first.</summary>
    public IReadOnlyList<int> Take(int output)
    {
        // Iterative post-order (deep expressions must not overflow the generator's stack). A node is
        // expanded at its first pop; in a DAG its operands are then all emitted before it.
        var order = new List<int>();
        var stack = new Stack<(int Node, bool Expanded)>();
        stack.Push((output, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded)
            {
                if (_graph[node].Operation is Operation.Parameter or Operation.Data || _code.IsLocal(node))
                {
                    order.Add(node);
                }

                continue;
            }

            if (_visited[node])
            {
                continue;
            }

            _visited[node] = true;
            stack.Push((node, true));
            var expression = _graph[node];
            for (var k = expression.Operation.Arity() - 1; k >= 0; k--)
            {
                stack.Push((expression.Operand(k), false));
            }
        }

        return order;
    }
}

/// <summary>The identifiers in use in one generated method: new names never collide with the user's.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;

    // The next suffix to try for each preferred name: ten thousand locals named s cost linear time.
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    public NameScope(IEnumerable<string> taken) => _taken = new HashSet<string>(taken, StringComparer.Ordinal);

    /// <summary>Reserves <paramref name="preferred"/>, or the first free of <c>preferred2</c>, <c>preferred3</c>… (<c>t0_2</c> after a digit).</summary>
    public string Reserve(string preferred)
    {
        var separator = preferred.Length > 0 && char.IsDigit(preferred[preferred.Length - 1]) ? "_" : string.Empty;
        var name = preferred;
        var k = _nextSuffix.TryGetValue(preferred, out var next) ? next : 2;
        if (!_taken.Add(name))
        {
            do
            {
                name = preferred + separator + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
                k++;
            }
            while (!_taken.Add(name));
        }

        _nextSuffix[preferred] = k;
        return Naming.Identifier(name);
    }
}
