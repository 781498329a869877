using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// The value and gradient of an objective with rolled loops (README, Vectors and loops): each loop's
/// sums (and the local vectors it fills, its maps, in buffers of one value per iteration) in a loop; the
/// straight-line code of the rest of the objective and of its adjoint sweep; then each loop again, last
/// to first, from the sums' and maps' adjoints, adding every iteration's partial derivatives to the
/// gradient (or to the adjoints of the earlier maps it reads). The same code serves the named overload, the core over contiguous values and the
/// per-sample core; a <see cref="Access"/> says how each reads its values and writes its gradient.
/// Every value, local and reference has the objective's element type (README, Float objectives).
/// </summary>
internal static class RolledCode
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";

    /// <summary>How one method reads the objective's values and adds to its gradient.</summary>
    internal abstract class Access
    {
        /// <summary>The expression of a fixed trained value, or of a sample's fixed data value (a <see cref="Operation.Parameter"/> or <see cref="Operation.Data"/> leaf).</summary>
        public abstract string Fixed(ExpressionNode leaf);

        /// <summary>The expression of a rolled loop's trained or data leaf at iteration <paramref name="t"/>.</summary>
        public abstract string At(ExpressionNode leaf, string t);

        /// <summary>The statement adding <paramref name="value"/> to the gradient of trained value <paramref name="flat"/> (its index in θ).</summary>
        public abstract string Add(int flat, string value);

        /// <summary>The statement adding <paramref name="value"/> to the gradient of a rolled loop's trained leaf at iteration <paramref name="t"/>.</summary>
        public abstract string AddAt(ExpressionNode leaf, string t, string value);

        /// <summary>
        /// A rolled loop's trained or data leaf as a reference to the first value of the span that holds it
        /// and the leaf's position in it at iteration 0: the SIMD lanes load from there (see <see cref="RolledLanes"/>).
        /// </summary>
        public abstract (string Reference, int Offset) ValuesOf(ExpressionNode leaf);

        /// <summary>Like <see cref="ValuesOf"/>, for the gradient of a rolled loop's trained leaf.</summary>
        public abstract (string Reference, int Offset) GradientOf(ExpressionNode leaf);

        /// <summary>The statement adding <paramref name="value"/> to the gradient of a fixed leaf a rolled loop's body reads (see <see cref="LoopGradient.FixedValues"/>).</summary>
        public virtual string AddFixed(ExpressionNode leaf, string value) => Add(leaf.Index, value);

        /// <summary>A rolled loop's leaf as the user's method indexes it: <c>w[t + 1]</c>, for comments.</summary>
        public virtual string Describe(ExpressionNode leaf)
        {
            var (_, element) = leaf.Operation == Operation.ParameterAt ? Objective.TrainedValues()[leaf.Index] : Objective.DataValues()[leaf.Index];
            return $"{leaf.Name}[{Index(leaf.Stride, "t", element)}]";
        }

        /// <summary>The objective whose values the method reads.</summary>
        protected internal abstract ObjectiveModel Objective { get; }

        /// <summary>The statements that set the whole gradient to 0 first; none where the method adds to it.</summary>
        public abstract IEnumerable<string> Clear();
    }

    /// <summary>
    /// A method's access with the rolled loops' maps added: each map's values, and where something reads them
    /// their adjoints, in a local buffer of one value per iteration (<c>Span&lt;double&gt; h = stackalloc double[N]</c>);
    /// every other leaf as <see cref="Inner"/> reads it.
    /// </summary>
    private sealed class MapAccess : Access
    {
        private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

        public MapAccess(Access inner) => Inner = inner;

        public Access Inner { get; }

        /// <summary>Per (loop, map), the buffer of its values.</summary>
        public Dictionary<(int Loop, int Map), string> Values { get; } = new();

        /// <summary>Per (loop, map) that something reads, the buffer of its adjoints.</summary>
        public Dictionary<(int Loop, int Map), string> Adjoints { get; } = new();

        private static (int, int) Map(ExpressionNode leaf) => (leaf.MapLoop, leaf.MapOutput);

        private static bool IsMap(ExpressionNode leaf) => leaf.Operation is Operation.MapValue or Operation.MapAt or Operation.MapAdjoint;

        public override string Fixed(ExpressionNode leaf)
            => leaf.Operation == Operation.MapValue ? $"{Values[Map(leaf)]}[{leaf.Index.ToString(CultureInfo.InvariantCulture)}]" : Inner.Fixed(leaf);

        public override string At(ExpressionNode leaf, string t) => leaf.Operation switch
        {
            Operation.MapAt => $"{Values[Map(leaf)]}[{Index(leaf.Stride, t, leaf.Index)}]",
            Operation.MapAdjoint => $"{Adjoints[Map(leaf)]}[{t}]",
            _ => Inner.At(leaf, t),
        };

        public override string Add(int flat, string value) => Inner.Add(flat, value);

        public override string AddFixed(ExpressionNode leaf, string value)
            => leaf.Operation == Operation.MapValue ? $"{Adjoints[Map(leaf)]}[{leaf.Index.ToString(CultureInfo.InvariantCulture)}] += {value};" : Inner.AddFixed(leaf, value);

        public override string AddAt(ExpressionNode leaf, string t, string value)
            => leaf.Operation == Operation.MapAt ? $"{Adjoints[Map(leaf)]}[{Index(leaf.Stride, t, leaf.Index)}] += {value};" : Inner.AddAt(leaf, t, value);

        public override (string Reference, int Offset) ValuesOf(ExpressionNode leaf) => leaf.Operation switch
        {
            Operation.MapAt => ($"{MemoryMarshal}.GetReference({Values[Map(leaf)]})", leaf.Index),
            Operation.MapAdjoint => ($"{MemoryMarshal}.GetReference({Adjoints[Map(leaf)]})", 0),
            _ => Inner.ValuesOf(leaf),
        };

        public override (string Reference, int Offset) GradientOf(ExpressionNode leaf)
            => leaf.Operation == Operation.MapAt ? ($"{MemoryMarshal}.GetReference({Adjoints[Map(leaf)]})", leaf.Index) : Inner.GradientOf(leaf);

        public override string Describe(ExpressionNode leaf) => leaf.Operation switch
        {
            Operation.MapAt => $"{Values[Map(leaf)]}[{Index(leaf.Stride, "t", leaf.Index)}]",
            Operation.MapAdjoint => $"{Adjoints[Map(leaf)]}[t]",
            _ => IsMap(leaf) ? leaf.Name! : Inner.Describe(leaf),
        };

        protected internal override ObjectiveModel Objective => Inner.Objective;

        public override IEnumerable<string> Clear() => Inner.Clear();
    }

    /// <summary>The index <c>stride·t + offset</c>, written simply.</summary>
    public static string Index(int stride, string t, int offset)
    {
        var moving = stride switch
        {
            1 => t,
            -1 => "-" + t,
            _ => $"{stride.ToString(CultureInfo.InvariantCulture)} * {t}",
        };
        return offset switch
        {
            0 => moving,
            > 0 => $"{moving} + {offset.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{moving} - {(-offset).ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>An element of a <c>ref double</c> (<c>ref float</c>) at a rolled index.</summary>
    public static string ElementAt(string reference, int stride, string t, int offset)
        => $"{Unsafe}.Add(ref {reference}, {Index(stride, t, offset)})";

    /// <summary>Writes the method's body up to its return; returns the expression of the objective's value.</summary>
    public static string Write(SourceWriter w, GradientModel model, NameScope scope, Access methodAccess)
    {
        var access = new MapAccess(methodAccess);
        var graph = model.Graph;
        var objective = model.Objective;
        var loops = objective.Loops;
        var n = objective.TrainedCount();
        var hints = objective.NameHints.Concat(model.AdjointNames).ToArray();
        var number = graph.Element.Keyword();
        var lanes = graph.Element.Lanes256();

        // Every fixed value the method reads, once, in a local of its own.
        var roots = new List<int> { model.Value };
        roots.AddRange(model.Gradient);
        roots.AddRange(model.MapAdjoints.Select(a => a.Adjoint));
        for (var l = 0; l < loops.Count; l++)
        {
            roots.AddRange(loops[l].Computed);
            roots.AddRange(model.Loops[l].Scatters.Select(s => s.Adjoint));
            roots.AddRange(model.Loops[l].FixedValues.Select(s => s.Adjoint));
            roots.AddRange(model.Loops[l].SumAdjoints.Where(a => a >= 0));
        }

        var reachable = graph.Reachable(roots);
        var names = new Dictionary<int, string>();
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            if (!reachable[id] || node.Operation is not (Operation.Parameter or Operation.Data))
            {
                continue;
            }

            var expression = access.Fixed(node);
            if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(expression.TrimStart('@')))
            {
                names[id] = expression;
                continue;
            }

            var local = scope.Reserve(LocalName(node));
            w.WriteLine($"{number} {local} = {expression};");
            names[id] = local;
        }

        // Forward: each loop's sums.
        var sums = new Dictionary<int, string>();
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var l = 0; l < loops.Count; l++)
        {
            var loop = loops[l];
            var sumNames = loop.Names.Select(name => scope.Reserve(name + "Sum")).ToArray();
            var does = new[]
            {
                loop.Names.Count > 0 ? "adding to " + string.Join(", ", loop.Names) : null,
                loop.MapNames.Count > 0 ? "writing " + string.Join(", ", loop.MapNames) : null,
            };
            w.WriteLine($"// Rolled loop {l + 1}: {GradientEmitter.Count(loop.Count, "iteration")} {string.Join(" and ", does.Where(d => d is not null))}, {Schedule(loop.Count, lanes)}.");
            var computed = loop.Computed.ToArray();
            var body = RolledLanes.Hoist(w, graph, l, computed, names, hints, references, access, scope);
            if (sumNames.Length > 0)
            {
                w.WriteLine($"{number} {string.Join(", ", sumNames)};");
            }

            var maps = new (int Output, string Buffer)[loop.Maps.Count];
            for (var k = 0; k < maps.Length; k++)
            {
                var buffer = scope.Reserve(loop.MapNames[k]);
                w.WriteLine($"// {loop.MapNames[k]}[…] as loop {l + 1} writes it, by iteration: {buffer}[t] is the value of iteration t.");
                w.WriteLine($"global::System.Span<{number}> {buffer} = stackalloc {number}[{loop.Count}];");
                access.Values[(l, k)] = buffer;
                maps[k] = (loop.Maps[k], buffer);
            }

            var t = scope.Reserve("t");
            w.WriteLine($"int {t} = 0;");
            body.Write(w, t, loop.Count / lanes * lanes, loop.Outputs.Select((output, k) => (output, sumNames[k])).ToArray(), Array.Empty<LeafAdjoint>(), maps);
            if (loop.Count % lanes != 0)
            {
                using (w.Block($"for (; {t} < {loop.Count}; {t}++)"))
                {
                    var code = BodyCode(graph, computed, l, t, body.Names, hints, scope, access);
                    WriteLocals(w, code);
                    for (var k = 0; k < loop.Outputs.Count; k++)
                    {
                        w.WriteLine($"{sumNames[k]} += {code.Reference(loop.Outputs[k])};");
                    }

                    foreach (var (output, buffer) in maps)
                    {
                        w.WriteLine($"{buffer}[{t}] = {code.Reference(output)};");
                    }
                }
            }

            // The values of the maps that code after the loop reads at a fixed index, each in a local.
            for (var id = 0; id < graph.Count; id++)
            {
                var node = graph[id];
                if (reachable[id] && node.Operation == Operation.MapValue && node.MapLoop == l)
                {
                    var local = scope.Reserve(node.Name + node.Index.ToString(CultureInfo.InvariantCulture));
                    w.WriteLine($"{number} {local} = {access.Fixed(node)};");
                    names[id] = local;
                }
            }

            for (var k = 0; k < loop.Outputs.Count; k++)
            {
                var sum = graph.Nodes.AsSpan().IndexOf(ExpressionNode.LoopSum(l, k));
                if (sum >= 0)
                {
                    sums[sum] = sumNames[k];
                }
            }

            w.WriteLine();
        }

        // The rest of the objective and its adjoint sweep, with the loops' sums as values.
        var outer = new List<int> { model.Value };
        outer.AddRange(model.Gradient.Where(g => !graph[g].IsConstantValue(0)));
        outer.AddRange(model.Loops.SelectMany(l => l.SumAdjoints).Where(a => a >= 0));
        outer.AddRange(model.MapAdjoints.Select(a => a.Adjoint));
        var outerNames = new Dictionary<int, string>(names);
        foreach (var sum in sums)
        {
            outerNames[sum.Key] = sum.Value;
        }

        var outerCode = new StraightLineCode(graph, outer, outerNames, hints, scope);
        w.WriteLine("// The objective over the loops' sums, and its adjoint sweep.");
        WriteLocals(w, outerCode);
        w.WriteLine();

        w.WriteLine("// The gradient: the terms outside the loops, then each loop's.");
        foreach (var line in access.Clear())
        {
            w.WriteLine(line);
        }

        for (var k = 0; k < n; k++)
        {
            if (!graph[model.Gradient[k]].IsConstantValue(0))
            {
                w.WriteLine(access.Add(k, outerCode.Reference(model.Gradient[k])));
            }
        }

        // The maps' adjoints: what the code after each loop adds to ∂value/∂h[t], gathered before the loop's sweep.
        for (var l = 0; l < loops.Count; l++)
        {
            for (var k = 0; k < loops[l].Maps.Count; k++)
            {
                if (model.Loops[l].MapSeeds[k] >= 0)
                {
                    var buffer = scope.Reserve("d" + Naming.PascalCase(loops[l].MapNames[k]));
                    w.WriteLine($"global::System.Span<{number}> {buffer} = stackalloc {number}[{loops[l].Count}];");
                    w.WriteLine($"{buffer}.Clear();");
                    access.Adjoints[(l, k)] = buffer;
                }
            }
        }

        foreach (var mapAdjoint in model.MapAdjoints)
        {
            w.WriteLine(access.AddFixed(graph[mapAdjoint.Leaf], outerCode.Reference(mapAdjoint.Adjoint)));
        }

        // Last loop first: a loop's sweep adds to the adjoints of the maps it reads, which earlier loops wrote.
        for (var l = loops.Count - 1; l >= 0; l--)
        {
            var adjoint = model.Loops[l];
            if (adjoint.Scatters.Count == 0 && adjoint.FixedValues.Count == 0)
            {
                continue;
            }

            var bodyNames = new Dictionary<int, string>(names);
            for (var k = 0; k < adjoint.SumAdjoints.Count; k++)
            {
                var seed = adjoint.SumAdjoints[k];
                var leaf = graph.Nodes.AsSpan().IndexOf(ExpressionNode.SumAdjoint(l, k));
                if (seed < 0 || leaf < 0)
                {
                    continue;
                }

                if (graph[seed].Operation.IsLeaf() || outerCode.IsLocal(seed))
                {
                    bodyNames[leaf] = outerCode.Reference(seed);
                    continue;
                }

                var local = scope.Reserve("d" + Naming.PascalCase(loops[l].Names[k]) + "Sum");
                w.WriteLine($"{number} {local} = {outerCode.Reference(seed)};");
                bodyNames[leaf] = local;
            }

            // The maps' values as the forward loop kept them: the sweep reads them instead of computing them again.
            var stored = new Dictionary<int, string>();
            for (var k = 0; k < loops[l].Maps.Count; k++)
            {
                stored[loops[l].Maps[k]] = access.Values[(l, k)];
            }

            var totals = adjoint.FixedValues.Select(f => scope.Reserve("d" + Naming.PascalCase(LocalName(graph[f.Leaf])) + "Loop" + (l + 1).ToString(CultureInfo.InvariantCulture))).ToArray();
            var outputs = adjoint.Scatters.Select(s => s.Adjoint).Concat(adjoint.FixedValues.Select(f => f.Adjoint)).ToArray();
            var t = scope.Reserve("t");
            if (ScattersAreDisjoint(graph, adjoint.Scatters, loops[l].Count))
            {
                w.WriteLine($"// Loop {l + 1}'s partial derivatives, {Schedule(loops[l].Count, lanes)}.");
                var body = RolledLanes.Hoist(w, graph, l, outputs, bodyNames, hints, references, access, scope, stored);
                if (totals.Length > 0)
                {
                    w.WriteLine($"{number} {string.Join(", ", totals)};");
                }

                w.WriteLine($"int {t} = 0;");
                body.Write(w, t, loops[l].Count / lanes * lanes, adjoint.FixedValues.Select((f, k) => (f.Adjoint, totals[k])).ToArray(), adjoint.Scatters, Array.Empty<(int, string)>());
                if (loops[l].Count % lanes != 0)
                {
                    using (w.Block($"for (; {t} < {loops[l].Count}; {t}++)"))
                    {
                        WriteIteration(WithStored(body.Names));
                    }
                }
            }
            else
            {
                // Two leaves add to the same partial derivative: iteration by iteration, in order.
                w.WriteLine($"// Loop {l + 1}'s partial derivatives, iteration by iteration.");
                if (totals.Length > 0)
                {
                    w.WriteLine($"{number} {string.Join(", ", totals.Select(s => s + " = 0"))};");
                }

                using (w.Block($"for (int {t} = 0; {t} < {loops[l].Count}; {t}++)"))
                {
                    WriteIteration(WithStored(bodyNames));
                }
            }

            IReadOnlyDictionary<int, string> WithStored(IReadOnlyDictionary<int, string> known)
            {
                var all = known.ToDictionary(p => p.Key, p => p.Value);
                foreach (var value in stored)
                {
                    all[value.Key] = $"{value.Value}[{t}]";
                }

                return all;
            }

            void WriteIteration(IReadOnlyDictionary<int, string> known)
            {
                var code = BodyCode(graph, outputs, l, t, known, hints, scope, access);
                WriteLocals(w, code);
                foreach (var scatter in adjoint.Scatters)
                {
                    w.WriteLine(access.AddAt(graph[scatter.Leaf], t, code.Reference(scatter.Adjoint)));
                }

                for (var f = 0; f < totals.Length; f++)
                {
                    w.WriteLine($"{totals[f]} += {code.Reference(adjoint.FixedValues[f].Adjoint)};");
                }
            }

            for (var f = 0; f < totals.Length; f++)
            {
                w.WriteLine(access.AddFixed(graph[adjoint.FixedValues[f].Leaf], totals[f]));
            }
        }

        return outerCode.Reference(model.Value);
    }

    /// <summary>How a rolled loop runs: four (eight float) iterations at a time in SIMD lanes, then the rest in order.</summary>
    private static string Schedule(int count, int lanes)
    {
        var pass = lanes == 4 ? "four" : lanes == 8 ? "eight" : lanes.ToString(CultureInfo.InvariantCulture);
        return count % lanes == 0
            ? $"{pass} at a time in SIMD lanes"
            : $"{pass} at a time in SIMD lanes, then the last {count % lanes} in order";
    }

    /// <summary>
    /// Whether every iteration's trained leaves add to partial derivatives that no other leaf of the loop
    /// adds to, so that a pass of lanes adds to each in the same order as one iteration at a time.
    /// </summary>
    private static bool ScattersAreDisjoint(ExpressionGraph graph, IReadOnlyList<LeafAdjoint> scatters, int count)
    {
        var leaves = scatters.Select(s => graph[s.Leaf]).ToArray();
        for (var a = 0; a < leaves.Length; a++)
        {
            if (leaves[a].Stride == 0)
            {
                return false;
            }

            for (var b = 0; b < a; b++)
            {
                if (Overlap(leaves[a], leaves[b], count))
                {
                    return false;
                }
            }
        }

        return true;

        // Indexes stride·t + index, t = 0 … count − 1, into θ's gradient or one map's adjoint: apart when they
        // are in different ones, when their ranges are apart, or when they step alike through different
        // residues (v[2t] and v[2t + 1]).
        static bool Overlap(ExpressionNode p, ExpressionNode q, int count)
        {
            if (p.Operation != q.Operation || (p.Operation == Operation.MapAt && (p.MapLoop, p.MapOutput) != (q.MapLoop, q.MapOutput)))
            {
                return false;
            }

            if (p.Stride == q.Stride && (p.Index - q.Index) % p.Stride != 0)
            {
                return false;
            }

            var (pFirst, pLast) = Range(p, count);
            var (qFirst, qLast) = Range(q, count);
            return pFirst <= qLast && qFirst <= pLast;
        }

        static (long First, long Last) Range(ExpressionNode leaf, int count)
        {
            var end = leaf.Index + ((long)leaf.Stride * (count - 1));
            return (Math.Min(leaf.Index, end), Math.Max(leaf.Index, end));
        }
    }

    /// <summary>A loop body's code for <paramref name="outputs"/>, with the loop's leaves read at iteration <paramref name="t"/>.</summary>
    private static StraightLineCode BodyCode(ExpressionGraph graph, IReadOnlyList<int> outputs, int loop, string t, IReadOnlyDictionary<int, string> names, IEnumerable<NameHint> hints, NameScope scope, Access access)
    {
        var bodyNames = names.ToDictionary(p => p.Key, p => p.Value);

        // What the body computes: down from the outputs to the named values (fixed values, seeds).
        var reachable = new bool[graph.Count];
        foreach (var output in outputs)
        {
            reachable[output] = true;
        }

        for (var id = graph.Count - 1; id >= 0; id--)
        {
            if (reachable[id] && !names.ContainsKey(id))
            {
                var operation = graph[id].Operation;
                for (var k = 0; k < operation.Arity(); k++)
                {
                    reachable[graph[id].Operand(k)] = true;
                }
            }
        }

        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            if (!reachable[id] || names.ContainsKey(id))
            {
                continue;
            }

            switch (node.Operation)
            {
                case Operation.Iteration when node.Loop == loop:
                    bodyNames[id] = $"({graph.Element.Keyword()}){t}";
                    break;
                case Operation.ParameterAt or Operation.DataAt or Operation.MapAt or Operation.MapAdjoint when node.Loop == loop:
                    bodyNames[id] = access.At(node, t);
                    break;
                case Operation.Iteration or Operation.ParameterAt or Operation.DataAt or Operation.LoopSum or Operation.MapAt or Operation.MapAdjoint or Operation.MapValue when !bodyNames.ContainsKey(id):
                    throw new InvalidOperationException($"Node {id} ({node.Operation}) of another loop in loop {loop}'s body.");
            }
        }

        return new StraightLineCode(graph, outputs, bodyNames, hints, scope);
    }

    private static void WriteLocals(SourceWriter w, StraightLineCode code)
    {
        foreach (var local in code.Locals)
        {
            w.WriteLine($"{local.Type} {local.Name} = {code.Definition(local.Node)};");
        }
    }

    /// <summary>A leaf's name as an identifier part: <c>w3</c> for <c>w[3]</c>, <c>h3</c> for a map's value of iteration 3.</summary>
    private static string LocalName(ExpressionNode leaf)
    {
        var name = leaf.Name!;
        if (leaf.Operation == Operation.MapValue)
        {
            return name + leaf.Index.ToString(CultureInfo.InvariantCulture);
        }

        var bracket = name.IndexOf('[');
        return bracket > 0 ? name.Substring(0, bracket) + name.Substring(bracket + 1).TrimEnd(']') : name;
    }
}
