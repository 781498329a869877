using System;
using System.Collections.Generic;
using System.Text;
using OptimDsl.Generators.Expressions;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Prints graph nodes as expressions over <c>Vector256&lt;double&gt;</c> or <c>Vector128&lt;double&gt;</c>:
/// one sample per lane. Comparisons become lane masks and <c>?:</c> becomes <c>ConditionalSelect</c>.
/// Functions the BCL vectorises (Sqrt, Abs, Max, Min; Exp, Log, Log2, Sin, Cos from .NET 9) map to
/// it; the others go lane by lane through <see cref="VectorMathHelpers"/>.
/// </summary>
internal sealed class VectorExpressionPrinter
{
    private readonly ExpressionGraph _graph;
    private readonly Func<int, string?> _nameOf;
    private readonly Func<int, bool> _isUniform;
    private readonly VectorMathHelpers _helpers;
    private readonly string _vector;
    private readonly int _width;

    /// <param name="graph">The graph.</param>
    /// <param name="width">Lanes: 4 for Vector256, 2 for Vector128.</param>
    /// <param name="nameOf">The identifier of a vector local, a loaded data vector or a broadcast uniform value.</param>
    /// <param name="isUniform">True for sample-independent nodes; a uniform boolean is a scalar <c>bool</c> local.</param>
    /// <param name="helpers">Collects the lane-by-lane helpers the printed code needs.</param>
    public VectorExpressionPrinter(ExpressionGraph graph, int width, Func<int, string?> nameOf, Func<int, bool> isUniform, VectorMathHelpers helpers)
    {
        _graph = graph;
        _width = width;
        _vector = VectorType(width);
        _nameOf = nameOf;
        _isUniform = isUniform;
        _helpers = helpers;
    }

    public static string VectorType(int width) => width == 4 ? "global::System.Runtime.Intrinsics.Vector256" : "global::System.Runtime.Intrinsics.Vector128";

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
                text.Append('(').Append(name).Append(" ? ").Append(_vector).Append("<double>.AllBitsSet : ").Append(_vector).Append("<double>.Zero)");
                return;
            }

            text.Append(name);
            return;
        }

        var node = _graph[id];
        switch (node.Operation)
        {
            case Operation.Constant:
                text.Append(_vector).Append(".Create(").Append(DoubleLiteral(node.Value)).Append(')');
                return;
            case Operation.Negate:
                text.Append("-");
                Wrapped(text, node.First);
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
                // Math.Clamp(x, lo, hi) = Min(Max(x, lo), hi) for lo ≤ hi (Math.Clamp throws otherwise).
                text.Append(_vector).Append(".Min(");
                Call(text, "Max", node.First, node.Second);
                text.Append(", ");
                Print(text, node.Third);
                text.Append(')');
                return;
        }

        switch (node.Operation)
        {
            case Operation.Sqrt: Call(text, "Sqrt", node.First); break;
            case Operation.Abs: Call(text, "Abs", node.First); break;
            case Operation.Max: Call(text, "Max", node.First, node.Second); break;
            case Operation.Min: Call(text, "Min", node.First, node.Second); break;
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
                // Transcendental functions: through a helper that uses the BCL's vector version where
                // it exists and goes lane by lane otherwise.
                text.Append(_helpers.Use(node.Operation, _width)).Append('(');
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

    private void Call(StringBuilder text, string method, params int[] operands)
    {
        text.Append(_vector).Append('.').Append(method).Append('(');
        for (var k = 0; k < operands.Length; k++)
        {
            if (k > 0)
            {
                text.Append(", ");
            }

            Print(text, operands[k]);
        }

        text.Append(')');
    }

    /// <summary>A literal that C# types as double (so that <c>Create</c> makes a vector of doubles).</summary>
    public static string DoubleLiteral(double value)
    {
        var text = ExpressionPrinter.FormatConstant(value);
        return text.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) >= 0 ? text : text + ".0";
    }
}

/// <summary>The lane-by-lane vector math helpers one generated file needs, written once at its end.</summary>
internal sealed class VectorMathHelpers
{
    /// <summary>Functions the BCL vectorises from .NET 9 on (<c>Vector256.Exp</c> …).</summary>
    private static readonly HashSet<Operation> VectorisedFromNet9 = new() { Operation.Exp, Operation.Log, Operation.Log2, Operation.Sin, Operation.Cos };

    private readonly SortedSet<(int Width, Operation Operation)> _used = new();

    public VectorMathHelpers(string className) => ClassName = className;

    /// <summary>The file-local class holding the helpers.</summary>
    public string ClassName { get; }

    public bool IsEmpty => _used.Count == 0;

    public string Use(Operation operation, int width)
    {
        _used.Add((width, operation));
        return $"global::{ClassName}.{operation.MathMethodName()}";
    }

    public void Write(SourceWriter writer)
    {
        writer.WriteLine("/// <summary>Vector versions of the Math functions the data gradient needs, one sample per lane.</summary>");
        using (writer.Block($"file static class {ClassName}"))
        {
            var first = true;
            foreach (var (width, operation) in _used)
            {
                if (!first)
                {
                    writer.WriteLine();
                }

                first = false;
                var vector = VectorExpressionPrinter.VectorType(width);
                var name = operation.MathMethodName();
                var arity = operation.Arity();
                var parameters = arity == 1 ? $"{vector}<double> x" : $"{vector}<double> x, {vector}<double> y";
                writer.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                using (writer.Block($"public static {vector}<double> {name}({parameters})"))
                {
                    var lanes = new List<string>();
                    for (var lane = 0; lane < width; lane++)
                    {
                        lanes.Add(arity == 1
                            ? $"global::System.Math.{name}({vector}.GetElement(x, {lane}))"
                            : $"global::System.Math.{name}({vector}.GetElement(x, {lane}), {vector}.GetElement(y, {lane}))");
                    }

                    var laneByLane = $"return {vector}.Create({string.Join(", ", lanes)});";
                    if (VectorisedFromNet9.Contains(operation))
                    {
                        writer.WriteLine("#if NET9_0_OR_GREATER");
                        writer.WriteLine($"return {vector}.{name}(x);");
                        writer.WriteLine("#else");
                        writer.WriteLine(laneByLane);
                        writer.WriteLine("#endif");
                    }
                    else
                    {
                        writer.WriteLine(laneByLane);
                    }
                }
            }
        }
    }
}
