using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Per-sample values of a sum over samples, computed four samples (eight of a float objective) at a time, one sample per SIMD lane: the code the
/// data gradient's loop (<see cref="DataGradientEmitter"/>) and Levenberg–Marquardt's Gauss–Newton pass share.
/// </summary>
/// <remarks>
/// The nodes split in two: <i>uniform</i> nodes depend only on the parameters (and constants, fields) and are computed
/// once, before the loop (<see cref="WriteUniform"/>), then broadcast to every lane (<see cref="WriteBroadcast"/>);
/// <i>varying</i> nodes depend on a data value and are computed per lane (<see cref="WriteLanes"/>). Every lane operation
/// is an IEEE-exact vector operation, a <c>Math</c> call per lane, or OptimDsl's own Exp/Log, the same at every width,
/// so that lane l computes the same bits in a Vector256, in a Vector128 pair, and in software.
/// </remarks>
internal sealed class SampleLanes
{
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string VectorMath = "global::OptimDsl.VectorMath";

    /// <summary>
    /// Code that adds the double lanes of a sum over samples in the one order every width shares: a double objective's
    /// four lanes (samples ≡ l mod 4), in one Vector256 or two Vector128, by the runtime library's VectorMath.SumLanes as
    /// (l0 + l1) + (l2 + l3); a float objective's eight (samples ≡ l mod 8), widened to a set of lanes 0–3 and a set of
    /// lanes 4–7 (two Vector256 or four Vector128), as SumLanes(lanes 0–3) + SumLanes(lanes 4–7) (README, Float objectives).
    /// </summary>
    /// <param name="lanes">The vectors that hold the lanes, lane 0's first.</param>
    /// <param name="eightLanes">Whether they hold eight lanes (a float objective's samples) rather than four.</param>
    public static string AddLanes(IReadOnlyList<string> lanes, bool eightLanes)
    {
        if (!eightLanes)
        {
            return $"{VectorMath}.SumLanes({string.Join(", ", lanes)})";
        }

        var half = lanes.Count / 2;
        return $"{VectorMath}.SumLanes({string.Join(", ", lanes.Take(half))}) + {VectorMath}.SumLanes({string.Join(", ", lanes.Skip(half))})";
    }

    private readonly SourceWriter _w;
    private readonly ObjectiveModel _objective;
    private readonly ParameterModel[] _data;
    private readonly (ParameterModel Parameter, int Element)[] _dataValues;
    private readonly ExpressionGraph _graph;
    private readonly int[] _outputs;
    private readonly bool[] _reachable;
    private readonly bool[] _varying;
    private readonly int[] _uses;
    private readonly NameScope _scope;
    private readonly Dictionary<int, string> _uniformNames = new();

    /// <param name="writer">Where to write.</param>
    /// <param name="objective">The objective: its data parameters and name hints.</param>
    /// <param name="graph">The graph of the values.</param>
    /// <param name="outputs">The nodes computed per sample (the loss and its gradient; a residual and its Jacobian row).</param>
    /// <param name="scope">The method's names.</param>
    public SampleLanes(SourceWriter writer, ObjectiveModel objective, ExpressionGraph graph, IReadOnlyList<int> outputs, NameScope scope)
    {
        _w = writer;
        _objective = objective;
        _data = objective.DataParameters();
        _dataValues = objective.DataValues();
        _graph = graph;
        _outputs = outputs.ToArray();
        _scope = scope;
        _reachable = _graph.Reachable(_outputs);
        _varying = new bool[_graph.Count];
        _uses = new int[_graph.Count];
        for (var id = 0; id < _graph.Count; id++)
        {
            var node = _graph[id];
            _varying[id] = node.Operation == Operation.Data;
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                _varying[id] |= _varying[node.Operand(k)];
                if (_reachable[id])
                {
                    _uses[node.Operand(k)]++;
                }
            }
        }

