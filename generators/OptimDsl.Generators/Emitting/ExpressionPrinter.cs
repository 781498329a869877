using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Prints graph nodes as C# expressions, with the parentheses C# precedence needs and no more.
/// Parentheses also pin the evaluation order, so printed code rounds exactly as the graph says.
/// </summary>
internal sealed class ExpressionPrinter
{
    private const int ConditionalLevel = 1, OrLevel = 2, AndLevel = 3, EqualityLevel = 4, RelationalLevel = 5,
        AdditiveLevel = 6, MultiplicativeLevel = 7, UnaryLevel = 8, PrimaryLevel = 9;

    private readonly ExpressionGraph _graph;
    private readonly Func<int, string?> _nameOf;
    private readonly string _math;
    private int _budget = int.MaxValue;
    private bool _overBudget;

    /// <param name="graph">The graph to print from.</param>
    /// <param name="nameOf">The identifier that holds a node (a local or parameter), or null to print the node inline.</param>
    /// <param name="qualified">True for code (<c>global::System.Math</c>), false for comments (<c>Math</c>).</param>
    public ExpressionPrinter(ExpressionGraph graph, Func<int, string?> nameOf, bool qualified)
    {
        _graph = graph;
        _nameOf = nameOf;
        _math = (qualified ? "global::System." : string.Empty) + graph.Element.MathClass() + ".";
        _maxMin = qualified ? "global::OptimDsl.VectorMath." : "Math.";
        _qualified = qualified;
    }

    /// <summary>True for code, false for comments: code prints a choice between two constants as a select (<see cref="IsSelect"/>).</summary>
    private readonly bool _qualified;

    /// <summary>
    /// Where code finds Max, Min and Select: the runtime library's <c>VectorMath</c>, whose Max and Min results for two NaNs
    /// do not depend on the machine as <c>Math.Max</c>'s do; comments show <c>Math</c> (and never print a select).
    /// </summary>
    private readonly string _maxMin;

    /// <summary>
    /// The deepest nesting printed. Code never comes near it (see <see cref="InlineExtent"/>); a
    /// comment, which prints the graph without locals, stops there as at its length budget.
    /// </summary>
    private const int MaxDepth = 4 * InlineExtent.MaxDepth;

    private int _depth;

    public string Print(int id)
    {
        var text = new StringBuilder();
        Print(text, id, 0);
        if (_overBudget && _budget == int.MaxValue)
        {
            throw new InvalidOperationException("An expression nests deeper than InlineExtent allows.");
        }

        return text.ToString();
    }

    /// <summary>Prints, or returns null when the text would exceed <paramref name="maxLength"/> characters.</summary>
    public string? TryPrint(int id, int maxLength)
    {
        _budget = maxLength;
        _overBudget = false;
        var text = Print(id);
        var result = _overBudget ? null : text;
        _budget = int.MaxValue;
        _overBudget = false;
        return result;
    }

    /// <summary>
    /// A constant of <paramref name="element"/> as C#: for double as <see cref="FormatConstant(double)"/>; for float a
    /// float literal of exactly that value (<c>0.1f</c>, <c>2f</c>, <c>-0f</c>, <c>float.NaN</c>).
    /// </summary>
    public static string FormatConstant(double value, ElementType element)
    {
        if (element == ElementType.Double)
        {
            return FormatConstant(value);
        }

        var single = (float)value;
        if (float.IsNaN(single))
        {
            return "float.NaN";
        }

        if (float.IsInfinity(single))
        {
            return single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        if (single == 0)
        {
            return double.IsNegativeInfinity(1 / value) ? "-0f" : "0f";
        }

        // "R" does not round-trip every value on .NET Framework (which may host the generator): check it.
        var text = single.ToString("R", CultureInfo.InvariantCulture);
        if (float.Parse(text, CultureInfo.InvariantCulture) != single)
        {
            text = single.ToString("G9", CultureInfo.InvariantCulture);
        }

        return text + "f";
    }

    public static string FormatConstant(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }


        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            var integer = value.ToString("F0", CultureInfo.InvariantCulture);
            return value == 0 && double.IsNegativeInfinity(1 / value) ? "-0.0" : integer;
        }

