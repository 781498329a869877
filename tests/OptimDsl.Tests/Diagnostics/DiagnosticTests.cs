using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// An analyzer test in the Roslyn testing library's form: <c>{|OPTDSL001:…|}</c> marks where each
/// diagnostic must be, and nothing else may be reported (compiler errors included).
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<ObjectiveAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source)
    {
        TestCode = source;
        ReferenceAssemblies = DiagnosticTests.NoReferenceAssemblies;
        TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
    }

    protected override ParseOptions CreateParseOptions() => GeneratorHarness.ParseOptions;
}

/// <summary>
/// A code fix test: the source with its diagnostics marked, and the source after the fix with the
/// given equivalence key. The library applies the fix one diagnostic at a
/// time and also as Fix all (document, project, solution), and expects <c>FixedCode</c> from each.
/// </summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<ObjectiveAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource, string equivalenceKey)
    {
        TestCode = source;
        FixedCode = fixedSource;
        CodeActionEquivalenceKey = equivalenceKey;
        ReferenceAssemblies = DiagnosticTests.NoReferenceAssemblies;
        TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
    }

    protected override ParseOptions CreateParseOptions() => GeneratorHarness.ParseOptions;
}

internal static class DiagnosticTests
{
    /// <summary>
    /// No reference-assembly package: the testing library would otherwise download one from NuGet at
    /// test time. The references come from <see cref="GeneratorHarness.References"/> instead, the
    /// same .NET 10 reference assemblies and runtime library the generator tests compile against.
    /// </summary>
    public static ReferenceAssemblies NoReferenceAssemblies { get; } = new("net10.0");

    private static readonly Regex Markup = new(@"\{\|[A-Z0-9]+:|\|\}|\[\||\|\]", RegexOptions.Compiled);

    /// <summary>The source without its diagnostic markup.</summary>
    public static string WithoutMarkup(string markup) => Markup.Replace(markup, string.Empty);

    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (markup removed) and checks that it generates a
    /// file for each objective in <paramref name="generated"/> (by method name) and none for the others,
    /// without throwing and with generated code that compiles.
    /// </summary>
    public static GeneratorRun AssertGenerated(string markup, params string[] generated)
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), WithoutMarkup(markup));
        Assert.Null(run.Result.Exception);

        var objectives = run.GeneratedSources.Select(s => ObjectiveOf(s.HintName)).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(generated.OrderBy(n => n, StringComparer.Ordinal), objectives);

        var generatedTrees = run.RunResult.GeneratedTrees.ToHashSet();
        var errorsInGeneratedCode = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree));
        Assert.Empty(errorsInGeneratedCode);
        return run;
    }

    /// <summary>The objective a hint name <c>Namespace.Type.Method.g.cs</c> is for.</summary>
    public static string ObjectiveOf(string hintName)
    {
        var withoutExtension = hintName.Substring(0, hintName.Length - ".g.cs".Length);
        return withoutExtension.Substring(withoutExtension.LastIndexOf('.') + 1);
    }

    /// <summary>The titles of the fixes <paramref name="fix"/> offers for the analyzer's diagnostics on <paramref name="source"/>, in source order.</summary>
    public static async Task<IReadOnlyList<string>> CodeFixTitlesAsync(CodeFixProvider fix, string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Test", LanguageNames.CSharp)
            .WithMetadataReferences(GeneratorHarness.References)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .WithCompilationOptions(GeneratorHarness.CompilationOptions);
        var document = project.AddDocument("Test.cs", SourceText.From(source));
        var compilation = await document.Project.GetCompilationAsync();
        var diagnostics = await compilation!.WithAnalyzers([new ObjectiveAnalyzer()]).GetAnalyzerDiagnosticsAsync();

        var titles = new List<string>();
        foreach (var diagnostic in diagnostics.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
        {
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => titles.Add(action.Title), CancellationToken.None));
        }

        return titles;
    }
}
