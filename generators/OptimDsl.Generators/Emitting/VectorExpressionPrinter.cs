using System;
using System.Collections.Generic;
using System.Text;
using OptimDsl.Generators.Expressions;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Prints graph nodes as expressions over <c>Vector256&lt;double&gt;</c> or <c>Vector128&lt;double&gt;</c>:
/// one sample per lane. Comparisons become lane masks and <c>?:</c> becomes <c>ConditionalSelect</c>.
/// Sqrt and Abs map to the BCL's vector versions, which agree with <c>System.Math</c> on every runtime;
/// Max, Min, Clamp and negation to the runtime library's <c>OptimDsl.VectorMath</c> (the BCL's differ
/// on .NET 8 for NaN and signed zeros); the others go through <see cref="VectorMathHelpers"/>.
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

    private const string RuntimeVectorMath = "global::OptimDsl.VectorMath";

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

    private void Call(StringBuilder text, string method, params int[] operands) => Call(text, _vector, method, operands);

    /// <summary>
    /// A call to the runtime library's <c>VectorMath</c>, for the operations whose BCL vector versions
    /// differ from <c>System.Math</c> and scalar negation on .NET 8 (NaN, signed zeros).
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

    /// <summary>A literal that C# types as double (so that <c>Create</c> makes a vector of doubles).</summary>
    public static string DoubleLiteral(double value)
    {
        var text = ExpressionPrinter.FormatConstant(value);
        return text.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) >= 0 ? text : text + ".0";
    }
}

