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
/// exact: <c>1 / 2</c> becomes <c>1.0 / 2</c>, <c>n / 2</c> becomes <c>(double)n / 2</c>. In a float objective
/// (README, Float objectives) a float: <c>1f / 2</c>, <c>(float)n / 2</c>, since a double there is OPTDSL001.
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

            var inFloat = InFloatMethod(division);
            var fixedDivision = DivideAsDoubles(division, inFloat);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Divide as {(inFloat ? "floats" : "doubles")}: '{fixedDivision.WithoutTrivia()}'",
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

    /// <summary>Whether the division is in a method (or local function) that returns <c>float</c>: a float objective's body.</summary>
    private static bool InFloatMethod(SyntaxNode node)
    {
        var returnType = node.Ancestors().Select(a => a switch
        {
            MethodDeclarationSyntax method => method.ReturnType,
            LocalFunctionStatementSyntax local => local.ReturnType,
            _ => null,
        }).FirstOrDefault(t => t is not null);
        return returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.FloatKeyword };
    }

    private static BinaryExpressionSyntax DivideAsDoubles(BinaryExpressionSyntax division, bool inFloat)
    {
        var left = division.Left;
        ExpressionSyntax asDouble;
        if (left is LiteralExpressionSyntax literal && literal.Token.Text.All(char.IsDigit))
        {
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            asDouble = inFloat
                ? SyntaxFactory.LiteralExpression(
                    SyntaxKind.NumericLiteralExpression,
                    SyntaxFactory.Literal(literal.Token.Text + "f", float.Parse(literal.Token.Text, culture)))
                : SyntaxFactory.LiteralExpression(
                    SyntaxKind.NumericLiteralExpression,
                    SyntaxFactory.Literal(literal.Token.Text + ".0", double.Parse(literal.Token.Text + ".0", culture)));
        }
        else
        {
            var operand = left is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax
                ? left.WithoutTrivia()
                : SyntaxFactory.ParenthesizedExpression(left.WithoutTrivia());
            asDouble = SyntaxFactory.CastExpression(SyntaxFactory.PredefinedType(SyntaxFactory.Token(inFloat ? SyntaxKind.FloatKeyword : SyntaxKind.DoubleKeyword)), operand);
        }

        return division.WithLeft(asDouble.WithTriviaFrom(left));
    }
}
