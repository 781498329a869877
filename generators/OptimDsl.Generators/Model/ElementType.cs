namespace OptimDsl.Generators.Model;

/// <summary>
/// The number type an objective computes in (README, Float objectives): every value, constant and generated line of
/// one objective has this type. One value threaded through the generator, not a second copy of it.
/// </summary>
internal enum ElementType
{
    Double,
    Float,
}

internal static class ElementTypeFacts
{
    /// <summary>The C# keyword of the type: <c>double</c> or <c>float</c>.</summary>
    public static string Keyword(this ElementType type) => type == ElementType.Float ? "float" : "double";

    /// <summary>The bytes of one value: 8 or 4.</summary>
    public static int Size(this ElementType type) => type == ElementType.Float ? sizeof(float) : sizeof(double);

    /// <summary>The class of its functions in generated code: <c>global::System.Math</c> or <c>global::System.MathF</c>.</summary>
    public static string MathClass(this ElementType type) => type == ElementType.Float ? "MathF" : "Math";

    /// <summary>How many values of the type a <c>Vector256</c> holds: 4 doubles, 8 floats (a <c>Vector128</c> half as many).</summary>
    public static int Lanes256(this ElementType type) => type == ElementType.Float ? 8 : 4;

    /// <summary>
    /// <paramref name="value"/> as the element type holds it: unchanged for double; for float the nearest float, as a
    /// double (exactly). Rounding a double result of +, −, ×, ÷ or √ of floats to float gives the float operation's
    /// result, since a double carries more than twice a float's precision; so folding in double and rounding here is exact.
    /// </summary>
    public static double Round(this ElementType type, double value)
        => type == ElementType.Float ? (float)value : value;

    /// <summary>Whether <paramref name="value"/> is a normal number of the element type (neither zero, subnormal, infinite nor NaN).</summary>
    public static bool IsNormal(this ElementType type, double value)
    {
        if (type == ElementType.Double)
        {
            var exponent = (System.BitConverter.DoubleToInt64Bits(value) >> 52) & 0x7FF;
            return exponent != 0 && exponent != 0x7FF;
        }

        var magnitude = System.Math.Abs(value);
        return magnitude >= 1.1754943508222875E-38 && magnitude <= float.MaxValue && (float)value == value;
    }
}
