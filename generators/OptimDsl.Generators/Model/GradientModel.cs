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
internal sealed record GradientModel(
    ObjectiveModel Objective,
    ExpressionGraph Graph,
    int Value,
    EquatableArray<int> Gradient,
    EquatableArray<NameHint> AdjointNames)
{
    public static GradientModel From(ObjectiveModel objective)
    {
        var (graph, gradient, adjoints) = Differentiator.Differentiate(objective.Body, objective.Root, objective.TrainedCount());

        var names = new System.Collections.Generic.List<NameHint>();
        foreach (var hint in objective.NameHints)
        {
            var adjoint = hint.Node < adjoints.Length ? adjoints[hint.Node] : -1;
            if (adjoint >= 0 && !graph[adjoint].Operation.IsLeaf())
            {
                names.Add(new NameHint(adjoint, "d" + Naming.PascalCase(hint.Name)));
            }
        }

        return new GradientModel(objective, graph, objective.Root, gradient.ToEquatableArray(), names.ToEquatableArray());
    }
}
