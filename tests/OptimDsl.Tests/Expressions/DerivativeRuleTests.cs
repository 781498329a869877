using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>
/// Every derivative rule: a function of one to three parameters built around one operation,
/// differentiated in reverse mode and evaluated, against the derivative written out by hand and
/// against a finite difference of the function itself.
/// </summary>
public sealed class DerivativeRuleTests
{
    /// <summary>One rule under test.</summary>
    /// <param name="Build">Builds f from the parameter ids.</param>
    /// <param name="Value">f written with <see cref="Math"/>.</param>
    /// <param name="Derivative">∇f written out by hand.</param>
    /// <param name="Points">Where to compare: points where f is smooth.</param>
    private sealed record Rule(
        int Arity,
        Func<ExpressionBuilder, int[], int> Build,
        Func<double[], double> Value,
        Func<double[], double[]> Derivative,
        double[][] Points);

    private static double[] P(params double[] values) => values;

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["Negate"] = new(1, (b, p) => b.Negate(p[0]), v => -v[0], v => P(-1), [P(-2), P(0.3), P(7)]),
        ["Add"] = new(2, (b, p) => b.Add(p[0], p[1]), v => v[0] + v[1], v => P(1, 1), [P(1, 2), P(-3, 0.5)]),
        ["Subtract"] = new(2, (b, p) => b.Subtract(p[0], p[1]), v => v[0] - v[1], v => P(1, -1), [P(1, 2), P(-3, 0.5)]),
        ["Multiply"] = new(2, (b, p) => b.Multiply(p[0], p[1]), v => v[0] * v[1], v => P(v[1], v[0]), [P(1.5, 2), P(-3, 0.25), P(0.7, -4)]),
        ["Divide"] = new(2, (b, p) => b.Divide(p[0], p[1]), v => v[0] / v[1],
            v => P(1 / v[1], -v[0] / (v[1] * v[1])), [P(1.5, 2), P(-3, 0.25), P(0.7, -4)]),
        ["Sqrt"] = new(1, (b, p) => b.Apply(Operation.Sqrt, p[0]), v => Math.Sqrt(v[0]),
            v => P(0.5 / Math.Sqrt(v[0])), [P(0.04), P(1), P(2.5), P(90)]),
        ["Cbrt"] = new(1, (b, p) => b.Apply(Operation.Cbrt, p[0]), v => Math.Cbrt(v[0]),
            v => P(1 / (3 * Math.Cbrt(v[0]) * Math.Cbrt(v[0]))), [P(0.2), P(8), P(-3.5), P(-27)]),
        ["Exp"] = new(1, (b, p) => b.Apply(Operation.Exp, p[0]), v => Math.Exp(v[0]), v => P(Math.Exp(v[0])), [P(-3), P(0), P(1.7)]),
        ["Log"] = new(1, (b, p) => b.Apply(Operation.Log, p[0]), v => Math.Log(v[0]), v => P(1 / v[0]), [P(0.1), P(1), P(12)]),
        ["Log10"] = new(1, (b, p) => b.Apply(Operation.Log10, p[0]), v => Math.Log10(v[0]),
            v => P(1 / (v[0] * Math.Log(10))), [P(0.1), P(1), P(12)]),
        ["Log2"] = new(1, (b, p) => b.Apply(Operation.Log2, p[0]), v => Math.Log2(v[0]),
            v => P(1 / (v[0] * Math.Log(2))), [P(0.1), P(1), P(12)]),
        ["Pow"] = new(2, (b, p) => b.Apply(Operation.Pow, p[0], p[1]), v => Math.Pow(v[0], v[1]),
            v => P(v[1] * Math.Pow(v[0], v[1] - 1), Math.Pow(v[0], v[1]) * Math.Log(v[0])), [P(1.5, 2.3), P(0.4, -1.7), P(3, 0.5)]),
        ["Pow with a constant exponent"] = new(1, (b, p) => b.Apply(Operation.Pow, p[0], b.Constant(2.5)), v => Math.Pow(v[0], 2.5),
            v => P(2.5 * Math.Pow(v[0], 1.5)), [P(0.3), P(2)]),
        ["Pow with a constant base"] = new(1, (b, p) => b.Apply(Operation.Pow, b.Constant(3), p[0]), v => Math.Pow(3, v[0]),
            v => P(Math.Pow(3, v[0]) * Math.Log(3)), [P(-1.2), P(0.7)]),
        ["Sin"] = new(1, (b, p) => b.Apply(Operation.Sin, p[0]), v => Math.Sin(v[0]), v => P(Math.Cos(v[0])), [P(-2), P(0.5), P(4)]),
        ["Cos"] = new(1, (b, p) => b.Apply(Operation.Cos, p[0]), v => Math.Cos(v[0]), v => P(-Math.Sin(v[0])), [P(-2), P(0.5), P(4)]),
        ["Tan"] = new(1, (b, p) => b.Apply(Operation.Tan, p[0]), v => Math.Tan(v[0]),
            v => P(1 / (Math.Cos(v[0]) * Math.Cos(v[0]))), [P(-1.2), P(0.3), P(1)]),
        ["Asin"] = new(1, (b, p) => b.Apply(Operation.Asin, p[0]), v => Math.Asin(v[0]),
            v => P(1 / Math.Sqrt(1 - v[0] * v[0])), [P(-0.9), P(0), P(0.6)]),
        ["Acos"] = new(1, (b, p) => b.Apply(Operation.Acos, p[0]), v => Math.Acos(v[0]),
            v => P(-1 / Math.Sqrt(1 - v[0] * v[0])), [P(-0.9), P(0), P(0.6)]),
        ["Atan"] = new(1, (b, p) => b.Apply(Operation.Atan, p[0]), v => Math.Atan(v[0]),
            v => P(1 / (1 + v[0] * v[0])), [P(-5), P(0), P(0.6)]),
        ["Atan2"] = new(2, (b, p) => b.Apply(Operation.Atan2, p[0], p[1]), v => Math.Atan2(v[0], v[1]),
            v => P(v[1] / (v[0] * v[0] + v[1] * v[1]), -v[0] / (v[0] * v[0] + v[1] * v[1])),
            [P(1, 2), P(-0.5, 3), P(2, -1), P(-1, -1.5)]),
        ["Sinh"] = new(1, (b, p) => b.Apply(Operation.Sinh, p[0]), v => Math.Sinh(v[0]), v => P(Math.Cosh(v[0])), [P(-2), P(0), P(1.3)]),
        ["Cosh"] = new(1, (b, p) => b.Apply(Operation.Cosh, p[0]), v => Math.Cosh(v[0]), v => P(Math.Sinh(v[0])), [P(-2), P(0), P(1.3)]),
        ["Tanh"] = new(1, (b, p) => b.Apply(Operation.Tanh, p[0]), v => Math.Tanh(v[0]),
            v => P(1 / (Math.Cosh(v[0]) * Math.Cosh(v[0]))), [P(-2), P(0), P(1.3)]),
        ["Abs"] = new(1, (b, p) => b.Apply(Operation.Abs, p[0]), v => Math.Abs(v[0]), v => P(Math.Sign(v[0])), [P(-2), P(0.5), P(3)]),
        ["Max"] = new(2, (b, p) => b.Apply(Operation.Max, p[0], p[1]), v => Math.Max(v[0], v[1]),
            v => v[0] > v[1] ? P(1, 0) : P(0, 1), [P(1, 2), P(3, -1), P(-2, -1.5)]),
        ["Min"] = new(2, (b, p) => b.Apply(Operation.Min, p[0], p[1]), v => Math.Min(v[0], v[1]),
            v => v[0] < v[1] ? P(1, 0) : P(0, 1), [P(1, 2), P(3, -1), P(-2, -1.5)]),
        ["Clamp"] = new(3, (b, p) => b.Apply(Operation.Clamp, p[0], p[1], p[2]), v => Math.Clamp(v[0], v[1], v[2]),
            v => v[0] < v[1] ? P(0, 1, 0) : v[0] > v[2] ? P(0, 0, 1) : P(1, 0, 0),
            [P(0.5, -1, 2), P(-3, -1, 2), P(5, -1, 2), P(1.9, 1.8, 1.95)]),
        ["Conditional"] = new(2,
            (b, p) => b.Conditional(b.Apply(Operation.Less, p[0], p[1]), b.Multiply(p[0], p[0]), b.Apply(Operation.Sin, p[1])),
            v => v[0] < v[1] ? v[0] * v[0] : Math.Sin(v[1]),
            v => v[0] < v[1] ? P(2 * v[0], 0) : P(0, Math.Cos(v[1])),
            [P(1, 2), P(-3, -1), P(2, 1), P(0.5, -4)]),
        ["Conditional over every comparison and logical operator"] = new(2,
            (b, p) =>
            {
                var x = p[0];
                var y = p[1];
                var a = b.Apply(Operation.And, b.Apply(Operation.Greater, x, b.Zero), b.Apply(Operation.Not, b.Apply(Operation.LessOrEqual, y, b.One)));
                var o = b.Apply(Operation.Or, a, b.Apply(Operation.Equal, x, y));
                var n = b.Apply(Operation.And, b.Apply(Operation.NotEqual, x, b.Constant(-1)), b.Apply(Operation.GreaterOrEqual, y, b.Constant(-2)));
                return b.Conditional(o, b.Multiply(x, y), b.Conditional(n, b.Subtract(x, b.Multiply(y, y)), b.Apply(Operation.Exp, x)));
            },
            v => (v[0] > 0 && !(v[1] <= 1)) || v[0] == v[1] ? v[0] * v[1] : v[0] != -1 && v[1] >= -2 ? v[0] - v[1] * v[1] : Math.Exp(v[0]),
            v => (v[0] > 0 && !(v[1] <= 1)) || v[0] == v[1] ? P(v[1], v[0]) : v[0] != -1 && v[1] >= -2 ? P(1, -2 * v[1]) : P(Math.Exp(v[0]), 0),
            [P(0.5, 2), P(-0.5, 2), P(0.5, 0.2), P(0.5, -3), P(-2, -3)]),
    };

    public static IEnumerable<object[]> RuleNames => Rules.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Reverse_mode_gradient_matches_the_hand_derivative_and_a_finite_difference(string name)
    {
        var rule = Rules[name];
        var (b, p) = GraphCheck.WithParameters(rule.Arity);
        var root = rule.Build(b, p);
        var graph = b.ToGraph();

        foreach (var point in rule.Points)
        {
            // The graph computes the function it claims to.
            GraphCheck.Close(rule.Value(point), Evaluator.Evaluate(graph, root, point), 1e-14, $"{name} value at ({string.Join(", ", point)})");

            var gradient = GraphCheck.Gradient(graph, root, rule.Arity, point);
            var hand = rule.Derivative(point);
            for (var i = 0; i < rule.Arity; i++)
            {
                var where = $"∂{name}/∂p{i} at ({string.Join(", ", point)})";
                GraphCheck.Close(hand[i], gradient[i], 1e-12, where + " (hand derivative)");
                var numeric = GraphCheck.CentralDifference(v => Evaluator.Evaluate(graph, root, v), point, i);
                GraphCheck.Close(numeric, gradient[i], 1e-7, where + " (finite difference)");
            }
        }
    }

    [Fact]
    public void Every_computing_operation_has_a_rule_under_test()
    {
        var covered = new HashSet<Operation>();
        foreach (var rule in Rules.Values)
        {
            var (b, p) = GraphCheck.WithParameters(rule.Arity);
            var root = rule.Build(b, p);
            covered.UnionWith(GraphCheck.OperationsOf(b.ToGraph(), root));
        }

        var missing = Enum.GetValues<Operation>().Where(o => !o.IsLeaf() && !covered.Contains(o)).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void Partial_of_each_operand_position_is_the_textbook_one()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        var y = b.Parameter(1, "y");
        var product = b.Multiply(x, y);
        var quotient = b.Divide(x, y);
        var exp = b.Apply(Operation.Exp, x);
        var point = new[] { 1.7, -0.6 };

        var node = b[product];
        Assert.Equal(new[] { x, y }, new[] { node.First, node.Second }.OrderBy(i => i));
        Assert.Equal(node.Second, DerivativeRules.Partial(b, product, 0));   // ∂(ab)/∂a = b
        Assert.Equal(node.First, DerivativeRules.Partial(b, product, 1));    // ∂(ab)/∂b = a
        Assert.Equal(exp, DerivativeRules.Partial(b, exp, 0)); // exp′ reuses exp itself
        var dx = DerivativeRules.Partial(b, quotient, 0);
        GraphCheck.Close(1 / point[1], Evaluator.Evaluate(b.ToGraph(), dx, point), 1e-15, "∂(x/y)/∂x");
        var dy = DerivativeRules.Partial(b, quotient, 1);
        GraphCheck.Close(-point[0] / (point[1] * point[1]), Evaluator.Evaluate(b.ToGraph(), dy, point), 1e-15, "∂(x/y)/∂y");
        Assert.True(b[DerivativeRules.Partial(b, b.Add(x, y), 1)].IsConstantValue(1));
        Assert.True(b[DerivativeRules.Partial(b, b.Subtract(x, y), 1)].IsConstantValue(-1));
    }

    [Fact]
    public void Conditions_carry_no_derivative()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        var y = b.Parameter(1, "y");
        var root = b.Conditional(b.Apply(Operation.Greater, y, b.Zero), x, b.Multiply(b.Constant(2), x));

        var (graph, gradient, _) = Differentiator.Differentiate(b.ToGraph(), root, 2);

        Assert.True(graph[gradient[1]].IsConstantValue(0));
        Assert.False(DerivativeRules.IsDifferentiableOperand(Operation.Conditional, 0));
        Assert.True(DerivativeRules.IsDifferentiableOperand(Operation.Conditional, 1));
        Assert.False(DerivativeRules.IsDifferentiableOperand(Operation.Less, 0));
        Assert.Equal(1.0, Evaluator.Evaluate(graph, gradient[0], [3, 1]));
        Assert.Equal(2.0, Evaluator.Evaluate(graph, gradient[0], [3, -1]));
    }

    [Fact]
    public void An_equality_that_holds_selects_its_branch()
    {
        var (b, p) = GraphCheck.WithParameters(2);
        var root = b.Conditional(b.Apply(Operation.Equal, p[0], p[1]), b.Multiply(p[0], b.Apply(Operation.Sin, p[1])), b.Subtract(p[0], p[1]));
        var graph = b.ToGraph();

        Assert.Equal(0.5 * Math.Sin(0.5), Evaluator.Evaluate(graph, root, [0.5, 0.5]));
        var tie = GraphCheck.Gradient(graph, root, 2, [0.5, 0.5]);
        GraphCheck.Close(Math.Sin(0.5), tie[0], 1e-15, "∂/∂x on the tie");
        GraphCheck.Close(0.5 * Math.Cos(0.5), tie[1], 1e-15, "∂/∂y on the tie");
        Assert.Equal(new[] { 1.0, -1.0 }, GraphCheck.Gradient(graph, root, 2, [0.5, 0.25]));
    }

    [Fact]
    public void A_NaN_in_a_branch_not_taken_stays_out_of_the_gradient()
    {
        // s = √(x − 1) is NaN for x < 1, where no branch that reads it is taken.
        var (b, p) = GraphCheck.WithParameters(1);
        var x = p[0];
        var s = b.Apply(Operation.Sqrt, b.Subtract(x, b.One));
        var first = b.Conditional(b.Apply(Operation.Greater, x, b.One), s, b.Zero);
        var second = b.Conditional(b.Apply(Operation.Greater, x, b.Constant(2)), s, b.Zero);
        var one = first;                  // x > 1 ? s : 0
        var two = b.Add(first, second);   // (x > 1 ? s : 0) + (x > 2 ? s : 0)
        var graph = b.ToGraph();

        Assert.Equal(0.0, Evaluator.Evaluate(graph, one, [0.5]));
        Assert.Equal(0.0, Evaluator.Evaluate(graph, two, [0.5]));
        Assert.Equal(0.0, GraphCheck.Gradient(graph, one, 1, [0.5])[0]);
        Assert.Equal(0.0, GraphCheck.Gradient(graph, two, 1, [0.5])[0]);
        GraphCheck.Close(0.5 / Math.Sqrt(0.5), GraphCheck.Gradient(graph, two, 1, [1.5])[0], 1e-15, "one hinge active");
        GraphCheck.Close(1 / Math.Sqrt(2), GraphCheck.Gradient(graph, two, 1, [3])[0], 1e-15, "both hinges active");
    }

    [Fact]
    public void Parameters_that_do_not_occur_have_a_zero_gradient_and_data_is_not_differentiated()
    {
        var b = new ExpressionBuilder();
        var x = b.Parameter(0, "x");
        b.Parameter(2, "z");
        var d = b.Data(0, "d");
        var root = b.Multiply(b.Apply(Operation.Sin, d), x);

        var (graph, gradient, adjoints) = Differentiator.Differentiate(b.ToGraph(), root, 3);

        Assert.Equal(3, gradient.Length);
        Assert.True(graph[gradient[1]].IsConstantValue(0));
        Assert.True(graph[gradient[2]].IsConstantValue(0));
        Assert.Equal(-1, adjoints[d]);
        GraphCheck.Close(Math.Sin(0.4), Evaluator.Evaluate(graph, gradient[0], [5, 0, 0], [0.4]), 1e-15, "∂/∂x");
    }

    [Fact]
    public void At_a_kink_the_documented_branch_is_taken()
    {
        var (b, p) = GraphCheck.WithParameters(3);
        var abs = b.Apply(Operation.Abs, p[0]);
        var max = b.Apply(Operation.Max, p[0], p[1]);
        var min = b.Apply(Operation.Min, p[0], p[1]);
        var clamp = b.Apply(Operation.Clamp, p[0], p[1], p[2]);
        var graph = b.ToGraph();

        // Abs at 0: +1. Max and Min on a tie: the first argument's.
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, abs, 3, [0.0, 0, 0]));
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, abs, 3, [-0.0, 0, 0]));
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, max, 3, [2, 2, 0]));
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, min, 3, [2, 2, 0]));

        // Clamp on a bound: the value is x itself, so the derivative is x's.
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, clamp, 3, [-1, -1, 1]));
        Assert.Equal(new[] { 1.0, 0, 0 }, GraphCheck.Gradient(graph, clamp, 3, [1, -1, 1]));
    }

    [Fact]
    public void Chain_and_product_rules_compose_through_shared_nodes()
    {
        // f = exp(sin(x·y)) / (1 + x²) + x·x·x, where x occurs in four places.
        var (b, p) = GraphCheck.WithParameters(2);
        var x = p[0];
        var y = p[1];
        var e = b.Apply(Operation.Exp, b.Apply(Operation.Sin, b.Multiply(x, y)));
        var root = b.Add(b.Divide(e, b.Add(b.One, b.Multiply(x, x))), b.Multiply(b.Multiply(x, x), x));
        var graph = b.ToGraph();

        foreach (var (px, py) in new[] { (0.3, 1.2), (-1.1, 0.4), (2.0, -0.7) })
        {
            var s = Math.Sin(px * py);
            var c = Math.Cos(px * py);
            var q = 1 + px * px;
            var ex = Math.Exp(s);
            var dx = (ex * c * py * q - ex * 2 * px) / (q * q) + 3 * px * px;
            var dy = ex * c * px / q;

            var gradient = GraphCheck.Gradient(graph, root, 2, [px, py]);
            GraphCheck.Close(dx, gradient[0], 1e-13, "∂f/∂x");
            GraphCheck.Close(dy, gradient[1], 1e-13, "∂f/∂y");
        }
    }
}
