using System;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Expressions;

/// <summary>
/// Local rewrite rules applied to every node as it is built (see <see cref="ExpressionBuilder.Apply"/>).
/// </summary>
/// <remarks>
/// <para>
/// The rules keep results bit-identical to the unsimplified expression wherever the inputs are
/// finite: only operations that IEEE 754 rounds exactly (+ − × ÷ √, comparisons, min/max/abs) are
/// folded; transcendental functions of constants stay calls, so the host that runs the generator
/// (which may be .NET Framework inside an IDE) can never change the generated numbers.
/// </para>
/// <para>
/// The algebraic identities (<c>0·x = 0</c>, <c>x·1 = x</c>, …) are the usual ones of symbolic
/// differentiation: they assume finite operands. Moving a multiplication inside a branch
/// (<c>a·(c ? 1 : 0) = c ? a : 0</c>) also keeps the NaN of an untaken branch out of the gradient.
/// </para>
/// <para>
/// Constant factors are merged and negations pushed into constants and subtractions only where
/// IEEE 754 gives the same result either way (apart from overflow, underflow and the sign of a zero): <c>−(c·a) = (−c)·a</c>,
/// <c>−(a + b) = (−b) − a</c>, <c>c₁·(c₂·a) = (c₁c₂)·a</c> when one factor is a power of two, and
/// <c>c₁·(a·(c₂·b)) = a·((c₁c₂)·b)</c> when c₁ is.
/// The adjoint sweep produces many such chains (<c>2·(100·b)</c>); each merge saves an instruction.
/// </para>
/// Each rule returns the id of an equivalent node, built only from smaller or existing nodes, so
/// rewriting always terminates; <c>null</c> means "no rule applies".
/// </remarks>
internal static class Simplifier
{
    public static int? TrySimplify(ExpressionBuilder b, Operation operation, int x, int y, int z)
    {
        if (TryFold(b, operation, x, y, z) is { } folded)
        {
            return folded;
        }

        return operation switch
        {
            Operation.Negate => SimplifyNegate(b, x),
            Operation.Add => SimplifyAdd(b, x, y),
            Operation.Subtract => SimplifySubtract(b, x, y),
            Operation.Multiply => SimplifyMultiply(b, x, y),
            Operation.Divide => SimplifyDivide(b, x, y),
            Operation.Pow => SimplifyPow(b, x, y),
            Operation.Conditional => SimplifyConditional(b, x, y, z),
            Operation.And => SimplifyLogical(b, x, y, isAnd: true),
            Operation.Or => SimplifyLogical(b, x, y, isAnd: false),
            Operation.Not => b[x].IsConstant ? b.Constant(b[x].Value == 0 ? 1 : 0) : null,
            _ => null,
        };
    }

    /// <summary>Folds operations whose result IEEE 754 defines exactly, when every operand is a constant.</summary>
    private static int? TryFold(ExpressionBuilder b, Operation operation, int x, int y, int z)
    {
        if (!IsExactlyRounded(operation))
        {
            return null;
        }

        var arity = operation.Arity();
        if (!b[x].IsConstant || (arity > 1 && !b[y].IsConstant) || (arity > 2 && !b[z].IsConstant))
        {
            return null;
        }

        return b.Constant(Evaluator.Apply(
            operation,
            b[x].Value,
            arity > 1 ? b[y].Value : 0,
            arity > 2 ? b[z].Value : 0));
    }

    private static bool IsExactlyRounded(Operation operation)
        => operation is Operation.Negate or Operation.Add or Operation.Subtract or Operation.Multiply
            or Operation.Divide or Operation.Sqrt or Operation.Abs or Operation.Max or Operation.Min
            or Operation.Clamp || operation.IsBoolean();

    private static int? SimplifyNegate(ExpressionBuilder b, int x)
    {
        var node = b[x];
        switch (node.Operation)
        {
            case Operation.Negate:
                return node.First;                                           // −(−a) = a
            case Operation.Subtract:
                return b.Subtract(node.Second, node.First);                  // −(a − b) = b − a
            case Operation.Multiply when b[node.First].IsConstant:
                return b.Multiply(b.Constant(-b[node.First].Value), node.Second); // −(c·a) = (−c)·a
            case Operation.Add when IsFreelyNegated(b, node.Second):
                return b.Subtract(b.Negate(node.Second), node.First);        // −(a + b) = (−b) − a
            case Operation.Add when IsFreelyNegated(b, node.First):
                return b.Subtract(b.Negate(node.First), node.Second);        // −(a + b) = (−a) − b
            default:
                return null;
        }
    }

