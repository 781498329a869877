using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// Inputs that were once silently not generated: no diagnostic and no code. Each is now generated
/// with the right values, or refused with an OPTDSL error at the construct.
/// </summary>
public sealed class SilentFailureTests
{
    private static string InType(string members) => $$"""
        using System;
        using OptimDsl;

        namespace Hostile;

        public static partial class Problems
        {
        {{members}}
        }
        """;

    [Theory]
    [InlineData("#warning check this\n        return x * x;")]
    [InlineData("#pragma warning disable CS0168\n        return x * x;\n#pragma warning restore CS0168")]
    [InlineData("#region body\n        return x * x;\n#endregion")]
    [InlineData("#if NEVER\n        return 1;\n#else\n        return x * x;\n#endif")]
    [InlineData("#line 100 \"other.cs\"\n        return x * x;\n#line default")]
    [InlineData("#nullable disable\n        return x * x;")]
    public void Preprocessor_directives_in_the_body_do_not_stop_generation(string body)
    {
        var outcome = Hostile.Check(InType($$"""
                [Objective]
                public static double Square(double x)
                {
            {{body}}
                }
            """));

        Assert.True(outcome.IsGenerated("Square"), GeneratorRun.Format(outcome.Analyzer));
        var (value, gradient) = Hostile.Gradient(Hostile.Load(outcome), "Hostile.Problems", "Square", 3);
        Assert.Equal(9, value);
        Assert.Equal(6, gradient[0]);
    }

    [Fact]
    public void An_error_directive_is_the_users_error_and_nothing_is_generated()
    {
        var outcome = Hostile.Check(InType("""
                [Objective]
                public static double Square(double x)
                {
            #error not yet
                    return x * x;
                }
            """));

        Assert.False(outcome.IsGenerated("Square"));
        Assert.Contains(outcome.UserErrors, d => d.Id == "CS1029");
    }

    [Theory]
    [InlineData("/// <summary>Unclosed")]
    [InlineData("/// <param name=\"nope\">no such parameter</param>")]
    [InlineData("/// <see cref=\"Missing\"/>")]
    [InlineData("/** <summary> & </summary> */")]
    public void Malformed_documentation_comments_do_not_stop_generation(string comment)
    {
        var tree = CSharpSyntaxTree.ParseText(
            InType($$"""
                {{comment}}
                [Objective]
                public static double Square(double x) => x * x;
            """),
            GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose),
            path: "Source0.cs");
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(tree);

        var outcome = Hostile.Check(compilation);

        Assert.True(outcome.IsGenerated("Square"), GeneratorRun.Format(outcome.Analyzer));
        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Warning); // the comment is malformed
    }

    [Theory]
    [InlineData("var (a, b) = (x, y);\n        return a * b + a;", 2.0, 3.0, 8.0, 4.0, 2.0)]          // ab + a
    [InlineData("double a = x, b = y;\n        (a, b) = (b, a);\n        return a - 2 * b;", 2.0, 3.0, -1.0, -2.0, 1.0)] // swapped: y − 2x
    [InlineData("var (a, (b, c)) = (x, (y, x * y));\n        return a + b + c;", 2.0, 3.0, 11.0, 4.0, 3.0)]  // x + y + xy
    [InlineData("var (a, _) = (x * x, y);\n        return a + y;", 2.0, 3.0, 7.0, 4.0, 1.0)]
    [InlineData("(var a, double b) = (x, y);\n        return a / b;", 3.0, 2.0, 1.5, 0.5, -0.75)]
    [InlineData("var a = x;\n        (a, var b) = (a * y, a + y);\n        return a * b;", 2.0, 3.0, 30.0, 21.0, 16.0)] // (xy)(x + y)
    public void Deconstructions_of_tuple_literals_are_generated(string body, double x, double y, double value, double dX, double dY)
    {
        var outcome = Hostile.Check(InType($$"""
                [Objective]
                public static double F(double x, double y)
                {
                    {{body}}
                }
            """));

        Assert.True(outcome.IsGenerated("F"), GeneratorRun.Format(outcome.Analyzer));
        var (actual, gradient) = Hostile.Gradient(Hostile.Load(outcome), "Hostile.Problems", "F", x, y);
        Assert.Equal(value, actual, 14);
        Assert.Equal(dX, gradient[0], 14);
        Assert.Equal(dY, gradient[1], 14);
    }

    [Theory]
    [InlineData("var (a, b) = Pair(x);", "Pair(x)", "not a tuple literal")]
    [InlineData("var (a, b) = (Pair(x));", "Pair(x)", "not a tuple literal")]
    [InlineData("var (a, b) = (x, 1);", "b", "A local of type 'int'")]
    public void Other_deconstructions_are_refused_at_the_construct(string body, string at, string message)
    {
        var outcome = Hostile.Check(InType($$"""
                private static (double, double) Pair(double v) => (v, v);

                [Objective]
                public static double F(double x, double y)
                {
                    {{body}}
                    return x;
                }
            """));

        Assert.False(outcome.IsGenerated("F"));
        var (text, actual) = outcome.Single("OPTDSL001");
        Assert.Equal(at, text);
        Assert.Contains(message, actual, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return x > 0;")]                                  // a bool where a double belongs: CS0029
    [InlineData("double a;\n        return a * x;")]               // read before assignment: CS0165
    [InlineData("return Undefined(x);")]                           // CS0103
    [InlineData("return x.Foo;")]                                  // CS1061
    [InlineData("var a = x;")]                                     // no return: CS0161
    [InlineData("return;")]                                        // CS0126
    public void Code_the_compiler_refuses_is_left_to_the_compiler(string body)
    {
        var outcome = Hostile.Check(InType($$"""
                [Objective]
                public static double F(double x)
                {
                    {{body}}
                }
            """));

        Assert.False(outcome.IsGenerated("F"));
        Assert.NotEmpty(outcome.UserErrors);
        Assert.Empty(outcome.OfId("OPTDSL001"));
    }
}
