using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// A rolled loop's iterations a Vector256 at a time, one iteration per SIMD lane (README, Large loops and
/// large models): iterations t … t + 3 are the lanes of one <c>Vector256&lt;double&gt;</c> where it is accelerated,
/// or of two <c>Vector128&lt;double&gt;</c> otherwise (in software where there is no SIMD hardware); in a float
/// objective iterations t … t + 7, of one <c>Vector256&lt;float&gt;</c> or two <c>Vector128&lt;float&gt;</c>
/// (README, Float objectives). Below, "four" is the lanes for doubles (ElementTypeFacts.Lanes256); floats have eight.
/// </summary>
/// <remarks>
/// <para>
/// A loop of sums alone keeps <see cref="SumSets"/> sets of four lane sums: lane l of the even set adds
/// iterations 8k + l, of the odd set 8k + 4 + l (a last group of four goes to the even set); the sets
/// are added lane by lane and the runtime library's <c>VectorMath.SumLanes</c> adds the lanes as
/// (s0 + s1) + (s2 + s3) at both widths (eight float lanes as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))); a loop that adds to the gradient keeps one set. The caller
/// then adds the last n mod 4 iterations in order, in scalar code. Every lane operation is an IEEE-exact vector
/// operation, a <c>System.Math</c> (<c>System.MathF</c>) call per lane, or OptimDsl's own Exp and Log, the same at every
/// width (see <see cref="VectorExpressionPrinter"/>), so both widths give the same bits.
/// </para>
/// <para>
/// What does not change with the iteration (the fixed values, the sums' adjoints, and what the body
/// computes from them alone) is computed once before the loop, in scalar code, and broadcast.
/// </para>
/// </remarks>
internal sealed class RolledLanes
{
    /// <summary>Sets of one Vector256's lanes of accumulators a loop of sums alone adds into, in turn (see <see cref="Write"/>).</summary>
    public const int SumSets = 2;

    private const string VectorMath = "global::OptimDsl.VectorMath";
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    private readonly ExpressionGraph _graph;
    private readonly int _lanes;
    private readonly string _number;
    private readonly int _loop;
    private readonly RolledCode.Access _access;
    private readonly NameScope _scope;
    private readonly bool[] _body;
    private readonly bool[] _varying;
    private readonly int[] _uses;
    private readonly Dictionary<int, string> _names;
    private readonly Dictionary<int, string> _hints = new();
    private readonly Dictionary<string, string> _references;
    private readonly Func<ExpressionNode, string> _describe;

    /// <summary>The values of the body that its forward loop kept in a map's buffer, by node: loaded, not recomputed.</summary>
    private readonly IReadOnlyDictionary<int, string> _stored;