    /// <summary>A node whose negation is no more work than the node itself: −c, a, b − a, (−c)·a.</summary>
    private static bool IsFreelyNegated(ExpressionBuilder b, int id)
    {
        var node = b[id];
        return node.Operation is Operation.Constant or Operation.Negate or Operation.Subtract
            || (node.Operation == Operation.Multiply && b[node.First].IsConstant);
    }

    /// <summary>
    /// ±2ᵏ, a normal number: multiplying by it only changes the exponent, so it rounds exactly
    /// (apart from overflow and underflow, which the identities here already set aside).
    /// </summary>
    private static bool IsPowerOfTwo(ExpressionBuilder b, double value)
        => (BitConverter.DoubleToInt64Bits(value) & 0xFFFFFFFFFFFFFL) == 0 && b.Element.IsNormal(value);

    private static int? SimplifyAdd(ExpressionBuilder b, int x, int y)
    {
        // Constants come first (see ExpressionBuilder), so only x can be the constant.
        if (b[x].IsConstantValue(0))
        {
            return y;                                                        // 0 + a = a
        }

        if (b[x].IsConstant && b[x].Value < 0)
        {
            return b.Subtract(y, b.Constant(-b[x].Value));                   // (−c) + a = a − c
        }

        if (b[y].Operation == Operation.Negate)
        {
            return b.Subtract(x, b[y].First);                                // a + (−b) = a − b
        }

        if (IsNegativeMultiple(b, y))
        {
            return b.Subtract(x, b.Negate(y));                               // a + (−c)·b = a − c·b
        }

        if (IsNegativeMultiple(b, x))
        {
            return b.Subtract(y, b.Negate(x));                               // (−c)·a + b = b − c·a
        }

        if (b[x].Operation == Operation.Negate)
        {
            return b.Subtract(y, b[x].First);                                // (−a) + b = b − a
        }

        if (x == y)
        {
            return b.Multiply(b.Constant(2), x);                             // a + a = 2a
        }

        // (c ? a : 0) + (c ? 0 : b) = c ? a : b: joins the two branches of a piecewise adjoint.
        var left = b[x];
        var right = b[y];
        if (left.Operation == Operation.Conditional && right.Operation == Operation.Conditional && left.First == right.First)
        {
            if (b[left.Third].IsConstantValue(0) && b[right.Second].IsConstantValue(0))
            {
                return b.Conditional(left.First, left.Second, right.Third);
            }

            if (b[left.Second].IsConstantValue(0) && b[right.Third].IsConstantValue(0))
            {
                return b.Conditional(left.First, right.Second, left.Third);
            }
        }

        return null;
    }

    private static int? SimplifySubtract(ExpressionBuilder b, int x, int y)
    {
        if (b[y].IsConstantValue(0))
        {
            return x;                                                        // a − 0 = a
        }

        if (b[x].IsConstantValue(0))
        {
            return b.Negate(y);                                              // 0 − a = −a
        }

        if (b[y].IsConstant && b[y].Value < 0)
        {
            return b.Add(x, b.Constant(-b[y].Value));                        // a − (−c) = a + c
        }

        if (b[y].Operation == Operation.Negate)
        {
            return b.Add(x, b[y].First);                                     // a − (−b) = a + b
        }

        if (b[y].Operation == Operation.Multiply && b[b[y].First] is { IsConstant: true, Value: < 0 } factor)
        {
            return b.Add(x, b.Multiply(b.Constant(-factor.Value), b[y].Second)); // a − (−c)·b = a + c·b
        }

        if (b[x].Operation == Operation.Negate)
        {
            return b.Negate(b.Add(b[x].First, y));                           // (−a) − b = −(a + b)
        }

        return null;
    }

