using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Generation;

/// <summary>
/// The generator never throws and never emits code that fails to compile (README, What an objective may contain), whatever the
/// consumer names things and however the consumer builds: here with documentation diagnostics on
/// (<c>GenerateDocumentationFile</c>, usually with warnings as errors in libraries), with names that
/// are keywords, and with declarations whose names look alike.
/// </summary>
public sealed class GeneratedCodeTests
{
    /// <summary>The parse options of a project with <c>&lt;GenerateDocumentationFile&gt;true&lt;/GenerateDocumentationFile&gt;</c>.</summary>
    private static readonly CSharpParseOptions DocumentingParseOptions =
        GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    [Fact]
    public void Generated_code_has_no_documentation_warnings_when_the_consumer_generates_documentation()
    {
        // Every theme of the corpus in one compilation (their types do not clash).
        var (generated, diagnostics) = RunDocumenting([.. GenerationCorpus.All.SelectMany(sources => sources)]);

        Assert.True(generated.Count > 30, $"only {generated.Count} files generated");
        Assert.True(diagnostics.IsEmpty, $"{diagnostics.Length} warnings, the first:{Environment.NewLine}{GeneratorRun.Format(diagnostics.Take(10))}");
    }

    [Fact]
    public void Names_that_are_keywords_give_valid_documentation_and_code()
    {
        var (generated, diagnostics) = RunDocumenting("""
            using OptimDsl;

            namespace Demo;

            /// <summary>Keywords as names.</summary>
            public static partial class Keywords
            {
                /// <summary>An objective named 'class'.</summary>
                [Objective, GradientDescent]
                public static double @class(double @event, [Data] double @int) => (@event - @int) * (@event - @int);
            }
            """);

        Assert.Single(generated);
        Assert.True(diagnostics.IsEmpty, GeneratorRun.Format(diagnostics.Take(10)));
    }

    [Fact]
    public async Task Inlining_an_objective_of_a_generic_type_that_reads_its_field_compiles_and_differentiates()
    {
        // E reads Scale of Outer<T>; U calls it through Outer<string>. The inlined field must be
        // Outer<string>.Scale: 'Outer<T>.Scale' does not compile outside Outer<T>.
        const string Source = """
            using OptimDsl;

            namespace Demo;

            public partial class Outer<T>
            {
                public static readonly double Scale = 2;

                [Objective]
                public static double E(double p) => Scale * p * p;
            }

            public static partial class User
            {
                [Objective]
                public static double U(double q) => Outer<string>.E(q) + q;
            }
            """;

        var run = GenerationSupport.Run(Source);

        Assert.Null(run.Result.Exception);
        var generatedTrees = run.RunResult.GeneratedTrees.ToHashSet();
        var errors = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .ToList();
        Assert.True(errors.Count == 0, "the generated code does not compile: " + GeneratorRun.Format(errors));

        if (!GenerationSupport.HintNames(run).Contains("Demo.User.U.g.cs"))
        {
            // Refusing is allowed, but then the analyzer must say why.
            var analyzer = await run.InputCompilation
                .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
                .GetAnalyzerDiagnosticsAsync();
            Assert.Contains(analyzer, d => d.Severity == DiagnosticSeverity.Error);
            return;
        }

        using var assembly = run.Load();
        object?[] arguments = [1.5, null];
        var value = (double)assembly.Invoke("Demo.User", "UGradient", arguments)!;
        Assert.Equal(2 * 1.5 * 1.5 + 1.5, value, 12);
        Assert.Equal(4 * 1.5 + 1, (double)arguments[1]!, 12); // d/dq (2q² + q)
    }

    [Fact]
    public void Types_whose_names_only_look_alike_get_distinct_files()
    {
        // Outer<T> is written 'Outer`1' (its metadata name) in hint names: a type really named Outer_1 must not collide.
        const string Source = """
            using OptimDsl;

            namespace Demo;

            public partial class Outer<T>
            {
                public static partial class Inner
                {
                    [Objective]
                    public static double M(double x) => x * x;
                }
            }

            public partial class Outer_1
            {
                public static partial class Inner
                {
                    [Objective]
                    public static double M(double x) => x * x * x;
                }
            }
            """;

        var run = GenerationSupport.Run(Source);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.RunResult.Diagnostics);
        Assert.Equal(2, run.GeneratedSources.Length);
        Assert.Equal(2, run.GeneratedSources.Select(s => s.HintName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
    }

    [Theory]
    [InlineData("[Objective, Adam]\npublic static partial double F(double x);\npublic static partial double F(double x) => (x - 1) * (x - 1);")]
    [InlineData("public static partial double F(double x);\n[Objective, Adam]\npublic static partial double F(double x) => (x - 1) * (x - 1);")]
    public async Task A_partial_method_objective_is_generated_without_errors(string members)
    {
        // A partial method is a static method returning double (README, Optimizers); its attributes merge from
        // both declarations, and only one of them has the body.
        var source = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Partials
            {
            {{members}}
            }
            """;

        var run = GenerationSupport.Run(source);
        var analyzer = await run.InputCompilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        Assert.Null(run.Result.Exception);
        Assert.Empty(analyzer.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Equal(["Demo.Partials.F.g.cs"], GenerationSupport.HintNames(run));
        Assert.Contains("struct FAdam", run.SourceOf("Demo.Partials.F.g.cs"), StringComparison.Ordinal);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
    }

    /// <summary>Runs the generator as a documenting project's build would; returns the generated trees and the warnings and errors in them.</summary>
    private static (IReadOnlyList<SyntaxTree> Generated, ImmutableArray<Diagnostic> Diagnostics) RunDocumenting(params string[] sources)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, DocumentingParseOptions, path: $"Source{i}.cs"));
        var compilation = CSharpCompilation.Create("Documented", trees, GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ObjectiveGenerator().AsSourceGenerator()], parseOptions: DocumentingParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        var generated = driver.GetRunResult().GeneratedTrees;
        var generatedSet = generated.ToHashSet();
        var diagnostics = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedSet.Contains(tree))
            .ToImmutableArray();
        return (generated, diagnostics);
    }
}
