using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Pipeline;

/// <summary>
/// An objective that calls an objective declared in another file is differentiated through it, so
/// an edit to the callee must reach the caller's generated code even though the caller's file did
/// not change.
/// </summary>
public sealed class CrossFileObjectiveTests
{
    private const string Caller = """
        using OptimDsl;
        public static partial class Losses
        {
            [Objective]
            public static double Outer(double x) => 2 * Inner(x);
        }
        """;

    private const string Callee = """
        using OptimDsl;
        public static partial class Losses
        {
            [Objective]
            public static double Inner(double u) => u * u;
        }
        """;

    [Fact]
    public void Editing_a_callee_in_another_file_regenerates_the_caller()
    {
        var first = GeneratorHarness.Run(new ObjectiveGenerator(), Caller, Callee);
        Assert.Empty(first.WarningsAndErrors);
        Assert.Equal(4 * 1.5, OuterDerivativeAt(first, 1.5));

        var calleeTree = first.InputCompilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var editedCallee = CSharpSyntaxTree.ParseText(Callee.Replace("u * u", "u * u * u"), GeneratorHarness.ParseOptions, path: "Source1.cs");
        var second = first.RunAgain(first.InputCompilation.ReplaceSyntaxTree(calleeTree, editedCallee));

        Assert.Empty(second.WarningsAndErrors);
        // d/dx 2x³ = 6x²: the caller now differentiates through the new body.
        Assert.Equal(6 * 1.5 * 1.5, OuterDerivativeAt(second, 1.5), 12);
    }

    private static double OuterDerivativeAt(GeneratorRun run, double x)
    {
        using var assembly = run.Load();
        var arguments = new object?[] { x, null };
        assembly.Invoke("Losses", "OuterGradient", arguments);
        return (double)arguments[1]!;
    }
}
