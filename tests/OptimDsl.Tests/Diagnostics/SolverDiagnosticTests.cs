using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// README, Which optimizer? and Diagnostics: OPTDSL009 at the <c>[LevenbergMarquardt]</c> attribute when the body is
/// not a sum of squared residuals, every accepted shape generated, and OPTDSL003 for the hyperparameters of
/// <c>[Lbfgs]</c> and <c>[LevenbergMarquardt]</c>.
/// </summary>
public sealed class SolverDiagnosticTests
{
    private static string Problems(string members) => $$"""
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
        {{members}}
        }
        """;

    private static string Message(string objective, string instead)
        => $"[LevenbergMarquardt] needs objective '{objective}' to return a sum of squared residuals, terms c * r * r or c * Math.Pow(r, 2) with c a positive constant (for example 'var r = a * Math.Exp(-k * t) - y; return r * r;'), but {instead}; use [Lbfgs] for any other objective";

    public static TheoryData<string, string> Refused => new()
    {
        { "Math.Exp(w - t)", "the returned expression is a call of Math.Exp, not a square" },
        { "(w - t) * (w + t)", "the returned expression is a product of two different factors, not a square" },
        { "(w - t) * (w - t) + Math.Sin(w)", "term 2 of the returned sum is a call of Math.Sin, not a square" },
        { "-((w - t) * (w - t))", "the returned expression has the factor -1, which is not a positive number" },
        { "(w - t) * (w - t) - 0.5 * w * w", "the returned expression is a difference, not a square" },
        { "w - t", "the returned expression is a difference, not a square" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Another_shape_is_OPTDSL009_at_the_attribute_saying_what_is_expected(string body, string instead)
    {
        var markup = Problems($$"""
                [Objective, {|#0:LevenbergMarquardt|}, Lbfgs]
                public static double M(double w, [Data] double t) => {{body}};
            """);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL009", DiagnosticSeverity.Error).WithLocation(0).WithMessage(Message("M", instead)));
        await test.RunAsync();

        // The generator agrees: the gradient and [Lbfgs] are generated, [LevenbergMarquardt] is not.
        var file = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "M").SourceOf("Demo.Problems.M.g.cs");
        Assert.Contains("public struct MLbfgs", file, StringComparison.Ordinal);
        Assert.DoesNotContain("MLevenbergMarquardt", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sum_over_a_rolled_loop_is_OPTDSL009()
    {
        var markup = Problems("""
                [Objective, {|#0:LevenbergMarquardt|}]
                public static double M([Length(64)] ReadOnlySpan<double> w)
                {
                    double s = 0;
                    for (int i = 0; i < 64; i++)
                        s += (w[i] - i) * (w[i] - i);
                    return s;
                }
            """);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL009", DiagnosticSeverity.Error).WithLocation(0)
            .WithMessage(Message("M", "the returned expression is a sum over a loop of 64 or more iterations, which stays a loop (README, Large loops and large models): write the squares in loops of fewer iterations")));
        await test.RunAsync();
    }

    /// <summary>Every shape of README, Which optimizer?, with the residuals and weights of the loss the generated pass sums.</summary>
    [Theory]
    [InlineData("(w - t) * (w - t)", "loss += r0 * r0;")]
    [InlineData("Math.Pow(w - t, 2)", "loss += r0 * r0;")]
    [InlineData("2 * (w - t) * (w - t)", "loss += 2 * (r0 * r0);")]
    [InlineData("(w - t) * (w - t) / 4", "loss += 0.25 * (r0 * r0);")]
    [InlineData("(w - t) * (w - t) + 0.1 * w * w", "loss += 0.1 * (r1 * r1);")]
    [InlineData("((w - t) * (w - t) + (w + t) * (w + t)) / 2", "loss += 0.5 * (r1 * r1);")]
    [InlineData("Square(w, t)", "loss += r0 * r0;")]
    public async Task Every_documented_shape_is_generated(string body, string residualLine)
    {
        var markup = Problems($$"""
                [Objective]
                public static double Square(double w, [Data] double t) => (w - t) * (w - t);

                [Objective, LevenbergMarquardt]
                public static double M(double w, [Data] double t) => {{body}};
            """);
        await new AnalyzerTest(markup).RunAsync();
        var file = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "M", "Square").SourceOf("Demo.Problems.M.g.cs");
        Assert.Contains("public struct MLevenbergMarquardt", file, StringComparison.Ordinal);
        Assert.Contains(residualLine, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_solvers_hyperparameters_are_checked_at_their_arguments()
    {
        var markup = Problems("""
                [Objective, LevenbergMarquardt({|#0:InitialDamping = 0|}, {|#1:DampingFactor = 1|})]
                public static double A(double w, [Data] double t) => (w - t) * (w - t);

                [Objective, Lbfgs({|#2:History = 0|}, {|#3:LearningRate = -1|})]
                public static double B(double w) => w * w;

                [Objective, Lbfgs({|#4:History = 1001|}, {|#5:LineSearch = (LineSearch)5|})]
                public static double C(double w) => w * w;

                [Objective, Lbfgs(History = 1000, LineSearch = LineSearch.None), LevenbergMarquardt(InitialDamping = 1e300, DampingFactor = 1.0000001)]
                public static double D(double w) => w * w;
            """);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Invalid(0, "InitialDamping must be positive and finite, not 0"));
        test.ExpectedDiagnostics.Add(Invalid(1, "DampingFactor must be greater than 1, and finite, not 1"));
        test.ExpectedDiagnostics.Add(Invalid(2, "History must be in [1, 1000], not 0"));
        test.ExpectedDiagnostics.Add(Invalid(3, "LearningRate must be positive and finite, not -1"));
        test.ExpectedDiagnostics.Add(Invalid(4, "History must be in [1, 1000], not 1001"));
        test.ExpectedDiagnostics.Add(Invalid(5, "LineSearch must be LineSearch.StrongWolfe or LineSearch.None, not 5"));
        await test.RunAsync();

        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "A", "B", "C", "D");
        Assert.Contains("public struct DLbfgs", run.SourceOf("Demo.Problems.D.g.cs"), StringComparison.Ordinal);
        Assert.Contains("public struct DLevenbergMarquardt", run.SourceOf("Demo.Problems.D.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("struct ALevenbergMarquardt", run.SourceOf("Demo.Problems.A.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("struct BLbfgs", run.SourceOf("Demo.Problems.B.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("struct CLbfgs", run.SourceOf("Demo.Problems.C.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>The source without the testing library's location markup (<c>{|#0:</c>, <c>|}</c>).</summary>
    private static string WithoutMarkup(string markup) => System.Text.RegularExpressions.Regex.Replace(markup, @"\{\|[^:|]+:|\|\}", string.Empty);

    private static DiagnosticResult Invalid(int location, string message)
        => new DiagnosticResult("OPTDSL003", DiagnosticSeverity.Error).WithLocation(location).WithMessage(message);
}
