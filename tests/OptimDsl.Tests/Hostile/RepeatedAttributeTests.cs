using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// A repeated optimizer attribute (a new user's trial: <c>[Objective, Adam, Adam(LearningRate = 0.1)]</c>, written to
/// compare two rates) is the compiler's CS0579 at the second attribute, and nothing else: the generated file holds one
/// optimizer struct, from the first attribute, and compiles (Hostile.Check asserts no error in generated code).
/// </summary>
public sealed class RepeatedAttributeTests
{
    [Theory]
    [InlineData("[Objective, Adam, Adam(LearningRate = 0.1)]", "LossAdam", "Adam")]
    [InlineData("[Objective, Lbfgs, GradientDescent, Lbfgs]", "LossLbfgs", "Lbfgs")]
    public void The_compiler_reports_the_repeat_and_the_first_is_generated_once(string attributes, string structName, string attribute)
    {
        var source = $$"""
            using System;
            using OptimDsl;

            namespace Repeats;

            public static partial class P
            {
                {{attributes}}
                public static double Loss(double x) => (x - 1) * (x - 1);
            }
            """;
        var outcome = Hostile.Check(source);

        var error = Assert.Single(outcome.UserErrors);
        Assert.Equal("CS0579", error.Id);
        Assert.Equal(source.LastIndexOf(attribute, System.StringComparison.Ordinal), error.Location.SourceSpan.Start); // at the repeat
        Assert.Equal(attribute.Length, error.Location.SourceSpan.Length);
        var file = outcome.Run.SourceOf("Repeats.P.Loss.g.cs");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(file, $@"struct {structName}\b"));
    }
}
