using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Pipeline;

/// <summary>
/// The pipeline is incremental: an edit that does not touch an objective leaves every stage's
/// output cached, and the models hold only equatable data (no symbols, syntax or compilations).
/// </summary>
public sealed class IncrementalTests
{
    private const string Objectives = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
            [Objective, Adam(LearningRate = 0.02)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, Sgd(BatchSize = 4)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }
        }
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int value) => 2 * value;
        }
        """;

    private static readonly string[] TrackedSteps = [ObjectiveGenerator.Stages.Objectives, ObjectiveGenerator.Stages.Gradients];

    [Fact]
    public void An_unrelated_edit_leaves_every_output_cached()
    {
        var first = GeneratorHarness.Run(new ObjectiveGenerator(), Objectives, Unrelated);
        Assert.Equal(2, first.GeneratedSources.Length);

        var second = first.RunAgain(Replace(first.InputCompilation, "Source1.cs", Unrelated.Replace("2 * value", "3 * value")));
        var third = second.RunAgain(first.InputCompilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Added { }", GeneratorHarness.ParseOptions, path: "Source2.cs")));

        foreach (var run in new[] { second, third })
        {
            foreach (var step in TrackedSteps)
            {
                var reasons = Reasons(run, step);
                Assert.Equal(2, reasons.Count);
                Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
            }

            Assert.All(run.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
        }
    }

    [Fact]
    public void Editing_one_objective_regenerates_only_that_objective()
    {
        var first = GeneratorHarness.Run(new ObjectiveGenerator(), Objectives, Unrelated);
        var second = first.RunAgain(Replace(first.InputCompilation, "Source0.cs", Objectives.Replace("100 * Math.Pow", "50 * Math.Pow")));

        var gradients = Reasons(second, ObjectiveGenerator.Stages.Gradients);
        Assert.Equal(1, gradients.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, gradients.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("50 * ", second.SourceOf("Demo.Problems.Rosenbrock.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Equivalent_compilations_give_equal_models()
    {
        var first = GeneratorHarness.Run(new ObjectiveGenerator(), Objectives);
        var second = GeneratorHarness.Run(new ObjectiveGenerator(), Objectives);
        foreach (var step in TrackedSteps)
        {
            var a = Values(first, step);
            var b = Values(second, step);
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i], b[i]);
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }
        }
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), Objectives);
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel) };
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var visitedTypes = new HashSet<Type>();
        foreach (var value in TrackedSteps.SelectMany(step => Values(run, step)))
        {
            Walk(value, forbidden, seen, visitedTypes, value.GetType().Name);
        }

        // The walk really went through the model types.
        Assert.Contains(visitedTypes, t => t.Name == "ObjectiveModel");
        Assert.Contains(visitedTypes, t => t.Name == "ExpressionNode");
    }

    private static void Walk(object? value, Type[] forbidden, HashSet<object> seen, HashSet<Type> visitedTypes, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} is a {type.Name}");
        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        visitedTypes.Add(type);
        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                Walk(item, forbidden, seen, visitedTypes, $"{path}[{index++}]");
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Assert.False(forbidden.Any(f => f.IsAssignableFrom(field.FieldType)), $"{path}.{field.Name} has type {field.FieldType.Name}");
            Walk(field.GetValue(value), forbidden, seen, visitedTypes, $"{path}.{field.Name}");
        }
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRun run, string step)
        => run.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static List<object> Values(GeneratorRun run, string step)
        => run.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

    private static Compilation Replace(Compilation compilation, string path, string source)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: path));
    }
}