    private RolledLanes(ExpressionGraph graph, int loop, IReadOnlyList<int> outputs, IReadOnlyDictionary<int, string> names, IReadOnlyDictionary<int, string> stored, IEnumerable<NameHint> hints, Dictionary<string, string> references, RolledCode.Access access, NameScope scope)
    {
        _stored = stored;
        _references = references;
        _describe = access.Describe;
        foreach (var hint in hints)
        {
            if (!_hints.ContainsKey(hint.Node))
            {
                _hints[hint.Node] = hint.Name;
            }
        }

        _graph = graph;
        _lanes = graph.Element.Lanes256();
        _number = graph.Element.Keyword();
        _loop = loop;
        _access = access;
        _scope = scope;
        _names = new Dictionary<int, string>();
        foreach (var name in names)
        {
            _names[name.Key] = name.Value;
        }

        // The body: down from the outputs to the values named outside the loop.
        _body = new bool[graph.Count];
        _uses = new int[graph.Count];
        foreach (var output in outputs)
        {
            _body[output] = true;
            _uses[output]++;
        }

        for (var id = graph.Count - 1; id >= 0; id--)
        {
            if (_body[id] && !_names.ContainsKey(id) && !stored.ContainsKey(id))
            {
                var node = graph[id];
                for (var k = 0; k < node.Operation.Arity(); k++)
                {
                    _body[node.Operand(k)] = true;
                    _uses[node.Operand(k)]++;
                }
            }
        }

        _varying = new bool[graph.Count];
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            _varying[id] = (node.Operation is Operation.Iteration or Operation.ParameterAt or Operation.DataAt or Operation.MapAt or Operation.MapAdjoint && node.Loop == loop)
                || stored.ContainsKey(id);
            if (!_names.ContainsKey(id) && !stored.ContainsKey(id))
            {
                for (var k = 0; k < node.Operation.Arity(); k++)
                {
                    _varying[id] |= _varying[node.Operand(k)];
                }
            }
        }
    }

    /// <summary>
    /// Prepares loop <paramref name="loop"/>'s body for <paramref name="outputs"/>, and writes the scalar
    /// locals of what it reads that does not change with the iteration.
    /// </summary>
    /// <param name="names">The identifiers of the values the body reads from outside the loop.</param>
    /// <param name="references">The method's <c>ref double</c> (<c>ref float</c>) locals so far, by the expression they hold; the lanes add theirs.</param>
    /// <param name="stored">The values of the body kept in a map's buffer by the loop's forward pass, by node: the buffer's name.</param>
    public static RolledLanes Hoist(SourceWriter w, ExpressionGraph graph, int loop, IReadOnlyList<int> outputs, IReadOnlyDictionary<int, string> names, IEnumerable<NameHint> hints, Dictionary<string, string> references, RolledCode.Access access, NameScope scope, IReadOnlyDictionary<int, string>? stored = null)
    {
        var lanes = new RolledLanes(graph, loop, outputs, names, stored ?? new Dictionary<int, string>(), hints, references, access, scope);
        var inputs = new SortedSet<int>();
        for (var id = 0; id < graph.Count; id++)
        {
            if (!lanes._body[id] || !lanes._varying[id] || lanes._names.ContainsKey(id) || lanes._stored.ContainsKey(id))
            {
                continue;
            }

            var node = graph[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                var operand = node.Operand(k);
                if (!lanes._varying[operand] && !graph[operand].IsConstant && !lanes._names.ContainsKey(operand))
                {
                    inputs.Add(operand);
                }
            }
        }

        foreach (var output in outputs.Where(o => !lanes._varying[o] && !graph[o].IsConstant && !lanes._names.ContainsKey(o)))
        {
            inputs.Add(output);
        }

        if (inputs.Count == 0)
        {
            return lanes;
        }

        var code = new StraightLineCode(graph, inputs.ToList(), lanes._names, hints, scope);
        foreach (var local in code.Locals)
        {
            w.WriteLine($"{local.Type} {local.Name} = {code.Definition(local.Node)};");
            lanes._names[local.Node] = local.Name;
        }

        foreach (var input in inputs.Where(i => !lanes._names.ContainsKey(i)))
        {
            var name = scope.Reserve("u" + input.ToString(CultureInfo.InvariantCulture));
            w.WriteLine($"{(graph[input].Operation.IsBoolean() ? "bool" : graph.Element.Keyword())} {name} = {code.Definition(input)};");
            lanes._names[input] = name;
        }

        return lanes;
    }

    /// <summary>The identifiers of the values from outside the loop, the hoisted ones included: what the scalar iterations read.</summary>
    public IReadOnlyDictionary<int, string> Names => _names;

    /// <summary>
    /// Writes the SIMD loop over iterations <c>t</c> … <paramref name="fours"/> − 1 (a multiple of the lanes): each
    /// output of <paramref name="sums"/> summed over them into its scalar, each of
    /// <paramref name="scatters"/> added to the gradient of its trained leaf (or the adjoint of its map's value) at
    /// every iteration, each of <paramref name="maps"/> stored in its buffer at every iteration.
    /// </summary>
    /// <param name="t">The iteration, an <c>int</c> local at 0; after the loop, at <paramref name="fours"/>.</param>
    public void Write(SourceWriter w, string t, int fours, IReadOnlyList<(int Output, string Sum)> sums, IReadOnlyList<LeafAdjoint> scatters, IReadOnlyList<(int Output, string Buffer)> maps)
    {
        // The spans the lanes load and store whole, each as a reference to its first element.
        string Reference(string expression, string hint)
        {
            if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(expression))
            {
                return expression;
            }

            if (!_references.TryGetValue(expression, out var local))
            {
                local = _scope.Reserve(hint + "Ref");
                w.WriteLine($"ref {_number} {local} = ref {expression};");
                _references[expression] = local;
            }

            return local;
        }

        var loads = new Dictionary<int, (string Reference, int Offset)>();
        foreach (var value in _stored.Where(v => _body[v.Key]))
        {
            loads[value.Key] = (Reference($"{MemoryMarshal}.GetReference({value.Value})", value.Value), 0);
        }

        for (var id = 0; id < _graph.Count; id++)
        {
            var node = _graph[id];
            if (_body[id] && node.Operation is Operation.ParameterAt or Operation.DataAt or Operation.MapAt or Operation.MapAdjoint && node.Loop == _loop && node.Stride == 1)
            {
                var (reference, offset) = _access.ValuesOf(node);
                loads[id] = (Reference(reference, node.Name!), offset);
            }
        }

        var stores = scatters.Select(s =>
        {
            var leaf = _graph[s.Leaf];
            if (leaf.Stride != 1)
            {
                return (Reference: string.Empty, Offset: 0);
            }

            var (reference, offset) = _access.GradientOf(leaf);
            return (Reference: Reference(reference, "d" + Naming.PascalCase(leaf.Name!)), Offset: offset);
        }).ToArray();

        var mapStores = maps.Select(m => Reference($"{MemoryMarshal}.GetReference({m.Buffer})", m.Buffer)).ToArray();

        // The values from outside the loop that the lanes read.
        var read = new bool[_graph.Count];
        for (var id = 0; id < _graph.Count; id++)
        {
            if (_body[id] && _varying[id] && !_names.ContainsKey(id) && !_stored.ContainsKey(id))
            {
                for (var k = 0; k < _graph[id].Operation.Arity(); k++)
                {
                    read[_graph[id].Operand(k)] = true;
                }
            }
        }

        foreach (var output in sums.Select(s => s.Output).Concat(scatters.Select(s => s.Adjoint)).Concat(maps.Select(m => m.Output)))
        {
            read[output] = true;
        }

        foreach (var width in new[] { _lanes, _lanes / 2 })
        {
            var vector = VectorExpressionPrinter.VectorType(width, _graph.Element);
            var groups = _lanes / width;
            using (w.Block(width == _lanes ? $"if ({vector}.IsHardwareAccelerated)" : "else"))
            {
                if (width < _lanes)
                {
                    w.WriteLine(width == 2
                        ? "// Vector128 pairs: iterations t and t + 1, then t + 2 and t + 3, in the same lanes."
                        : $"// Vector128 pairs: iterations t … t + {width - 1}, then t + {width} … t + {_lanes - 1}, in the same lanes.");
                }

                // What does not change with the iteration, in every lane.
                var broadcast = new Dictionary<int, string>();
                foreach (var pair in _names.OrderBy(p => p.Key))
                {
                    if (!read[pair.Key])
                    {
                        continue;
                    }

                    if (_graph[pair.Key].Operation.IsBoolean())
                    {
                        broadcast[pair.Key] = pair.Value; // stays a scalar bool (see VectorExpressionPrinter)
                        continue;
                    }

                    // A value written as an expression (a constant seed) is typed double (float) explicitly.
                    var isIdentifier = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(pair.Value.TrimStart('@'));
                    var name = _scope.Reserve((isIdentifier ? pair.Value.TrimStart('@') : "u") + "V" + width.ToString(CultureInfo.InvariantCulture));
                    w.WriteLine(isIdentifier ? $"var {name} = {vector}.Create({pair.Value});" : $"var {name} = {vector}.Create<{_number}>({pair.Value});");
                    broadcast[pair.Key] = name;
                }

                // Per sum, per set of four lanes, per vector of the set: the accumulators.
                var sets = sums.Count > 0 && scatters.Count == 0 ? SumSets : 1;
                var accumulators = sums
                    .Select(s => Enumerable.Range(0, sets)
                        .Select(set => Enumerable.Range(0, groups)
                            .Select(g => _scope.Reserve(s.Sum + (sets == 1 ? string.Empty : set == 0 ? "Even" : "Odd") + (groups == 1 ? "V" : g == 0 ? "Low" : "High")))
                            .ToArray())
                        .ToArray())
                    .ToArray();
                if (accumulators.Length > 0)
                {
                    w.WriteLine($"{vector}<{_number}> {string.Join(", ", accumulators.SelectMany(a => a).SelectMany(a => a).Select(a => $"{a} = {vector}<{_number}>.Zero"))};");
                }

                // Iterations t + offset … t + offset + lanes − 1 into the accumulators of one set.
                void WritePass(int offset, int set)
                {
                    for (var g = 0; g < groups; g++)
                    {
                        var lane = offset + (g * width);
                        var expressions = WriteLanes(w, width, lane, t, broadcast, loads);
                        for (var s = 0; s < sums.Count; s++)
                        {
                            w.WriteLine($"{accumulators[s][set][g]} += {expressions(sums[s].Output)};");
                        }

                        for (var m = 0; m < maps.Count; m++)
                        {
                            w.WriteLine($"{vector}.StoreUnsafe({expressions(maps[m].Output)}, ref {mapStores[m]}, {Position(Plus(t, lane).Trim('(', ')'))});");
                        }

                        for (var k = 0; k < scatters.Count; k++)
                        {
                            var value = expressions(scatters[k].Adjoint);
                            if (stores[k].Reference.Length > 0)
                            {
                                var position = Position(RolledCode.Index(1, t, stores[k].Offset + lane));
                                w.WriteLine($"{vector}.StoreUnsafe({vector}.LoadUnsafe(ref {stores[k].Reference}, {position}) + {value}, ref {stores[k].Reference}, {position});");
                                continue;
                            }

                            // A strided index: lane by lane.
                            var lanes = _scope.Reserve("d" + Naming.PascalCase(_graph[scatters[k].Leaf].Name!) + "Lanes");
                            w.WriteLine($"var {lanes} = {value};");
                            for (var j = 0; j < width; j++)
                            {
                                w.WriteLine(_access.AddAt(_graph[scatters[k].Leaf], Plus(t, lane + j), $"{lanes}[{j.ToString(CultureInfo.InvariantCulture)}]"));
                            }
                        }
                    }
                }

                if (sets == 1)
                {
                    using (w.Block($"for (; {t} < {fours}; {t} += {_lanes})"))
                    {
                        WritePass(0, 0);
                    }
                }
                else
                {
                    // Two sets of lanes, so that each addition waits on the one two passes before it:
                    // iterations t … t + 3 into the even set, t + 4 … t + 7 into the odd one (for floats t … t + 7 and t + 8 … t + 15).
                    var eights = fours / (2 * _lanes) * (2 * _lanes);
                    using (w.Block($"for (; {t} < {eights}; {t} += {2 * _lanes})"))
                    {
                        WritePass(0, 0);
                        WritePass(_lanes, 1);
                    }

                    if (eights < fours)
                    {
                        w.WriteLine(_lanes == 4
                            ? "// The SIMD part's last four iterations (one pass), into the even set."
                            : $"// The SIMD part's last {_lanes} iterations (one pass), into the even set.");
                        using (w.Block($"for (; {t} < {fours}; {t} += {_lanes})"))
                        {
                            WritePass(0, 0);
                        }
                    }
                }

                // The sets added lane by lane, then the lanes as (s0 + s1) + (s2 + s3) (for floats, ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))).
                for (var s = 0; s < sums.Count; s++)
                {
                    var lanesOfSum = Enumerable.Range(0, groups).Select(g => string.Join(" + ", accumulators[s].Select(set => set[g])));
                    w.WriteLine($"{sums[s].Sum} = {VectorMath}.SumLanes({string.Join(", ", lanesOfSum)});");
                }
            }
        }
    }

    /// <summary>
    /// Writes the loads and the shared values of iterations <c>t + lane</c> … <c>t + lane + width − 1</c>;
    /// returns how to print each output over them.
    /// </summary>
    private Func<int, string> WriteLanes(SourceWriter w, int width, int lane, string t, Dictionary<int, string> broadcast, Dictionary<int, (string Reference, int Offset)> loads)
    {
        var vector = VectorExpressionPrinter.VectorType(width, _graph.Element);
        var suffix = width == _lanes ? "V" : lane % _lanes == 0 ? "Low" : "High";
        var names = new Dictionary<int, string>(broadcast);
        for (var id = 0; id < _graph.Count; id++)
        {
            var node = _graph[id];
            if (!_body[id] || !_varying[id] || !(node.Operation.IsLeaf() || _stored.ContainsKey(id)))
            {
                continue;
            }

            if (_stored.TryGetValue(id, out var buffer))
            {
                var kept = _scope.Reserve(buffer + suffix);
                w.WriteLine($"var {kept} = {vector}.LoadUnsafe(ref {loads[id].Reference}, {Position(Plus(t, lane).Trim('(', ')'))}); // {buffer}[t], kept by the forward loop");
                names[id] = kept;
                continue;
            }

            var name = _scope.Reserve((node.Operation switch { Operation.Iteration => t, Operation.MapAdjoint => "d" + Naming.PascalCase(node.Name!), _ => node.Name! }) + suffix);
            if (node.Operation == Operation.Iteration)
            {
                var iterations = Enumerable.Range(lane, width).Select(j => j == lane ? $"({_number})" + Plus(t, j) : Plus(t, j));
                w.WriteLine($"var {name} = {vector}.Create({string.Join(", ", iterations)});");
            }
            else if (loads.TryGetValue(id, out var load))
            {
                w.WriteLine($"var {name} = {vector}.LoadUnsafe(ref {load.Reference}, {Position(RolledCode.Index(1, t, load.Offset + lane))}); // {_describe(node)}");
            }
            else
            {
                // A strided index: one load per lane.
                w.WriteLine($"// {_describe(node)}, one load per lane.");
                w.WriteLine($"var {name} = {vector}.Create({string.Join(", ", Enumerable.Range(lane, width).Select(j => _access.At(node, Plus(t, j))))});");
            }

            names[id] = name;
        }

        var printer = new VectorExpressionPrinter(_graph, width, id => names.TryGetValue(id, out var n) ? n : null, id => !_varying[id]);
        var inline = new InlineExtent(_graph);
        var temp = 0;
        for (var id = 0; id < _graph.Count; id++)
        {
            if (_body[id] && _varying[id] && !_graph[id].Operation.IsLeaf() && !names.ContainsKey(id)
                && (_uses[id] > 1 | inline.Measure(id, names.ContainsKey)))
            {
                var name = _scope.Reserve((_hints.TryGetValue(id, out var hint) ? hint : "t" + temp++.ToString(CultureInfo.InvariantCulture)) + suffix);
                w.WriteLine($"var {name} = {printer.Print(id)};");
                names[id] = name;
            }
        }

        return output => names.TryGetValue(output, out var n) ? n : printer.Print(output);
    }

    private static string Plus(string t, int j) => j == 0 ? t : $"({t} + {j.ToString(CultureInfo.InvariantCulture)})";

    private static string Position(string index) => index.Contains(' ') ? $"(nuint)({index})" : $"(nuint){index}";
}
