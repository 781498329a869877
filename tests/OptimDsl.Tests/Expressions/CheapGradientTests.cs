using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>
/// The cheap-gradient principle (README, What is generated): reverse mode adds a number of nodes bounded by a small
/// constant times the objective's own graph, whatever the number of parameters. Symbolic
/// differentiation parameter by parameter (forward mode) would add about n times the graph for
/// these functions, which is what the bounds exclude.
/// </summary>
public sealed class CheapGradientTests
{
    private const int N = 50;

    /// <summary>Nodes the adjoint sweep added that the gradient actually uses.</summary>
    private static (int Forward, int Added, double[] Gradient) Measure(ExpressionBuilder b, int root, double[] point)
    {
        var graph = b.ToGraph();
        var forward = GraphCheck.ReachableCount(graph, root);
        var (extended, gradient, _) = Differentiator.Differentiate(graph, root, N);
        var reachable = extended.Reachable(gradient.Append(root));
        var added = Enumerable.Range(graph.Count, extended.Count - graph.Count).Count(i => reachable[i]);
        Assert.True(extended.Count - graph.Count <= 6 * forward, $"The sweep built {extended.Count - graph.Count} nodes for a graph of {forward}.");
        return (forward, added, gradient.Select(g => Evaluator.Evaluate(extended, g, point)).ToArray());
    }

    private static double[] Point(int seed) => Enumerable.Range(0, N).Select(i => 0.8 + 0.45 * new Random(seed + i).NextDouble()).ToArray();

    [Fact]
    public void Product_of_fifty_parameters()
    {
        var (b, p) = GraphCheck.WithParameters(N);
        var root = p.Skip(1).Aggregate(p[0], b.Multiply);
        var point = Point(1);

        var (forward, added, gradient) = Measure(b, root, point);

        // Each ∂/∂pᵢ is a product of 49 factors: written separately they would need about N² nodes.
        Assert.True(added <= 3 * forward, $"The gradient of a {forward}-node product added {added} nodes.");
        for (var i = 0; i < N; i++)
        {
            var expected = point.Where((_, j) => j != i).Aggregate(1.0, (a, v) => a * v);
            GraphCheck.Close(expected, gradient[i], 1e-13, $"∂/∂p{i}");
        }
    }

    [Fact]
    public void Chain_of_fifty_nested_functions()
    {
        // s₀ = p₀, sᵢ = sin(pᵢ · sᵢ₋₁): ∂/∂p₀ runs through the whole chain.
        var (b, p) = GraphCheck.WithParameters(N);
        var s = p[0];
        for (var i = 1; i < N; i++)
        {
            s = b.Apply(Operation.Sin, b.Multiply(p[i], s));
        }

        var point = Point(2);
        var (forward, added, gradient) = Measure(b, s, point);

        Assert.True(added <= 4 * forward, $"The gradient of a {forward}-node chain added {added} nodes.");

        // By hand: forward values, then the chain rule backwards.
        var values = new double[N];
        values[0] = point[0];
        for (var i = 1; i < N; i++)
        {
            values[i] = Math.Sin(point[i] * values[i - 1]);
        }

        var adjoint = 1.0;
        var expected = new double[N];
        for (var i = N - 1; i >= 1; i--)
        {
            var inner = adjoint * Math.Cos(point[i] * values[i - 1]);
            expected[i] = inner * values[i - 1];
            adjoint = inner * point[i];
        }

        expected[0] = adjoint;
        for (var i = 0; i < N; i++)
        {
            GraphCheck.Close(expected[i], gradient[i], 1e-12, $"∂/∂p{i}");
        }
    }

    [Fact]
    public void Sum_of_neighbour_products_and_squares()
    {
        // f = Σ pᵢ·pᵢ₊₁ + Σ exp(pᵢ)²: every parameter feeds two products and one square.
        var (b, p) = GraphCheck.WithParameters(N);
        var root = b.Zero;
        for (var i = 0; i + 1 < N; i++)
        {
            root = b.Add(root, b.Multiply(p[i], p[i + 1]));
        }

        for (var i = 0; i < N; i++)
        {
            var e = b.Apply(Operation.Exp, p[i]);
            root = b.Add(root, b.Multiply(e, e));
        }

        var point = Point(3);
        var (forward, added, gradient) = Measure(b, root, point);

        Assert.True(added <= 3 * forward, $"The gradient of a {forward}-node sum added {added} nodes.");
        for (var i = 0; i < N; i++)
        {
            var expected = (i > 0 ? point[i - 1] : 0) + (i + 1 < N ? point[i + 1] : 0) + 2 * Math.Exp(2 * point[i]);
            GraphCheck.Close(expected, gradient[i], 1e-13, $"∂/∂p{i}");
        }
    }
}
