using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OptimDsl.CodeFixes;

/// <summary>
/// OPTDSL004, an optimizer attribute on a method without <c>[Objective]</c>: either mark the method
/// <c>[Objective]</c>, or remove the optimizer attribute.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OptimizerWithoutObjectiveCodeFix)), Shared]
public sealed class OptimizerWithoutObjectiveCodeFix : CodeFixProvider
{
    /// <summary>Groups the "Add [Objective]" fixes for Fix all.</summary>
    public const string AddObjectiveKey = DiagnosticIds.OptimizerWithoutObjective + ".AddObjective";

    /// <summary>Groups the "Remove [Adam]" fixes (any optimizer) for Fix all.</summary>
    public const string RemoveAttributeKey = DiagnosticIds.OptimizerWithoutObjective + ".RemoveAttribute";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.OptimizerWithoutObjective);

    /// <remarks>
    /// Not the batch fixer: it merges the text changes of fixes made one at a time, and removing two
    /// neighbouring attributes of one list (<c>[Adam, Sgd]</c>) makes overlapping changes. This
    /// fixes each method once, with every diagnostic on it.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (AttributeAt(root, diagnostic) is not { } attribute)
            {
                continue;
            }

            var method = (MethodDeclarationSyntax)attribute.Parent!.Parent!;
            var methodName = method.Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [Objective] to '{methodName}' (generates its gradient and optimizers)",
                    cancellationToken => FixAsync(context.Document, [attribute], AddObjectiveKey, cancellationToken),
                    AddObjectiveKey),
                diagnostic);

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Remove [{ShortName(attribute.Name)}] from '{methodName}'",
                    cancellationToken => FixAsync(context.Document, [attribute], RemoveAttributeKey, cancellationToken),
                    RemoveAttributeKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || context.CodeActionEquivalenceKey is not { } key)
        {
            return document;
        }

        var attributes = diagnostics.Select(d => AttributeAt(root, d)).OfType<AttributeSyntax>().ToList();
        return await FixAsync(document, attributes, key, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the fix <paramref name="key"/> for the diagnosed <paramref name="attributes"/>, once per method.</summary>
    private static async Task<Document> FixAsync(Document document, IReadOnlyCollection<AttributeSyntax> attributes, string key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var removed = new HashSet<AttributeSyntax>(attributes);
        var methods = attributes.Select(a => (MethodDeclarationSyntax)a.Parent!.Parent!).Distinct();
        var updated = root.ReplaceNodes(methods, (method, _) => key == AddObjectiveKey
            ? WithObjective(model, method, cancellationToken)
            : WithoutAttributes(method, removed));
        return document.WithSyntaxRoot(updated);
    }

    /// <summary>The optimizer attribute a diagnostic is at, on a method.</summary>
    private static AttributeSyntax? AttributeAt(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is { Parent: AttributeListSyntax { Parent: MethodDeclarationSyntax } } attribute
            ? attribute
            : null;

    /// <summary>
    /// Adds <c>Objective</c> first in the list of the method's first optimizer attribute, written the
    /// way that attribute is (<c>OptimDsl.Adam</c> ⇒ <c>OptimDsl.Objective</c>).
    /// </summary>
    private static MethodDeclarationSyntax WithObjective(SemanticModel model, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var methodAttributes = method.AttributeLists
            .Where(l => l.Target is null || l.Target.Identifier.IsKind(SyntaxKind.MethodKeyword))
            .SelectMany(l => l.Attributes);
        var template = methodAttributes.FirstOrDefault(a => IsOptimizerAttribute(model, a, cancellationToken))
            ?? methodAttributes.FirstOrDefault();
        if (template?.Parent is not AttributeListSyntax list)
        {
            return method;
        }

        var objective = SyntaxFactory.Attribute(ObjectiveName(model, template));
        var separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
        var attributes = SyntaxFactory.SeparatedList(
            list.Attributes.Insert(0, objective),
            list.Attributes.GetSeparators().Prepend(separator));
        return method.ReplaceNode(list, list.WithAttributes(attributes));
    }

    /// <summary>Removes <paramref name="removed"/> from the method's attribute lists, and the lists left empty.</summary>
    private static MethodDeclarationSyntax WithoutAttributes(MethodDeclarationSyntax method, HashSet<AttributeSyntax> removed)
    {
        var lists = new List<AttributeListSyntax>();
        SyntaxTriviaList? leadingOfRemovedFirstList = null;
        foreach (var list in method.AttributeLists)
        {
            var attributes = list.Attributes;
            var kept = Enumerable.Range(0, attributes.Count).Where(i => !removed.Contains(attributes[i])).ToList();
            if (kept.Count == attributes.Count)
            {
                lists.Add(list);
            }
            else if (kept.Count > 0)
            {
                // Each kept attribute but the last keeps a separator: its own, or (when it was last) the one before it.
                var separators = kept.Take(kept.Count - 1)
                    .Select(i => i < attributes.SeparatorCount ? attributes.GetSeparator(i) : attributes.GetSeparator(i - 1));
                lists.Add(list.WithAttributes(SyntaxFactory.SeparatedList(kept.Select(i => attributes[i]), separators)));
            }
            else if (lists.Count == 0)
            {
                // The first list carries the method's indentation (and any comment above it): hand it to what now comes first.
                leadingOfRemovedFirstList ??= list.GetLeadingTrivia();
            }
        }

        var updated = method.WithAttributeLists(SyntaxFactory.List(lists));
        if (leadingOfRemovedFirstList is { } leading)
        {
            var first = updated.GetFirstToken();
            updated = updated.ReplaceToken(first, first.WithLeadingTrivia(leading));
        }

        return updated;
    }

    private static bool IsOptimizerAttribute(SemanticModel model, AttributeSyntax attribute, CancellationToken cancellationToken)
        => model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is { } type
            && IsOptimDslType(type)
            && DerivesFromOptimizerAttribute(type);

    /// <summary>Whether <paramref name="type"/> derives from <c>OptimDsl.OptimizerAttribute</c>, the base of every optimizer attribute.</summary>
    private static bool DerivesFromOptimizerAttribute(INamedTypeSymbol type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.Name == "OptimizerAttribute" && IsOptimDslType(baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>Objective</c> in the form of <paramref name="template"/>'s name (same qualification, same
    /// <c>Attribute</c> suffix), if that binds to <c>OptimDsl.ObjectiveAttribute</c> where the
    /// template is; otherwise (an alias, say) <c>global::OptimDsl.Objective</c>.
    /// </summary>
    private static NameSyntax ObjectiveName(SemanticModel model, AttributeSyntax template)
    {
        var suffix = ShortName(template.Name) == RightmostName(template.Name).Identifier.ValueText ? "" : "Attribute";
        var objective = SyntaxFactory.IdentifierName("Objective" + suffix);
        NameSyntax mirrored = template.Name switch
        {
            QualifiedNameSyntax qualified => qualified.WithRight(objective),
            AliasQualifiedNameSyntax aliased => aliased.WithName(objective),
            _ => objective,
        };
        mirrored = mirrored.WithoutTrivia();

        var bound = model.GetSpeculativeSymbolInfo(template.SpanStart, SyntaxFactory.Attribute(mirrored));
        if (bound.Symbol?.ContainingType is { Name: "ObjectiveAttribute" } type && IsOptimDslType(type))
        {
            return mirrored;
        }

        return SyntaxFactory.ParseName("global::OptimDsl.Objective");
    }

    /// <summary>The attribute's name as users say it: <c>OptimDsl.AdamAttribute</c> ⇒ <c>Adam</c>.</summary>
    private static string ShortName(NameSyntax name)
    {
        var text = RightmostName(name).Identifier.ValueText;
        return text.Length > "Attribute".Length && text.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? text.Substring(0, text.Length - "Attribute".Length)
            : text;
    }

    private static SimpleNameSyntax RightmostName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right,
        AliasQualifiedNameSyntax aliased => aliased.Name,
        _ => (SimpleNameSyntax)name,
    };

    private static bool IsOptimDslType(INamedTypeSymbol type)
        => type is { ContainingType: null, ContainingNamespace: { Name: "OptimDsl", ContainingNamespace.IsGlobalNamespace: true } };
}