        // "R" does not round-trip every value on .NET Framework (which may host the generator): check it.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (double.Parse(text, CultureInfo.InvariantCulture) != value)
        {
            text = value.ToString("G17", CultureInfo.InvariantCulture);
        }

        return text;
    }

    private void Print(StringBuilder text, int id, int minimumLevel)
    {
        // Past the budget, stop descending: inlining a DAG can grow exponentially.
        if (_overBudget || text.Length > _budget || _depth >= MaxDepth)
        {
            _overBudget = true;
            return;
        }

        var name = _nameOf(id);
        if (name is not null)
        {
            text.Append(name);
            return;
        }

        var node = _graph[id];
        var level = IsSelect(node) ? PrimaryLevel : LevelOf(node);
        var parenthesize = level < minimumLevel;
        if (parenthesize)
        {
            text.Append('(');
        }

        _depth++;
        PrintNode(text, node);
        _depth--;

        if (parenthesize)
        {
            text.Append(')');
        }
    }

    private void PrintNode(StringBuilder text, ExpressionNode node)
    {
        switch (node.Operation)
        {
            case Operation.Constant:
                text.Append(node.Value == _graph.Element.Round(Math.PI) ? _math + "PI"
                    : node.Value == _graph.Element.Round(Math.E) ? _math + "E"
                    : FormatConstant(node.Value, _graph.Element));
                break;
            case Operation.Parameter or Operation.Data:
                text.Append(Naming.Identifier(node.Name!));
                break;
            case Operation.Iteration:
                text.Append('t');
                break;
            case Operation.ParameterAt or Operation.DataAt:
                // Only the file's opening comment prints a rolled loop's leaves without a name.
                text.Append(Naming.Identifier(node.Name!)).Append('[').Append(RolledCode.Index(node.Stride, "t", node.Index)).Append(']');
                break;
            case Operation.MapValue:
                text.Append(Naming.Identifier(node.Name!)).Append('[').Append(node.Index).Append(']');
                break;
            case Operation.MapAt:
                text.Append(Naming.Identifier(node.Name!)).Append('[').Append(RolledCode.Index(node.Stride, "t", node.Index)).Append(']');
                break;
            case Operation.MapAdjoint:
                text.Append('∂').Append(Naming.Identifier(node.Name!)).Append("[t]");
                break;
            case Operation.LoopSum or Operation.SumAdjoint:
                text.Append(node.Operation == Operation.LoopSum ? "Σloop" : "∂Σloop").Append(node.Loop + 1).Append('[').Append(node.Index).Append(']');
                break;
            case Operation.Field:
                text.Append(_math.StartsWith("global::", StringComparison.Ordinal) ? node.Name : node.Name!.Replace("global::", string.Empty));
                break;
            case Operation.Negate or Operation.Not:
                text.Append(node.Operation == Operation.Negate ? '-' : '!');
                var operand = _graph[node.First];
                var needsParentheses = operand.Operation == Operation.Negate
                    || (operand.IsConstant && operand.Value < 0 && _nameOf(node.First) is null);
                if (needsParentheses)
                {
                    text.Append('(');
                }

                Print(text, node.First, UnaryLevel);
                if (needsParentheses)
                {
                    text.Append(')');
                }

                break;
            case Operation.Conditional when IsSelect(node):
                // Literals of the element type (1.0, not 1, which would pick the float overload).
                text.Append(_maxMin).Append("Select(");
                PrintCondition(text, node.First, 0);
                text.Append(", ").Append(TypedLiteral(_graph[node.Second].Value));
                text.Append(", ").Append(TypedLiteral(_graph[node.Third].Value)).Append(')');
                break;
            case Operation.Conditional:
                PrintCondition(text, node.First, OrLevel);
                text.Append(" ? ");
                if (IsLiteral(node.Second))
                {
                    // C# types c ? 1 : 2 as int; a literal of the element type in the first branch types it.
                    text.Append(TypedLiteral(_graph[node.Second].Value));
                }
                else
                {
                    // A nested conditional in a branch gets parentheses, for the reader.
                    Print(text, node.Second, ConditionalLevel + 1);
                }

                text.Append(" : ");
                Print(text, node.Third, ConditionalLevel + 1);
                break;
            case Operation.And or Operation.Or:
                var level = LevelOf(node);
                PrintCondition(text, node.First, level);
                text.Append(node.Operation == Operation.And ? " && " : " || ");
                PrintCondition(text, node.Second, level + 1);
                break;
            default:
                if (BinaryOperator(node.Operation) is { } symbol)
                {
                    var binaryLevel = LevelOf(node);
                    Print(text, node.First, binaryLevel);
                    text.Append(' ').Append(symbol).Append(' ');
                    Print(text, node.Second, binaryLevel + 1);
                }
                else
                {
                    PrintCall(text, node);
                }

                break;
        }
    }

    /// <summary>
    /// A conditional between two constants (the derivatives of Abs, Max and Min: 1 or 0, 1 or −1), in code: printed as
    /// <c>VectorMath.Select(c, a, b)</c>, which picks the bits without a branch, since its condition usually follows the
    /// data (a sample's sign) and a mispredicted branch costs more than the select. Other conditionals stay <c>c ? a : b</c>:
    /// only the taken branch is evaluated.
    /// </summary>
    private bool IsSelect(ExpressionNode node) =>
        _qualified
        && node.Operation == Operation.Conditional
        && IsLiteral(node.Second)
        && IsLiteral(node.Third);

    private bool IsLiteral(int id) => _graph[id].IsConstant && _nameOf(id) is null;

    /// <summary>A constant as a literal of the element type: <c>2f</c> for float, <c>2.0</c> for double.</summary>
    private string TypedLiteral(double value) => _graph.Element == ElementType.Float
        ? FormatConstant(value, ElementType.Float)
        : VectorExpressionPrinter.DoubleLiteral(value);

    private void PrintCondition(StringBuilder text, int id, int minimumLevel)
    {
        // A folded condition is a constant 1 or 0; C# wants a bool.
        if (_graph[id].IsConstant && _nameOf(id) is null)
        {
            text.Append(_graph[id].Value != 0 ? "true" : "false");
            return;
        }

        Print(text, id, minimumLevel);
    }

    private void PrintCall(StringBuilder text, ExpressionNode node)
    {
        if (node.Operation == Operation.Clamp)
        {
            // Math.Clamp(x, lo, hi) throws when lo > hi. The generated code evaluates shared
            // subexpressions before choosing a branch, so it must not throw where the user's code,
            // taking another branch, would not: Min(Max(x, lo), hi) is equal for lo ≤ hi.
            text.Append(_maxMin).Append("Min(").Append(_maxMin).Append("Max(");
            Print(text, node.First, 0);
            text.Append(", ");
            Print(text, node.Second, 0);
            text.Append("), ");
            Print(text, node.Third, 0);
            text.Append(')');
            return;
        }

        text.Append(node.Operation is Operation.Max or Operation.Min ? _maxMin : _math).Append(node.Operation.MathMethodName()).Append('(');
        for (var k = 0; k < node.Operation.Arity(); k++)
        {
            if (k > 0)
            {
                text.Append(", ");
            }

            Print(text, node.Operand(k), 0);
        }

        text.Append(')');
    }

    private static string? BinaryOperator(Operation operation) => operation switch
    {
        Operation.Add => "+",
        Operation.Subtract => "-",
        Operation.Multiply => "*",
        Operation.Divide => "/",
        Operation.Less => "<",
        Operation.LessOrEqual => "<=",
        Operation.Greater => ">",
        Operation.GreaterOrEqual => ">=",
        Operation.Equal => "==",
        Operation.NotEqual => "!=",
        _ => null,
    };

    private static int LevelOf(ExpressionNode node) => node.Operation switch
    {
        Operation.Constant => node.Value < 0 || (node.Value == 0 && double.IsNegativeInfinity(1 / node.Value)) ? UnaryLevel : PrimaryLevel,
        Operation.Negate or Operation.Not => UnaryLevel,
        Operation.Multiply or Operation.Divide => MultiplicativeLevel,
        Operation.Add or Operation.Subtract => AdditiveLevel,
        Operation.Less or Operation.LessOrEqual or Operation.Greater or Operation.GreaterOrEqual => RelationalLevel,
        Operation.Equal or Operation.NotEqual => EqualityLevel,
        Operation.And => AndLevel,
        Operation.Or => OrLevel,
        Operation.Conditional => ConditionalLevel,
        _ => PrimaryLevel,
    };
}
