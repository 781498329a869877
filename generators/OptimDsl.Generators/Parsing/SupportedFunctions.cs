using System.Collections.Generic;
using OptimDsl.Generators.Expressions;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Which <c>System.Math</c> functions an objective may call (SPEC §3), and what to tell the user
/// about the ones it may not.
/// </summary>
internal static class SupportedFunctions
{
    /// <summary>Supported <c>Math</c> methods by name and argument count.</summary>
    public static readonly IReadOnlyDictionary<(string Name, int Arity), Operation> Math = new Dictionary<(string, int), Operation>
    {
        [("Sqrt", 1)] = Operation.Sqrt,
        [("Cbrt", 1)] = Operation.Cbrt,
        [("Exp", 1)] = Operation.Exp,
        [("Log", 1)] = Operation.Log,
        [("Log10", 1)] = Operation.Log10,
        [("Log2", 1)] = Operation.Log2,
        [("Pow", 2)] = Operation.Pow,
        [("Sin", 1)] = Operation.Sin,
        [("Cos", 1)] = Operation.Cos,
        [("Tan", 1)] = Operation.Tan,
        [("Asin", 1)] = Operation.Asin,
        [("Acos", 1)] = Operation.Acos,
        [("Atan", 1)] = Operation.Atan,
        [("Atan2", 2)] = Operation.Atan2,
        [("Sinh", 1)] = Operation.Sinh,
        [("Cosh", 1)] = Operation.Cosh,
        [("Tanh", 1)] = Operation.Tanh,
        [("Abs", 1)] = Operation.Abs,
        [("Max", 2)] = Operation.Max,
        [("Min", 2)] = Operation.Min,
        [("Clamp", 3)] = Operation.Clamp,
    };

    /// <summary>Why some well-known <c>Math</c> functions are refused, and what to write instead.</summary>
    public static string AdviceFor(string mathMethod) => mathMethod switch
    {
        "Floor" or "Ceiling" or "Round" or "Truncate" or "Sign"
            => ": it is piecewise constant, so its derivative is zero almost everywhere and carries no information",
        "IEEERemainder" => ": write the remainder with arithmetic on a constant divisor instead",
        "FusedMultiplyAdd" => ": write a * b + c",
        "ScaleB" => ": multiply by a power of two instead",
        "Log" => ": Math.Log takes one or two arguments",
        "Asinh" or "Acosh" or "Atanh"
            => ": write it with Log and Sqrt, e.g. Asinh(x) = Math.Log(x + Math.Sqrt(x * x + 1))",
        "Exp2" or "Exp10" => ": write Math.Pow(2, x) or Math.Pow(10, x)",
        "SinCos" => ": call Math.Sin and Math.Cos",
        _ => "; the supported functions are Sqrt, Cbrt, Exp, Log, Log10, Log2, Pow, Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh, Abs, Max, Min and Clamp",
    };
}