    private static int? SimplifyMultiply(ExpressionBuilder b, int x, int y)
    {
        // Before the other rules: a·(c ? u : 0) = c ? a·u : 0. They would rewrite the product
        // outside the branch (a·(1/b) = a/b takes the division out of it), and a factor that is
        // undefined where the branch is not taken (1/x, ln x at x = 0) would then reach the gradient.
        // A constant factor is never undefined: the constant rules below see it first.
        if (!b[x].IsConstant && TryDistributeOverBranch(b, x, y) is { } selected)
        {
            return selected;
        }

        if (!b[x].IsConstant && TryDistributeOverBranch(b, y, x) is { } selectedFirst)
        {
            return selectedFirst;
        }

        // Constants come first (see ExpressionBuilder), so only x can be the constant.
        if (b[x].IsConstant)
        {
            switch (b[x].Value)
            {
                case 0: return x;                                            // 0·a = 0
                case 1: return y;                                            // 1·a = a
                case -1: return b.Negate(y);                                 // (−1)·a = −a
            }

            if (b[y].Operation == Operation.Negate)
            {
                return b.Multiply(b.Constant(-b[x].Value), b[y].First);      // c·(−a) = (−c)·a
            }

            // c₁·(c₂·a) = (c₁c₂)·a when c₁ or c₂ is a power of two, so that c₁c₂ and both
            // products round exactly alike: 2·(100·a) = 200·a.
            if (IsConstantMultiple(b, y) && b[b[y].First].Value is var inner
                && (IsPowerOfTwo(b, b[x].Value) || IsPowerOfTwo(b, inner))
                && b.Element.IsNormal(b[x].Value * inner))
            {
                return b.Multiply(b.Constant(b[x].Value * inner), b[y].Second);
            }

            // c₁·(a·(c₂·b)) = a·((c₁c₂)·b) when c₁ is a power of two: scaling by 2ᵏ commutes with
            // rounding, so the factor can move to the constant it merges with: 2·(x·(−200·t)) = x·(−400·t).
            if (IsPowerOfTwo(b, b[x].Value) && b[y].Operation == Operation.Multiply)
            {
                var (a, scaled) = IsConstantMultiple(b, b[y].Second) ? (b[y].First, b[y].Second)
                    : IsConstantMultiple(b, b[y].First) ? (b[y].Second, b[y].First)
                    : (-1, -1);
                if (scaled >= 0 && b.Element.IsNormal(b[x].Value * b[b[scaled].First].Value))
                {
                    return b.Multiply(a, b.Multiply(x, scaled));
                }
            }
        }

        if (b[x].Operation == Operation.Negate && b[y].Operation == Operation.Negate)
        {
            return b.Multiply(b[x].First, b[y].First);                       // (−a)(−b) = ab
        }

        if (b[x].Operation == Operation.Negate)
        {
            return b.Negate(b.Multiply(b[x].First, y));                      // (−a)b = −(ab)
        }

        if (b[y].Operation == Operation.Negate && !b[x].IsConstant)
        {
            return b.Negate(b.Multiply(x, b[y].First));                      // a(−b) = −(ab)
        }

        if (b[y].Operation == Operation.Divide && b[b[y].First].IsConstantValue(1))
        {
            return b.Divide(x, b[y].Second);                                 // a·(1/b) = a/b
        }

        if (b[x].Operation == Operation.Divide && b[b[x].First].IsConstantValue(1))
        {
            return b.Divide(y, b[x].Second);                                 // (1/a)·b = b/a
        }

        // c·(d ? u : 0) = d ? c·u : 0 for the constant factors passed over above.
        return TryDistributeOverBranch(b, x, y) ?? TryDistributeOverBranch(b, y, x);
    }

    private static int? TryDistributeOverBranch(ExpressionBuilder b, int factor, int branch)
    {
        if (!IsBranchSelection(b, branch))
        {
            return null;
        }

        var node = b[branch];
        return node.Operation == Operation.Conditional
            ? b.Conditional(node.First, ScaledBranch(b, factor, node.Second), ScaledBranch(b, factor, node.Third))
            : b.Add(b.Multiply(factor, node.First), b.Multiply(factor, node.Second)); // a·(u + v), u and v branch selections
    }

    /// <summary>a·u for one branch of a selection; the zero branch stays 0 (0·a = 0, as everywhere here).</summary>
    private static int ScaledBranch(ExpressionBuilder b, int factor, int branch)
        => b[branch].IsConstantValue(0) ? branch : b.Multiply(factor, branch);

