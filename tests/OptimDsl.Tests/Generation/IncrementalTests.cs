using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OptimDsl.Generators;
using OptimDsl.Generators.Model;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Generation;

/// <summary>
/// Incremental caching, tested the way NetEscapades.EnumGenerators and System.Text.Json test it:
/// run the driver, change the compilation, run the same driver again and read the tracked steps.
/// An edit that does not touch an objective must not redo any work past parsing (and parsing must
/// produce an equal model); an edit to one objective must redo that one only. This holds only if the
/// pipeline models are equatable data with no symbols, syntax or locations in them, which the last
/// tests check directly.
/// </summary>
public sealed class IncrementalTests
{
    private const string ObjectivesFile = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
            [Objective, Adam(LearningRate = 0.1)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, GradientDescent]
            public static double Quadratic(double theta)
            {
                var r = theta - 3;
                return r * r;
            }

            [Objective, Sgd(BatchSize = 2)]
            public static double Line(double w, double b, [Data] double x, [Data] double y) => (w * x + b - y) * (w * x + b - y);

            public static double Unrelated(double v) => v + 1;
        }
        """;

    private const string HelperFile = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int n) => 2 * n;
        }
        """;

    private static readonly string[] StageNames = [ObjectiveGenerator.Stages.Objectives, ObjectiveGenerator.Stages.Gradients];

    [Fact]
    public void Adding_an_unrelated_file_redoes_nothing()
    {
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var second = first.RunAgain(first.InputCompilation.AddSyntaxTrees(
            Parse("namespace Demo; public static class More { public static string Name => \"more\"; }", "More.cs")));

        AssertNothingRedone(first, second);
    }

    [Fact]
    public void Editing_an_unrelated_method_in_another_file_redoes_nothing()
    {
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var second = first.RunAgain(Replace(first, "Source1.cs", HelperFile.Replace("2 * n", "3 * n", StringComparison.Ordinal)));

        AssertNothingRedone(first, second);
    }

    [Fact]
    public void Editing_an_unrelated_method_next_to_the_objectives_redoes_nothing()
    {
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var second = first.RunAgain(Replace(first, "Source0.cs", ObjectivesFile.Replace("v + 1", "v * v - 1", StringComparison.Ordinal)));

        AssertNothingRedone(first, second);
    }

    [Fact]
    public void Moving_the_objectives_down_the_file_redoes_nothing()
    {
        // Every span in the file shifts: a model holding a location would change.
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var moved = "// A comment\n\n\n" + ObjectivesFile.Replace("namespace Demo;", "namespace Demo;\n\n// Another.\n", StringComparison.Ordinal);
        var second = first.RunAgain(Replace(first, "Source0.cs", moved));

        AssertNothingRedone(first, second);
    }

    [Fact]
    public void Editing_one_objective_redoes_that_objective_only()
    {
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var second = first.RunAgain(Replace(first, "Source0.cs", ObjectivesFile.Replace("return r * r;", "return r * r * r;", StringComparison.Ordinal)));

        GenerationSupport.AssertCleanRun(second);
        foreach (var stage in StageNames)
        {
            var outputs = Outputs(second, stage);
            Assert.Equal(3, outputs.Count);
            Assert.All(outputs, output => Assert.True(
                MethodOf(output.Value) == "Quadratic"
                    ? output.Reason == IncrementalStepRunReason.Modified
                    : output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{stage}: output for {MethodOf(output.Value)} was {output.Reason}"));
        }

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(3, sourceOutputs.Count);
        Assert.Single(sourceOutputs, reason => reason == IncrementalStepRunReason.Modified);
        Assert.All(sourceOutputs, reason => Assert.True(
            reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"source output was {reason}"));

        var before = GenerationSupport.Files(first);
        var after = GenerationSupport.Files(second);
        Assert.Equal(before.Keys, after.Keys);
        Assert.NotEqual(before["Demo.Problems.Quadratic.g.cs"], after["Demo.Problems.Quadratic.g.cs"]);
        Assert.Equal(before["Demo.Problems.Rosenbrock.g.cs"], after["Demo.Problems.Rosenbrock.g.cs"]);
        Assert.Equal(before["Demo.Problems.Line.g.cs"], after["Demo.Problems.Line.g.cs"]);
    }

    [Fact]
    public void Changing_an_optimizer_attribute_redoes_that_objective_only()
    {
        var first = GenerationSupport.Run(ObjectivesFile, HelperFile);
        var second = first.RunAgain(Replace(first, "Source0.cs", ObjectivesFile.Replace("Adam(LearningRate = 0.1)", "Adam(LearningRate = 0.2)", StringComparison.Ordinal)));

        var objectives = Outputs(second, ObjectiveGenerator.Stages.Objectives);
        Assert.Equal(
            ["Rosenbrock"],
            objectives.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => MethodOf(o.Value)));
        Assert.Single(SourceOutputs(second), reason => reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_locations_or_compilations()
    {
        var run = GenerationSupport.Run(AllCorpusSources);
        Assert.Null(run.Result.Exception);

        var walker = new ModelWalker();
        foreach (var stage in StageNames)
        {
            foreach (var (value, _) in Outputs(run, stage))
            {
                walker.Visit(value, stage);
            }
        }

        Assert.Empty(walker.Violations);
        Assert.True(walker.Seen.Contains(typeof(ObjectiveModel)) && walker.Seen.Contains(typeof(GradientModel)), "the walk saw no models");
        Assert.Contains(typeof(ParameterModel), walker.Seen);
        Assert.Contains(typeof(OptimizerModel), walker.Seen);
    }

    [Fact]
    public void The_model_walker_finds_roslyn_state_wherever_it_is()
    {
        // The check above can fail: a location, a symbol or a tree anywhere in a model is found.
        var compilation = GeneratorHarness.CreateNamedCompilation("Walker", "public static class C { public static double F(double x) => x; }");
        var tree = compilation.SyntaxTrees.Single();
        var symbol = compilation.GetTypeByMetadataName("C")!;

        foreach (var state in new object[] { tree.GetRoot().GetLocation(), symbol, tree, compilation })
        {
            var walker = new ModelWalker();
            walker.Visit(new Holder(EquatableArray<int>.Empty, [new Holder(default, [], state)], null), "holder");
            Assert.Single(walker.Violations);
        }
    }

    private sealed record Holder(EquatableArray<int> Numbers, IReadOnlyList<Holder> Children, object? Payload);

    [Fact]
    public void Equivalent_compilations_produce_equal_models_with_equal_hash_codes()
    {
        var first = GenerationSupport.Run(AllCorpusSources);
        var second = GenerationSupport.Run(AllCorpusSources);

        foreach (var stage in StageNames)
        {
            var a = Outputs(first, stage).Select(o => o.Value).ToList();
            var b = Outputs(second, stage).Select(o => o.Value).ToList();
            Assert.True(a.Count > 10, $"{stage}: only {a.Count} models");
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.NotSame(a[i], b[i]);
                Assert.Equal(a[i], b[i]);
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }

            // And the equality is not vacuous: different objectives' models differ.
            Assert.Equal(a.Count, a.Distinct().Count());
        }
    }

    [Fact]
    public void A_different_body_gives_an_unequal_model()
    {
        var first = GenerationSupport.Run(ObjectivesFile);
        var second = GenerationSupport.Run(ObjectivesFile.Replace("return r * r;", "return r * r + 0.5;", StringComparison.Ordinal));

        var a = ModelOf(first, "Quadratic");
        var b = ModelOf(second, "Quadratic");
        Assert.NotEqual(a, b);
        Assert.Equal(ModelOf(first, "Rosenbrock"), ModelOf(second, "Rosenbrock"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    /// <summary>Every source of the corpus, in one compilation (its types do not clash).</summary>
    private static string[] AllCorpusSources => [.. GenerationCorpus.All.SelectMany(sources => sources)];

    private static void AssertNothingRedone(GeneratorRun first, GeneratorRun second)
    {
        GenerationSupport.AssertCleanRun(second);
        foreach (var stage in StageNames)
        {
            var outputs = Outputs(second, stage);
            Assert.Equal(3, outputs.Count);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{stage}: output for {MethodOf(output.Value)} was {output.Reason}"));
        }

        // Nothing upstream changed, so the gradients are not even recomputed.
        Assert.All(Outputs(second, ObjectiveGenerator.Stages.Gradients), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(3, sourceOutputs.Count);
        Assert.All(sourceOutputs, reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"source output was {reason}"));
        Assert.Equal(GenerationSupport.Files(first), GenerationSupport.Files(second));
    }

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: path);

    private static Compilation Replace(GeneratorRun run, string path, string newSource)
    {
        var old = run.InputCompilation.SyntaxTrees.Single(t => t.FilePath == path);
        return run.InputCompilation.ReplaceSyntaxTree(old, Parse(newSource, path));
    }

    private static List<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string stage)
    {
        Assert.True(run.Result.TrackedSteps.TryGetValue(stage, out var steps), $"no tracked step named {stage}");
        return [.. steps.SelectMany(step => step.Outputs)];
    }

    private static List<IncrementalStepRunReason> SourceOutputs(GeneratorRun run) =>
        [.. run.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(o => o.Reason)];

    private static string MethodOf(object model) => model switch
    {
        ObjectiveModel objective => objective.MethodName,
        GradientModel gradient => gradient.Objective.MethodName,
        _ => throw new InvalidOperationException($"Unexpected model {model.GetType()}."),
    };

    private static ObjectiveModel ModelOf(GeneratorRun run, string method) =>
        Outputs(run, ObjectiveGenerator.Stages.Objectives).Select(o => (ObjectiveModel)o.Value).Single(m => m.MethodName == method);

    /// <summary>
    /// Walks an object graph through every instance field (auto-property backing fields included),
    /// every element of a collection and every readable non-indexed property, recording any value or
    /// declared type that is Roslyn state.
    /// </summary>
    private sealed class ModelWalker
    {
        private static readonly Type[] Forbidden =
        [
            typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
            typeof(SemanticModel), typeof(SyntaxToken), typeof(SyntaxReference), typeof(AttributeData), typeof(Diagnostic),
        ];

        private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Type> _checkedTypes = [];

        public List<string> Violations { get; } = [];

        public HashSet<Type> Seen { get; } = [];

        public void Visit(object? value, string path)
        {
            if (value is null)
            {
                return;
            }

            var type = value.GetType();
            Seen.Add(type);
            CheckType(type, path);
            if (IsForbidden(type) || type.IsPrimitive || type.IsEnum || value is string || value is decimal || value is Type)
            {
                return;
            }

            if (!type.IsValueType && !_visited.Add(value))
            {
                return;
            }

            if (value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    Visit(item, $"{path}[{i++}]");
                }
            }

            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    CheckType(field.FieldType, $"{path}.{field.Name}");
                    Visit(field.GetValue(value), $"{path}.{field.Name}");
                }
            }

            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                CheckType(property.PropertyType, $"{path}.{property.Name}");

                // Only the models' own computed properties; records' EqualityContract is a Type.
                if (type.Assembly == typeof(ObjectiveModel).Assembly
                    && property.Name != "EqualityContract"
                    && property.GetIndexParameters().Length == 0
                    && property.GetMethod is not null
                    && !property.PropertyType.IsByRefLike)
                {
                    Visit(property.GetValue(value), $"{path}.{property.Name}");
                }
            }
        }

        private void CheckType(Type type, string path)
        {
            if (!_checkedTypes.Add(type) && !IsForbidden(type))
            {
                return;
            }

            if (IsForbidden(type))
            {
                Violations.Add($"{path}: {type}");
                return;
            }

            var element = type.HasElementType ? type.GetElementType() : null;
            foreach (var inner in type.GetGenericArguments().Append(element).OfType<Type>())
            {
                CheckType(inner, $"{path}<{inner.Name}>");
            }
        }

        private static bool IsForbidden(Type type) => Forbidden.Any(forbidden => forbidden.IsAssignableFrom(type));
    }
}
