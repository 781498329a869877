using System;
using System.Linq;
using System.Reflection;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// Diagnostics a newcomer can act on: each message names the construct and says what to write
/// instead; the new warnings OPTDSL010 and OPTDSL011; recursion and partial objectives.
/// </summary>
public sealed class DiagnosticMessageTests
{
    private static string InType(string members) => $$"""
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Hostile;

        public static partial class Problems
        {
            private static int Count => 3;
            private static double Helper(double v) => v;
            private static double Scaled(double v, int k) => v * k;

        {{members}}
        }
        """;

    private static Hostile.Outcome Objective(string body) => Hostile.Check(InType($$"""
                [Objective]
                public static double F(double x, double y) => {{body}};
            """));

    [Theory]
    [InlineData("x * Math.Sign(x) + y", "Math.Sign(x)", "piecewise constant")]
    [InlineData("Math.Floor(x) + y", "Math.Floor(x)", "piecewise constant")]
    [InlineData("Math.Max(Count, 2) * x + y", "Math.Max(Count, 2)", "'Math.Max' on 'int' values")]
    [InlineData("Math.Abs((float)x) + y", "Math.Abs((float)x)", "'Math.Abs' on 'float' values")]
    [InlineData("double.Exp(x) + y", "double.Exp(x)", "write Math.Exp instead")]
    [InlineData("double.Sqrt(x) + y", "double.Sqrt(x)", "write Math.Sqrt instead")]
    [InlineData("MathF.Sin((float)x) + y", "MathF.Sin((float)x)", "write Math.Sin instead")]
    [InlineData("double.Hypot(x, y)", "double.Hypot(x, y)", "supported functions are")]
    [InlineData("new[] { x, y }.Sum()", "new[] { x, y }.Sum()", "[Data] parameters")]
    [InlineData("Console.Read() + x + y", "Console.Read()", "library method")]
    [InlineData("Helper(x) + y", "Helper(x)", "mark it [Objective] as well")]
    [InlineData("Scaled(x, 2) + y", "Scaled(x, 2)", "static, double parameters, returning double")]
    public void A_refused_call_says_what_to_write_instead(string body, string at, string advice)
    {
        var outcome = Objective(body);

        var (text, message) = outcome.Single("OPTDSL001");
        Assert.Equal(at, text);
        Assert.Contains(advice, message, StringComparison.Ordinal);
        if (at != "Helper(x)")
        {
            Assert.DoesNotContain("mark it [Objective]", message, StringComparison.Ordinal); // nobody can mark a BCL method
        }

        Assert.False(outcome.IsGenerated("F"));
    }

