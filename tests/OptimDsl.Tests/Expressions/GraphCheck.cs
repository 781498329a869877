using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>Evaluation, differentiation and numeric comparison helpers shared by the IR tests.</summary>
internal static class GraphCheck
{
    /// <summary>A builder holding trainable parameters named p0, p1, … with ids returned in order.</summary>
    public static (ExpressionBuilder Builder, int[] Parameters) WithParameters(int count)
    {
        var b = new ExpressionBuilder();
        var ids = Enumerable.Range(0, count).Select(i => b.Parameter(i, "p" + i)).ToArray();
        return (b, ids);
    }

    /// <summary>Differentiates <paramref name="root"/> and returns the gradient evaluated at <paramref name="point"/>.</summary>
    public static double[] Gradient(ExpressionGraph graph, int root, int parameterCount, double[] point, double[]? data = null)
    {
        var (extended, gradient, _) = Differentiator.Differentiate(graph, root, parameterCount);
        return gradient.Select(g => Evaluator.Evaluate(extended, g, point, data)).ToArray();
    }

    /// <summary>A fourth-order central difference of <paramref name="f"/> in direction <paramref name="index"/>.</summary>
    public static double CentralDifference(Func<double[], double> f, double[] point, int index)
    {
        var h = 1e-4 * Math.Max(1, Math.Abs(point[index]));
        double At(double offset)
        {
            var shifted = (double[])point.Clone();
            shifted[index] += offset;
            return f(shifted);
        }

        return (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12 * h);
    }

    /// <summary>Asserts |actual − expected| ≤ relative·max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double relative, string what)
    {
        var tolerance = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(
            Math.Abs(actual - expected) <= tolerance && !double.IsNaN(actual),
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):R}, tolerance {tolerance:R}).");
    }

    /// <summary>True when every operand id of every node is lower than the node's own id.</summary>
    public static bool IsTopological(ExpressionGraph graph)
    {
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            for (var k = 0; k < node.Operation.Arity(); k++)
            {
                var operand = node.Operand(k);
                if (operand < 0 || operand >= id)
                {
                    return false;
                }
            }

            for (var k = node.Operation.Arity(); k < 3; k++)
            {
                if (node.Operand(k) != -1)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>How many nodes <paramref name="roots"/> depend on.</summary>
    public static int ReachableCount(ExpressionGraph graph, params int[] roots) => graph.Reachable(roots).Count(r => r);

    /// <summary>The operations reachable from <paramref name="root"/>.</summary>
    public static Operation[] OperationsOf(ExpressionGraph graph, int root)
    {
        var reachable = graph.Reachable([root]);
        return Enumerable.Range(0, graph.Count).Where(i => reachable[i]).Select(i => graph[i].Operation).ToArray();
    }
}
