namespace OptimDsl.Generators.Expressions;

/// <summary>The primitive operations of the expression IR.</summary>
/// <remarks>
/// Everything an objective may contain lowers to these. Sugar is removed by the parser
/// (<c>Math.Log(a, b)</c> becomes <c>Log(a) / Log(b)</c>, small integer powers become products),
/// so the derivative rules only have to know this list.
/// </remarks>
internal enum Operation
{
    // Leaves.
    /// <summary>A numeric constant, in <see cref="ExpressionNode.Value"/>.</summary>
    Constant,

    /// <summary>A trainable parameter; <see cref="ExpressionNode.Index"/> is its position among the trainable parameters.</summary>
    Parameter,

    /// <summary>A <c>[Data]</c> parameter; <see cref="ExpressionNode.Index"/> is its position among the data parameters.</summary>
    Data,

    /// <summary>A <c>static readonly double</c> field, read at run time; <see cref="ExpressionNode.Name"/> is its fully qualified name.</summary>
    Field,

    // Leaves of a rolled loop's body (README, Vectors and loops): the loop stays a loop in the generated code.
    /// <summary>The iteration t = 0, 1, … of rolled loop <see cref="ExpressionNode.Loop"/>, as a double.</summary>
    Iteration,

    /// <summary>Trained value <see cref="ExpressionNode.Index"/> + <see cref="ExpressionNode.Stride"/>·t of rolled loop <see cref="ExpressionNode.Loop"/>; <see cref="ExpressionNode.Name"/> is the vector's.</summary>
    ParameterAt,

    /// <summary>Data value <see cref="ExpressionNode.Index"/> + <see cref="ExpressionNode.Stride"/>·t of a sample's row in rolled loop <see cref="ExpressionNode.Loop"/>.</summary>
    DataAt,

    /// <summary>The sum over rolled loop <see cref="ExpressionNode.Loop"/>'s iterations of its output <see cref="ExpressionNode.Index"/>.</summary>
    LoopSum,

    /// <summary>∂value/∂(sum <see cref="ExpressionNode.Index"/> of rolled loop <see cref="ExpressionNode.Loop"/>), computed before the loop's adjoint sweep: the seed of that sweep, opaque to it.</summary>
    SumAdjoint,

    // A rolled loop that writes a local vector (a map: h[j] = …) keeps its values in a buffer, one per iteration.
    /// <summary>
    /// The value rolled loop <see cref="ExpressionNode.MapLoop"/> wrote to its map <see cref="ExpressionNode.MapOutput"/>
    /// in iteration <see cref="ExpressionNode.Index"/>, read where the index is fixed; <see cref="ExpressionNode.Name"/> is the vector's.
    /// </summary>
    MapValue,

    /// <summary>
    /// The value map <see cref="ExpressionNode.MapOutput"/> of rolled loop <see cref="ExpressionNode.MapLoop"/> holds for iteration
    /// <see cref="ExpressionNode.Index"/> + <see cref="ExpressionNode.Stride"/>·t of the later rolled loop <see cref="ExpressionNode.Loop"/>.
    /// </summary>
    MapAt,

    /// <summary>
    /// ∂value/∂(the value map <see cref="ExpressionNode.MapOutput"/> of rolled loop <see cref="ExpressionNode.Loop"/> wrote in
    /// iteration t), gathered in a buffer before the loop's adjoint sweep: the seed of that sweep per iteration.
    /// </summary>
    MapAdjoint,

    // Arithmetic.
    Negate,
    Add,
    Subtract,
    Multiply,
    Divide,

    // System.Math functions.
    Sqrt,
    Cbrt,
    Exp,
    Log,
    Log10,
    Log2,
    Pow,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Abs,
    Max,
    Min,
    Clamp,

    // Piecewise definitions: a boolean condition over differentiable values selects a branch.
    /// <summary><c>A ? B : C</c>, where A is a boolean node.</summary>
    Conditional,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,
}

internal static class OperationFacts
{
    public static int Arity(this Operation operation) => operation switch
    {
        Operation.Constant or Operation.Parameter or Operation.Data or Operation.Field
            or Operation.Iteration or Operation.ParameterAt or Operation.DataAt or Operation.LoopSum or Operation.SumAdjoint
            or Operation.MapValue or Operation.MapAt or Operation.MapAdjoint => 0,
        Operation.Add or Operation.Subtract or Operation.Multiply or Operation.Divide
            or Operation.Pow or Operation.Atan2 or Operation.Max or Operation.Min
            or Operation.Less or Operation.LessOrEqual or Operation.Greater or Operation.GreaterOrEqual
            or Operation.Equal or Operation.NotEqual or Operation.And or Operation.Or => 2,
        Operation.Clamp or Operation.Conditional => 3,
        _ => 1,
    };

    public static bool IsLeaf(this Operation operation) => operation.Arity() == 0;

    /// <summary>True for operations whose value is a <c>bool</c> rather than a <c>double</c>.</summary>
    public static bool IsBoolean(this Operation operation) => operation is >= Operation.Less and <= Operation.Not;

    public static bool IsCommutative(this Operation operation)
        => operation is Operation.Add or Operation.Multiply or Operation.Equal or Operation.NotEqual
            or Operation.And or Operation.Or;

    /// <summary>True where the function has a kink or a branch: differentiable almost everywhere only.</summary>
    public static bool IsPiecewise(this Operation operation)
        => operation is Operation.Abs or Operation.Max or Operation.Min or Operation.Clamp or Operation.Conditional;

    /// <summary>The <c>System.Math</c> method that computes the operation, for function operations.</summary>
    public static string? MathMethodName(this Operation operation) => operation switch
    {
        >= Operation.Sqrt and <= Operation.Clamp => operation.ToString(),
        _ => null,
    };
}
