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
/// OPTDSL011 "'1 / 2' divides integers": makes the left operand a double, so that the division is
/// exact: <c>1 / 2</c> becomes <c>1.0 / 2</c>, <c>n / 2</c> becomes <c>(double)n / 2</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DivideAsDoublesCodeFix)), Shared]
public sealed class DivideAsDoublesCodeFix : CodeFixProvider
{
    /// <summary>Groups the fixes for Fix all.</summary>
    public const string EquivalenceKey = DiagnosticIds.TruncatingIntegerDivision + ".DivideAsDoubles";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TruncatingIntegerDivision);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                    .AncestorsAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.IsKind(SyntaxKind.DivideExpression)) is not { } division)
            {
                continue;
            }

            var fixedDivision = DivideAsDoubles(division);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Divide as doubles: '{fixedDivision.WithoutTrivia()}'",
                    cancellationToken => ReplaceAsync(context.Document, division, fixedDivision, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, BinaryExpressionSyntax division, BinaryExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(division, replacement));
    }

    private static BinaryExpressionSyntax DivideAsDoubles(BinaryExpressionSyntax division)
    {
        var left = division.Left;
        ExpressionSyntax asDouble;
        if (left is LiteralExpressionSyntax literal && literal.Token.Text.All(char.IsDigit))
        {
            var text = literal.Token.Text + ".0";
            asDouble = SyntaxFactory.LiteralExpression(
                SyntaxKind.NumericLiteralExpression,
                SyntaxFactory.Literal(text, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
        }
        else
        {
            var operand = left is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax
                ? left.WithoutTrivia()
                : SyntaxFactory.ParenthesizedExpression(left.WithoutTrivia());
            asDouble = SyntaxFactory.CastExpression(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.DoubleKeyword)), operand);
        }

        return division.WithLeft(asDouble.WithTriviaFrom(left));
    }
}
