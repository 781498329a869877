using System.Collections.Generic;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Expressions;

/// <summary>
/// An immutable expression DAG: nodes in topological order, each referring to its operands by id, every value of
/// type <paramref name="Element"/> (its constants are values of that type). Equal graphs compare equal, so graphs can
/// sit in incremental-pipeline models.
/// </summary>
internal sealed record ExpressionGraph(EquatableArray<ExpressionNode> Nodes, ElementType Element = ElementType.Double)
{
    public ExpressionNode this[int id] => Nodes[id];

    public int Count => Nodes.Count;

    /// <summary>The ids of the nodes that <paramref name="roots"/> depend on (roots included), as a mask.</summary>
    public bool[] Reachable(IEnumerable<int> roots)
    {
        var reachable = new bool[Count];
        foreach (var root in roots)
        {
            if (root >= 0)
            {
                reachable[root] = true;
            }
        }

        // Operands have lower ids than their users, so one downward pass suffices.
        for (var id = Count - 1; id >= 0; id--)
        {
            if (!reachable[id])
            {
                continue;
            }

            var node = Nodes[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                reachable[node.Operand(k)] = true;
            }
        }

        return reachable;
    }
}
