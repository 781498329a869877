using System;
using System.Text;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Prints graph nodes as expressions over <c>Vector256</c> or <c>Vector128</c> of the graph's element type (double,
/// or float for a float objective: README, Float objectives): one sample per lane. Comparisons become lane masks and <c>?:</c> becomes <c>ConditionalSelect</c>.
/// Sqrt and Abs map to the BCL's vector versions, which agree with <c>System.Math</c> on every runtime;
/// Max, Min, Clamp and negation to the runtime library's <c>OptimDsl.VectorMath</c> (the BCL's differ
/// on .NET 8 for NaN and signed zeros), and so do the other functions: <c>OptimDsl.VectorMath</c>
/// holds OptimDsl's own Exp and Log, identical at every width, and goes lane by lane through
/// <c>System.Math</c> for the rest (see its remarks).
/// </summary>
internal sealed class VectorExpressionPrinter
{
    private readonly ExpressionGraph _graph;
    private readonly Func<int, string?> _nameOf;
    private readonly Func<int, bool> _isUniform;
    private readonly string _vector;
    private readonly string _element;

    /// <param name="graph">The graph; its element type is the lanes' type.</param>
    /// <param name="width">Lanes: 4 for Vector256, 2 for Vector128 of doubles; 8 and 4 of floats.</param>
    /// <param name="nameOf">The identifier of a vector local, a loaded data vector or a broadcast uniform value.</param>
    /// <param name="isUniform">True for sample-independent nodes; a uniform boolean is a scalar <c>bool</c> local.</param>
    public VectorExpressionPrinter(ExpressionGraph graph, int width, Func<int, string?> nameOf, Func<int, bool> isUniform)
    {
        _graph = graph;
        _vector = VectorType(width, graph.Element);
        _element = graph.Element.Keyword();
        _nameOf = nameOf;
        _isUniform = isUniform;
    }

    private const string RuntimeVectorMath = "global::OptimDsl.VectorMath";

    public static string VectorType(int width) => VectorType(width, ElementType.Double);

    /// <summary>The vector type of <paramref name="lanes"/> lanes of <paramref name="element"/>: 256 bits (4 doubles, 8 floats) or 128.</summary>
    public static string VectorType(int lanes, ElementType element)
        => lanes == LanesOf256(element) ? "global::System.Runtime.Intrinsics.Vector256" : "global::System.Runtime.Intrinsics.Vector128";

    /// <summary>The lanes of a Vector256 of <paramref name="element"/>: 4 doubles or 8 floats.</summary>
    public static int LanesOf256(ElementType element) => element == ElementType.Float ? 8 : 4;

    public string Print(int id)
    {
        var text = new StringBuilder();
        Print(text, id, topLevel: true);
        return text.ToString();
    }

