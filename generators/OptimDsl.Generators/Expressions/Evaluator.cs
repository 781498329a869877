using System;

namespace OptimDsl.Generators.Expressions;

/// <summary>
/// Evaluates operations on numbers exactly as the generated C# does (the same <see cref="Math"/>
/// calls), which is what constant folding needs. Booleans are 1 and 0.
/// </summary>
internal static class Evaluator
{
    public static double Apply(Operation operation, double a, double b = 0, double c = 0) => operation switch
    {
        Operation.Negate => -a,
        Operation.Add => a + b,
        Operation.Subtract => a - b,
        Operation.Multiply => a * b,
        Operation.Divide => a / b,
        Operation.Sqrt => Math.Sqrt(a),
        Operation.Cbrt => Cbrt(a),
        Operation.Exp => Math.Exp(a),
        Operation.Log => Math.Log(a),
        Operation.Log10 => Math.Log10(a),
        Operation.Log2 => Math.Log(a) / Math.Log(2),
        Operation.Pow => Math.Pow(a, b),
        Operation.Sin => Math.Sin(a),
        Operation.Cos => Math.Cos(a),
        Operation.Tan => Math.Tan(a),
        Operation.Asin => Math.Asin(a),
        Operation.Acos => Math.Acos(a),
        Operation.Atan => Math.Atan(a),
        Operation.Atan2 => Math.Atan2(a, b),
        Operation.Sinh => Math.Sinh(a),
        Operation.Cosh => Math.Cosh(a),
        Operation.Tanh => Math.Tanh(a),
        Operation.Abs => Math.Abs(a),
        Operation.Max => Max(a, b),
        Operation.Min => Min(a, b),
        Operation.Clamp => Min(Max(a, b), c), // as the generated code computes Math.Clamp (see the README)
        Operation.Conditional => a != 0 ? b : c,
        Operation.Less => Bool(a < b),
        Operation.LessOrEqual => Bool(a <= b),
        Operation.Greater => Bool(a > b),
        Operation.GreaterOrEqual => Bool(a >= b),
        Operation.Equal => Bool(a == b),
        Operation.NotEqual => Bool(a != b),
        Operation.And => Bool(a != 0 && b != 0),
        Operation.Or => Bool(a != 0 || b != 0),
        Operation.Not => Bool(a == 0),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a computing operation."),
    };

    /// <summary>Evaluates node <paramref name="root"/> of <paramref name="graph"/> at the given inputs.</summary>
    public static double Evaluate(ExpressionGraph graph, int root, double[] parameters, double[]? data = null, Func<string, double>? fields = null)
    {
        var values = new double[root + 1];
        for (var id = 0; id <= root; id++)
        {
            var node = graph[id];
            values[id] = node.Operation switch
            {
                Operation.Constant => node.Value,
                Operation.Parameter => parameters[node.Index],
                Operation.Data => data![node.Index],
                Operation.Field => fields!(node.Name!),
                _ => Apply(
                    node.Operation,
                    node.First >= 0 ? values[node.First] : 0,
                    node.Second >= 0 ? values[node.Second] : 0,
                    node.Third >= 0 ? values[node.Third] : 0),
            };
        }

        return values[root];
    }

    // netstandard2.0 has no Math.Cbrt; the generated code calls the real one, and folding of a
    // constant cube root is rare enough that a correctly signed Pow is adequate here.
    private static double Cbrt(double a) => a < 0 ? -Math.Pow(-a, 1.0 / 3) : Math.Pow(a, 1.0 / 3);

    private static double Bool(bool value) => value ? 1 : 0;

    // Math.Max and Math.Min of .NET Core 3.0 and later (IEEE 754:2019 maximum and minimum: a NaN
    // operand is the result, −0 < +0), which the generated code calls. Not Math.Max itself: the
    // generator may run on .NET Framework, whose Math.Max(+0, −0) is −0.
    private static double Max(double x, double y)
        => x != y ? (double.IsNaN(x) ? x : y < x ? x : y) : IsNegative(y) ? x : y;

    private static double Min(double x, double y)
        => x != y ? (double.IsNaN(x) ? x : x < y ? x : y) : IsNegative(x) ? x : y;

    private static bool IsNegative(double value) => BitConverter.DoubleToInt64Bits(value) < 0;
}
