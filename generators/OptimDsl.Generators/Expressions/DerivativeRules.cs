namespace OptimDsl.Generators.Expressions;

/// <summary>
/// The calculus: for each operation, its partial derivative with respect to each operand.
/// </summary>
/// <remarks>
/// One line per rule, in the manner of a table of derivatives. A rule may reuse the node's own
/// value (<c>self</c>), as <c>exp′ = exp</c> and <c>√′ = 1/(2√)</c> do, so the reverse sweep shares the
/// forward pass's work. At a kink the derivative of the branch taken is used: for
/// <c>Abs</c> at 0 that is +1, for <c>Max</c>/<c>Min</c> on a tie the first argument's.
/// </remarks>
internal static class DerivativeRules
{
    private const double Ln2 = 0.6931471805599453;   // Math.Log(2), correctly rounded
    private const double Ln10 = 2.302585092994046;   // Math.Log(10), correctly rounded

    /// <summary>∂ self / ∂ (operand number <paramref name="position"/>), built in <paramref name="b"/>.</summary>
    public static int Partial(ExpressionBuilder b, int self, int position)
    {
        var node = b[self];
        int x = node.First, y = node.Second, z = node.Third;

        return (node.Operation, position) switch
        {
            (Operation.Negate, 0) => b.Constant(-1),
            (Operation.Add, _) => b.One,
            (Operation.Subtract, 0) => b.One,
            (Operation.Subtract, 1) => b.Constant(-1),
            (Operation.Multiply, 0) => y,
            (Operation.Multiply, 1) => x,
            (Operation.Divide, 0) => b.Divide(b.One, y),                                   // 1/y
            (Operation.Divide, 1) => b.Negate(b.Divide(self, y)),                          // −(x/y)/y
            (Operation.Sqrt, 0) => b.Divide(b.Constant(0.5), self),                        // 1/(2√x)
            (Operation.Cbrt, 0) => b.Divide(b.One, b.Multiply(b.Constant(3), b.Multiply(self, self))), // 1/(3∛x²)
            (Operation.Exp, 0) => self,                                                    // eˣ
            (Operation.Log, 0) => b.Divide(b.One, x),                                      // 1/x
            (Operation.Log10, 0) => b.Divide(b.One, b.Multiply(b.Constant(Ln10), x)),      // 1/(x ln 10)
            (Operation.Log2, 0) => b.Divide(b.One, b.Multiply(b.Constant(Ln2), x)),        // 1/(x ln 2)
            (Operation.Pow, 0) => b.Multiply(y, b.Apply(Operation.Pow, x, b.Subtract(y, b.One))), // y·x^(y−1)
            (Operation.Pow, 1) => Select(b, b.Apply(Operation.Equal, x, b.Zero), b.Zero,    // xʸ ln x; 0 at x = 0, where
                b.Multiply(self, b.Apply(Operation.Log, x))),                              // 0ʸ is constant (not 0·(−∞))
            (Operation.Sin, 0) => b.Apply(Operation.Cos, x),                               // cos x
            (Operation.Cos, 0) => b.Negate(b.Apply(Operation.Sin, x)),                     // −sin x
            (Operation.Tan, 0) => b.Add(b.One, b.Multiply(self, self)),                    // 1 + tan² x
            (Operation.Asin, 0) => b.Divide(b.One, b.Apply(Operation.Sqrt, OneMinusSquare(b, x))),               // 1/√(1−x²)
            (Operation.Acos, 0) => b.Negate(b.Divide(b.One, b.Apply(Operation.Sqrt, OneMinusSquare(b, x)))),     // −1/√(1−x²)
            (Operation.Atan, 0) => b.Divide(b.One, b.Add(b.One, b.Multiply(x, x))),        // 1/(1+x²)
            (Operation.Atan2, 0) => b.Divide(y, SumOfSquares(b, x, y)),                    // atan2(x, y): x is the ordinate
            (Operation.Atan2, 1) => b.Negate(b.Divide(x, SumOfSquares(b, x, y))),
            (Operation.Sinh, 0) => b.Apply(Operation.Cosh, x),                             // cosh x
            (Operation.Cosh, 0) => b.Apply(Operation.Sinh, x),                             // sinh x
            (Operation.Tanh, 0) => b.Subtract(b.One, b.Multiply(self, self)),              // 1 − tanh² x
            (Operation.Abs, 0) => Select(b, b.Apply(Operation.GreaterOrEqual, x, b.Zero), b.One, b.Constant(-1)),
            (Operation.Max, 0) => Select(b, b.Apply(Operation.GreaterOrEqual, x, y), b.One, b.Zero),
            (Operation.Max, 1) => Select(b, b.Apply(Operation.GreaterOrEqual, x, y), b.Zero, b.One),
            (Operation.Min, 0) => Select(b, b.Apply(Operation.LessOrEqual, x, y), b.One, b.Zero),
            (Operation.Min, 1) => Select(b, b.Apply(Operation.LessOrEqual, x, y), b.Zero, b.One),
            (Operation.Clamp, 0) => Select(b, InRange(b, x, y, z), b.One, b.Zero),         // Clamp(x, lo, hi)
            (Operation.Clamp, 1) => Select(b, b.Apply(Operation.Less, x, y), b.One, b.Zero),
            (Operation.Clamp, 2) => Select(b, b.Apply(Operation.Greater, x, z), b.One, b.Zero),
            (Operation.Conditional, 1) => Select(b, x, b.One, b.Zero),                     // c ? a : b
            (Operation.Conditional, 2) => Select(b, x, b.Zero, b.One),
            _ => b.Zero,                                                                   // leaves, conditions
        };
    }

    /// <summary>True when the operand at <paramref name="position"/> carries a derivative (not a condition).</summary>
    public static bool IsDifferentiableOperand(Operation operation, int position)
        => !operation.IsBoolean() && !(operation == Operation.Conditional && position == 0);

    private static int Select(ExpressionBuilder b, int condition, int whenTrue, int whenFalse)
        => b.Conditional(condition, whenTrue, whenFalse);

    private static int OneMinusSquare(ExpressionBuilder b, int x) => b.Subtract(b.One, b.Multiply(x, x));

    private static int SumOfSquares(ExpressionBuilder b, int x, int y) => b.Add(b.Multiply(x, x), b.Multiply(y, y));

    private static int InRange(ExpressionBuilder b, int x, int low, int high)
        => b.Apply(Operation.And, b.Apply(Operation.GreaterOrEqual, x, low), b.Apply(Operation.LessOrEqual, x, high));
}