    private void Print(StringBuilder text, int id, bool topLevel = false)
    {
        if (_nameOf(id) is { } name)
        {
            if (_graph[id].Operation.IsBoolean() && _isUniform(id))
            {
                // A sample-independent condition used as a lane mask.
                text.Append('(').Append(name).Append(" ? ").Append(_vector).Append('<').Append(_element).Append(">.AllBitsSet : ").Append(_vector).Append('<').Append(_element).Append(">.Zero)");
                return;
            }

            text.Append(name);
            return;
        }

        var node = _graph[id];
        switch (node.Operation)
        {
            case Operation.Constant:
                text.Append(_vector).Append(".Create(").Append(Literal(node.Value, _graph.Element)).Append(')');
                return;
            case Operation.Negate:
                CallRuntime(text, "Negate", node.First);
                return;
            case Operation.Add or Operation.Subtract or Operation.Multiply or Operation.Divide:
                if (!topLevel)
                {
                    text.Append('(');
                }

                Wrapped(text, node.First, allowAdditive: node.Operation is Operation.Add or Operation.Subtract, allowMultiplicative: true);
                text.Append(node.Operation switch
                {
                    Operation.Add => " + ",
                    Operation.Subtract => " - ",
                    Operation.Multiply => " * ",
                    _ => " / ",
                });
                Wrapped(text, node.Second, allowMultiplicative: node.Operation is Operation.Add or Operation.Subtract);
                if (!topLevel)
                {
                    text.Append(')');
                }

                return;
            case Operation.Conditional when _isUniform(node.First):
                text.Append('(');
                text.Append(_nameOf(node.First) ?? throw new InvalidOperationException("A uniform condition must be a local."));
                text.Append(" ? ");
                Print(text, node.Second);
                text.Append(" : ");
                Print(text, node.Third);
                text.Append(')');
                return;
            case Operation.Conditional:
                Call(text, "ConditionalSelect", node.First, node.Second, node.Third);
                return;
            case Operation.Clamp:
                // Math.Min(Math.Max(x, lo), hi), as the scalar code computes Math.Clamp.
                CallRuntime(text, "Clamp", node.First, node.Second, node.Third);
                return;
        }

        switch (node.Operation)
        {
            case Operation.Sqrt: Call(text, "Sqrt", node.First); break;
            case Operation.Abs: Call(text, "Abs", node.First); break;
            case Operation.Max: CallRuntime(text, "Max", node.First, node.Second); break;
            case Operation.Min: CallRuntime(text, "Min", node.First, node.Second); break;
            case Operation.Less: Call(text, "LessThan", node.First, node.Second); break;
            case Operation.LessOrEqual: Call(text, "LessThanOrEqual", node.First, node.Second); break;
            case Operation.Greater: Call(text, "GreaterThan", node.First, node.Second); break;
            case Operation.GreaterOrEqual: Call(text, "GreaterThanOrEqual", node.First, node.Second); break;
            case Operation.Equal: Call(text, "Equals", node.First, node.Second); break;
            case Operation.NotEqual:
                text.Append(_vector).Append(".OnesComplement(");
                Call(text, "Equals", node.First, node.Second);
                text.Append(')');
                break;
            case Operation.And: Call(text, "BitwiseAnd", node.First, node.Second); break;
            case Operation.Or: Call(text, "BitwiseOr", node.First, node.Second); break;
            case Operation.Not: Call(text, "OnesComplement", node.First); break;
            default:
                // Transcendental functions: OptimDsl's own Exp and Log, System.Math lane by lane for the others.
                text.Append(RuntimeVectorMath).Append('.')
                    .Append(node.Operation.MathMethodName() ?? throw new InvalidOperationException($"No vector form for {node.Operation}."))
                    .Append('(');
                for (var k = 0; k < node.Operation.Arity(); k++)
                {
                    if (k > 0)
                    {
                        text.Append(", ");
                    }

                    Print(text, node.Operand(k));
                }

                text.Append(')');
                break;
        }
    }

    private void Wrapped(StringBuilder text, int id, bool allowAdditive = false, bool allowMultiplicative = false)
    {
        var node = _graph[id];
        var isAdditive = _nameOf(id) is null && node.Operation is Operation.Add or Operation.Subtract;
        var isMultiplicative = _nameOf(id) is null && node.Operation is Operation.Multiply or Operation.Divide;
        if ((isAdditive && allowAdditive) || (isMultiplicative && allowMultiplicative))
        {
            Print(text, id, topLevel: true);
            return;
        }

        Print(text, id);
    }

    private void Call(StringBuilder text, string method, params int[] operands) => Call(text, _vector, method, operands);

    /// <summary>
    /// A call to the runtime library's <c>VectorMath</c>: for the operations whose BCL vector versions
    /// differ from <c>System.Math</c> and scalar negation on .NET 8 (NaN, signed zeros), and for the
    /// functions the BCL has no vector version of that gives the same bits at every width.
    /// </summary>
    private void CallRuntime(StringBuilder text, string method, params int[] operands) => Call(text, RuntimeVectorMath, method, operands);

    private void Call(StringBuilder text, string type, string method, int[] operands)
    {
        text.Append(type).Append('.').Append(method).Append('(');
        for (var k = 0; k < operands.Length; k++)
        {
            if (k > 0)
            {
                text.Append(", ");
            }

            Print(text, operands[k], topLevel: true); // an argument needs no parentheses
        }

        text.Append(')');
    }

    /// <summary>A literal that C# types as <paramref name="element"/> (so that <c>Create</c> makes a vector of it).</summary>
    public static string Literal(double value, ElementType element)
        => element == ElementType.Float ? ExpressionPrinter.FormatConstant(value, ElementType.Float) : DoubleLiteral(value);

    /// <summary>A literal that C# types as double (so that <c>Create</c> makes a vector of doubles).</summary>
    public static string DoubleLiteral(double value)
    {
        var text = ExpressionPrinter.FormatConstant(value);
        return text.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) >= 0 ? text : text + ".0";
    }
}
