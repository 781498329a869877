using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Generation;

/// <summary>
/// What the generator refuses (README, What an objective may contain and Diagnostics): for an objective outside the DSL it writes no file,
/// while a valid objective next to it still gets its own; it never throws; the output always
/// compiles; and the analyzer, running the same parser, says why at the exact place marked
/// <c>[|…|]</c> in the test source.
/// </summary>
public sealed class RefusalTests
{
    private const string ValidHint = "Demo.Valid.Fine.g.cs";

    /// <summary>Refused objectives, by case name: the markup goes inside <c>partial class Refused</c>, or at namespace level when it starts with "namespace:".</summary>
    private static readonly Dictionary<string, (string Id, string Markup)> RefusedCases = new(StringComparer.Ordinal)
    {
        // ---- OPTDSL001: a construct outside README, What an objective may contain, at the construct -----------------------------
        ["for loop"] = ("OPTDSL001", """
            [Objective]
            public static double Loop(double x)
            {
                var r = 0.0;
                for (var i = 0; [|i < x|]; i++) { r += x; }
                return r;
            }
            """),
        ["while loop"] = ("OPTDSL001", """
            [Objective]
            public static double WhileLoop(double x)
            {
                var r = x;
                [|while|] (r < 3) { r += x; }
                return r;
            }
            """),
        ["if statement"] = ("OPTDSL001", """
            [Objective]
            public static double If(double x)
            {
                var r = -x;
                [|if|] (x > 0) { r = x; }
                return r;
            }
            """),
        ["early return"] = ("OPTDSL001", """
            [Objective]
            public static double EarlyReturn(double x)
            {
                [|return x;|]
            #pragma warning disable CS0162
                return x * x;
            #pragma warning restore CS0162
            }
            """),
        ["Math.Floor"] = ("OPTDSL001", """
            [Objective]
            public static double Floor(double x) => [|Math.Floor(x)|] * x;
            """),
        ["Math.Round"] = ("OPTDSL001", """
            [Objective]
            public static double Round(double x) => x + [|Math.Round(x)|];
            """),
        ["call to a non-objective method"] = ("OPTDSL001", """
            [Objective]
            public static double CallsHelper(double x) => [|Helper(x)|] + 1;
            """),
        ["string property"] = ("OPTDSL001", """
            [Objective]
            public static double StringLength(double x) => x + [|"abc".Length|];
            """),
        ["string local"] = ("OPTDSL001", """
            [Objective]
            public static double StringLocal(double x)
            {
                var [|s = "abc" + x|];
                return x * x;
            }
            """),
        ["object creation"] = ("OPTDSL001", """
            [Objective]
            public static double NewObject(double x) => x * [|new Random(1).NextDouble()|];
            """),
        ["assignment to a parameter"] = ("OPTDSL001", """
            [Objective]
            public static double AssignsParameter(double x)
            {
                [|x|] = x * 2;
                return x;
            }
            """),
        ["remainder"] = ("OPTDSL001", """
            [Objective]
            public static double Remainder(double x) => [|x % 2.0|];
            """),
        ["property read"] = ("OPTDSL001", """
            [Objective]
            public static double ReadsProperty(double x) => x * [|Scale|];
            """),
        ["non-readonly static field"] = ("OPTDSL001", """
            [Objective]
            public static double ReadsMutableField(double x) => x * [|mutable|];
            """),
        ["recursion"] = ("OPTDSL001", """
            [Objective]
            public static double Recursive(double x) => x * x + [|Recursive(x / 2)|];
            """),
        ["long local"] = ("OPTDSL001", """
            [Objective]
            public static double LongLocal(double x)
            {
                long [|n = 3|];
                return x * n;
            }
            """),
        ["lambda"] = ("OPTDSL001", """
            [Objective]
            public static double Lambda(double x) => [|((Func<double, double>)(v => v * v))(x)|];
            """),

        // ---- OPTDSL002: the wrong shape, at the method name (or the type) ------------------------
        ["not static"] = ("OPTDSL002", """
            [Objective]
            public double [|Instance|](double x) => x * x;
            """),
        ["generic"] = ("OPTDSL002", """
            [Objective]
            public static double [|Generic|]<T>(double x) => x * x;
            """),
        ["returns float, with a double parameter"] = ("OPTDSL002", """
            [Objective]
            public static float Single([|double x|]) => (float)(x * x);
            """),
        ["int parameter"] = ("OPTDSL002", """
            [Objective]
            public static double IntParameter(double x, [|int n|]) => x * n;
            """),
        ["no trainable parameter"] = ("OPTDSL002", """
            [Objective]
            public static double [|OnlyData|]([Data] double x) => x * x;
            """),
        ["no parameter at all"] = ("OPTDSL002", """
            [Objective]
            public static double [|NoParameters|]() => 1;
            """),
        ["ref parameter"] = ("OPTDSL002", """
            [Objective]
            public static double ByRef([|ref double x|]) => x * x;
            """),
        ["out parameter"] = ("OPTDSL002", """
            [Objective]
            public static double ByOut([|out double x|])
            {
                x = 1;
                return x;
            }
            """),
        ["in parameter"] = ("OPTDSL002", """
            [Objective]
            public static double ByIn([|in double x|]) => x * x;
            """),
        ["nested type not partial"] = ("OPTDSL002", """
            public static class [|NotPartial|]
            {
                [Objective]
                public static double Inside(double x) => x * x;
            }
            """),
        ["top-level type not partial"] = ("OPTDSL002", """
            namespace:
            public static class [|TopLevel|]
            {
                [Objective]
                public static double Inside(double x) => x * x;
            }
            """),
        ["outer type not partial"] = ("OPTDSL002", """
            namespace:
            public class [|Container|]
            {
                public static partial class Nested
                {
                    [Objective]
                    public static double Inside(double x) => x * x;
                }
            }
            """),

        // ---- OPTDSL006: a generated name clashes, at the method name ----------------------------
        ["existing Gradient member"] = ("OPTDSL006", """
            [Objective]
            public static double [|F|](double x) => x * x;

            public static double FGradient() => 0;
            """),
        ["existing optimizer type"] = ("OPTDSL006", """
            [Objective, Adam]
            public static double [|K|](double x) => x * x;

            public struct KAdam { }
            """),
        ["parameter named like another's derivative"] = ("OPTDSL006", """
            [Objective]
            public static double [|G|](double x, double dX) => x * dX;
            """),
        ["overloaded objectives"] = ("OPTDSL006", """
            [Objective]
            public static double [|H|](double x) => x * x;

            [Objective]
            public static double [|H|](double x, double y) => x * y;
            """),
    };

