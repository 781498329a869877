using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Which <c>System.Math</c> functions an objective may call (README: What an objective may contain),
/// and what to tell the user about the ones it may not.
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

    /// <summary>Whether some overload of <c>Math.{name}</c> is supported (for doubles).</summary>
    public static bool IsSupported(string mathMethod) => Math.Keys.Any(k => k.Name == mathMethod);

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

    /// <summary>What to write instead of a call to <paramref name="method"/>, which is neither System.Math nor an objective.</summary>
    public static string AdviceForCall(IMethodSymbol method, Compilation compilation, Model.ElementType element = Model.ElementType.Double)
    {
        var type = method.ContainingType;
        var inNamespace = type?.ContainingNamespace?.ToDisplayString();
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return ": make it a static method marked [Objective]";
        }

        // double.Exp, MathF.Sin, float.Sqrt, INumber<T> statics: the System.Math function of that name, if there is one.
        if (inNamespace == "System" && type!.Name is "Double" or "Single" or "MathF" or "Half")
        {
            return IsSupported(method.Name)
                ? element == Model.ElementType.Float
                    ? $": write MathF.{method.Name} instead (a float objective computes with float values and System.MathF)"
                    : $": write Math.{method.Name} instead (an objective computes with double values and System.Math)"
                : AdviceFor(method.Name);
        }

        if (inNamespace == "System.Linq")
        {
            return ": an objective cannot loop over a collection; make the per-sample inputs [Data] parameters, and the loss is their mean over the samples";
        }

        if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return $": it is a library method, which cannot be differentiated; only System.Math functions and [Objective] methods of this project can be called";
        }

        var number = KnownNames.SpecialTypeOf(element);
        var differentiableShape = method.IsStatic && method.ReturnType.SpecialType == number
            && method.Parameters.All(p => p.Type.SpecialType == number && p.RefKind == RefKind.None);
        return differentiableShape
            ? ": mark it [Objective] as well, so that it is differentiated through"
            : $": only {(element == Model.ElementType.Float ? "System.MathF" : "System.Math")} functions and [Objective] methods (static, {element.Keyword()} parameters, returning {element.Keyword()}) can be called";
    }
}
