using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>The IR itself: hash-consing, structural equality, topological order, reachability.</summary>
public sealed class ExpressionGraphTests
{
    [Fact]
    public void Building_an_equal_node_twice_returns_the_same_id()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        var y = b.Parameter(1, "y");
        var sum = b.Add(b.Apply(Operation.Sin, x), b.Multiply(x, y));
        var count = b.Count;

        Assert.Equal(x, b.Parameter(0, "x"));
        Assert.Equal(sum, b.Add(b.Apply(Operation.Sin, x), b.Multiply(x, y)));
        Assert.Equal(b.Constant(2.5), b.Constant(2.5));
        Assert.Equal(b.Data(0, "d"), b.Data(0, "d"));
        Assert.Equal(b.Field("global::N.T.F"), b.Field("global::N.T.F"));
        Assert.Equal(count + 3, b.Count); // only the new constant, data and field were added
    }

    [Fact]
    public void Nodes_that_differ_in_any_field_are_distinct()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");

        Assert.NotEqual(x, b.Parameter(1, "x"));
        Assert.NotEqual(x, b.Parameter(0, "y"));
        Assert.NotEqual(x, b.Data(0, "x"));
        Assert.NotEqual(b.Field("global::A.F"), b.Field("global::B.F"));
        Assert.NotEqual(b.Apply(Operation.Sin, x), b.Apply(Operation.Cos, x));
        Assert.NotEqual(b.Subtract(x, b.Parameter(1, "y")), b.Subtract(b.Parameter(1, "y"), x));
    }

    [Fact]
    public void Constants_are_shared_by_bit_pattern()
    {
        var b = new ExpressionBuilder();

        Assert.NotEqual(b.Constant(0.0), b.Constant(-0.0));
        Assert.Equal(b.Constant(double.NaN), b.Constant(double.NaN));
        Assert.Equal(b.Constant(0.1 + 0.2), b.Constant(0.30000000000000004));
        Assert.NotEqual(b.Constant(0.1 + 0.2), b.Constant(0.3));
    }

    [Fact]
    public void Nodes_are_value_equal_records()
    {
        Assert.Equal(new ExpressionNode(Operation.Add, 0, 1), new ExpressionNode(Operation.Add, 0, 1));
        Assert.Equal(new ExpressionNode(Operation.Add, 0, 1).GetHashCode(), new ExpressionNode(Operation.Add, 0, 1).GetHashCode());
        Assert.NotEqual(new ExpressionNode(Operation.Add, 0, 1), new ExpressionNode(Operation.Add, 1, 0));
        Assert.NotEqual(ExpressionNode.Constant(0.0), ExpressionNode.Constant(-0.0));
        Assert.Equal(ExpressionNode.Parameter(2, "w"), ExpressionNode.Parameter(2, "w"));
        Assert.NotEqual(ExpressionNode.Parameter(2, "w"), ExpressionNode.Data(2, "w"));
    }

    private static ExpressionGraph Sample(double constant)
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        var y = b.Parameter(1, "y");
        var d = b.Data(0, "d");
        b.Add(b.Multiply(b.Apply(Operation.Exp, b.Multiply(x, d)), y), b.Constant(constant));
        return b.ToGraph();
    }

    [Fact]
    public void Graphs_compare_by_structure_not_by_reference()
    {
        var first = Sample(3);
        var second = Sample(3);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, Sample(4));
    }

    [Fact]
    public void Differentiating_equal_graphs_gives_equal_graphs()
    {
        var first = Sample(3);
        var second = Sample(3);

        var (g1, grad1, _) = Differentiator.Differentiate(first, first.Count - 1, 2);
        var (g2, grad2, _) = Differentiator.Differentiate(second, second.Count - 1, 2);

        Assert.Equal(g1, g2);
        Assert.Equal(grad1, grad2);
    }

    [Fact]
    public void Operands_always_precede_their_users()
    {
        var (b, p) = GraphCheck.WithParameters(3);
        var a = b.Multiply(p[0], p[1]);
        var c = b.Apply(Operation.Atan2, b.Apply(Operation.Sin, a), b.Add(p[2], b.One));
        var root = b.Conditional(b.Apply(Operation.Less, p[0], c), b.Apply(Operation.Clamp, a, p[1], p[2]), b.Divide(c, a));
        var graph = b.ToGraph();

        Assert.True(GraphCheck.IsTopological(graph));
        Assert.Equal(graph.Count - 1, root);

        var (extended, gradient, adjoints) = Differentiator.Differentiate(graph, root, 3);
        Assert.True(GraphCheck.IsTopological(extended));
        Assert.All(gradient, g => Assert.InRange(g, 0, extended.Count - 1));
        Assert.All(adjoints.Where(a => a >= 0), a => Assert.InRange(a, 0, extended.Count - 1));

        // The forward graph is a prefix of the extended one: its ids stay valid.
        Assert.Equal(graph.Nodes.ToArray(), extended.Nodes.Take(graph.Count).ToArray());
    }

    [Fact]
    public void A_builder_started_from_a_graph_keeps_its_ids_and_shares_its_nodes()
    {
        var graph = Sample(3);
        var b = new ExpressionBuilder(graph);

        Assert.Equal(graph.Count, b.Count);
        for (var id = 0; id < graph.Count; id++)
        {
            Assert.Equal(graph[id], b[id]);
        }

        var x = b.Parameter(0, "x");
        var d = b.Data(0, "d");
        Assert.Equal(graph.Nodes.ToArray().ToList().FindIndex(n => n.Operation == Operation.Exp), b.Apply(Operation.Exp, b.Multiply(d, x)));
        Assert.Equal(graph.Count, b.Count);
        Assert.Equal(graph, b.ToGraph());
    }

    [Fact]
    public void Reachable_marks_exactly_the_dependencies_of_the_roots()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        var y = b.Parameter(1, "y");
        var sinX = b.Apply(Operation.Sin, x);
        var unused = b.Apply(Operation.Cos, y);
        var root = b.Multiply(sinX, b.Constant(3));
        var graph = b.ToGraph();

        var reachable = graph.Reachable([root]);

        Assert.True(reachable[root]);
        Assert.True(reachable[sinX]);
        Assert.True(reachable[x]);
        Assert.False(reachable[y]);
        Assert.False(reachable[unused]);
        Assert.Equal(4, reachable.Count(r => r));
        var other = graph.Reachable([unused, -1]);
        Assert.Equal(new[] { y, unused }, Enumerable.Range(0, graph.Count).Where(i => other[i]));
    }

    [Fact]
    public void Arity_and_kind_of_every_operation()
    {
        foreach (var operation in Enum.GetValues<Operation>())
        {
            var expected = operation switch
            {
                Operation.Constant or Operation.Parameter or Operation.Data or Operation.Field => 0,
                Operation.Iteration or Operation.ParameterAt or Operation.DataAt or Operation.LoopSum or Operation.SumAdjoint
                    or Operation.MapValue or Operation.MapAt or Operation.MapAdjoint => 0, // a rolled loop's leaves
                Operation.Clamp or Operation.Conditional => 3,
                Operation.Add or Operation.Subtract or Operation.Multiply or Operation.Divide or Operation.Pow
                    or Operation.Atan2 or Operation.Max or Operation.Min or Operation.Less or Operation.LessOrEqual
                    or Operation.Greater or Operation.GreaterOrEqual or Operation.Equal or Operation.NotEqual
                    or Operation.And or Operation.Or => 2,
                _ => 1,
            };
            Assert.Equal(expected, operation.Arity());
        }

        Assert.True(Operation.Not.IsBoolean());
        Assert.True(Operation.Less.IsBoolean());
        Assert.False(Operation.Conditional.IsBoolean());
        Assert.False(Operation.Abs.IsBoolean());
        Assert.Equal("Atan2", Operation.Atan2.MathMethodName());
        Assert.Null(Operation.Add.MathMethodName());
    }
}