    public static TheoryData<string> RefusedCaseNames() => [.. RefusedCases.Keys];

    [Theory]
    [MemberData(nameof(RefusedCaseNames))]
    public async Task A_refused_objective_gets_no_file_and_the_analyzer_says_why_at_the_construct(string name)
    {
        var (id, markup) = RefusedCases[name];
        var source = MarkedSource.Parse(Wrap(markup));
        Assert.NotEmpty(source.Spans);

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal([ValidHint], GenerationSupport.HintNames(run));
        await AssertAnalyzerReports(run.InputCompilation, id, source.Spans);
    }

    // ---- diagnostics for objectives that are still generated --------------------------------------

    [Theory]
    [InlineData("[Objective, GradientDescent([|LearningRate = -1|]), Adam]", "(double x) => x * x", "Adam", "GradientDescent")]
    [InlineData("[Objective, GradientDescent([|LearningRate = 0|])]", "(double x) => x * x", null, "GradientDescent")]
    [InlineData("[Objective, Adam([|LearningRate = double.PositiveInfinity|])]", "(double x) => x * x", null, "Adam")]
    [InlineData("[Objective, GradientDescent, Adam([|Beta1 = 1|])]", "(double x) => x * x", "GradientDescent", "Adam")]
    [InlineData("[Objective, Adam([|Beta2 = -0.5|]), GradientDescent]", "(double x) => x * x", "GradientDescent", "Adam")]
    [InlineData("[Objective, Adam([|Epsilon = 0|])]", "(double x) => x * x", null, "Adam")]
    [InlineData("[Objective, Adam([|Beta1 = 1|], [|Beta2 = 1|])]", "(double x) => x * x", null, "Adam")]
    [InlineData("[Objective, Sgd([|BatchSize = 0|]), GradientDescent]", "(double w, [Data] double x) => (w - x) * (w - x)", "GradientDescent", "Sgd")]
    public async Task An_invalid_hyperparameter_is_reported_at_the_argument_and_drops_only_that_optimizer(
        string attributes, string signatureAndBody, string? keptOptimizer, string droppedOptimizer)
    {
        var source = MarkedSource.Parse(Wrap($"{attributes}\npublic static double M{signatureAndBody};"));

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal(["Demo.Refused.M.g.cs", ValidHint], GenerationSupport.HintNames(run));
        var file = run.SourceOf("Demo.Refused.M.g.cs");
        Assert.Contains("MGradient(", file, StringComparison.Ordinal);
        Assert.DoesNotContain("struct M" + droppedOptimizer, file, StringComparison.Ordinal);
        if (keptOptimizer is not null)
        {
            Assert.Contains("struct M" + keptOptimizer, file, StringComparison.Ordinal);
        }

        await AssertAnalyzerReports(run.InputCompilation, "OPTDSL003", source.Spans);
    }

    [Theory]
    [InlineData("[[|GradientDescent(LearningRate = 0.1)|]]")]
    [InlineData("[[|Adam|], [|Sgd(BatchSize = 2)|]]")]
    [InlineData("[[|OptimDsl.GradientDescentAttribute|]]")]
    public async Task An_optimizer_without_Objective_is_reported_at_the_attribute_and_generates_nothing(string attributes)
    {
        var source = MarkedSource.Parse(Wrap($"{attributes}\npublic static double Plain(double x) => x * x;"));

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal([ValidHint], GenerationSupport.HintNames(run));
        await AssertAnalyzerReports(run.InputCompilation, "OPTDSL004", source.Spans);
    }