    /// <summary>
    /// A conditional with a zero branch, or a sum of such: the adjoint of a node that piecewise
    /// definitions use. Multiplying into its branches keeps a NaN or ∞ of the other factor (from a
    /// branch not taken) out of the result. Only sums of up to <see cref="MaxBranchSelectionDepth"/>
    /// levels count: distributing over a longer sum would recurse through all of it.
    /// </summary>
    private static bool IsBranchSelection(ExpressionBuilder b, int id, int depth = 0)
    {
        var node = b[id];
        return node.Operation switch
        {
            Operation.Conditional => b[node.Second].IsConstantValue(0) || b[node.Third].IsConstantValue(0),
            Operation.Add => depth < MaxBranchSelectionDepth
                && IsBranchSelection(b, node.First, depth + 1) && IsBranchSelection(b, node.Second, depth + 1),
            _ => false,
        };
    }

    private const int MaxBranchSelectionDepth = 8;

    /// <summary>c·a with c a constant.</summary>
    private static bool IsConstantMultiple(ExpressionBuilder b, int id)
        => b[id].Operation == Operation.Multiply && b[b[id].First].IsConstant;

    /// <summary>(−c)·a with c a positive constant.</summary>
    private static bool IsNegativeMultiple(ExpressionBuilder b, int id)
        => b[id].Operation == Operation.Multiply && b[b[id].First] is { IsConstant: true, Value: < 0 };


    private static int? SimplifyDivide(ExpressionBuilder b, int x, int y)
    {
        // (c ? u : 0)/a = c ? u/a : 0, for the reason given in SimplifyMultiply: a divisor that is
        // zero where the branch is not taken must not turn its 0 into NaN.
        if (IsBranchSelection(b, x))
        {
            var selection = b[x];
            return selection.Operation == Operation.Conditional
                ? b.Conditional(selection.First, b.Divide(selection.Second, y), b.Divide(selection.Third, y)) // 0/a = 0 below
                : b.Add(b.Divide(selection.First, y), b.Divide(selection.Second, y));
        }

        if (b[y].IsConstantValue(1))
        {
            return x;                                                        // a/1 = a
        }

        if (b[x].IsConstantValue(0))
        {
            return x;                                                        // 0/a = 0
        }

        if (b[y].IsConstantValue(-1))
        {
            return b.Negate(x);                                              // a/(−1) = −a
        }

        if (b[x].Operation == Operation.Negate)
        {
            return b.Negate(b.Divide(b[x].First, y));                        // (−a)/b = −(a/b)
        }

        if (b[y].Operation == Operation.Negate)
        {
            return b.Negate(b.Divide(x, b[y].First));                        // a/(−b) = −(a/b)
        }

        return null;
    }

    /// <summary>Small integer powers become products (repeated squaring); ½ becomes a square root.</summary>
    private static int? SimplifyPow(ExpressionBuilder b, int x, int y)
    {
        if (!b[y].IsConstant)
        {
            return null;
        }

        var exponent = b[y].Value;
        if (exponent == 0.5)
        {
            return b.Apply(Operation.Sqrt, x);
        }

        if (exponent != Math.Floor(exponent) || Math.Abs(exponent) > 8)
        {
            return null;
        }

        var n = (int)Math.Abs(exponent);
        if (n == 0)
        {
            return b.One;                                                    // Math.Pow(a, 0) is 1 for every a
        }

        var power = IntegerPower(b, x, n);
        return exponent < 0 ? b.Divide(b.One, power) : power;
    }

    private static int IntegerPower(ExpressionBuilder b, int x, int n)
    {
        if (n == 1)
        {
            return x;
        }

        var half = IntegerPower(b, x, n / 2);
        var square = b.Multiply(half, half);
        return n % 2 == 0 ? square : b.Multiply(square, x);
    }

    private static int? SimplifyConditional(ExpressionBuilder b, int condition, int whenTrue, int whenFalse)
    {
        if (b[condition].IsConstant)
        {
            return b[condition].Value != 0 ? whenTrue : whenFalse;
        }

        if (whenTrue == whenFalse)
        {
            return whenTrue;
        }

        return null;
    }

    private static int? SimplifyLogical(ExpressionBuilder b, int x, int y, bool isAnd)
    {
        // Constants come first, so only x can be the constant.
        if (!b[x].IsConstant)
        {
            return x == y ? x : null;
        }

        var isTrue = b[x].Value != 0;
        return isAnd
            ? (isTrue ? y : b.Zero)
            : (isTrue ? b.One : y);
    }
}
