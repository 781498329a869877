using System.Collections.Generic;
using System.Globalization;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Reads the body of a <c>[LevenbergMarquardt]</c> objective as a sum of squared residuals (README, Which optimizer?):
/// terms c·r·r, c·Math.Pow(r, 2) or r·r / c with c a positive constant, after calls to other objectives are inlined.
/// A constant factor of the whole sum is allowed too: <c>(r1 * r1 + r2 * r2) / 2</c>.
/// </summary>
/// <remarks>
/// The shape is read on the expression graph, where <c>Math.Pow(r, 2)</c> is already <c>r * r</c> and a product's
/// operands are in a canonical order: a square is a product whose two operands, once constant factors are peeled off,
/// are the same node.
/// </remarks>
internal static class ResidualShape
{
    /// <summary>The residuals, in the order of the sum's terms, or null when the body has another shape.</summary>
    public static List<ResidualModel>? Read(ExpressionGraph graph, int root)
    {
        var residuals = new List<ResidualModel>();
        var (scale, sum) = Peel(graph, root);
        foreach (var term in Terms(graph, sum))
        {
            if (Square(graph, term) is not var (residual, weight) || !(scale * weight > 0) || double.IsInfinity(scale * weight))
            {
                return null;
            }

            residuals.Add(new ResidualModel(residual, scale * weight));
        }

        return residuals;
    }

    /// <summary>What the body is instead of a sum of squares, for OPTDSL009's message.</summary>
    public static string Describe(ExpressionGraph graph, int root)
    {
        var (scale, sum) = Peel(graph, root);
        var terms = Terms(graph, sum);
        for (var k = 0; k < terms.Count; k++)
        {
            var where = terms.Count == 1 ? "the returned expression" : $"term {k + 1} of the returned sum";
            if (Square(graph, terms[k]) is not var (_, weight))
            {
                return $"{where} is {Kind(graph, terms[k])}";
            }

            if (!(scale * weight > 0) || double.IsInfinity(scale * weight))
            {
                return $"{where} has the factor {(scale * weight).ToString("R", CultureInfo.InvariantCulture)}, which is not a positive number";
            }
        }

        return "the returned expression is not a sum";
    }

    /// <summary>A node as c · core: the constant factors and divisors peeled off (<c>2 * x</c>, <c>x / 4</c>, <c>-x</c>).</summary>
    private static (double Weight, int Core) Peel(ExpressionGraph graph, int id)
    {
        var weight = 1.0;
        while (true)
        {
            var node = graph[id];
            if (node.Operation == Operation.Multiply && graph[node.First].IsConstant)
            {
                weight *= graph[node.First].Value;
                id = node.Second;
            }
            else if (node.Operation == Operation.Divide && graph[node.Second].IsConstant)
            {
                weight /= graph[node.Second].Value;
                id = node.First;
            }
            else if (node.Operation == Operation.Negate)
            {
                weight = -weight;
                id = node.First;
            }
            else
            {
                return (weight, id);
            }
        }
    }

    /// <summary>The terms of a sum of additions, left to right; a node that is not an addition is one term.</summary>
    private static List<int> Terms(ExpressionGraph graph, int id)
    {
        var terms = new List<int>();
        var pending = new Stack<int>();
        pending.Push(id);
        while (pending.Count > 0)
        {
            var node = graph[pending.Peek()];
            var top = pending.Pop();
            if (node.Operation == Operation.Add)
            {
                pending.Push(node.Second);
                pending.Push(node.First);
            }
            else
            {
                terms.Add(top);
            }
        }

        return terms;
    }

    /// <summary>A term as c · r · r: the residual r and the constant c, or null.</summary>
    private static (int Residual, double Weight)? Square(ExpressionGraph graph, int term)
    {
        var (weight, core) = Peel(graph, term);
        var node = graph[core];
        if (node.Operation == Operation.Pow && graph[node.Second].IsConstantValue(2))
        {
            return (node.First, weight);
        }

        if (node.Operation != Operation.Multiply)
        {
            return null;
        }

        var (left, leftCore) = Peel(graph, node.First);
        var (right, rightCore) = Peel(graph, node.Second);
        return leftCore == rightCore ? (leftCore, weight * left * right) : null;
    }

    private static string Kind(ExpressionGraph graph, int id) => graph[id].Operation switch
    {
        Operation.Multiply => "a product of two different factors, not a square",
        Operation.Subtract => "a difference, not a square",
        Operation.Divide => "a quotient, not a square",
        Operation.LoopSum => "a sum over a loop of 64 or more iterations, which stays a loop (README, Large loops and large models): write the squares in loops of fewer iterations",
        Operation.MapValue => "a value a loop of 64 or more iterations wrote, which stays a loop (README, Large loops and large models): write the squares in loops of fewer iterations",
        Operation.Constant => "a constant",
        Operation.Parameter or Operation.Data => $"the value {graph[id].Name}, not a square",
        Operation.Conditional => "a conditional expression, not a square",
        var operation => $"a call of Math.{operation}, not a square",
    };
}
