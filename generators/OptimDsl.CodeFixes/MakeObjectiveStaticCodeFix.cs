using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OptimDsl.CodeFixes;

/// <summary>OPTDSL002 "Objective 'M' must be static": adds <c>static</c> to the method.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeObjectiveStaticCodeFix)), Shared]
public sealed class MakeObjectiveStaticCodeFix : CodeFixProvider
{
    /// <summary>Groups the fixes for Fix all.</summary>
    public const string EquivalenceKey = DiagnosticIds.InvalidObjectiveShape + ".MakeStatic";

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
            // OPTDSL002 reports every shape problem at the method's name; only "must be static" is fixed here.
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (token.Parent is not MethodDeclarationSyntax method
                || method.Identifier != token
                || method.Modifiers.Any(SyntaxKind.StaticKeyword)
                || !diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).EndsWith("must be static", System.StringComparison.Ordinal))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make objective '{method.Identifier.ValueText}' static",
                    cancellationToken => MakeStaticAsync(context.Document, method, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> MakeStaticAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(method, AddStatic(method)));
    }

    /// <summary>'static' goes after the accessibility modifiers and before the others ('unsafe', 'partial', …).</summary>
    private static MethodDeclarationSyntax AddStatic(MethodDeclarationSyntax method)
    {
        var modifiers = method.Modifiers;
        var index = 0;
        while (index < modifiers.Count && IsAccessibility(modifiers[index]))
        {
            index++;
        }

        var staticKeyword = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (index > 0)
        {
            return method.WithModifiers(modifiers.Insert(index, staticKeyword));
        }

        // 'static' comes first: it takes over the indentation of what was first.
        if (modifiers.Count > 0)
        {
            var first = modifiers[0];
            return method.WithModifiers(modifiers
                .Replace(first, first.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .Insert(0, staticKeyword.WithLeadingTrivia(first.LeadingTrivia)));
        }

        var returnType = method.ReturnType;
        return method
            .WithReturnType(returnType.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            .WithModifiers(SyntaxFactory.TokenList(staticKeyword.WithLeadingTrivia(returnType.GetLeadingTrivia())));
    }

    private static bool IsAccessibility(SyntaxToken modifier)
        => modifier.IsKind(SyntaxKind.PublicKeyword)
            || modifier.IsKind(SyntaxKind.PrivateKeyword)
            || modifier.IsKind(SyntaxKind.InternalKeyword)
            || modifier.IsKind(SyntaxKind.ProtectedKeyword);
}
