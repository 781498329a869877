using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Expressions;
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
        if (syntax is not null && !syntax.ContainsDiagnostics && UnnamedContainingType(method) is { } unnamed)
        {
            // A C# 14 extension block: a type without a name, which no partial declaration can reopen.
            return new ObjectiveParseResult(null, ImmutableArray.Create(Diagnostic.Create(
                DiagnosticDescriptors.InvalidObjectiveShape,
                syntax.Identifier.GetLocation(),
                $"Objective '{method.Name}' is declared in {(unnamed.ContainingType is { } outer ? "an extension block of '" + outer.Name + "'" : "a declaration without a name")}, where its gradient cannot be generated: declare it directly in a partial type")));
        }

        if (syntax is null || method.ContainingType is not { IsImplicitlyDeclared: false } || HasSyntaxErrors(syntax))
        {
            // Half-typed code: the compiler reports the syntax errors; generating from it would add more.
            return new ObjectiveParseResult(null, ImmutableArray<Diagnostic>.Empty);
        }

        if (syntax.SyntaxTree != model.SyntaxTree)
        {
            model = model.Compilation.GetSemanticModel(syntax.SyntaxTree);
        }

        var validLanguage = CheckLanguageVersion(method, syntax, diagnostics);
        var validShape = CheckShape(method, syntax, diagnostics, cancellationToken);
        var optimizers = ParseOptimizers(method, diagnostics, out var invalidOptimizer);
        if (!validShape || invalidOptimizer)
        {
            return new ObjectiveParseResult(null, diagnostics.ToImmutableArray());
        }

        var element = ElementOf(method);
        var parameters = ToParameterModels(method.Parameters, element);
        var validNames = CheckGeneratedNames(method, syntax, parameters, optimizers, diagnostics);

        var body = new BodyParser(method.ContainingType, element, diagnostics, cancellationToken);
        var parameterNodes = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
        var vectorNodes = new Dictionary<IParameterSymbol, int[]>(SymbolEqualityComparer.Default);
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = parameters[i];
            var nodes = Enumerable.Range(0, parameter.Length)
                .Select(k => parameter.IsData
                    ? body.Builder.Data(parameter.Offset + k, parameter.ElementName(k))
                    : body.Builder.Parameter(parameter.Offset + k, parameter.ElementName(k)))
                .ToArray();
            if (parameter.IsVector)
            {
                vectorNodes[method.Parameters[i]] = nodes;
            }
            else
            {
                parameterNodes[method.Parameters[i]] = nodes[0];
            }
        }

        var root = body.ParseObjective(method, syntax, model, parameterNodes, vectorNodes);
        if (root == BodyParser.Invalid && !diagnostics.Any(IsError) && !model.GetDiagnostics(syntax.Span, cancellationToken).Any(IsError))
        {
            // The safety net of "generated, or a diagnostic says why" (BodyParser explains what it knows).
            diagnostics.Add(Diagnostic.Create(
                DiagnosticDescriptors.UnsupportedConstruct,
                syntax.Identifier.GetLocation(),
                $"The body of objective '{method.Name}'",
                ": OptimDsl could not read it; simplify the construct that is unusual"));
        }

        if (root == BodyParser.Invalid || !validNames || !validLanguage)
        {
            return new ObjectiveParseResult(null, diagnostics.ToImmutableArray());
        }

        ReportUnreadParameters(method, body.Builder.ToGraph(), root, body.Loops, parameterNodes, vectorNodes, diagnostics);
        var residuals = ReadResiduals(method, body.Builder.ToGraph(), root, optimizers, diagnostics);

        var objective = new ObjectiveModel(
            DescribeLocation(method.ContainingType),
            AccessibilityKeywords(method.DeclaredAccessibility),
            method.Name,
            parameters.ToEquatableArray(),
            body.Builder.ToGraph(),
            root,
            body.Hints.ToEquatableArray(),
            SourceLines(syntax),
            optimizers.ToEquatableArray(),
            body.Loops.ToEquatableArray(),
            residuals.ToEquatableArray());
        return new ObjectiveParseResult(objective, diagnostics.ToImmutableArray());
    }

    /// <summary>The number type the objective computes in: its result's (CheckShape requires double or float, and every parameter of it).</summary>
    private static ElementType ElementOf(IMethodSymbol method)
        => method.ReturnType.SpecialType == SpecialType.System_Single ? ElementType.Float : ElementType.Double;

    /// <summary>
    /// With <c>[LevenbergMarquardt]</c>: the residuals of the body's sum of squares (README, Which optimizer?). When the
    /// body has another shape, OPTDSL009 at the attribute, and that optimizer is not generated.
    /// </summary>
    private static List<ResidualModel> ReadResiduals(IMethodSymbol method, ExpressionGraph graph, int root, List<OptimizerModel> optimizers, List<Diagnostic> diagnostics)
    {
        var index = optimizers.FindIndex(o => o.Definition.Family == OptimizerFamily.LevenbergMarquardt);
        if (index < 0)
        {
            return new List<ResidualModel>();
        }

        if (ResidualShape.Read(graph, root) is { } residuals)
        {
            return residuals;
        }

        optimizers.RemoveAt(index);
        var attribute = method.GetAttributes().First(a => OptimizerAttributes.DefinitionOf(a)?.Family == OptimizerFamily.LevenbergMarquardt);
        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NotSumOfSquares, OptimizerAttributes.LocationOf(attribute), method.Name, ResidualShape.Describe(graph, root)));
        return new List<ResidualModel>();
    }

    /// <summary>A containing type without a C# name, declared without syntax errors (an extension block), or null.</summary>
    private static INamedTypeSymbol? UnnamedContainingType(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!SyntaxFacts.IsValidIdentifier(type.Name)
                && type.DeclaringSyntaxReferences.All(r => !r.GetSyntax().ContainsDiagnostics))
            {
                return type;
            }
        }

        return null;
    }

    private static bool IsError(Diagnostic diagnostic) => diagnostic.Severity == DiagnosticSeverity.Error;

    /// <summary>
    /// Syntax errors in the method, or a missing name in a declaration around it. Warnings (a
    /// <c>#warning</c>, a malformed XML doc comment) do not keep an objective from being generated.
    /// </summary>
    private static bool HasSyntaxErrors(MethodDeclarationSyntax syntax)
    {
        if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(IsError))
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

    /// <summary>The oldest C# the generated code compiles with: inline arrays (the optimizers' state) need C# 12.</summary>
    public const LanguageVersion GeneratedCodeLanguageVersion = LanguageVersion.CSharp12;

    /// <summary>OPTDSL012: the project's C# version must compile the generated code.</summary>
    private static bool CheckLanguageVersion(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics)
    {
        var version = syntax.SyntaxTree.Options is CSharpParseOptions options ? options.LanguageVersion : GeneratedCodeLanguageVersion;
        if (version >= GeneratedCodeLanguageVersion)
        {
            return true;
        }

        diagnostics.Add(Diagnostic.Create(
            DiagnosticDescriptors.LanguageVersionTooLow,
            syntax.Identifier.GetLocation(),
            method.Name,
            GeneratedCodeLanguageVersion.ToDisplayString(),
            version.ToDisplayString()));
        return false;
    }

    public static bool IsDataParameter(IParameterSymbol parameter)
        => parameter.GetAttributes().Any(KnownNames.IsData);

    /// <summary>
    /// "float" or "ReadOnlySpan&lt;float&gt;" for a parameter of the other floating type than <paramref name="element"/> (or
    /// the double forms in a float objective), else null.
    /// </summary>
    private static string? OtherFloatingType(ITypeSymbol type, ElementType element)
    {
        var other = element == ElementType.Double ? ElementType.Float : ElementType.Double;
        if (type.SpecialType == KnownNames.SpecialTypeOf(other))
        {
            return other.Keyword();
        }

        return type is INamedTypeSymbol { Name: var name } && KnownNames.IsElementSpan(type, other, orSpan: true)
            ? $"{name}<{other.Keyword()}>"
            : null;
    }

    /// <summary>
    /// The length N of a <c>[Length(N)]</c> parameter, or null without the attribute (or with a
    /// length the compiler cannot read); <paramref name="attribute"/> is the attribute.
    /// </summary>
    public static int? LengthOf(IParameterSymbol parameter, out AttributeData? attribute)
    {
        attribute = parameter.GetAttributes().FirstOrDefault(KnownNames.IsLength);
        return attribute is { ConstructorArguments: [{ Value: int length }] } ? length : null;
    }

    /// <summary>The parameters with their layout: each one's offset among the trained values or in a sample's data values.</summary>
    private static ParameterModel[] ToParameterModels(ImmutableArray<IParameterSymbol> symbols, ElementType element)
    {
        var trained = 0;
        var data = 0;
        var models = new ParameterModel[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            var isData = IsDataParameter(symbols[i]);
            var isVector = KnownNames.IsElementSpan(symbols[i].Type, element);
            var length = isVector ? LengthOf(symbols[i], out _) ?? 1 : 1;
            models[i] = new ParameterModel(symbols[i].Name, isData, isData ? data : trained, length, isVector, element);
            if (isData)
            {
                data += length;
            }
            else
            {
                trained += length;
            }
        }

        return models;
    }

    /// <summary>OPTDSL002: static, non-generic, returns double, double parameters passed by value, at least one trainable, partial types.</summary>
    private static bool CheckShape(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
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

        // The element type: the result's; every parameter must have it too (README, Float objectives).
        var returnsNumber = method.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
        if (!returnsNumber || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problems.Add($"Objective '{name}' must return double (or float, with float parameters)");
        }

        var elementType = ElementOf(method);

        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            problems.Add($"Objective '{name}' must have a body");
        }

        // A parameter's problem is reported at the parameter.
        var parameterProblems = new List<(Location At, string Problem)>();
        var vectorProblems = new List<(Location At, string Problem)>();
        long values = 0; // of the parameters so far: each one is an operation of the body, so at most BodyParser.MaxNodes
        foreach (var parameter in method.Parameters)
        {
            var parameterAt = LocationOf(parameter) ?? at;
            if (parameter.RefKind != RefKind.None)
            {
                parameterProblems.Add((parameterAt, $"Parameter '{parameter.Name}' of objective '{name}' must not be ref, out or in"));
            }
            else if (returnsNumber && OtherFloatingType(parameter.Type, elementType) is { } other)
            {
                parameterProblems.Add((parameterAt, $"Parameter '{parameter.Name}' of objective '{name}' is {other} but the objective returns {elementType.Keyword()}: an objective computes in one type, so its result and its parameters are all double (or all float)"));
            }
            else if (KnownNames.IsElementSpan(parameter.Type, elementType))
            {
                var length = LengthOf(parameter, out var attribute);
                if (attribute is null)
                {
                    parameterProblems.Add((parameterAt, $"Parameter '{parameter.Name}' of objective '{name}' is a span without a length: give it one with [Length(N)], N a constant of at least 1"));
                }
                else if (length is < 1)
                {
                    vectorProblems.Add((attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? parameterAt, $"The length of '{parameter.Name}' is {length}: a vector has a constant length of at least 1"));
                }
                else if (length is { } n && (values += n) > BodyParser.MaxNodes)
                {
                    // Checked before the body is read, which makes one operation per value (README, Limits).
                    vectorProblems.Add((attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? parameterAt,
                        $"The length of '{parameter.Name}' is {n:N0}, which takes the objective's parameters to {values:N0} values: an objective has at most {BodyParser.MaxNodes:N0} values in its parameters"));
                }
            }
            else if (parameter.Type.SpecialType != KnownNames.SpecialTypeOf(elementType))
            {
                parameterProblems.Add((parameterAt, $"Parameter '{parameter.Name}' of objective '{name}' must be {elementType.Keyword()}, not '{parameter.Type.ToDisplayString()}' (a vector is '[Length(N)] ReadOnlySpan<{elementType.Keyword()}>')"));
            }
            else if (LengthOf(parameter, out var misplaced) is not null || misplaced is not null)
            {
                parameterProblems.Add((parameterAt, $"Parameter '{parameter.Name}' of objective '{name}' is a {elementType.Keyword()}: [Length] belongs on a ReadOnlySpan<{elementType.Keyword()}> parameter"));
            }
        }

        foreach (var keyword in TypeNamesTheGeneratedCodeNeeds)
        {
            if (TypeInScope(method.ContainingType, keyword) is { } shadowing)
            {
                problems.Add($"The type '{shadowing.ToDisplayString()}' is named '{keyword}', which the code generated for '{name}' uses as a keyword: rename the type");
            }
        }

        if (method.Parameters.All(IsDataParameter))
        {
            problems.Add($"Objective '{name}' needs at least one trainable parameter (one not marked [Data])");
        }

        foreach (var problem in problems)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidObjectiveShape, at, problem));
        }

        foreach (var (parameterAt, problem) in parameterProblems)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidObjectiveShape, parameterAt, problem));
        }

        foreach (var (attributeAt, problem) in vectorProblems)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.VectorLength, attributeAt, problem));
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

        return problems.Count == 0 && parameterProblems.Count == 0 && vectorProblems.Count == 0 && typesArePartial;
    }

    /// <summary>Contextual keywords the generated code writes as types (<c>var x = …</c>, <c>(nuint)i</c>): a type of that name in scope would take their place.</summary>
    private static readonly string[] TypeNamesTheGeneratedCodeNeeds = { "var", "nuint" };

    /// <summary>A type or type parameter named <paramref name="name"/> visible in the generated code (declared in a containing or base type or namespace), or null.</summary>
    private static ISymbol? TypeInScope(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.FirstOrDefault(p => p.Name == name) is { } typeParameter)
            {
                return typeParameter;
            }

            for (var declaring = current; declaring is not null; declaring = declaring.BaseType)
            {
                if (declaring.GetTypeMembers(name).FirstOrDefault() is { } member)
                {
                    return member;
                }
            }
        }

        for (var ns = type.ContainingNamespace; ns is not null; ns = ns.ContainingNamespace)
        {
            if (ns.GetTypeMembers(name).FirstOrDefault() is { } member)
            {
                return member;
            }
        }

        return null;
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

    /// <summary>OPTDSL003, OPTDSL005, and OPTDSL002 for an optimizer that cannot be generated where the objective is; returns the valid optimizers.</summary>
    private static List<OptimizerModel> ParseOptimizers(IMethodSymbol method, List<Diagnostic> diagnostics, out bool invalid)
    {
        var optimizers = new List<OptimizerModel>();
        invalid = false;
        var hasData = method.Parameters.Any(IsDataParameter);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in method.GetAttributes())
        {
            // A repeated optimizer attribute ('[Adam, Adam(LearningRate = 0.1)]') is the compiler's CS0579 at the second;
            // the first is generated, once (two structs of one name would not compile).
            if (OptimizerAttributes.DefinitionOf(attribute) is { } repeated && !seen.Add(repeated.Name))
            {
                continue;
            }

            if (OptimizerAttributes.Read(attribute, diagnostics) is not { } optimizer)
            {
                continue;
            }

            if (!hasData && optimizer.Definition.AlwaysMinibatches)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.MinibatchesWithoutData,
                    OptimizerAttributes.LocationOf(attribute),
                    $"'{method.Name}' has no [Data] parameter, so [Sgd] is plain gradient descent; use [GradientDescent], or mark the per-sample inputs [Data]"));
            }
            else if (!hasData && optimizer.Definition.IsFirstOrder && optimizer.Value("BatchSize") >= 1)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.MinibatchesWithoutData,
                    OptimizerAttributes.LocationOf(attribute, "BatchSize"),
                    $"'{method.Name}' has no [Data] parameter, so BatchSize has no samples to take: every update uses the whole objective; remove BatchSize, or mark the per-sample inputs [Data]"));
            }

            if (method.ContainingType is { TypeKind: TypeKind.Interface } type
                && type.TypeParameters.Any(p => p.Variance != VarianceKind.None))
            {
                // C# allows no struct in such an interface (CS8427), and each optimizer is a nested struct.
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidObjectiveShape,
                    OptimizerAttributes.LocationOf(attribute),
                    $"The optimizer of '{method.Name}' cannot be generated into interface '{type.Name}': an interface with 'in' or 'out' type parameters cannot contain the optimizer's struct; declare the objective in a class, or remove the variance"));
                invalid = true;
                continue;
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

        var generatedMembers = new[] { Naming.GradientMethod(method.Name), Naming.ParameterCount(method.Name) }
            .Concat(parameters.Any(p => p.IsData) ? new[] { Naming.GradientSumMethod(method.Name) } : Array.Empty<string>())
            .Concat(optimizers.Select(o => Naming.OptimizerType(method.Name, o)));
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

        var reserved = new HashSet<string>(StringComparer.Ordinal) { "parameters", "gradient", "gradientSum", "maxDegreeOfParallelism" };
        if (optimizers.Count > 0)
        {
            // Public parameter names of Minimize; its type parameter is named apart (OptimizerEmitter).
            reserved.UnionWith(new[] { "maxIterations", "tolerance", "observer", "schedule", "start", "space", "options", "minRate", "maxRate", "steps" });
        }

        foreach (var parameter in parameters.Where(p => p.IsData && reserved.Contains(p.Name)))
        {
            problems.Add($"Data parameter '{parameter.Name}' has the name of a parameter of the generated methods: rename it");
        }

        var hasData = parameters.Any(p => p.IsData);
        var optimizerMembers = new HashSet<string>(StringComparer.Ordinal) { "LearningRate", "Iteration", "Step", "Apply", "Minimize", "Parameters", "Clone", "Search", "SearchSpace", "Hyperparameters", "FindLearningRate", "SaveState", "LoadState", "MaxDegreeOfParallelism" };
        foreach (var optimizer in optimizers)
        {
            // The hyperparameter properties the struct has (no BatchSize or Seed without minibatches: a new user's trial).
            optimizerMembers.UnionWith(optimizer.Definition.PropertiesWith(hasData).Select(h => h.Name));
            optimizerMembers.Add(Naming.OptimizerType(method.Name, optimizer));
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

    /// <summary>OPTDSL010: a trained parameter the body never reads (after inlining) has a gradient of 0; a vector is reported once, listing the elements never read.</summary>
    private static void ReportUnreadParameters(
        IMethodSymbol method,
        Expressions.ExpressionGraph graph,
        int root,
        IReadOnlyList<LoopModel> loops,
        Dictionary<IParameterSymbol, int> parameterNodes,
        Dictionary<IParameterSymbol, int[]> vectorNodes,
        List<Diagnostic> diagnostics)
    {
        // What the value reads, through the rolled loops whose sums and maps it reads.
        var roots = new List<int> { root };
        var read = graph.Reachable(roots);
        var expanded = new HashSet<(int Loop, int Map)>();
        for (var changed = true; changed;)
        {
            changed = false;
            for (var id = 0; id < graph.Count; id++)
            {
                var node = graph[id];
                if (read[id] && node.Operation == Expressions.Operation.LoopSum && expanded.Add((node.Loop, -1)))
                {
                    roots.AddRange(loops[node.Loop].Outputs);
                    changed = true;
                }
                else if (read[id] && node.Operation is Expressions.Operation.MapValue or Expressions.Operation.MapAt && expanded.Add((node.MapLoop, node.MapOutput)))
                {
                    roots.Add(loops[node.MapLoop].Maps[node.MapOutput]);
                    changed = true;
                }
            }

            if (changed)
            {
                read = graph.Reachable(roots);
            }
        }

        // The iterations of each map whose values are read: at a fixed index, or by a later loop at any of its iterations.
        var mapIterations = new Dictionary<(int Loop, int Map), HashSet<int>>();
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            if (read[id] && node.Operation is Expressions.Operation.MapValue or Expressions.Operation.MapAt)
            {
                if (!mapIterations.TryGetValue((node.MapLoop, node.MapOutput), out var iterations))
                {
                    mapIterations[(node.MapLoop, node.MapOutput)] = iterations = new HashSet<int>();
                }

                var reads = node.Operation == Expressions.Operation.MapValue ? 1 : loops[node.Loop].Count;
                for (var t = 0; t < reads; t++)
                {
                    iterations.Add(node.Index + (node.Stride * t));
                }
            }
        }

        // The trained values the loops read: in every iteration of a loop whose sums the value reads, and in the
        // read iterations of a map (an element no one reads after its loop counts as unread, as when the loop is unrolled).
        var readInLoops = new HashSet<int>();
        void ReadThrough(int loop, IEnumerable<int> outputs, IEnumerable<int> iterations)
        {
            var reached = graph.Reachable(outputs.ToList());
            var counted = iterations.ToArray();
            for (var id = 0; id < graph.Count; id++)
            {
                if (reached[id] && graph[id].Operation == Expressions.Operation.ParameterAt && graph[id].Loop == loop)
                {
                    foreach (var t in counted)
                    {
                        readInLoops.Add(graph[id].Index + (graph[id].Stride * t));
                    }
                }
            }
        }

        for (var l = 0; l < loops.Count; l++)
        {
            if (expanded.Contains((l, -1)))
            {
                ReadThrough(l, loops[l].Outputs, Enumerable.Range(0, loops[l].Count));
            }

            for (var k = 0; k < loops[l].Maps.Count; k++)
            {
                if (mapIterations.TryGetValue((l, k), out var iterations))
                {
                    ReadThrough(l, new[] { loops[l].Maps[k] }, iterations);
                }
            }
        }

        bool IsRead(int node) => read[node] || readInLoops.Contains(graph[node].Index);
        foreach (var parameter in method.Parameters.Where(p => !IsDataParameter(p)))
        {
            if (parameterNodes.TryGetValue(parameter, out var node) && !IsRead(node))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnreadParameter, LocationOf(parameter), parameter.Name, method.Name));
            }
            else if (vectorNodes.TryGetValue(parameter, out var elements))
            {
                var unread = Enumerable.Range(0, elements.Length).Where(k => !IsRead(elements[k])).ToArray();
                if (unread.Length == elements.Length)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnreadParameter, LocationOf(parameter), parameter.Name, method.Name));
                }
                else if (unread.Length > 0)
                {
                    const int Shown = 10;
                    var list = string.Join(", ", unread.Take(Shown)) + (unread.Length > Shown ? $", … ({unread.Length} elements)" : string.Empty);
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnreadParameter, LocationOf(parameter), $"{parameter.Name}[{list}]", method.Name));
                }
            }
        }
    }

    /// <summary>Where a parameter's diagnostics go: its whole declaration (type and name).</summary>
    private static Location? LocationOf(IParameterSymbol parameter)
        => parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault();

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
        var containingTypes = chain.Select(t => new ContainingType(DeclarationKeywords(t), NameWithTypeParameters(t), t.TypeParameters.Select(p => p.Name).ToEquatableArray()));

        // Names as declared (no '@', escapes decoded); the metadata name (Outer`1 for Outer<T>)
        // tells apart types of different arity.
        var namespaces = new List<string>();
        for (var current = type.ContainingNamespace; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            namespaces.Insert(0, current.MetadataName);
        }

        var types = chain.Select(t => t.MetadataName).ToArray();
        return new TypeLocation(
            ns,
            containingTypes.ToEquatableArray(),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            string.Join(".", namespaces) + "|" + string.Join("+", types),
            namespaces.Concat(types).ToEquatableArray());
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
            : $"{Naming.Identifier(type.Name)}<{string.Join(", ", type.TypeParameters.Select(p => Variance(p) + Naming.Identifier(p.Name)))}>";

    /// <summary>An interface's type parameter variance, which every partial declaration repeats.</summary>
    private static string Variance(ITypeParameterSymbol parameter) => parameter.Variance switch
    {
        VarianceKind.Out => "out ",
        VarianceKind.In => "in ",
        _ => string.Empty,
    };

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
        // Every C# line break, so that no line of a comment in the body ends the generated '//' comment early.
        var text = body.WithoutTrivia().ToString();
        var lines = text.Substring(0, Math.Min(text.Length, (MaxSourceLines + 1) * (MaxSourceLineLength + 100)))
            .Replace("\r\n", "\n").Split('\n', '\r', '\u0085', '\u2028', '\u2029');
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