    [Fact]
    public void A_local_function_after_the_return_is_reported_alone()
    {
        var outcome = Hostile.Check(InType("""
                [Objective]
                public static double F(double x)
                {
                    return Twice(x);
                    static double Twice(double v) => 2 * v;
                }
            """));

        var reports = outcome.OfId("OPTDSL001").Select(d => d.GetMessage()).ToArray();
        Assert.Contains(reports, m => m.StartsWith("A local function", StringComparison.Ordinal));
        Assert.Contains(reports, m => m.Contains("'Twice'", StringComparison.Ordinal) || m.Contains(".Twice'", StringComparison.Ordinal));
        Assert.DoesNotContain(reports, m => m.Contains("'return' before the end", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("int n", "must be double, not 'int'")]
    [InlineData("float n", "is float but the objective returns double")]
    [InlineData("ref double n", "must not be ref, out or in")]
    [InlineData("in double n", "must not be ref, out or in")]
    public void A_parameters_shape_is_reported_at_the_parameter(string parameter, string message)
    {
        var outcome = Hostile.Check(InType($$"""
                [Objective]
                public static double F(double x, {{parameter}}) => x * x;
            """));

        var (text, actual) = outcome.Single("OPTDSL002");
        Assert.Equal(parameter, text);
        Assert.Contains(message, actual, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static double F(double x, double y) => x * x;", "double y")]
    [InlineData("public static double F(double x, double y) => x * x + 0 * y;", "double y")]
    [InlineData("public static double F(double x, double y) => G(x, y);\n    [Objective] public static double G(double a, double b) => a * a;", "double y")]
    public void A_trained_parameter_that_is_never_read_is_a_warning_at_the_parameter(string members, string at)
    {
        var outcome = Hostile.Check(InType("[Objective]\n    " + members));

        var unread = outcome.OfId("OPTDSL010").Where(d => d.GetMessage().Contains("objective 'F'", StringComparison.Ordinal)).ToArray();
        Assert.Single(unread);
        Assert.Equal(at, unread[0].Location.SourceTree!.GetText().ToString(unread[0].Location.SourceSpan));
        Assert.Contains("its gradient is always 0", unread[0].GetMessage(), StringComparison.Ordinal);
        Assert.True(outcome.IsGenerated("F"));
    }

    [Fact]
    public void Data_parameters_and_parameters_that_are_read_get_no_warning()
    {
        var outcome = Hostile.Check(InType("""
                [Objective]
                public static double F(double x, double y, [Data] double unused) => x * y;
            """));

        Assert.Empty(outcome.OfId("OPTDSL010"));
    }

    [Theory]
    [InlineData("1 / 2 * x * x + y", "1 / 2", "is 0, not 0.5; write '1.0 / 2'")]
    [InlineData("Math.Pow(x, 1 / 3) + y", "1 / 3", "is 0, not 0.3333333333333333; write '1.0 / 3'")]
    [InlineData("x * (7 / 2) + y", "7 / 2", "is 3, not 3.5; write '7.0 / 2'")]
    [InlineData("x * (N / 2) + y", "N / 2", "is 3, not 3.5; write '(double)N / 2'")]
    [InlineData("x * -(1 / 4) + y", "1 / 4", "is 0, not 0.25")]
    public void An_integer_division_that_truncates_is_a_warning_at_the_division(string body, string at, string message)
    {
        var outcome = Hostile.Check(InType($$"""
                private const int N = 7;

                [Objective]
                public static double F(double x, double y) => {{body}};
            """));

        var (text, actual) = outcome.Single("OPTDSL011");
        Assert.Equal(at, text);
        Assert.Contains(message, actual, StringComparison.Ordinal);
        Assert.True(outcome.IsGenerated("F"));
    }

    [Theory]
    [InlineData("6 / 3 * x + y")]
    [InlineData("1.0 / 2 * x + y")]
    [InlineData("x / 2 + y")]
    [InlineData("(double)1 / 2 * x + y")]
    public void Exact_and_double_divisions_get_no_warning(string body)
    {
        Assert.Empty(Objective(body).OfId("OPTDSL011"));
    }

    [Fact]
    public void Mutual_recursion_is_named_as_such_at_each_call()
    {
        var outcome = Hostile.Check(InType("""
                [Objective] public static double A(double x) => x * B(x);
                [Objective] public static double B(double x) => x + A(x);
                [Objective] public static double C(double x) => C(x) + x;
            """));

        var messages = outcome.OfId("OPTDSL001").Select(d => (Text: d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), Message: d.GetMessage())).ToArray();
        Assert.Contains(messages, m => m.Text == "B(x)" && m.Message.Contains("A → B → A", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Text == "A(x)" && m.Message.Contains("B → A → B", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Text == "C(x)" && m.Message.Contains("C → C", StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Contains("recursive", m.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Message.Contains("see its own errors", StringComparison.Ordinal));
    }

    [Fact]
    public void A_partial_objective_can_be_called_from_another_objective()
    {
        var outcome = Hostile.Check(InType("""
                [Objective] public static partial double Square(double v);
                public static partial double Square(double v) => v * v;

                [Objective] public static double F(double x) => 3 * Square(x);
            """));

        Assert.Empty(outcome.OfId("OPTDSL001"));
        Assert.True(outcome.IsGenerated("F"));
        var (value, gradient) = Hostile.Gradient(Hostile.Load(outcome), "Hostile.Problems", "F", 2);
        Assert.Equal(12, value);
        Assert.Equal(12, gradient[0]);
    }

    [Fact]
    public void No_diagnostic_carries_a_help_link_to_a_page_that_does_not_exist()
    {
        var descriptors = new OptimDsl.Generators.Diagnostics.ObjectiveAnalyzer().SupportedDiagnostics;

        Assert.All(descriptors, d => Assert.True(string.IsNullOrEmpty(d.HelpLinkUri), d.Id + ": " + d.HelpLinkUri));
        Assert.Contains(descriptors, d => d.Id == "OPTDSL010");
        Assert.Contains(descriptors, d => d.Id == "OPTDSL011");
    }

    [Fact]
    public void A_default_optimizer_struct_refuses_to_run_even_with_its_hyperparameters_set()
    {
        var outcome = Hostile.Check(InType("""
                [Objective, Adam, GradientDescent]
                public static double Bowl(double x) => (x - 1) * (x - 1);
            """));
        var loaded = Hostile.Load(outcome);

        foreach (var name in new[] { "Hostile.Problems+BowlAdam", "Hostile.Problems+BowlGradientDescent" })
        {
            var type = loaded.GetType(name);
            var optimizer = Activator.CreateInstance(type)!;   // default(T)
            type.GetProperty("LearningRate")!.SetValue(optimizer, 0.1);
            var step = type.GetMethod("Step", Type.EmptyTypes)!;
            var error = Assert.Throws<TargetInvocationException>(() => step.Invoke(optimizer, null));
            Assert.IsType<InvalidOperationException>(error.InnerException);
            Assert.Contains("was not constructed", error.InnerException!.Message, StringComparison.Ordinal);
        }
    }
}
