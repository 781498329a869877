using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>The parser's verdict on one objective: a model when it can be generated, and the diagnostics either way.</summary>
internal readonly record struct ObjectiveParseResult(ObjectiveModel? Model, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Reads an <c>[Objective]</c> method into an <see cref="ObjectiveModel"/>: shape (OPTDSL002),
/// generated-name clashes (OPTDSL006), optimizer attributes (OPTDSL003, OPTDSL005) and body
/// (OPTDSL001, OPTDSL007, via <see cref="BodyParser"/>).
/// </summary>
/// <remarks>Shared by the generator and the analyzer: one definition of what is valid.</remarks>
internal static class ObjectiveParser
{
    public static ObjectiveParseResult Parse(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        // A partial method is read from the part with the body, whichever part has the attribute.
        method = method.PartialImplementationPart ?? method;
        var diagnostics = new List<Diagnostic>();
        var syntax = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault();
        if (syntax is null || method.ContainingType is not { IsImplicitlyDeclared: false } || HasSyntaxErrors(syntax))
        {
            // Half-typed code: the compiler reports the syntax errors; generating from it would add more.
            return new ObjectiveParseResult(null, ImmutableArray<Diagnostic>.Empty);
        }

        if (syntax.SyntaxTree != model.SyntaxTree)
        {
            model = model.Compilation.GetSemanticModel(syntax.SyntaxTree);
        }

        var validShape = CheckShape(method, syntax, diagnostics);
        var optimizers = ParseOptimizers(method, diagnostics);
        if (!validShape)
        {
            return new ObjectiveParseResult(null, diagnostics.ToImmutableArray());
        }

        var parameters = method.Parameters.Select(ToParameterModel).ToArray();
        var validNames = CheckGeneratedNames(method, syntax, parameters, optimizers, diagnostics);

        var body = new BodyParser(method.ContainingType, diagnostics, cancellationToken);
        var parameterNodes = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = parameters[i];
            parameterNodes[method.Parameters[i]] = parameter.IsData
                ? body.Builder.Data(parameter.Index, parameter.Name)
                : body.Builder.Parameter(parameter.Index, parameter.Name);
        }

        var root = body.ParseObjective(method, syntax, model, parameterNodes);
        if (root == BodyParser.Invalid || !validNames)
        {
            return new ObjectiveParseResult(null, diagnostics.ToImmutableArray());
        }

        var objective = new ObjectiveModel(
            DescribeLocation(method.ContainingType),
            AccessibilityKeywords(method.DeclaredAccessibility),
            method.Name,
            parameters.ToEquatableArray(),
            body.Builder.ToGraph(),
            root,
            body.Hints.ToEquatableArray(),
            SourceLines(syntax),
            optimizers.ToEquatableArray());
        return new ObjectiveParseResult(objective, diagnostics.ToImmutableArray());
    }

    /// <summary>Syntax errors in the method, or a missing name in a declaration around it.</summary>
    private static bool HasSyntaxErrors(MethodDeclarationSyntax syntax)
    {
        if (syntax.ContainsDiagnostics)
        {
            return true;
        }

        foreach (var ancestor in syntax.Ancestors())
        {
            var missing = ancestor switch
            {
                TypeDeclarationSyntax type => type.Identifier.IsMissing || type.Identifier.ValueText.Length == 0
                    || type.TypeParameterList?.ContainsDiagnostics == true,
                BaseTypeDeclarationSyntax type => type.Identifier.IsMissing || type.Identifier.ValueText.Length == 0,
                BaseNamespaceDeclarationSyntax ns => ns.Name.IsMissing || ns.Name.ContainsDiagnostics,
                _ => false,
            };
            if (missing)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsDataParameter(IParameterSymbol parameter)
        => parameter.GetAttributes().Any(KnownNames.IsData);

    private static ParameterModel ToParameterModel(IParameterSymbol parameter)
    {
        var isData = IsDataParameter(parameter);
        var index = parameter.ContainingSymbol is IMethodSymbol method
            ? method.Parameters.Take(parameter.Ordinal).Count(p => IsDataParameter(p) == isData)
            : 0;
        return new ParameterModel(parameter.Name, isData, index);
    }

    /// <summary>OPTDSL002: static, non-generic, returns double, double parameters passed by value, at least one trainable, partial types.</summary>
    private static bool CheckShape(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics)
    {
        var at = syntax.Identifier.GetLocation();
        var name = method.Name;
        var problems = new List<string>();

        if (!method.IsStatic)
        {
            problems.Add($"Objective '{name}' must be static");
        }

        if (method.IsGenericMethod)
        {
            problems.Add($"Objective '{name}' must not be generic");
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Double || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problems.Add($"Objective '{name}' must return double");
        }

        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            problems.Add($"Objective '{name}' must have a body");
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                problems.Add($"Parameter '{parameter.Name}' of objective '{name}' must not be ref, out or in");
            }
            else if (parameter.Type.SpecialType != SpecialType.System_Double)
            {
                problems.Add($"Parameter '{parameter.Name}' of objective '{name}' must be double, not '{parameter.Type.ToDisplayString()}'");
            }
        }

        if (method.Parameters.All(IsDataParameter))
        {
            problems.Add($"Objective '{name}' needs at least one trainable double parameter (one not marked [Data])");
        }

        foreach (var problem in problems)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidObjectiveShape, at, problem));
        }

        // Reported by the analyzer at the type declaration (ObjectiveAnalyzer.AnalyzeType), where the
        // IDE can offer the "make partial" fix; here it only keeps the objective from being generated.
        var typesArePartial = true;
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (var declaration in type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>())
            {
                typesArePartial &= ContainingTypeProblem(declaration, type.Name, name) is null;
            }
        }

        return problems.Count == 0 && typesArePartial;
    }

    /// <summary>
    /// Why the gradient of <paramref name="objectiveName"/> cannot be generated into this declaration
    /// of a containing type (OPTDSL002), or null when it can: the type must be partial and not file-local.
    /// </summary>
    public static string? ContainingTypeProblem(TypeDeclarationSyntax declaration, string typeName, string objectiveName)
    {
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return $"Type '{typeName}' must be partial so that the gradient of '{objectiveName}' can be generated into it";
        }

        return declaration.Modifiers.Any(SyntaxKind.FileKeyword)
            ? $"Type '{typeName}' must not be file-local: the gradient of '{objectiveName}' is generated into another file"
            : null;
    }

    /// <summary>OPTDSL003 and OPTDSL005; returns the valid optimizers.</summary>
    private static List<OptimizerModel> ParseOptimizers(IMethodSymbol method, List<Diagnostic> diagnostics)
    {
        var optimizers = new List<OptimizerModel>();
        var hasData = method.Parameters.Any(IsDataParameter);
        foreach (var attribute in method.GetAttributes())
        {
            if (OptimizerAttributes.Read(attribute, diagnostics) is not { } optimizer)
            {
                continue;
            }

            if (optimizer.Kind == OptimizerKind.Sgd && !hasData)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.SgdWithoutData,
                    OptimizerAttributes.LocationOf(attribute),
                    method.Name));
            }

            optimizers.Add(optimizer);
        }

        return optimizers;
    }

    /// <summary>OPTDSL006: the names this objective's generated members would take must be free.</summary>
    private static bool CheckGeneratedNames(
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        ParameterModel[] parameters,
        List<OptimizerModel> optimizers,
        List<Diagnostic> diagnostics)
    {
        var problems = new List<string>();
        var type = method.ContainingType;

        var definition = method.PartialDefinitionPart ?? method;
        var otherObjectives = type.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Where(m => !SymbolEqualityComparer.Default.Equals(m, definition)
                && m.GetAttributes().Any(KnownNames.IsObjective));
        if (otherObjectives.Any())
        {
            problems.Add($"Objective '{method.Name}' is overloaded; its overloads would generate members with the same names: give each objective its own name");
        }

        var generatedMembers = new[] { Naming.GradientMethod(method.Name) }
            .Concat(optimizers.Select(o => Naming.OptimizerType(method.Name, o.Kind)));
        foreach (var member in generatedMembers)
        {
            if (type.GetMembers(member).Any(m => !IsGenerated(m)) || type.Name == member)
            {
                problems.Add($"'{type.Name}' already has a member named '{member}', which OptimDsl generates for objective '{method.Name}'");
            }
        }

        var names = new HashSet<string>(parameters.Select(p => p.Name), StringComparer.Ordinal);
        var trainable = parameters.Where(p => !p.IsData).ToArray();
        foreach (var parameter in trainable)
        {
            if (names.Contains(parameter.GradientName))
            {
                problems.Add($"The gradient's out parameter '{parameter.GradientName}' for '{parameter.Name}' has the name of another parameter: rename one of them");
            }
        }

        foreach (var group in trainable.GroupBy(p => p.PropertyName).Where(g => g.Count() > 1))
        {
            problems.Add($"Parameters {string.Join(" and ", group.Select(p => "'" + p.Name + "'"))} would both become '{group.Key}': rename one of them");
        }

        var reserved = new HashSet<string>(StringComparer.Ordinal) { "parameters", "gradient" };
        if (optimizers.Count > 0)
        {
            reserved.UnionWith(new[] { "maxIterations", "tolerance", "observer", "TObserver" });
        }

        foreach (var parameter in parameters.Where(p => p.IsData && reserved.Contains(p.Name)))
        {
            problems.Add($"Data parameter '{parameter.Name}' has the name of a parameter of the generated methods: rename it");
        }

        var optimizerMembers = new HashSet<string>(StringComparer.Ordinal) { "LearningRate", "Iteration", "Step", "Minimize" };
        foreach (var optimizer in optimizers)
        {
            optimizerMembers.UnionWith(optimizer.Kind switch
            {
                OptimizerKind.Adam => new[] { "Beta1", "Beta2", "Epsilon" },
                OptimizerKind.Sgd => new[] { "BatchSize", "Seed" },
                _ => Array.Empty<string>(),
            });
            optimizerMembers.Add(Naming.OptimizerType(method.Name, optimizer.Kind));
        }

        if (optimizers.Count > 0)
        {
            foreach (var parameter in trainable.Where(p => optimizerMembers.Contains(p.PropertyName)))
            {
                problems.Add($"Parameter '{parameter.Name}' would become property '{parameter.PropertyName}' of the generated optimizer, which already has a member of that name: rename it");
            }
        }

        foreach (var problem in problems)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GeneratedNameClash, syntax.Identifier.GetLocation(), problem));
        }

        return problems.Count == 0;
    }

    private static bool IsGenerated(ISymbol member)
        => member.DeclaringSyntaxReferences.Length > 0
            && member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.Contains(KnownNames.GeneratorName));

    private static TypeLocation DescribeLocation(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            chain.Insert(0, current);
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var containingTypes = chain.Select(t => new ContainingType(DeclarationKeywords(t), NameWithTypeParameters(t)));

        var hint = new StringBuilder(ns ?? string.Empty);
        foreach (var t in chain)
        {
            // The metadata name (Outer`1 for Outer<T>) cannot collide with another type's name.
            hint.Append(hint.Length > 0 ? "." : string.Empty).Append(t.MetadataName);
        }

        return new TypeLocation(
            ns,
            containingTypes.ToEquatableArray(),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            hint.ToString());
    }

    private static string DeclarationKeywords(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, IsValueType: true } => "partial record struct",
        { IsRecord: true } => "partial record",
        { TypeKind: TypeKind.Struct, IsRefLikeType: true } => "ref partial struct",
        { TypeKind: TypeKind.Struct } => "partial struct",
        { TypeKind: TypeKind.Interface } => "partial interface",
        _ => "partial class",
    };

    private static string NameWithTypeParameters(INamedTypeSymbol type)
        => type.TypeParameters.Length == 0
            ? Naming.Identifier(type.Name)
            : $"{Naming.Identifier(type.Name)}<{string.Join(", ", type.TypeParameters.Select(p => Naming.Identifier(p.Name)))}>";

    private static string AccessibilityKeywords(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>The most lines of the body the generated comment shows.</summary>
    private const int MaxSourceLines = 60;

    /// <summary>The most characters of a line of the body the generated comment shows.</summary>
    private const int MaxSourceLineLength = 200;

    /// <summary>
    /// The body as written, one entry per line, indentation normalised, for the generated comment;
    /// a long body is cut (at <see cref="MaxSourceLines"/> lines of <see cref="MaxSourceLineLength"/> characters).
    /// </summary>
    private static EquatableArray<string> SourceLines(MethodDeclarationSyntax syntax)
    {
        SyntaxNode body = (SyntaxNode?)syntax.ExpressionBody?.Expression ?? syntax.Body!;
        var text = body.WithoutTrivia().ToString();
        var lines = text.Substring(0, Math.Min(text.Length, (MaxSourceLines + 1) * (MaxSourceLineLength + 100)))
            .Replace("\r\n", "\n").Split('\n');
        var indent = lines.Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Length - l.TrimStart().Length)
            .DefaultIfEmpty(0)
            .Min();
        var shown = lines
            .Take(MaxSourceLines)
            .Select((l, i) => (i == 0 ? l : l.Substring(Math.Min(indent, l.Length - l.TrimStart().Length))).TrimEnd())
            .Select(l => l.Length > MaxSourceLineLength ? l.Substring(0, MaxSourceLineLength) + " …" : l)
            .ToList();
        if (lines.Length > MaxSourceLines || text.Length > (MaxSourceLines + 1) * (MaxSourceLineLength + 100))
        {
            shown.Add("… (the rest of the body is not shown)");
        }

        return shown.ToEquatableArray();
    }
}
