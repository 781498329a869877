using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators.Parsing;

namespace OptimDsl.Generators.Diagnostics;

/// <summary>
/// Reports, live in the IDE, everything that keeps an objective from being generated, and the
/// warnings about objectives that are generated but probably not what was meant (README, Diagnostics).
/// </summary>
/// <remarks>
/// It runs the generator's own parser (<see cref="ObjectiveParser"/>), so the two cannot disagree:
/// an objective that reports no error is generated, and one that reports an error is not.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ObjectiveAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnsupportedConstruct,
        DiagnosticDescriptors.InvalidObjectiveShape,
        DiagnosticDescriptors.InvalidHyperparameter,
        DiagnosticDescriptors.OptimizerWithoutObjective,
        DiagnosticDescriptors.MinibatchesWithoutData,
        DiagnosticDescriptors.GeneratedNameClash,
        DiagnosticDescriptors.NotDifferentiableEverywhere,
        DiagnosticDescriptors.VectorLength,
        DiagnosticDescriptors.NotSumOfSquares,
        DiagnosticDescriptors.UnreadParameter,
        DiagnosticDescriptors.TruncatingIntegerDivision,
        DiagnosticDescriptors.LanguageVersionTooLow);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Look the attribute types up once per compilation; without the runtime library there is nothing to check.
            var objective = start.Compilation.GetTypeByMetadataName(KnownNames.Objective);
            if (objective is null)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(node => AnalyzeMethod(node, objective), SyntaxKind.MethodDeclaration);
            start.RegisterSyntaxNodeAction(
                node => AnalyzeType(node, objective),
                SyntaxKind.ClassDeclaration,
                SyntaxKind.StructDeclaration,
                SyntaxKind.RecordDeclaration,
                SyntaxKind.RecordStructDeclaration,
                SyntaxKind.InterfaceDeclaration);
        });
    }

    /// <summary>
    /// OPTDSL002 at a type declaration that keeps an objective inside it from being generated (not
    /// partial, or file-local). Reported here, on the type's own node, so that the IDE offers the fix.
    /// </summary>
    private static void AnalyzeType(SyntaxNodeAnalysisContext context, INamedTypeSymbol objectiveAttribute)
    {
        var declaration = (TypeDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type
            || FirstObjectiveWithin(type, objectiveAttribute) is not { } objective
            || ObjectiveParser.ContainingTypeProblem(declaration, type.Name, objective.Name) is not { } problem)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidObjectiveShape, declaration.Identifier.GetLocation(), problem));
    }

    /// <summary>The first <c>[Objective]</c> method of <paramref name="type"/> or of a type nested in it.</summary>
    private static IMethodSymbol? FirstObjectiveWithin(INamedTypeSymbol type, INamedTypeSymbol objectiveAttribute)
    {
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol method when method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, objectiveAttribute)):
                    return method;
                case INamedTypeSymbol nested when FirstObjectiveWithin(nested, objectiveAttribute) is { } found:
                    return found;
            }
        }

        return null;
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol objectiveAttribute)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if ((syntax.AttributeLists.Count == 0 && !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not { } method)
        {
            return;
        }

        var attributes = method.GetAttributes();
        if (!attributes.Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, objectiveAttribute)))
        {
            foreach (var attribute in attributes.Where(a => OptimizerAttributes.DefinitionOf(a) is not null))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.OptimizerWithoutObjective,
                    OptimizerAttributes.LocationOf(attribute),
                    attribute.AttributeClass!.Name.Replace("Attribute", string.Empty),
                    method.Name));
            }

            return;
        }

        // Partial methods have two declarations; analyze the one with the body.
        if (syntax.Body is null && syntax.ExpressionBody is null && method.PartialImplementationPart is not null)
        {
            return;
        }

        var result = ObjectiveParser.Parse(method, context.SemanticModel, context.CancellationToken);
        foreach (var diagnostic in result.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
