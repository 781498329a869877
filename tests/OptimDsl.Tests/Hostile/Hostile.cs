using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// What every hostile input is checked for: the generator does not throw (no CS8785), nothing it
/// writes has an error, and each objective is generated or has a reason not to be (an OPTDSL error,
/// or a compiler error in the user's own code).
/// </summary>
internal static class Hostile
{
    /// <summary>The generator's run, the analyzer's diagnostics and the user code's compiler errors on <paramref name="sources"/>.</summary>
    public sealed record Outcome(GeneratorRun Run, ImmutableArray<Diagnostic> Analyzer, ImmutableArray<Diagnostic> UserErrors)
    {
        public ImmutableArray<Diagnostic> OfId(string id) => Analyzer.Where(d => d.Id == id).ToImmutableArray();

        /// <summary>The one diagnostic with this id; its source text and message.</summary>
        public (string Text, string Message) Single(string id)
        {
            var found = OfId(id);
            Assert.True(found.Length == 1, $"expected one {id}, got: {GeneratorRun.Format(Analyzer)}");
            var diagnostic = found[0];
            return (diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan), diagnostic.GetMessage());
        }

        public bool IsGenerated(string objective) => Run.GeneratedSources.Any(s => DiagnosticTests.ObjectiveOf(s.HintName) == objective);
    }

    public static Outcome Check(params string[] sources) => Check(GeneratorHarness.CreateCompilation(sources));

    public static Outcome Check(CSharpCompilation compilation)
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), compilation);
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.RunResult.Diagnostics, d => d.Id == "CS8785");

        var generatedTrees = run.RunResult.GeneratedTrees.ToHashSet();
        var errorsInGeneratedCode = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .ToArray();
        Assert.True(errorsInGeneratedCode.Length == 0, GeneratorRun.Format(errorsInGeneratedCode));

        var analyzer = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var userErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var outcome = new Outcome(run, analyzer, userErrors);
        AssertGeneratedOrExplained(compilation, outcome);
        return outcome;
    }

    /// <summary>The invariant: an objective with no OPTDSL error and no compiler error in its method is generated.</summary>
    private static void AssertGeneratedOrExplained(CSharpCompilation compilation, Outcome outcome)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(method) is not { } symbol
                    || !symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "OptimDsl.ObjectiveAttribute")
                    || (method.Body is null && method.ExpressionBody is null))
                {
                    continue;
                }

                var explained = outcome.Analyzer.Any(d => d.Severity == DiagnosticSeverity.Error)
                    || outcome.UserErrors.Any(d => d.Location.SourceTree == tree && method.FullSpan.IntersectsWith(d.Location.SourceSpan))
                    || outcome.UserErrors.Any(d => d.Location.SourceTree == tree && method.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().Any(t => t.Identifier.Span.IntersectsWith(d.Location.SourceSpan)));
                Assert.True(
                    outcome.IsGenerated(symbol.Name) || explained,
                    $"objective '{symbol.Name}' was neither generated nor explained; analyzer said: {GeneratorRun.Format(outcome.Analyzer)}");
            }
        }
    }

    /// <summary>Compiles and loads the generator's output; the user code must compile.</summary>
    public static LoadedAssembly Load(Outcome outcome)
    {
        Assert.True(outcome.UserErrors.IsEmpty, GeneratorRun.Format(outcome.UserErrors));
        return outcome.Run.Load();
    }

    /// <summary>Invokes <c>{method}Gradient</c> with scalar arguments: the value and the gradient.</summary>
    public static (double Value, double[] Gradient) Gradient(LoadedAssembly loaded, string type, string method, params double[] arguments)
    {
        var all = arguments.Cast<object?>().Concat(Enumerable.Repeat<object?>(null, arguments.Length)).ToArray();
        var value = (double)loaded.Invoke(type, method + "Gradient", all)!;
        return (value, all.Skip(arguments.Length).Select(a => (double)a!).ToArray());
    }
}
