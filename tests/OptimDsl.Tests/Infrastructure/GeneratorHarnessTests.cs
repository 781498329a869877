using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace OptimDsl.Tests.Infrastructure;

/// <summary>
/// Tests of the test infrastructure itself, driven by <see cref="NameEchoGenerator"/>, a generator
/// small enough to be obviously right, so that a failure here points at the harness.
/// </summary>
public sealed class GeneratorHarnessTests
{
    private const string Problems = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
            [Objective]
            public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

            public static double Split(double x, out double twice)
            {
                twice = 2 * x;
                return x + 1;
            }
        }
        """;

    [Fact]
    public void Run_produces_source_that_compiles_loads_and_runs()
    {
        var run = GeneratorHarness.Run(new NameEchoGenerator(), Problems);

        Assert.Empty(run.WarningsAndErrors);
        Assert.Equal(["Demo.Problems.Quadratic.g.cs"], run.GeneratedSources.Select(s => s.HintName));
        Assert.Contains("QuadraticName", run.SourceOf("Demo.Problems.Quadratic.g.cs"), StringComparison.Ordinal);

        using var loaded = run.Load();
        Assert.Equal("Quadratic", loaded.Invoke("Demo.Problems", "QuadraticName"));
        Assert.Equal(4.0, loaded.Invoke("Demo.Problems", "Quadratic", 5.0));
    }

    [Fact]
    public void Invoke_writes_out_arguments_back()
    {
        var run = GeneratorHarness.Run(new NameEchoGenerator(), Problems);
        using var loaded = run.Load();

        object?[] arguments = [1.5, null];
        var value = loaded.Invoke("Demo.Problems", "Split", arguments);

        Assert.Equal(2.5, value);
        Assert.Equal(3.0, arguments[1]);
    }

    [Fact]
    public void Load_reports_the_compiler_errors_of_output_that_does_not_compile()
    {
        var run = GeneratorHarness.Run(new NameEchoGenerator(), "public static class Broken { public static int F() => \"no\"; }");

        var error = Assert.Throws<InvalidOperationException>(() => run.Load());
        Assert.Contains("CS0029", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compilation_targets_net10_with_the_runtime_library_and_nullable_enabled()
    {
        var compilation = GeneratorHarness.CreateCompilation("public static class C { public static string? S; }");

        Assert.Empty(compilation.GetDiagnostics());
        Assert.Equal(NullableContextOptions.Enable, compilation.Options.NullableContextOptions);
        Assert.NotNull(compilation.GetTypeByMetadataName("OptimDsl.ObjectiveAttribute"));
        Assert.NotNull(compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector256`1"));
    }

    [Fact]
    public void RunAgain_with_an_unrelated_edit_reuses_cached_outputs()
    {
        var first = GeneratorHarness.Run(new NameEchoGenerator(), Problems);
        var edited = first.InputCompilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public static class Unrelated { }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));

        var second = first.RunAgain(edited);

        var steps = second.Result.TrackedSteps[NameEchoGenerator.ObjectivesStep];
        Assert.All(
            steps.SelectMany(step => step.Outputs),
            output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step output was {output.Reason}"));
        Assert.All(
            second.Result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Generated_source_matches_its_snapshot()
    {
        var run = GeneratorHarness.Run(new NameEchoGenerator(), Problems);

        Snapshot.Match(run);
    }
}

/// <summary>
/// For each <c>[Objective]</c> method <c>M</c>, emits <c>static string MName() => "M"</c> in the same
/// partial type, stamped <c>[GeneratedCode("OptimDsl.Generators", "9.9.9")]</c> so that snapshots
/// show the version scrubbed.
/// </summary>
internal sealed class NameEchoGenerator : IIncrementalGenerator
{
    public const string ObjectivesStep = "Objectives";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var objectives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "OptimDsl.ObjectiveAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (attributed, _) => new ObjectiveName(
                    attributed.TargetSymbol.ContainingNamespace.ToDisplayString(),
                    attributed.TargetSymbol.ContainingType.Name,
                    attributed.TargetSymbol.Name))
            .WithTrackingName(ObjectivesStep);

        context.RegisterSourceOutput(objectives, static (output, objective) =>
        {
            var source = $$"""
                // <auto-generated/>
                namespace {{objective.Namespace}};

                partial class {{objective.Type}}
                {
                    [global::System.CodeDom.Compiler.GeneratedCode("OptimDsl.Generators", "9.9.9")]
                    public static string {{objective.Method}}Name() => "{{objective.Method}}";
                }

                """;
            output.AddSource($"{objective.Namespace}.{objective.Type}.{objective.Method}.g.cs", SourceText.From(source, Encoding.UTF8));
        });
    }

    private readonly record struct ObjectiveName(string Namespace, string Type, string Method);
}
