using Microsoft.CodeAnalysis;

namespace OptimDsl.Generators.Parsing;

/// <summary>Metadata names of the runtime library's attributes, and allocation-free checks against them.</summary>
internal static class KnownNames
{
    public const string Objective = "OptimDsl.ObjectiveAttribute";
    public const string Data = "OptimDsl.DataAttribute";
    public const string GradientDescent = "OptimDsl.GradientDescentAttribute";
    public const string Sgd = "OptimDsl.SgdAttribute";
    public const string Adam = "OptimDsl.AdamAttribute";

    /// <summary>Generated files live under this generator's name; members declared there are ours, not clashes.</summary>
    public const string GeneratorName = "OptimDsl.Generators.ObjectiveGenerator";

    public static bool IsObjective(AttributeData attribute) => IsOptimDslType(attribute.AttributeClass, "ObjectiveAttribute");

    public static bool IsData(AttributeData attribute) => IsOptimDslType(attribute.AttributeClass, "DataAttribute");

    public static bool IsLength(AttributeData attribute) => IsOptimDslType(attribute.AttributeClass, "LengthAttribute");

    /// <summary>True when <paramref name="type"/> is <c>System.ReadOnlySpan</c> (or, with <paramref name="orSpan"/>, <c>System.Span</c>) of <paramref name="element"/>.</summary>
    public static bool IsElementSpan(ITypeSymbol? type, Model.ElementType element, bool orSpan = false)
        => type is INamedTypeSymbol { Name: var name, TypeArguments: [{ SpecialType: var argument }], ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
            && argument == SpecialTypeOf(element)
            && (name == "ReadOnlySpan" || (orSpan && name == "Span"));

    /// <summary>The Roslyn special type of <paramref name="element"/>.</summary>
    public static SpecialType SpecialTypeOf(Model.ElementType element)
        => element == Model.ElementType.Float ? SpecialType.System_Single : SpecialType.System_Double;

    /// <summary>True when <paramref name="type"/> is <c>System.MathF</c>.</summary>
    public static bool IsSystemMathF(INamedTypeSymbol? type)
        => type is { Name: "MathF", ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>True when <paramref name="type"/> is <c>OptimDsl.{name}</c>; compares names, so it allocates nothing.</summary>
    public static bool IsOptimDslType(INamedTypeSymbol? type, string name)
        => type is { Name: var typeName, ContainingType: null, ContainingNamespace: { Name: "OptimDsl", ContainingNamespace.IsGlobalNamespace: true } }
            && typeName == name;

    /// <summary>True when <paramref name="type"/> is <c>System.Math</c>.</summary>
    public static bool IsSystemMath(INamedTypeSymbol? type)
        => type is { Name: "Math", ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}
