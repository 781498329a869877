using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// Every diagnostic id (README, Diagnostics) at the place the spec gives for it: the construct (OPTDSL001,
/// OPTDSL007), the method name (OPTDSL002, OPTDSL006), the type (OPTDSL002), the attribute argument
/// (OPTDSL003) and the attribute (OPTDSL004, OPTDSL005). Each source also holds a valid objective,
/// and the generator is run on it: the valid objective is generated, the rejected one is not.
/// </summary>
public sealed class AnalyzerTests
{
    /// <summary>Wraps members into a partial class next to a valid objective, 'Valid'.</summary>
    private static string InProblems(string members) => $$"""
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
            [Objective, Adam(LearningRate = 0.1)]
            public static double Valid(double x, double y) => (x - 1) * (x - 1) + Math.Exp(y * y);

        {{members}}
        }
        """;

    private static async Task AssertReportedAndGenerated(string markup, params string[] generated)
    {
        await new AnalyzerTest(markup).RunAsync();
        DiagnosticTests.AssertGenerated(markup, ["Valid", .. generated]);
    }

    /// <summary>
    /// A body whose names do not bind (here: no <c>using System;</c>) has the compiler's errors only: no OPTDSL001 about
    /// the error types ('??') that would repeat them, and nothing generated for it.
    /// </summary>
    [Fact]
    public async Task A_compiler_error_in_the_body_is_not_repeated_as_OPTDSL001()
    {
        const string markup = """
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, Adam]
                public static double Decay(double a, double k, [Data] double t, [Data] double y)
                {
                    var r = a * {|CS0103:Math|}.Exp(-k * t) - y;
                    return r * r;
                }
            }
            """;
        await new AnalyzerTest(markup).RunAsync();
        DiagnosticTests.AssertGenerated(markup);
    }

    // ---- OPTDSL001: at the construct ------------------------------------------------------------

    [Theory]
    [InlineData("Math.Floor", "{|OPTDSL001:Math.Floor(x)|} * x")]
    [InlineData("Math.Sign", "x * {|OPTDSL001:Math.Sign(x)|}")]
    [InlineData("Math.Asinh", "{|OPTDSL001:Math.Asinh(x)|}")]
    [InlineData("Math.Log with a named argument", "{|OPTDSL001:Math.Log(d: x)|}")]
    [InlineData("a call to an ordinary method", "{|OPTDSL001:Helper(x)|} + 1")]
    [InlineData("the remainder operator", "{|OPTDSL001:x % 2.0|}")]
    [InlineData("a property", "x * {|OPTDSL001:Scale|}")]
    [InlineData("a mutable static field", "x * {|OPTDSL001:mutable|}")]
    [InlineData("a switch expression", "{|OPTDSL001:x switch { > 0 => x, _ => -x }|}")]
    [InlineData("a property of a string", "x + {|OPTDSL001:\"a\".Length|}")]
    [InlineData("arithmetic on an int that is not a compile-time integer", "x + {|OPTDSL001:Count|} * 2")]
    [InlineData("an int-valued cast", "x + {|OPTDSL001:(int)x|}")]
    public async Task Unsupported_expression_is_reported_at_the_construct(string what, string body)
    {
        _ = what;
        await AssertReportedAndGenerated(InProblems($$"""
                private static double mutable = 2;
                private static double Scale => 2;
                private static int Count => 3;
                private static double Helper(double v) => v;

                [Objective]
                public static double Invalid(double x) => {{body}};
            """));
    }

    [Theory]
    [InlineData("if", "{|OPTDSL001:if|} (x > 0) { r = x; }")]
    [InlineData("for with a bound that is not a compile-time integer", "for (var i = 0; {|OPTDSL001:i < x|}; i++) { r += x; }")]
    [InlineData("while", "{|OPTDSL001:while|} (r < 3) { r += x; }")]
    [InlineData("foreach", "{|OPTDSL001:foreach|} (var v in new[] { x }) { r += v; }")]
    [InlineData("try", "{|OPTDSL001:try|} { r = x; } finally { }")]
    [InlineData("an early return", "{|OPTDSL001:return x;|}")]
    [InlineData("a local function", "{|OPTDSL001:double|} Twice(double v) => 2 * v;")]
    public async Task Unsupported_statement_is_reported_at_its_first_token_or_whole(string what, string statement)
    {
        _ = what;
        await AssertReportedAndGenerated(InProblems($$"""
                [Objective]
                public static double Invalid(double x)
                {
                    var r = 0.0;
                    {{statement}}
                    return r * x;
                }
            """));
    }