/// <summary>
/// The vector math helpers one generated file needs, written once at its end in a file-local class.
/// </summary>
/// <remarks>
/// <c>Exp</c> and <c>Log</c> — the heart of logistic, softplus and likelihood losses — are OptimDsl's
/// own vector implementations: range reduction plus a polynomial, using only IEEE-exact operations
/// (no fused multiply-add), so a Vector256 and a Vector128 (hardware or software) give bit-identical
/// lanes. They are within a few units in the last place of <c>Math.Exp</c> and <c>Math.Log</c> (one for Exp, two for Log in our tests; more in the subnormal range). Every other function goes lane by
/// lane through <c>System.Math</c>, exactly as the scalar code does.
/// </remarks>
internal sealed class VectorMathHelpers
{
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
                switch (operation)
                {
                    case Operation.Exp:
                        writer.WriteLines(ExpTemplate.Replace("V.", vector + ".").Replace("V<", vector + "<"));
                        break;
                    case Operation.Log:
                        writer.WriteLines(LogTemplate.Replace("V.", vector + ".").Replace("V<", vector + "<"));
                        break;
                    default:
                        WriteLaneByLane(writer, vector, width, operation);
                        break;
                }
            }
        }
    }

    private static void WriteLaneByLane(SourceWriter writer, string vector, int width, Operation operation)
    {
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

            writer.WriteLine($"return {vector}.Create({string.Join(", ", lanes)});");
        }
    }

    // e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k·ln 2 (two-part ln 2, Cody–Waite), so
    // |r| ≤ ln2/2 and the degree-13 Taylor polynomial is exact to rounding; 2^k is applied as two
    // powers of two built from exponent bits, which also reaches the subnormal range.
    // The polynomial is 1 + (r + r²·q(r)), with q evaluated by Estrin's scheme: its pairs, quadruples
    // and octets are independent, so the dependency chain is about a third of Horner's (the data
    // loop is latency-bound on it), and the large terms 1 and r are added last, once.
    // The clamp calls the BCL's Max and Min, not OptimDsl.VectorMath: where .NET 8's differ (a NaN
    // operand, two zeros) cannot matter here, as the bounds are not zero and a NaN lane is replaced
    // by x at the end.
    private const string ExpTemplate = """
        /// <summary>e^x in every lane (OptimDsl's own: identical on every vector width).</summary>
        public static V<double> Exp(V<double> x)
        {
            V<double> magic = V.Create(6755399441055744.0); // 1.5 · 2^52: adding it rounds to an integer
            V<double> clamped = V.Min(V.Max(x, V.Create(-746.0)), V.Create(710.0));
            V<double> shifted = clamped * V.Create(1.4426950408889634) + magic;
            V<double> k = shifted - magic;
            V<double> r = (clamped - k * V.Create(0.6931471803691238)) - k * V.Create(1.9082149292705877E-10);
            V<double> r2 = r * r;
            V<double> r4 = r2 * r2;
            V<double> r8 = r4 * r4;
            // q(r) = 1/2! + r/3! + … + r¹¹/13!
            V<double> q01 = V.Create(0.5) + V.Create(0.16666666666666666) * r;
            V<double> q23 = V.Create(0.041666666666666664) + V.Create(0.008333333333333333) * r;
            V<double> q45 = V.Create(0.001388888888888889) + V.Create(0.0001984126984126984) * r;
            V<double> q67 = V.Create(2.48015873015873E-05) + V.Create(2.7557319223985893E-06) * r;
            V<double> q89 = V.Create(2.755731922398589E-07) + V.Create(2.505210838544172E-08) * r;
            V<double> q1011 = V.Create(2.08767569878681E-09) + V.Create(1.6059043836821613E-10) * r;
            V<double> q03 = q01 + q23 * r2;
            V<double> q47 = q45 + q67 * r2;
            V<double> q811 = q89 + q1011 * r2;
            V<double> q = (q03 + q47 * r4) + q811 * r8;
            V<double> p = V.Create(1.0) + (r + r2 * q);
            V<long> n = V.AsInt64(shifted) - V.AsInt64(magic);
            V<long> half = V.ShiftRightArithmetic(n, 1);
            V<double> scale1 = V.AsDouble(V.ShiftLeft(half + V.Create(1023L), 52));
            V<double> scale2 = V.AsDouble(V.ShiftLeft(n - half + V.Create(1023L), 52));
            V<double> result = p * scale1 * scale2;
            return V.ConditionalSelect(V.Equals(x, x), result, x); // NaN stays NaN
        }
        """;

    // ln x = e·ln 2 + ln m with x = 2^e·m, m ∈ [√½, √2), and ln m = 2·atanh(s), s = (m − 1)/(m + 1),
    // |s| ≤ 0.1716, from its odd series to s^23 (2s + s·z·p(z), z = s²). Subnormals are scaled by 2^52 first.
    private const string LogTemplate = """
        /// <summary>ln x in every lane (OptimDsl's own: identical on every vector width).</summary>
        public static V<double> Log(V<double> x)
        {
            V<double> subnormal = V.LessThan(x, V.Create(2.2250738585072014E-308));
            V<double> normal = V.ConditionalSelect(subnormal, x * V.Create(4503599627370496.0), x);
            V<long> bits = V.AsInt64(normal);
            V<long> exponent = V.ShiftRightLogical(bits, 52) - V.Create(1023L);
            V<double> m = V.AsDouble((bits & V.Create(0x000FFFFFFFFFFFFFL)) | V.Create(0x3FF0000000000000L));
            V<double> large = V.GreaterThan(m, V.Create(1.4142135623730951));
            m = V.ConditionalSelect(large, m * V.Create(0.5), m);
            V<double> e = V.ConvertToDouble(exponent)
                + V.ConditionalSelect(large, V.Create(1.0), V<double>.Zero)
                - V.ConditionalSelect(subnormal, V.Create(52.0), V<double>.Zero);
            V<double> s = (m - V.Create(1.0)) / (m + V.Create(1.0));
            V<double> z = s * s;
            V<double> z2 = z * z;
            V<double> z4 = z2 * z2;
            V<double> z8 = z4 * z4;
            // p(z) = 2/3 + 2z/5 + … + 2z¹⁰/23, by Estrin's scheme (see Exp).
            V<double> p01 = V.Create(0.6666666666666666) + V.Create(0.4) * z;
            V<double> p23 = V.Create(0.2857142857142857) + V.Create(0.2222222222222222) * z;
            V<double> p45 = V.Create(0.18181818181818182) + V.Create(0.15384615384615385) * z;
            V<double> p67 = V.Create(0.13333333333333333) + V.Create(0.11764705882352941) * z;
            V<double> p89 = V.Create(0.10526315789473684) + V.Create(0.09523809523809523) * z;
            V<double> p03 = p01 + p23 * z2;
            V<double> p47 = p45 + p67 * z2;
            V<double> p810 = p89 + V.Create(0.08695652173913043) * z2;
            V<double> p = (p03 + p47 * z4) + p810 * z8;
            V<double> logM = V.Create(2.0) * s + s * (z * p);
            V<double> result = e * V.Create(0.6931471803691238) + (logM + e * V.Create(1.9082149292705877E-10));
            result = V.ConditionalSelect(V.Equals(x, V<double>.Zero), V.Create(double.NegativeInfinity), result);
            result = V.ConditionalSelect(V.LessThan(x, V<double>.Zero), V.Create(double.NaN), result);
            result = V.ConditionalSelect(V.Equals(x, V.Create(double.PositiveInfinity)), x, result);
            return V.ConditionalSelect(V.Equals(x, x), result, x); // NaN stays NaN
        }
        """;
}
