namespace OptimDsl.Generators.Expressions;

/// <summary>
/// Reverse-mode differentiation: one adjoint sweep over the expression DAG.
/// </summary>
/// <remarks>
/// Each node's adjoint (∂ root / ∂ node) is the sum, over the node's users, of the user's adjoint
/// times the user's partial (<see cref="DerivativeRules"/>). Visiting nodes from the root down
/// visits every user before its operands. The sweep adds a bounded number of nodes per edge of the
/// DAG, so the gradient costs a small constant multiple of the objective whatever the number of
/// parameters: the cheap-gradient principle. Only nodes that depend on a trainable parameter
/// ("active" nodes) receive adjoints: data, fields and constants cost nothing.
/// </remarks>
internal static class Differentiator
{
    /// <summary>The graph extended with the adjoint nodes, and one gradient node id per trainable parameter.</summary>
    public static (ExpressionGraph Graph, int[] Gradient, int[] Adjoints) Differentiate(ExpressionGraph graph, int root, int parameterCount)
    {
        var b = new ExpressionBuilder(graph);
        var active = ActiveNodes(graph, root);

        var adjoint = new int[root + 1];
        for (var i = 0; i < adjoint.Length; i++)
        {
            adjoint[i] = -1;
        }

        adjoint[root] = b.One;
        for (var id = root; id >= 0; id--)
        {
            if (adjoint[id] < 0 || !active[id])
            {
                continue;
            }

            var node = b[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                var operand = node.Operand(k);
                if (!active[operand] || !DerivativeRules.IsDifferentiableOperand(node.Operation, k))
                {
                    continue;
                }

                var contribution = b.Multiply(adjoint[id], DerivativeRules.Partial(b, id, k));
                adjoint[operand] = adjoint[operand] < 0 ? contribution : b.Add(adjoint[operand], contribution);
            }
        }

        var gradient = new int[parameterCount];
        for (var p = 0; p < parameterCount; p++)
        {
            gradient[p] = b.Zero;
        }

        for (var id = 0; id <= root; id++)
        {
            var node = b[id];
            if (node.Operation == Operation.Parameter && adjoint[id] >= 0)
            {
                gradient[node.Index] = adjoint[id];
            }
        }

        return (b.ToGraph(), gradient, adjoint);
    }

    /// <summary>Nodes that depend on a trainable parameter and are reachable from <paramref name="root"/>.</summary>
    private static bool[] ActiveNodes(ExpressionGraph graph, int root)
    {
        var reachable = graph.Reachable(new[] { root });
        var active = new bool[root + 1];
        for (var id = 0; id <= root; id++)
        {
            var node = graph[id];
            if (!reachable[id])
            {
                continue;
            }

            if (node.Operation == Operation.Parameter)
            {
                active[id] = true;
                continue;
            }

            for (var k = 0; k < node.Operation.Arity() && !active[id]; k++)
            {
                active[id] = active[node.Operand(k)] && DerivativeRules.IsDifferentiableOperand(node.Operation, k);
            }
        }

        return active;
    }
}