    [Fact]
    public async Task Sgd_without_data_is_reported_at_the_attribute_and_still_generated()
    {
        var source = MarkedSource.Parse(Wrap("""
            [Objective, [|Sgd(LearningRate = 0.1)|]]
            public static double NoData(double x) => x * x;
            """));

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal(["Demo.Refused.NoData.g.cs", ValidHint], GenerationSupport.HintNames(run));
        await AssertAnalyzerReports(run.InputCompilation, "OPTDSL005", source.Spans);
    }

    [Fact]
    public async Task Kinks_are_reported_as_info_at_each_construct_and_still_generated()
    {
        var source = MarkedSource.Parse(Wrap("""
            [Objective]
            public static double Kinky(double x, double y)
                => [|Math.Abs(x)|] + [|Math.Max(x, y)|] + [|Math.Min(x, 2)|] + [|Math.Clamp(y, 0, 1)|] + ([|x > y ? x : -y|]);
            """));

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal(["Demo.Refused.Kinky.g.cs", ValidHint], GenerationSupport.HintNames(run));
        var diagnostics = await AnalyzerDiagnostics(run.InputCompilation);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
        await AssertAnalyzerReports(run.InputCompilation, "OPTDSL007", source.Spans, includeInfo: true);
    }

    [Fact]
    public async Task A_kink_nested_in_a_kink_is_reported_at_both()
    {
        var source = MarkedSource.Parse(Wrap("""
            [Objective]
            public static double Nested(double x) => [|Math.Max([|Math.Abs(x - 1)|], x)|];
            """));

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        await AssertAnalyzerReports(run.InputCompilation, "OPTDSL007", source.Spans, includeInfo: true);
    }

    /// <summary>
    /// The property behind the cases above, for all of them at once: whatever is refused, the
    /// generator does not throw, writes files only for what it accepts, and its output compiles.
    /// </summary>
    [Fact]
    public void All_refused_objectives_together_generate_only_the_valid_ones_and_compile()
    {
        var members = RefusedCases.Values.Where(c => !IsNamespaceLevel(c.Markup)).Select(c => c.Markup);
        var types = RefusedCases.Values.Where(c => IsNamespaceLevel(c.Markup)).Select(c => c.Markup["namespace:".Length..]);
        var markup = Template(string.Join("\n\n", members), string.Join("\n\n", types));
        var source = MarkedSource.Parse(markup);

        var run = GenerationSupport.Run(source.Source);

        AssertNeverThrowsAndCompiles(run);
        Assert.Equal([ValidHint], GenerationSupport.HintNames(run));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static bool IsNamespaceLevel(string markup) => markup.StartsWith("namespace:", StringComparison.Ordinal);

    private static string Wrap(string markup) =>
        IsNamespaceLevel(markup) ? Template(string.Empty, markup["namespace:".Length..]) : Template(markup, string.Empty);

    /// <summary>A file with the valid objective <c>Valid.Fine</c>, <paramref name="members"/> in <c>partial class Refused</c> and <paramref name="types"/> beside them.</summary>
    private static string Template(string members, string types) => $$"""
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Valid
        {
            [Objective, Adam(LearningRate = 0.1)]
            public static double Fine(double x, double y) => (x - 1) * (x - 1) + Math.Exp(y * y);
        }

        public partial class Refused
        {
            private static double mutable = 2;
            private static double Scale => 2;
            private static double Helper(double v) => v + mutable;

        {{members}}
        }

        {{types}}
        """;

    /// <summary>The generator did not throw or report anything, the test source is valid C#, and so is everything generated from it.</summary>
    private static void AssertNeverThrowsAndCompiles(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.RunResult.Diagnostics);
        Assert.Empty(run.GeneratorDiagnostics);

        var inputErrors = run.InputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(!inputErrors.Any(), "the test source does not compile: " + GeneratorRun.Format(inputErrors));
        var outputErrors = run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(!outputErrors.Any(), "the generated code does not compile: " + GeneratorRun.Format(outputErrors));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnostics(Compilation compilation) =>
        await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

    /// <summary>
    /// The analyzer reports <paramref name="id"/> once at each of <paramref name="spans"/> and
    /// nothing else (of warning severity or above; infos too when <paramref name="includeInfo"/>).
    /// </summary>
    private static async Task AssertAnalyzerReports(Compilation compilation, string id, ImmutableArray<TextSpan> spans, bool includeInfo = false)
    {
        var diagnostics = await AnalyzerDiagnostics(compilation);
        var text = compilation.SyntaxTrees.Single().GetText();
        var expected = spans.Select(span => $"{id} at {span} '{text.ToString(span)}'").Order(StringComparer.Ordinal);
        var actual = diagnostics
            .Where(d => includeInfo || d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Id} at {d.Location.SourceSpan} '{text.ToString(d.Location.SourceSpan)}'")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.GetMessage()), "empty message"));
    }
}
