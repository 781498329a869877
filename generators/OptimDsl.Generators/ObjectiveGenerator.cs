using System.Linq;
using Microsoft.CodeAnalysis;
using OptimDsl.Generators.Emitting;
using OptimDsl.Generators.Model;
using OptimDsl.Generators.Parsing;

namespace OptimDsl.Generators;

/// <summary>
/// The OptimDsl source generator. For every <c>[Objective]</c> method it generates the value and
/// gradient (<c>MGradient</c>) and one optimizer struct per optimizer attribute.
/// </summary>
/// <remarks>
/// The pipeline, top to bottom; each stage is a pure function over equatable data:
/// <list type="number">
/// <item><b>Objectives</b>: find <c>[Objective]</c> methods and parse each into an <see cref="ObjectiveModel"/>
/// (expression graph + metadata), or nothing when it is invalid. The analyzer reports why, from the same parser.</item>
/// <item><b>Gradients</b>: differentiate (reverse mode), simplifying and sharing subexpressions as the adjoint
/// nodes are built, into a <see cref="GradientModel"/>.</item>
/// <item><b>FileNames</b>: give each objective's file a unique, valid name (<see cref="GeneratedFileNames"/>).</item>
/// <item><b>Emit</b>: lower to straight-line C# and write one file per objective.</item>
/// </list>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ObjectiveGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline stages, for incremental-caching tests.</summary>
    public static class Stages
    {
        public const string Objectives = nameof(Objectives);
        public const string Gradients = nameof(Gradients);
        public const string FileNames = nameof(FileNames);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var objectives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.Objective,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                transform: static (context, cancellationToken) =>
                    IsSecondPartOfOneObjective((IMethodSymbol)context.TargetSymbol)
                        ? null
                        : ObjectiveParser.Parse((IMethodSymbol)context.TargetSymbol, WithoutNullableAnalysis(context.SemanticModel), cancellationToken).Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(Stages.Objectives);

        var gradients = objectives
            .Select(static (objective, _) => GradientModel.From(objective))
            .WithTrackingName(Stages.Gradients);

        // File names need every objective's name (see GeneratedFileNames); they stay equal, and every
        // file cached, while no objective is added, removed or renamed.
        var fileNames = objectives
            .Select(static (objective, _) => (objective.Identity, objective.ReadableFileName))
            .Collect()
            .Select(static (objectives, _) => GeneratedFileNames.Assign(objectives))
            .WithTrackingName(Stages.FileNames);

        var files = gradients
            .Combine(fileNames)
            .Select(static (pair, _) => (Gradient: pair.Left, HintName: pair.Right.For(pair.Left.Objective.Identity)));

        context.RegisterSourceOutput(files, static (context, file) =>
            context.AddSource(file.HintName, Emitter.Emit(file.Gradient)));
    }

    /// <summary>
    /// The implementation part of a partial method whose definition part is marked [Objective] too
    /// (the compiler reports the duplicate attribute): the objective is read once, from the definition.
    /// </summary>
    private static bool IsSecondPartOfOneObjective(IMethodSymbol method)
        => method.PartialDefinitionPart is { } definition
            && definition.GetAttributes().Any(a => KnownNames.IsObjective(a)
                && definition.DeclaringSyntaxReferences.Any(d => a.ApplicationSyntaxReference is { } at
                    && at.SyntaxTree == d.SyntaxTree && d.Span.Contains(at.Span)));

    /// <summary>
    /// A semantic model of the same tree that skips nullable analysis. The transform above re-runs for
    /// every objective whenever the compilation changes (the models after it stay cached), and binding an
    /// objective's body in a <c>#nullable enable</c> project otherwise runs the nullable walker over it,
    /// more than half the parse's time. The parser reads symbols, types and constants, never nullability.
    /// </summary>
#pragma warning disable RSEXPERIMENTAL001 // SemanticModelOptions is marked experimental; Roslyn 4.14 and 5.x ship it.
    private static SemanticModel WithoutNullableAnalysis(SemanticModel model)
        => model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RSEXPERIMENTAL001
}