        foreach (var output in _outputs)
        {
            _uses[output]++;
        }
    }

    /// <summary>
    /// Writes the sample-independent subexpressions the lanes read, once, as scalar locals; the trained values are the
    /// locals <paramref name="parameterNames"/> (by flat index), declared by the caller.
    /// </summary>
    public void WriteUniform(IReadOnlyList<string> parameterNames)
    {
        var leafNames = new Dictionary<int, string>();
        for (var id = 0; id < _graph.Count; id++)
        {
            if (_graph[id].Operation == Operation.Parameter)
            {
                leafNames[id] = parameterNames[_graph[id].Index];
            }
        }

        var uniformInputs = UniformInputsOfVaryingNodes();
        var uniformCode = new StraightLineCode(_graph, uniformInputs, leafNames, _objective.NameHints, _scope);
        var hoists = uniformCode.Locals.Count > 0 || uniformInputs.Any(n => !_graph[n].Operation.IsLeaf());
        if (hoists)
        {
            _w.WriteLine("// Sample-independent subexpressions, hoisted out of the loop.");
        }

        foreach (var local in uniformCode.Locals)
        {
            _w.WriteLine($"{local.Type} {local.Name} = {uniformCode.Definition(local.Node)};");
            _uniformNames[local.Node] = local.Name;
        }

        foreach (var node in uniformInputs.Where(n => !_uniformNames.ContainsKey(n)))
        {
            var name = _graph[node].Operation.IsLeaf() && leafNames.TryGetValue(node, out var leaf) ? leaf : null;
            if (name is null)
            {
                name = _scope.Reserve("u" + _uniformNames.Count);
                _w.WriteLine($"{(_graph[node].Operation.IsBoolean() ? "bool" : _graph.Element.Keyword())} {name} = {uniformCode.Definition(node)};");
            }

            _uniformNames[node] = name;
        }
    }

    /// <summary>Uniform nodes that varying nodes or outputs read: the loop's inputs from outside.</summary>
    private List<int> UniformInputsOfVaryingNodes()
    {
        var inputs = new SortedSet<int>();
        for (var id = 0; id < _graph.Count; id++)
        {
            if (!_reachable[id] || !_varying[id])
            {
                continue;
            }

            var node = _graph[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                var operand = node.Operand(k);
                if (!_varying[operand] && !_graph[operand].IsConstant)
                {
                    inputs.Add(operand);
                }
            }
        }

        foreach (var output in _outputs.Where(o => !_varying[o] && !_graph[o].IsConstant))
        {
            inputs.Add(output);
        }

        return inputs.ToList();
    }

    /// <summary>The uniform values (see <see cref="WriteUniform"/>) broadcast to every lane of a vector of <paramref name="width"/> lanes, once: the names by node.</summary>
    public Dictionary<int, string> WriteBroadcast(int width)
    {
        var vector = VectorExpressionPrinter.VectorType(width, _graph.Element);
        var broadcast = new Dictionary<int, string>();
        foreach (var pair in _uniformNames.OrderBy(p => p.Key))
        {
            if (_graph[pair.Key].Operation.IsBoolean())
            {
                broadcast[pair.Key] = pair.Value; // stays a scalar bool (see VectorExpressionPrinter)
                continue;
            }

            var name = _scope.Reserve(pair.Value + "V" + width);
            _w.WriteLine($"var {name} = {vector}.Create({pair.Value});");
            broadcast[pair.Key] = name;
        }

        return broadcast;
    }

    /// <summary>
    /// Writes the loads and the varying locals of samples <c>i + offset</c> to <c>i + offset + width − 1</c>, one per
    /// lane; returns, per output, the vector expression of its lanes' values, or null for an output that is the
    /// constant 0.
    /// </summary>
    /// <param name="width">Lanes: 4 (Vector256) or 2 (Vector128) of doubles; 8 or 4 of floats.</param>
    /// <param name="offset">The first lane's sample after <paramref name="i"/>: 0, or the lanes of a Vector128 for a Vector128 pair's high half.</param>
    /// <param name="i">The loop's sample index.</param>
    /// <param name="broadcast">The broadcast uniform values (<see cref="WriteBroadcast"/>).</param>
    /// <param name="dataRefs">Per data parameter, the <c>ref double</c> local of its span's first value.</param>
    public string?[] WriteLanes(int width, int offset, string i, Dictionary<int, string> broadcast, string[] dataRefs)
    {
        var vector = VectorExpressionPrinter.VectorType(width, _graph.Element);
        var names = new Dictionary<int, string>(broadcast);
        var position = offset == 0 ? $"(nuint){i}" : $"(nuint)({i} + {offset})";
        for (var id = 0; id < _graph.Count; id++)
        {
            if (_graph[id].Operation == Operation.Data && _reachable[id])
            {
                var (parameter, element) = _dataValues[_graph[id].Index];
                var row = dataRefs[System.Array.IndexOf(_data, parameter)];
                var name = _scope.Reserve(parameter.ElementLocal(element).TrimStart('@') + (offset == 0 ? string.Empty : "High"));
                if (parameter.IsVector)
                {
                    // Value k of consecutive samples' rows, N apart: one load per lane.
                    var lanes = Enumerable.Range(offset, width)
                        .Select(lane => $"{Unsafe}.Add(ref {row}, ((nint){i} + {lane}) * {parameter.Length} + {element})");
                    _w.WriteLine($"var {name} = {vector}.Create({string.Join(", ", lanes)});");
                }
                else
                {
                    _w.WriteLine($"var {name} = {vector}.LoadUnsafe(ref {row}, {position});");
                }

                names[id] = name;
            }
        }

        var printer = new VectorExpressionPrinter(_graph, width, id => names.TryGetValue(id, out var n) ? n : null, id => !_varying[id]);
        var temp = 0;
        var inline = new InlineExtent(_graph);
        for (var id = 0; id < _graph.Count; id++)
        {
            if (_reachable[id] && _varying[id] && !_graph[id].Operation.IsLeaf()
                && (_uses[id] > 1 | inline.Measure(id, names.ContainsKey)))
            {
                var name = _scope.Reserve((offset == 0 ? "v" : "w") + temp++);
                _w.WriteLine($"var {name} = {printer.Print(id)};");
                names[id] = name;
            }
        }

        return _outputs
            .Select(output => _graph[output].IsConstantValue(0) ? null
                : _varying[output] || !names.ContainsKey(output) ? printer.Print(output) : names[output])
            .ToArray();
    }

    /// <summary>Writes the <c>ref double</c> (or <c>ref float</c>) locals <paramref name="names"/> of the data spans' first values, which <see cref="WriteLanes"/> reads.</summary>
    public static void WriteDataRefs(SourceWriter writer, ParameterModel[] data, string[] names)
    {
        for (var d = 0; d < data.Length; d++)
        {
            writer.WriteLine($"ref {data[d].Element.Keyword()} {names[d]} = ref {MemoryMarshal}.GetReference({Naming.Identifier(data[d].Name)});");
        }
    }
}
