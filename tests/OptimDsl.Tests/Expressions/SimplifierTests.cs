using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>The rewrite rules applied as nodes are built (see the comments in Simplifier).</summary>
public sealed class SimplifierTests
{
    private readonly ExpressionBuilder _b = new();
    private readonly int _x;
    private readonly int _y;

    public SimplifierTests()
    {
        _x = _b.Parameter(0, "x");
        _y = _b.Parameter(1, "y");
    }

    private int C(double value) => _b.Constant(value);

    private void AssertConstant(double expected, int id)
    {
        Assert.True(_b[id].IsConstant, $"Expected the constant {expected:R}, got {_b[id]}.");
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(_b[id].Value));
    }

    private void AssertNode(int id, Operation operation, int first, int second = -1, int third = -1)
        => Assert.Equal(new ExpressionNode(operation, first, second, third), _b[id]);

    private double Eval(int id, double x, double y) => Evaluator.Evaluate(_b.ToGraph(), id, [x, y]);

    [Fact]
    public void Exactly_rounded_operations_on_constants_fold()
    {
        AssertConstant(0.1 + 0.2, _b.Add(C(0.1), C(0.2)));
        AssertConstant(0.1 - 0.7, _b.Subtract(C(0.1), C(0.7)));
        AssertConstant(0.1 * 3, _b.Multiply(C(0.1), C(3)));
        AssertConstant(1.0 / 3, _b.Divide(C(1), C(3)));
        AssertConstant(Math.Sqrt(2), _b.Apply(Operation.Sqrt, C(2)));
        AssertConstant(-4.5, _b.Negate(C(4.5)));
        AssertConstant(4.5, _b.Negate(C(-4.5)));
        AssertConstant(2.5, _b.Apply(Operation.Abs, C(-2.5)));
        AssertConstant(3, _b.Apply(Operation.Max, C(-2.5), C(3)));
        AssertConstant(-2.5, _b.Apply(Operation.Min, C(-2.5), C(3)));
        AssertConstant(1, _b.Apply(Operation.Clamp, C(7), C(-1), C(1)));
        AssertConstant(1, _b.Apply(Operation.Less, C(1), C(2)));
        AssertConstant(0, _b.Apply(Operation.GreaterOrEqual, C(1), C(2)));

        // Folding reaches through a whole constant subexpression.
        AssertConstant((2.0 + 3.0) * Math.Sqrt(1.0 / 4.0), _b.Multiply(_b.Add(C(2), C(3)), _b.Apply(Operation.Sqrt, _b.Divide(C(1), C(4)))));
    }

    [Theory]
    [InlineData(nameof(Operation.Exp))]
    [InlineData(nameof(Operation.Log))]
    [InlineData(nameof(Operation.Log10))]
    [InlineData(nameof(Operation.Log2))]
    [InlineData(nameof(Operation.Sin))]
    [InlineData(nameof(Operation.Cos))]
    [InlineData(nameof(Operation.Tan))]
    [InlineData(nameof(Operation.Asin))]
    [InlineData(nameof(Operation.Acos))]
    [InlineData(nameof(Operation.Atan))]
    [InlineData(nameof(Operation.Sinh))]
    [InlineData(nameof(Operation.Cosh))]
    [InlineData(nameof(Operation.Tanh))]
    [InlineData(nameof(Operation.Cbrt))]
    public void Transcendental_functions_of_constants_are_not_folded(string name)
    {
        var operation = Enum.Parse<Operation>(name);
        var id = _b.Apply(operation, C(0.5));

        AssertNode(id, operation, C(0.5));
    }

    [Fact]
    public void Pow_and_Atan2_of_constants_are_not_folded()
    {
        AssertNode(_b.Apply(Operation.Pow, C(2), C(0.3)), Operation.Pow, C(2), C(0.3));
        AssertNode(_b.Apply(Operation.Atan2, C(1), C(2)), Operation.Atan2, C(1), C(2));
        AssertNode(_b.Apply(Operation.Exp, _b.Add(C(1), C(2))), Operation.Exp, C(3));
    }

    [Fact]
    public void Additive_identities()
    {
        Assert.Equal(_x, _b.Add(_x, C(0)));
        Assert.Equal(_x, _b.Add(C(0), _x));
        Assert.Equal(_x, _b.Subtract(_x, C(0)));
        AssertNode(_b.Subtract(C(0), _x), Operation.Negate, _x);
        Assert.Equal(_x, _b.Negate(_b.Negate(_x)));
        AssertNode(_b.Add(_y, _y), Operation.Multiply, C(2), _y);
        AssertNode(_b.Add(_x, _b.Negate(_y)), Operation.Subtract, _x, _y);                 // a + (−b) = a − b
        AssertNode(_b.Add(_b.Negate(_x), _y), Operation.Subtract, _y, _x);                 // (−a) + b = b − a
        AssertNode(_b.Subtract(_x, _b.Negate(_y)), Operation.Add, _x, _y);                 // a − (−b) = a + b
        AssertNode(_b.Add(_x, C(-3)), Operation.Subtract, _x, C(3));                       // a + (−3) = a − 3
        AssertNode(_b.Subtract(_x, C(-3)), Operation.Add, C(3), _x);                       // a − (−3) = 3 + a
        AssertNode(_b.Negate(_b.Subtract(_x, _y)), Operation.Subtract, _y, _x);            // −(a − b) = b − a
    }

    [Fact]
    public void Multiplicative_identities()
    {
        Assert.Equal(_x, _b.Multiply(_x, C(1)));
        Assert.Equal(_x, _b.Multiply(C(1), _x));
        AssertConstant(0, _b.Multiply(C(0), _x));
        AssertConstant(0, _b.Multiply(_x, C(0)));
        Assert.Equal(_x, _b.Divide(_x, C(1)));
        AssertConstant(0, _b.Divide(C(0), _x));
        AssertNode(_b.Multiply(C(-1), _x), Operation.Negate, _x);
        AssertNode(_b.Divide(_x, C(-1)), Operation.Negate, _x);
        Assert.Equal(_b.Multiply(_x, _y), _b.Multiply(_b.Negate(_x), _b.Negate(_y)));    // (−a)(−b) = ab
        AssertNode(_b.Multiply(_x, _b.Divide(C(1), _y)), Operation.Divide, _x, _y);     // a·(1/b) = a/b
    }

    [Fact]
    public void Constant_factors_merge_only_when_one_is_a_power_of_two()
    {
        AssertNode(_b.Multiply(C(2), _b.Multiply(C(100), _x)), Operation.Multiply, C(200), _x);
        AssertNode(_b.Multiply(C(3), _b.Multiply(C(0.25), _x)), Operation.Multiply, C(0.75), _x);
        AssertNode(_b.Multiply(C(-0.5), _b.Multiply(C(6), _x)), Operation.Multiply, C(-3), _x);
        Assert.Equal(_x, _b.Multiply(C(2), _b.Multiply(C(0.5), _x)));

        // A power of two moves through a product to the constant it merges with: 2·(x·(−200·y)) = x·(−400·y).
        AssertNode(_b.Multiply(C(2), _b.Multiply(_x, _b.Multiply(C(-200), _y))), Operation.Multiply, _x, _b.Multiply(C(-400), _y));

        // 3·(5·x) and 3·5·x can round differently (x = 0.25397285925688984 is one such input): kept as written.
        var inner = _b.Multiply(C(5), _x);
        AssertNode(_b.Multiply(C(3), inner), Operation.Multiply, C(3), inner);
        const double x = 0.25397285925688984;
        Assert.NotEqual(3 * (5 * x), 15 * x);
    }

    [Fact]
    public void Negations_move_into_constants_and_subtractions()
    {
        var twoY = _b.Multiply(C(2), _y);
        AssertNode(_b.Negate(twoY), Operation.Multiply, C(-2), _y);                            // −(2y) = (−2)y
        AssertNode(_b.Negate(_b.Add(_x, twoY)), Operation.Subtract, _b.Multiply(C(-2), _y), _x); // −(x + 2y) = (−2y) − x
        AssertNode(_b.Negate(_b.Add(C(3), _b.Multiply(_x, _y))), Operation.Subtract, C(-3), _b.Multiply(_x, _y)); // −(3 + xy) = −3 − xy
        AssertNode(_b.Add(_x, _b.Multiply(C(-3), _y)), Operation.Subtract, _x, _b.Multiply(C(3), _y));         // x + (−3)y = x − 3y

        // −(x + y): neither side is cheaper to negate, so the negation stays.
        AssertNode(_b.Negate(_b.Add(_x, _y)), Operation.Negate, _b.Add(_x, _y));
    }

    [Fact]
    public void Merged_factors_and_moved_negations_give_the_same_bits()
    {
        // Each pair: the expression as the adjoint sweep builds it (simplified) and the literal
        // C# evaluation of the unsimplified form, on inputs spread over many binades.
        var random = new Random(1234);
        var cases = new (int Node, Func<double, double, double> Literal)[]
        {
            (_b.Multiply(C(2), _b.Multiply(C(100), _x)), (x, _) => 2 * (100 * x)),
            (_b.Multiply(C(0.1), _b.Multiply(C(4), _x)), (x, _) => 0.1 * (4 * x)),
            (_b.Multiply(C(0.25), _b.Multiply(C(3.3), _x)), (x, _) => 0.25 * (3.3 * x)),
            (_b.Multiply(C(2), _b.Multiply(_x, _b.Multiply(C(-200), _y))), (x, y) => 2 * (x * (-200 * y))),
            (_b.Multiply(C(0.125), _b.Multiply(_y, _b.Multiply(C(0.3), _x))), (x, y) => 0.125 * (y * (0.3 * x))),
            (_b.Negate(_b.Add(_b.Multiply(_x, _y), _b.Multiply(C(2), _y))), (x, y) => -(x * y + 2 * y)),
            (_b.Negate(_b.Add(C(1.5), _b.Multiply(_x, _y))), (x, y) => -(1.5 + x * y)),
            (_b.Add(_x, _b.Negate(_b.Multiply(C(3), _y))), (x, y) => x + -(3 * y)),
        };
        for (var i = 0; i < 2000; i++)
        {
            var x = (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 60));
            var y = (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 60));
            foreach (var (node, literal) in cases)
            {
                var expected = literal(x, y);
                var actual = Eval(node, x, y);
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (expected == 0 && actual == 0),
                    $"{expected:R} != {actual:R} at x = {x:R}, y = {y:R}");
            }
        }
    }

    [Fact]
    public void Commutative_operations_are_shared_whatever_the_operand_order()
    {
        Assert.Equal(_b.Multiply(_x, _y), _b.Multiply(_y, _x));
        Assert.Equal(_b.Add(_x, _y), _b.Add(_y, _x));
        Assert.Equal(_b.Multiply(C(2.5), _x), _b.Multiply(_x, C(2.5)));
        Assert.Equal(_b.Apply(Operation.Equal, _x, _y), _b.Apply(Operation.Equal, _y, _x));
        Assert.NotEqual(_b.Subtract(_x, _y), _b.Subtract(_y, _x));
        Assert.NotEqual(_b.Divide(_x, _y), _b.Divide(_y, _x));

        // Sharing goes through whole subexpressions: sin(x·y) + sin(y·x) is 2·sin(x·y).
        var sin = _b.Apply(Operation.Sin, _b.Multiply(_x, _y));
        AssertNode(_b.Add(sin, _b.Apply(Operation.Sin, _b.Multiply(_y, _x))), Operation.Multiply, C(2), sin);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(8, 3)]
    public void Small_integer_powers_become_products(int exponent, int multiplications)
    {
        var power = _b.Apply(Operation.Pow, _x, C(exponent));
        var operations = GraphCheck.OperationsOf(_b.ToGraph(), power);

        Assert.DoesNotContain(Operation.Pow, operations);
        Assert.Equal(multiplications, operations.Count(o => o == Operation.Multiply));
        foreach (var x in new[] { -1.3, 0.7, 2.0, 3.1 })
        {
            GraphCheck.Close(Math.Pow(x, exponent), Eval(power, x, 0), 1e-15, $"x^{exponent} at {x}");
        }
    }

    [Fact]
    public void Other_powers()
    {
        AssertNode(_b.Apply(Operation.Pow, _x, C(2)), Operation.Multiply, _x, _x);
        Assert.Equal(_b.Apply(Operation.Sqrt, _x), _b.Apply(Operation.Pow, _x, C(0.5)));
        AssertConstant(1, _b.Apply(Operation.Pow, _x, C(0)));
        Assert.Equal(_x, _b.Apply(Operation.Pow, _x, C(1)));
        AssertNode(_b.Apply(Operation.Pow, _x, C(-2)), Operation.Divide, C(1), _b.Multiply(_x, _x));
        AssertNode(_b.Apply(Operation.Pow, _x, C(-1)), Operation.Divide, C(1), _x);
        AssertNode(_b.Apply(Operation.Pow, _x, C(2.5)), Operation.Pow, _x, C(2.5));
        AssertNode(_b.Apply(Operation.Pow, _x, C(9)), Operation.Pow, _x, C(9));
        AssertNode(_b.Apply(Operation.Pow, _x, _y), Operation.Pow, _x, _y);
        AssertConstant(8, _b.Apply(Operation.Pow, C(2), C(3)));            // a product of constants, folded exactly
    }

    [Fact]
    public void The_two_halves_of_a_branch_join()
    {
        var c = _b.Apply(Operation.Less, _x, _y);
        var a = _b.Apply(Operation.Sin, _x);
        var d = _b.Apply(Operation.Cos, _y);
        var joined = new ExpressionNode(Operation.Conditional, c, a, d);

        Assert.Equal(joined, _b[_b.Add(_b.Conditional(c, a, C(0)), _b.Conditional(c, C(0), d))]);
        Assert.Equal(joined, _b[_b.Add(_b.Conditional(c, C(0), d), _b.Conditional(c, a, C(0)))]);

        // Different conditions do not join.
        var other = _b.Apply(Operation.Greater, _x, _y);
        Assert.Equal(Operation.Add, _b[_b.Add(_b.Conditional(c, a, C(0)), _b.Conditional(other, C(0), d))].Operation);
    }

    [Fact]
    public void A_factor_moves_inside_a_branch_with_a_zero_side()
    {
        var c = _b.Apply(Operation.Less, _x, _y);
        var product = _b.Multiply(_b.Apply(Operation.Sin, _x), _b.Conditional(c, C(1), C(0)));

        AssertNode(product, Operation.Conditional, c, _b.Apply(Operation.Sin, _x), C(0));
    }

    [Fact]
    public void Conditionals_with_a_known_condition_or_equal_branches_vanish()
    {
        Assert.Equal(_x, _b.Conditional(C(1), _x, _y));
        Assert.Equal(_y, _b.Conditional(C(0), _x, _y));
        Assert.Equal(_x, _b.Conditional(_b.Apply(Operation.Less, _x, _y), _x, _x));
        Assert.Equal(_x, _b.Conditional(_b.Apply(Operation.Less, C(1), C(2)), _x, _y));

        var c = _b.Apply(Operation.Less, _x, _y);
        Assert.Equal(c, _b.Apply(Operation.And, C(1), c));
        AssertConstant(0, _b.Apply(Operation.And, c, C(0)));
        AssertConstant(1, _b.Apply(Operation.Or, c, C(1)));
        Assert.Equal(c, _b.Apply(Operation.Or, C(0), c));
        Assert.Equal(c, _b.Apply(Operation.And, c, c));
        AssertConstant(0, _b.Apply(Operation.Not, C(3)));
    }

    [Fact]
    public void Simplified_expressions_keep_their_value()
    {
        // Every rule above at once, against the same expression computed directly.
        var e = _b.Add(
            _b.Multiply(_b.Subtract(C(0), _b.Negate(_b.Apply(Operation.Pow, _x, C(3)))), C(1)),
            _b.Divide(_b.Add(_b.Add(_y, _y), C(-2)), _b.Apply(Operation.Pow, _b.Add(C(1), _b.Multiply(_x, _x)), C(0.5))));
        foreach (var (x, y) in new[] { (0.5, 1.5), (-2.0, 3.0), (1.25, -0.75) })
        {
            var expected = (0 - (-Math.Pow(x, 3))) * 1 + (y + y + -2) / Math.Pow(1 + x * x, 0.5);
            GraphCheck.Close(expected, Eval(e, x, y), 1e-14, $"at ({x}, {y})");
        }
    }
}
