using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;

namespace OptimDsl.Generators.Model;

/// <summary>
/// An objective after differentiation: its graph extended with the adjoint sweep.
/// </summary>
/// <param name="Objective">The objective as parsed.</param>
/// <param name="Graph">The body's nodes (ids below <c>Objective.Body.Count</c>) followed by the adjoint nodes.</param>
/// <param name="Value">The node of the objective's value.</param>
/// <param name="Gradient">∂value/∂p for each trainable parameter p, in order.</param>
/// <param name="AdjointNames">Names for adjoint nodes, derived from the user's locals (<c>r</c> → <c>dR</c>).</param>
/// <param name="Loops">Per rolled loop of the objective, its adjoint sweep (empty without rolled loops).</param>
/// <param name="MapAdjoints">Per value of a rolled loop's map that the code outside the loops reads (a <see cref="Operation.MapValue"/> leaf), its adjoint there: added to the map's adjoint before the loops' sweeps.</param>
/// <param name="Residuals">With <c>[LevenbergMarquardt]</c>, per residual r of the sum of squares, r and its gradient: the Jacobian's row (README, Which optimizer?).</param>
internal sealed record GradientModel(
    ObjectiveModel Objective,
    ExpressionGraph Graph,
    int Value,
    EquatableArray<int> Gradient,
    EquatableArray<NameHint> AdjointNames,
    EquatableArray<LoopGradient> Loops,
    EquatableArray<LeafAdjoint> MapAdjoints,
    EquatableArray<GradientModel> Residuals)
{
    /// <summary>Whether the objective has rolled loops, whose code is written by <c>RolledCode</c>.</summary>
    public bool IsRolled => Loops.Count > 0;

    public static GradientModel From(ObjectiveModel objective)
    {
        var (graph, gradient, adjoints) = Differentiator.Differentiate(objective.Body, objective.Root, objective.TrainedCount());
        var loops = new List<LoopGradient>();
        var mapAdjoints = new List<LeafAdjoint>();
        if (objective.Loops.Count > 0)
        {
            (graph, loops, mapAdjoints) = DifferentiateLoops(objective, graph, adjoints);
        }

        var names = new System.Collections.Generic.List<NameHint>();
        foreach (var hint in objective.NameHints)
        {
            var adjoint = hint.Node < adjoints.Length ? adjoints[hint.Node] : -1;
            if (adjoint >= 0 && !graph[adjoint].Operation.IsLeaf())
            {
                names.Add(new NameHint(adjoint, "d" + Naming.PascalCase(hint.Name)));
            }
        }

        // Each residual is differentiated on its own, as an objective that returns it.
        var residuals = objective.Residuals
            .Select(r => From(objective with { Root = r.Node, Residuals = EquatableArray<ResidualModel>.Empty }))
            .ToEquatableArray();
        return new GradientModel(objective, graph, objective.Root, gradient.ToEquatableArray(), names.ToEquatableArray(), loops.ToEquatableArray(), mapAdjoints.ToEquatableArray(), residuals);
    }

    /// <summary>
    /// Each rolled loop's body swept on its own, seeded with its sums' adjoints from the sweep of the
    /// objective (<paramref name="adjoints"/>) and with its maps' adjoints, which the code after it gathers
    /// per iteration. A loop's body reads leaves only (trained and data values, fixed or of the iteration,
    /// earlier loops' maps, constants, fields), so the adjoints of its leaves are complete: a trained value or
    /// a map's value of the iteration is scattered into the gradient or the map's adjoint, a fixed one summed
    /// over the iterations. The loops are swept last to first, so that a map's adjoint is complete when the
    /// loop that wrote it is swept.
    /// </summary>
    private static (ExpressionGraph Graph, List<LoopGradient> Loops, List<LeafAdjoint> MapAdjoints) DifferentiateLoops(ObjectiveModel objective, ExpressionGraph graph, int[] adjoints)
    {
        var b = new ExpressionBuilder(graph);
        var sums = new Dictionary<(int Loop, int Output), int>();
        var mapAdjoints = new List<LeafAdjoint>();
        var seededMaps = new HashSet<(int Loop, int Map)>();
        for (var id = 0; id < adjoints.Length; id++)
        {
            if (adjoints[id] < 0)
            {
                continue;
            }

            if (b[id].Operation == Operation.LoopSum)
            {
                sums[(b[id].Loop, b[id].Index)] = adjoints[id];
            }
            else if (b[id].Operation == Operation.MapValue && !b[adjoints[id]].IsConstantValue(0))
            {
                mapAdjoints.Add(new LeafAdjoint(id, adjoints[id]));
                seededMaps.Add((b[id].MapLoop, b[id].MapOutput));
            }
        }

        var loops = new LoopGradient[objective.Loops.Count];
        for (var l = objective.Loops.Count - 1; l >= 0; l--)
        {
            var loop = objective.Loops[l];
            var seeds = new List<(int Node, int Seed)>();
            var seedNodes = new int[loop.Outputs.Count];
            for (var k = 0; k < loop.Outputs.Count; k++)
            {
                seedNodes[k] = sums.TryGetValue((l, k), out var seed) ? seed : -1;
                if (seedNodes[k] >= 0)
                {
                    // A constant as it is; anything else as an opaque leaf, so that no simplification reaches
                    // into the value outside the loop.
                    seeds.Add((loop.Outputs[k], b[seed].IsConstant ? seed : b.SumAdjoint(l, k)));
                }
            }

            var mapSeeds = new int[loop.Maps.Count];
            for (var k = 0; k < loop.Maps.Count; k++)
            {
                mapSeeds[k] = seededMaps.Contains((l, k)) ? b.MapAdjoint(l, k, loop.MapNames[k]) : -1;
                if (mapSeeds[k] >= 0)
                {
                    seeds.Add((loop.Maps[k], mapSeeds[k]));
                }
            }

            var scatters = new List<LeafAdjoint>();
            var fixedValues = new List<LeafAdjoint>();
            if (seeds.Count > 0)
            {
                var adjoint = Differentiator.Sweep(b, seeds);
                for (var id = 0; id < adjoint.Length; id++)
                {
                    if (adjoint[id] < 0 || b[adjoint[id]].IsConstantValue(0))
                    {
                        continue;
                    }

                    var node = b[id];
                    switch (node.Operation)
                    {
                        case Operation.ParameterAt:
                            scatters.Add(new LeafAdjoint(id, adjoint[id]));
                            break;
                        case Operation.MapAt:
                            scatters.Add(new LeafAdjoint(id, adjoint[id]));
                            seededMaps.Add((node.MapLoop, node.MapOutput));
                            break;
                        case Operation.Parameter:
                            fixedValues.Add(new LeafAdjoint(id, adjoint[id]));
                            break;
                        case Operation.MapValue:
                            fixedValues.Add(new LeafAdjoint(id, adjoint[id]));
                            seededMaps.Add((node.MapLoop, node.MapOutput));
                            break;
                    }
                }
            }

            loops[l] = new LoopGradient(seedNodes.ToEquatableArray(), mapSeeds.ToEquatableArray(), scatters.ToEquatableArray(), fixedValues.ToEquatableArray());
        }

        return (b.ToGraph(), loops.ToList(), mapAdjoints);
    }
}

