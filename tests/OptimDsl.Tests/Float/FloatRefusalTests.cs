using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Generation;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: what a float objective may not contain (a double value: OPTDSL001 at it). A refused objective
/// gets no file.
/// </summary>
public sealed class FloatRefusalTests
{
    private static string Wrap(string members) => $$"""
        using System;
        using OptimDsl;

        public static partial class Floats
        {
        {{members}}

            [Objective]
            public static float Valid(float x) => x * x;
        }
        """;

    [Theory]
    [InlineData(
        "[Objective] public static float Root(float x) => x * (float)[|Math.Sqrt(x)|];",
        "'Math.Sqrt' in a float objective cannot be used in an objective: it computes in double; call MathF.Sqrt")]
    [InlineData(
        "[Objective] public static float Scaled(float x) => (float)([|2.5|] * x) + x;",
        "The double literal '2.5' in a float objective cannot be used in an objective: write 2.5f")]
    [InlineData(
        "[Objective] public static float Bigger(float x) => [|Math.Max(x, 1f)|] * x;",
        "'Math.Max' in a float objective cannot be used in an objective: call MathF.Max (a float objective computes with float values and System.MathF)")]
    [InlineData(
        "[Objective] public static float Clamped(float x) => [|Math.Clamp(x, 0f, 1f)|] * x;",
        "'Math.Clamp' in a float objective cannot be used in an objective: write MathF.Min(MathF.Max(x, lo), hi) (a float objective computes with float values and System.MathF)")]
    [InlineData(
        "[Objective] public static float Local(float x) { double [|y = x|]; return x; }",
        "A local of type 'double' cannot be used in an objective: declare locals as 'float' (or 'var' with a float value), 'int' for indexes, or 'Span<float>' for a local vector")]
    [InlineData(
        "[Objective] public static float Exponential(float x) => [|double.Exp(x)|] > 1 ? x : -x;",
        "'double.Exp' in a float objective cannot be used in an objective: it computes in double; call MathF.Exp")]
    [InlineData(
        "[Objective] public static float Cube(float x) => [|float.Cbrt(x)|] * x;",
        "A call to 'Single.Cbrt' cannot be used in an objective: write MathF.Cbrt instead (a float objective computes with float values and System.MathF)")]
    public async Task A_double_value_in_a_float_objective_is_OPTDSL001_at_it(string member, string message)
    {
        await AssertRefused(member, "OPTDSL001", message);
    }

    private static async Task AssertRefused(string member, string id, string message)
    {
        var source = MarkedSource.Parse(Wrap(member));
        var run = GenerationSupport.Run(source.Source);

        Assert.Null(run.Result.Exception);
        Assert.Equal(["Floats.Valid.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await run.InputCompilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var reported = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        var diagnostic = Assert.Single(reported);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(source.Spans.Single(), diagnostic.Location.SourceSpan);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
