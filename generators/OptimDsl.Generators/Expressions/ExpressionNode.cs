using System;
using System.Globalization;

namespace OptimDsl.Generators.Expressions;

/// <summary>
/// One node of an <see cref="ExpressionGraph"/>: an operation and the ids of its operands.
/// </summary>
/// <remarks>
/// Nodes refer to their operands by id, never by reference, so a graph is a flat array of
/// value-equal nodes: cheap to compare in the incremental pipeline and naturally a DAG, which is
/// what common-subexpression elimination and the reverse sweep need. Operand ids are always lower
/// than the node's own id, so the array is in topological order.
/// </remarks>
/// <param name="Operation">What the node computes.</param>
/// <param name="First">Id of the first operand, or -1.</param>
/// <param name="Second">Id of the second operand, or -1.</param>
/// <param name="Third">Id of the third operand, or -1.</param>
/// <param name="Value">The constant's value for <see cref="Operation.Constant"/>; otherwise 0.</param>
/// <param name="Index">Parameter or data index for <see cref="Operation.Parameter"/> and <see cref="Operation.Data"/>; otherwise -1.</param>
/// <param name="Name">Parameter name, or the fully qualified field name for <see cref="Operation.Field"/>; otherwise null.</param>
internal readonly record struct ExpressionNode(
    Operation Operation,
    int First = -1,
    int Second = -1,
    int Third = -1,
    double Value = 0,
    int Index = -1,
    string? Name = null)
{
    public static ExpressionNode Constant(double value) => new(Operation.Constant, Value: value);

    public static ExpressionNode Parameter(int index, string name) => new(Operation.Parameter, Index: index, Name: name);

    public static ExpressionNode Data(int index, string name) => new(Operation.Data, Index: index, Name: name);

    public static ExpressionNode Field(string fullyQualifiedName) => new(Operation.Field, Name: fullyQualifiedName);

    // A rolled loop's leaves keep their loop's id in the third operand slot, unused by leaves.
    public static ExpressionNode Iteration(int loop) => new(Operation.Iteration, Third: loop);

    public static ExpressionNode ParameterAt(int loop, int index, int stride, string name) => new(Operation.ParameterAt, Third: loop, Value: stride, Index: index, Name: name);

    public static ExpressionNode DataAt(int loop, int index, int stride, string name) => new(Operation.DataAt, Third: loop, Value: stride, Index: index, Name: name);

    public static ExpressionNode LoopSum(int loop, int output) => new(Operation.LoopSum, Third: loop, Index: output);

    public static ExpressionNode SumAdjoint(int loop, int output) => new(Operation.SumAdjoint, Third: loop, Index: output);

    // A map's leaves keep the loop that wrote it and its output in the operand slots First and Second, unused by leaves.
    public static ExpressionNode MapValue(int mapLoop, int output, int iteration, string name) => new(Operation.MapValue, First: mapLoop, Second: output, Index: iteration, Name: name);

    public static ExpressionNode MapAt(int loop, int mapLoop, int output, int iteration, int stride, string name) => new(Operation.MapAt, First: mapLoop, Second: output, Third: loop, Value: stride, Index: iteration, Name: name);

    public static ExpressionNode MapAdjoint(int mapLoop, int output, string name) => new(Operation.MapAdjoint, First: mapLoop, Second: output, Third: mapLoop, Value: 1, Index: 0, Name: name);

    /// <summary>The rolled loop that wrote the map of a <see cref="Operation.MapValue"/>, <see cref="Operation.MapAt"/> or <see cref="Operation.MapAdjoint"/> leaf.</summary>
    public int MapLoop => First;

    /// <summary>Which of its loop's maps a <see cref="Operation.MapValue"/>, <see cref="Operation.MapAt"/> or <see cref="Operation.MapAdjoint"/> leaf reads.</summary>
    public int MapOutput => Second;

    /// <summary>The rolled loop of an <see cref="Operation.Iteration"/>, <see cref="Operation.ParameterAt"/>, <see cref="Operation.DataAt"/>, <see cref="Operation.LoopSum"/>, <see cref="Operation.MapAt"/> or <see cref="Operation.MapAdjoint"/> leaf.</summary>
    public int Loop => Third;

    /// <summary>How far an <see cref="Operation.ParameterAt"/>, <see cref="Operation.DataAt"/>, <see cref="Operation.MapAt"/> or <see cref="Operation.MapAdjoint"/> leaf's index moves per iteration.</summary>
    public int Stride => (int)Value;

    public bool IsConstant => Operation == Operation.Constant;

    public bool IsConstantValue(double value) => Operation == Operation.Constant && Value == value;

    /// <summary>The operand id at <paramref name="position"/> (0, 1 or 2).</summary>
    public int Operand(int position) => position switch
    {
        0 => First,
        1 => Second,
        2 => Third,
        _ => throw new ArgumentOutOfRangeException(nameof(position)),
    };

    // Constants compare by bit pattern so that 0.0 and -0.0 (and NaNs) stay distinct nodes.
    public bool Equals(ExpressionNode other)
        => Operation == other.Operation && First == other.First && Second == other.Second && Third == other.Third
            && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value)
            && Index == other.Index && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Operation;
            hash = (hash * 397) ^ First;
            hash = (hash * 397) ^ Second;
            hash = (hash * 397) ^ Third;
            hash = (hash * 397) ^ BitConverter.DoubleToInt64Bits(Value).GetHashCode();
            hash = (hash * 397) ^ Index;
            hash = (hash * 397) ^ (Name is null ? 0 : StringComparer.Ordinal.GetHashCode(Name));
            return hash;
        }
    }

    public override string ToString() => Operation switch
    {
        Operation.Constant => Value.ToString("R", CultureInfo.InvariantCulture),
        Operation.Parameter or Operation.Data or Operation.Field => Name ?? "?",
        _ => $"{Operation}({First}, {Second}, {Third})",
    };
}