/// <summary>
/// A rolled loop's adjoint sweep: the adjoint of each of its sums (−1 when the value does not depend on
/// it), and per trained leaf of its body, that leaf's adjoint in one iteration.
/// </summary>
/// <param name="SumAdjoints">Per output k, the node of ∂value/∂(sum k), or −1; the loop's sweep reads it as the <see cref="Operation.SumAdjoint"/> leaf (loop, k).</param>
/// <param name="MapSeeds">Per map k, its <see cref="Operation.MapAdjoint"/> leaf, or −1 when nothing reads the map's values.</param>
/// <param name="Scatters">Per <see cref="Operation.ParameterAt"/> leaf: its adjoint, added to the gradient at the leaf's index in each iteration; per <see cref="Operation.MapAt"/> leaf, to the map's adjoint.</param>
/// <param name="FixedValues">Per <see cref="Operation.Parameter"/> or <see cref="Operation.MapValue"/> leaf the body reads: its adjoint in one iteration, summed over the iterations into the gradient or the map's adjoint.</param>
internal readonly record struct LoopGradient(EquatableArray<int> SumAdjoints, EquatableArray<int> MapSeeds, EquatableArray<LeafAdjoint> Scatters, EquatableArray<LeafAdjoint> FixedValues);

/// <summary>A leaf of a rolled loop's body and the node of its adjoint.</summary>
internal readonly record struct LeafAdjoint(int Leaf, int Adjoint);
