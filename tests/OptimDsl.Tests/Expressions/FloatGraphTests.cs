using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>
/// A float objective's graph (README, Float objectives): its constants are floats, and constant folding gives the bits
/// that float arithmetic gives at run time. Folding computes in double and rounds to float, which is exact for
/// +, −, ×, ÷ and √ because a double holds more than twice a float's precision; these tests check it against float
/// arithmetic itself, and that the simplifier's merging of constants respects the float range.
/// </summary>
public sealed class FloatGraphTests
{
    [Fact]
    public void Constants_are_rounded_to_float()
    {
        var b = new ExpressionBuilder(ElementType.Float);
        Assert.Equal((double)0.1f, b[b.Constant(0.1)].Value);
        Assert.Equal((double)MathF.PI, b[b.Constant(Math.PI)].Value);
        Assert.Equal(double.PositiveInfinity, b[b.Constant(1e39)].Value);
        var d = new ExpressionBuilder();
        Assert.Equal(0.1, d[d.Constant(0.1)].Value); // double graphs keep doubles
    }

    [Fact]
    public void Folding_gives_the_bits_of_float_arithmetic()
    {
        var random = new Random(5);
        var wrong = 0;
        for (var k = 0; k < 20_000; k++)
        {
            // Random floats of every magnitude, signs and exponents, including subnormal and huge ones.
            var x = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            var y = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            if (k % 4 == 0)
            {
                y = (float)(random.NextDouble() * 4 - 2);
            }

            wrong += Differs(Operation.Add, x, y, x + y);
            wrong += Differs(Operation.Subtract, x, y, x - y);
            wrong += Differs(Operation.Multiply, x, y, x * y);
            wrong += Differs(Operation.Divide, x, y, x / y);
            wrong += Differs(Operation.Sqrt, x, 0, MathF.Sqrt(x));
        }

        Assert.Equal(0, wrong);
    }

    private static int Differs(Operation operation, float x, float y, float expected)
    {
        var b = new ExpressionBuilder(ElementType.Float);
        var folded = operation.Arity() == 1 ? b.Apply(operation, b.Constant(x)) : b.Apply(operation, b.Constant(x), b.Constant(y));
        if (!b[folded].IsConstant)
        {
            return 0; // not folded: nothing to compare (the simplifier folds only exactly rounded operations)
        }

        var value = b[folded].Value;
        if (float.IsNaN(expected))
        {
            return double.IsNaN(value) ? 0 : 1;
        }

        // A float value (exactly), with the float result's bits: its sign of zero included.
        return (float)value == value && BitConverter.SingleToInt32Bits((float)value) == BitConverter.SingleToInt32Bits(expected) ? 0 : 1;
    }

    [Fact]
    public void Merging_constant_factors_stays_within_the_float_range()
    {
        // 2¹⁰⁰·(2³⁰·a): in double the factors merge into 2¹³⁰·a; in float 2¹³⁰ overflows, and 2¹⁰⁰·(2³⁰·a) need not.
        var f = new ExpressionBuilder(ElementType.Float);
        var a = f.Parameter(0, "a");
        var product = f.Multiply(f.Constant(Math.Pow(2, 100)), f.Multiply(f.Constant(Math.Pow(2, 30)), a));
        Assert.Equal(Operation.Multiply, f[product].Operation);
        Assert.NotEqual(Math.Pow(2, 130), f[f[product].First].Value);
        Assert.Equal(a, f[f[product].Second].Second);

        var d = new ExpressionBuilder();
        var da = d.Parameter(0, "a");
        var merged = d.Multiply(d.Constant(Math.Pow(2, 100)), d.Multiply(d.Constant(Math.Pow(2, 30)), da));
        Assert.Equal(Math.Pow(2, 130), d[d[merged].First].Value);
        Assert.Equal(da, d[merged].Second);

        // Within the range they merge in float too: 2·(100·a) = 200·a.
        var small = f.Multiply(f.Constant(2), f.Multiply(f.Constant(100), a));
        Assert.Equal(200.0, f[f[small].First].Value);
    }

    [Fact]
    public void Derivative_rules_use_float_constants()
    {
        var b = new ExpressionBuilder(ElementType.Float);
        var x = b.Parameter(0, "x");
        var root = b.Apply(Operation.Log10, x);
        var (graph, gradient, _) = Differentiator.Differentiate(b.ToGraph(), root, 1);

        Assert.Equal(ElementType.Float, graph.Element);
        Assert.Contains(graph.Nodes, n => n.IsConstant && n.Value == (double)(float)Math.Log(10));
        Assert.DoesNotContain(graph.Nodes, n => n.IsConstant && n.Value == Math.Log(10));
        Assert.All(graph.Nodes.Where(n => n.IsConstant), n => Assert.Equal((double)(float)n.Value, n.Value));
        Assert.True(gradient[0] >= 0);
    }

    [Fact]
    public void Graphs_of_different_element_types_are_different()
    {
        var f = new ExpressionBuilder(ElementType.Float);
        f.Add(f.Parameter(0, "x"), f.Constant(1));
        var d = new ExpressionBuilder();
        d.Add(d.Parameter(0, "x"), d.Constant(1));
        Assert.Equal(d.ToGraph().Nodes, f.ToGraph().Nodes);
        Assert.NotEqual(d.ToGraph(), f.ToGraph());
    }
}