    [Fact]
    public async Task Assignment_to_a_parameter_is_reported_at_the_parameter_with_advice()
    {
        var markup = InProblems("""
                [Objective]
                public static double Invalid(double x)
                {
                    {|#0:x|} = x * 2;
                    return x * x;
                }
            """);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL001", DiagnosticSeverity.Error)
            .WithLocation(0)
            .WithMessage("Assignment to parameter 'x' cannot be used in an objective: copy it into a local first ('var v = x;')"));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(markup, "Valid");
    }

    [Fact]
    public async Task A_local_that_is_not_double_is_reported_at_its_declarator()
    {
        await AssertReportedAndGenerated(InProblems("""
                [Objective]
                public static double Invalid(double x)
                {
                    long {|OPTDSL001:n = 2|};
                    return x * x;
                }
            """));
    }

    [Fact]
    public async Task Every_unsupported_construct_of_an_objective_is_reported_at_once()
    {
        await AssertReportedAndGenerated(InProblems("""
                [Objective]
                public static double Invalid(double x)
                {
                    var r = {|OPTDSL001:Math.Round(x)|};
                    {|OPTDSL001:while|} (r < 3) { r += x; }
                    return r + {|OPTDSL001:x % 3.0|};
                }
            """));
    }

    [Fact]
    public async Task A_recursive_objective_is_reported_at_the_call_and_its_callers_at_theirs()
    {
        await AssertReportedAndGenerated(InProblems("""
                [Objective]
                public static double Recursive(double x) => x * {|OPTDSL001:Recursive(x - 1)|};

                [Objective]
                public static double Caller(double x) => {|OPTDSL001:Recursive(x)|} + 1;
            """));
    }

    [Fact]
    public async Task A_call_to_a_valid_objective_is_differentiated_through()
    {
        await AssertReportedAndGenerated(
            InProblems("""
                    [Objective]
                    public static double Caller(double x) => Valid(x, 2 * x) + 1;
                """),
            "Caller");
    }

    // ---- OPTDSL002: at the method name, the parameter, or the type --------------------------------------------

    [Theory]
    [InlineData("not static", "public double {|OPTDSL002:Invalid|}(double x) => x * x;")]
    [InlineData("generic", "public static double {|OPTDSL002:Invalid|}<T>(double x) => x * x;")]
    [InlineData("float result, double parameter", "public static float Invalid({|OPTDSL002:double x|}) => (float)x;")]
    [InlineData("double result, float parameter", "public static double Invalid(double x, {|OPTDSL002:float y|}) => x * y;")]
    [InlineData("double result, float span", "public static double Invalid(double x, {|OPTDSL002:[Length(2)] ReadOnlySpan<float> v|}) => x * v[0];")]
    [InlineData("no parameters", "public static double {|OPTDSL002:Invalid|}() => 1.0;")]
    [InlineData("only data", "public static double {|OPTDSL002:Invalid|}([Data] double x) => x * x;")]
    [InlineData("ref parameter", "public static double Invalid({|OPTDSL002:ref double x|}) => x * x;")]
    [InlineData("in parameter", "public static double Invalid({|OPTDSL002:in double x|}) => x * x;")]
    [InlineData("int parameter", "public static double Invalid(double x, {|OPTDSL002:int n|}) => x * n;")]
    public async Task Wrong_shape_is_reported_at_the_method_name_or_the_parameter(string what, string method)
    {
        _ = what;
        var markup = $$"""
            using System;
            using OptimDsl;

            namespace Demo;

            public partial class Problems
            {
                [Objective]
                public static double Valid(double x) => x * x;

                [Objective]
                {{method}}
            }
            """;
        await AssertReportedAndGenerated(markup);
    }

    [Fact]
    public async Task Mixing_float_and_double_and_another_result_type_say_so()
    {
        var markup = """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Objective]
                public static double Mixed(double x, {|#0:float y|}) => x * y;

                [Objective]
                public static int {|#1:Count|}(double x) => 1;

                [Objective]
                public static double Valid(double x) => x * x;
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL002", DiagnosticSeverity.Error)
            .WithLocation(1)
            .WithMessage("Objective 'Count' must return double (or float, with float parameters)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL002", DiagnosticSeverity.Error)
            .WithLocation(0)
            .WithMessage("Parameter 'y' of objective 'Mixed' is float but the objective returns double: an objective computes in one type, so its result and its parameters are all double (or all float)"));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(markup, "Valid");
    }

    [Fact]
    public async Task Not_static_says_so()
    {
        var markup = """
            using OptimDsl;

            public partial class Problems
            {
                [Objective]
                public double {|#0:Invalid|}(double x) => x * x;

                [Objective]
                public static double Valid(double x) => x * x;
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL002", DiagnosticSeverity.Error)
            .WithLocation(0)
            .WithMessage("Objective 'Invalid' must be static"));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(markup, "Valid");
    }

    [Fact]
    public async Task A_type_that_is_not_partial_is_reported_at_its_name()
    {
        var markup = """
            using OptimDsl;

            namespace Demo;

            public static class {|#0:Plain|}
            {
                [Objective]
                public static double Invalid(double x) => x * x;
            }

            public static partial class Problems
            {
                [Objective]
                public static double Valid(double x) => x * x;
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL002", DiagnosticSeverity.Error)
            .WithLocation(0)
            .WithMessage("Type 'Plain' must be partial so that the gradient of 'Invalid' can be generated into it"));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(markup, "Valid");
    }

    [Fact]
    public async Task Each_containing_type_that_is_not_partial_is_reported_at_its_name()
    {
        await AssertReportedAndGenerated("""
            using OptimDsl;

            namespace Demo;

            public class {|OPTDSL002:Outer|}
            {
                public partial class Middle
                {
                    public static class {|OPTDSL002:Inner|}
                    {
                        [Objective]
                        public static double Invalid(double x) => x * x;
                    }
                }
            }

            public static partial class Problems
            {
                [Objective]
                public static double Valid(double x) => x * x;
            }
            """);
    }

    [Fact]
    public async Task A_file_local_type_is_reported_at_its_name()
    {
        await AssertReportedAndGenerated("""
            using OptimDsl;

            namespace Demo;

            file static partial class {|OPTDSL002:Hidden|}
            {
                [Objective]
                public static double Invalid(double x) => x * x;
            }

            public static partial class Problems
            {
                [Objective]
                public static double Valid(double x) => x * x;
            }
            """);
    }

    // ---- OPTDSL003: at the attribute argument; the gradient is still generated ---------------------

    [Theory]
    [InlineData("Adam({|OPTDSL003:LearningRate = -0.1|})", "InvalidAdam")]
    [InlineData("Adam({|OPTDSL003:LearningRate = 0|})", "InvalidAdam")]
    [InlineData("GradientDescent({|OPTDSL003:LearningRate = double.PositiveInfinity|})", "InvalidGradientDescent")]
    [InlineData("GradientDescent({|OPTDSL003:LearningRate = double.NaN|})", "InvalidGradientDescent")]
    [InlineData("Adam(LearningRate = 0.1, {|OPTDSL003:Beta1 = 1|})", "InvalidAdam")]
    [InlineData("Adam({|OPTDSL003:Beta2 = -0.5|})", "InvalidAdam")]
    [InlineData("Adam({|OPTDSL003:Epsilon = 0|})", "InvalidAdam")]
    [InlineData("Sgd({|OPTDSL003:BatchSize = 0|})", "InvalidSgd")]
    public async Task Invalid_hyperparameter_is_reported_at_the_argument_and_only_that_optimizer_is_dropped(string attribute, string optimizer)
    {
        var markup = InProblems($$"""
                [Objective, {{attribute}}]
                public static double Invalid(double w, [Data] double t) => (w - t) * (w - t);
            """);
        await AssertReportedAndGenerated(markup, "Invalid");

        var generated = DiagnosticTests.AssertGenerated(markup, "Valid", "Invalid").SourceOf("Demo.Problems.Invalid.g.cs");
        Assert.Contains("InvalidGradient(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(optimizer, generated.Replace("InvalidGradient(", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    // ---- OPTDSL004 and OPTDSL005: at the attribute ------------------------------------------------

    [Fact]
    public async Task Optimizer_attribute_without_objective_is_reported_at_each_attribute()
    {
        await AssertReportedAndGenerated(InProblems("""
                [{|OPTDSL004:Adam(LearningRate = 0.1)|}, {|OPTDSL004:GradientDescent|}]
                [Obsolete]
                public static double NotAnObjective(double x) => x * x;
            """));
    }

    [Fact]
    public async Task Optimizer_attribute_without_objective_names_both()
    {
        var markup = InProblems("""
                [{|#0:OptimDsl.SgdAttribute|}]
                public static double NotAnObjective(double x) => x * x;
            """);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL004", DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithMessage("[Sgd] has no effect because 'NotAnObjective' is not marked [Objective]"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Sgd_without_data_is_reported_at_the_attribute_and_still_generated()
    {
        await AssertReportedAndGenerated(
            InProblems("""
                    [Objective, {|OPTDSL005:Sgd(LearningRate = 0.1)|}]
                    public static double NoData(double x) => x * x;
                """),
            "NoData");
    }

    // ---- OPTDSL006: at the method name ------------------------------------------------------------

    [Theory]
    [InlineData("an existing member", "public static double {|OPTDSL006:Clash|}(double x) => x * x;\n    public static void ClashGradient() { }")]
    [InlineData("an existing optimizer type", "public static double {|OPTDSL006:Clash|}(double x) => x * x;\n    public struct ClashAdam { }")]
    [InlineData("parameters x and X", "public static double {|OPTDSL006:Clash|}(double x, double X) => x * X;")]
    [InlineData("out parameter dX", "public static double {|OPTDSL006:Clash|}(double x, [Data] double dX) => x * dX;")]
    [InlineData("an optimizer property", "public static double {|OPTDSL006:Clash|}(double learningRate) => learningRate * learningRate;")]
    [InlineData("a data parameter named gradient", "public static double {|OPTDSL006:Clash|}(double x, [Data] double gradient) => x * gradient;")]
    [InlineData("the Search method", "public static double {|OPTDSL006:Clash|}(double search) => search * search;")]
    [InlineData("the SearchSpace type", "public static double {|OPTDSL006:Clash|}(double searchSpace) => searchSpace * searchSpace;")]
    [InlineData("the Hyperparameters type", "public static double {|OPTDSL006:Clash|}(double hyperparameters) => hyperparameters * hyperparameters;")]
    [InlineData("the FindLearningRate method", "public static double {|OPTDSL006:Clash|}(double findLearningRate) => findLearningRate * findLearningRate;")]
    [InlineData("the SaveState method", "public static double {|OPTDSL006:Clash|}(double saveState) => saveState * saveState;")]
    [InlineData("the LoadState method", "public static double {|OPTDSL006:Clash|}(double loadState) => loadState * loadState;")]
    [InlineData("a data parameter named like a parameter of Search", "public static double {|OPTDSL006:Clash|}(double x, [Data] double space) => x * space;")]
    [InlineData("a data parameter named like a parameter of FindLearningRate", "public static double {|OPTDSL006:Clash|}(double x, [Data] double steps) => x * steps;")]
    [InlineData("a data parameter named like the data overloads' last parameter", "public static double {|OPTDSL006:Clash|}(double x, [Data] double maxDegreeOfParallelism) => x * maxDegreeOfParallelism;")]
    [InlineData("the MaxDegreeOfParallelism property", "public static double {|OPTDSL006:Clash|}(double maxDegreeOfParallelism) => maxDegreeOfParallelism * maxDegreeOfParallelism;")]
    public async Task Generated_name_clash_is_reported_at_the_method_name(string what, string members)
    {
        _ = what;
        await AssertReportedAndGenerated($$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective]
                public static double Valid(double x) => x * x;

                [Objective, Adam]
                {{members}}
            }
            """);
    }

    [Fact]
    public async Task Overloaded_objectives_are_each_reported_at_their_name()
    {
        await AssertReportedAndGenerated(InProblems("""
                [Objective]
                public static double {|OPTDSL006:Twice|}(double x) => x * x;

                [Objective]
                public static double {|OPTDSL006:Twice|}(double x, double y) => x * y;
            """));
    }

    // ---- OPTDSL007: at the construct; the objective is generated ----------------------------------

    [Fact]
    public async Task Kinks_are_reported_at_each_construct_and_the_objective_is_generated()
    {
        await AssertReportedAndGenerated(
            InProblems("""
                    [Objective]
                    public static double Piecewise(double x, double y)
                    {
                        var a = {|OPTDSL007:Math.Abs(x)|} + {|OPTDSL007:Math.Max(x, y)|};
                        a *= {|OPTDSL007:Math.Min(x, 2.0)|} - {|OPTDSL007:Math.Clamp(y, -1.0, 1.0)|};
                        return {|OPTDSL007:x < y ? a : a * a|};
                    }
                """),
            "Piecewise");
    }

    [Fact]
    public async Task Kinks_inside_an_inlined_objective_are_reported_only_where_it_is_declared()
    {
        await AssertReportedAndGenerated(
            InProblems("""
                    [Objective]
                    public static double Huber(double r) => {|OPTDSL007:{|OPTDSL007:Math.Abs(r)|} < 1 ? 0.5 * r * r : {|OPTDSL007:Math.Abs(r)|} - 0.5|};

                    [Objective]
                    public static double Fit(double w, [Data] double t) => Huber(w - t);
                """),
            "Huber",
            "Fit");
    }

    // ---- no report where there is nothing to say --------------------------------------------------

    [Fact]
    public async Task Valid_objectives_and_unrelated_methods_report_nothing()
    {
        await AssertReportedAndGenerated(
            InProblems("""
                    private const double K = 2;
                    private static readonly double R = 0.5;

                    [Objective, GradientDescent(LearningRate = 0.1), Sgd(BatchSize = 4, Seed = 3)]
                    public static double Line(double w, double b, [Data] double x, [Data] double y)
                    {
                        var r = w * x + b - y;
                        r *= K;
                        r -= R * Math.PI;
                        return r * r;
                    }

                    public static double NotAnObjective(double x) => Math.Floor(x);

                    [Obsolete]
                    public static int AlsoNot(int x) => x % 2;
                """),
            "Line");
    }
}
