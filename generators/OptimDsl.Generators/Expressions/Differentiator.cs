using System.Collections.Generic;
using System.Linq;

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
/// ("active" nodes) receive adjoints: data, fields and constants cost nothing. A rolled loop's sum
/// (<see cref="Operation.LoopSum"/>) and the values of a rolled loop's map (<see cref="Operation.MapValue"/>,
/// <see cref="Operation.MapAt"/>) are variables of the sweep like a parameter; a loop's body is swept on its
/// own, seeded with its sums' and maps' adjoints (<see cref="Sweep"/>).
/// </remarks>
internal static class Differentiator
{
    /// <summary>The graph extended with the adjoint nodes, and one gradient node id per trainable parameter.</summary>
    public static (ExpressionGraph Graph, int[] Gradient, int[] Adjoints) Differentiate(ExpressionGraph graph, int root, int parameterCount)
    {
        var b = new ExpressionBuilder(graph);
        var adjoint = Sweep(b, new[] { (root, b.One) });

        var gradient = new int[parameterCount];
        for (var p = 0; p < parameterCount; p++)
        {
            gradient[p] = b.Zero;
        }

        for (var id = 0; id < adjoint.Length; id++)
        {
            var node = b[id];
            if (node.Operation == Operation.Parameter && adjoint[id] >= 0)
            {
                gradient[node.Index] = adjoint[id];
            }
        }

        return (b.ToGraph(), gradient, adjoint);
    }

    /// <summary>
    /// The adjoint sweep from the given outputs, each seeded with an adjoint node: every active node
    /// reachable from them gets its adjoint (−1 for none), indexed by node id.
    /// </summary>
    public static int[] Sweep(ExpressionBuilder b, IReadOnlyList<(int Node, int Seed)> seeds)
    {
        var top = seeds.Max(s => s.Node);
        var active = ActiveNodes(b, seeds.Select(s => s.Node), top);
        var adjoint = new int[top + 1];
        for (var i = 0; i < adjoint.Length; i++)
        {
            adjoint[i] = -1;
        }

        foreach (var (node, seed) in seeds)
        {
            adjoint[node] = adjoint[node] < 0 ? seed : b.Add(adjoint[node], seed);
        }

        for (var id = top; id >= 0; id--)
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

        return adjoint;
    }

    /// <summary>Whether a leaf is a variable of the sweep: a trained value, fixed or in a rolled loop, or a rolled loop's sum or map.</summary>
    public static bool IsVariable(Operation operation)
        => operation is Operation.Parameter or Operation.ParameterAt or Operation.LoopSum or Operation.MapValue or Operation.MapAt;

    /// <summary>Nodes that depend on a variable and are reachable from <paramref name="roots"/>.</summary>
    private static bool[] ActiveNodes(ExpressionBuilder graph, IEnumerable<int> roots, int top)
    {
        var reachable = new bool[top + 1];
        foreach (var root in roots)
        {
            reachable[root] = true;
        }

        for (var id = top; id >= 0; id--)
        {
            if (!reachable[id])
            {
                continue;
            }

            var node = graph[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                reachable[node.Operand(k)] = true;
            }
        }

        var active = new bool[top + 1];
        for (var id = 0; id <= top; id++)
        {
            var node = graph[id];
            if (!reachable[id])
            {
                continue;
            }

            if (IsVariable(node.Operation))
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
