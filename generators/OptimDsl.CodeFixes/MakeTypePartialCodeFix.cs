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
/// OPTDSL002 "Type 'T' must be partial": adds <c>partial</c> to that type declaration and to every
/// declaration containing it that lacks it, since the generated members go into all of them.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFix)), Shared]
public sealed class MakeTypePartialCodeFix : CodeFixProvider
{
    /// <summary>Groups the fixes for Fix all.</summary>
    public const string EquivalenceKey = DiagnosticIds.InvalidObjectiveShape + ".MakeTypePartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.InvalidObjectiveShape);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // OPTDSL002 also reports other shape problems; this one is at a type's name, on a type that is not partial.
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (token.Parent is not TypeDeclarationSyntax declaration
                || declaration.Identifier != token
                || declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                continue;
            }

            var types = NonPartialTypes(declaration);
            var names = string.Join(" and ", types.Select(t => "'" + t.Identifier.ValueText + "'").Reverse());
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make {names} partial",
                    cancellationToken => MakePartialAsync(context.Document, declaration, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The declaration and those containing it that are not partial, innermost first.</summary>
    private static List<TypeDeclarationSyntax> NonPartialTypes(TypeDeclarationSyntax declaration)
        => declaration.AncestorsAndSelf()
            .OfType<TypeDeclarationSyntax>()
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToList();

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var updated = root!.ReplaceNodes(NonPartialTypes(declaration), (_, rewritten) => AddPartial(rewritten));
        return document.WithSyntaxRoot(updated);
    }

    /// <summary>'partial' goes last among the modifiers, right before 'class'/'struct'/'record'/'interface'.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }

        // No modifiers: the keyword carries the declaration's indentation; move it to 'partial'.
        var keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
