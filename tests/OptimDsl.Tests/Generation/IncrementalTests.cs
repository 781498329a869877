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

    /// <summary>
    /// Vector objectives (README, Vectors and loops): a data row whose length is a constant of the class, and a
    /// local vector filled and read in loops, whose parameter's length is a constant of another file.
    /// </summary>
    private const string VectorObjectivesFile = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Models
        {
            public const int Features = 4;

            [Objective, Adam(LearningRate = 0.05, BatchSize = 2)]
            public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                        [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double prediction = b;
                for (int i = 0; i < w.Length; i++)
                    prediction += w[i] * x[i];
                double r = prediction - y;
                return r * r;
            }

            [Objective, GradientDescent]
            public static double Smooth([Length(Sizes.Taps)] ReadOnlySpan<double> v, double lambda)
            {
                Span<double> steps = stackalloc double[5];
                for (int i = 0; i < 5; i++)
                    steps[i] = v[i + 1] - v[i];
                double roughness = 0;
                for (int k = 0; k < 5; k++)
                {
                    roughness += steps[k] * steps[k];
                }

                return lambda * lambda + roughness;
            }

            public static double Unrelated(double v) => v * 2;
        }
        """;

    /// <summary>Two rolled maps (README, Large loops and large models): a hidden layer of 64 units, read by a rolled sum.</summary>
    private const string MapsFile = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Layers
        {
            [Objective, Adam(LearningRate = 0.01)]
            public static double Hidden([Length(64)] ReadOnlySpan<double> w, [Length(64)] ReadOnlySpan<double> v, [Data] double x)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++)
                    h[j] = Math.Tanh(w[j] * x);
                double p = 0;
                for (int j = 0; j < 64; j++)
                    p += v[j] * h[j];
                return p * p;
            }

            [Objective]
            public static double Wave([Length(80)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[80];
                for (int j = 0; j < 80; j++)
                    h[j] = Math.Sin(w[j]);
                return h[0] + h[79];
            }
        }
        """;

    /// <summary>The length of <c>Smooth</c>'s vector, in a file of its own.</summary>
    private const string SizesFile = """
        namespace Demo;

        public static class Sizes
        {
            public const int Taps = 6;
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

    // ---- vector objectives ----------------------------------------------------------------------

    /// <summary>The scalar objectives, the helper, the vector objectives and the sizes: Source0.cs … Source3.cs, five objectives.</summary>
    private static GeneratorRun RunWithVectors() => GenerationSupport.Run(ObjectivesFile, HelperFile, VectorObjectivesFile, SizesFile);

    [Fact]
    public void Editing_an_unrelated_file_leaves_the_vector_objectives_cached()
    {
        var first = RunWithVectors();
        var second = first.RunAgain(Replace(first, "Source1.cs", HelperFile.Replace("2 * n", "3 * n", StringComparison.Ordinal)));

        AssertNothingRedone(first, second, objectives: 5);
    }

    [Fact]
    public void Editing_an_unrelated_method_next_to_the_vector_objectives_redoes_nothing()
    {
        var first = RunWithVectors();
        var second = first.RunAgain(Replace(first, "Source2.cs", VectorObjectivesFile.Replace("v * 2", "v * v + 3", StringComparison.Ordinal)));

        AssertNothingRedone(first, second, objectives: 5);
    }

    [Fact]
    public void Reindenting_the_vector_objectives_and_trailing_blanks_in_a_loop_body_redo_nothing()
    {
        // Every line one level deeper (the generated comment shows the body dedented), and blanks after
        // statements of both loops: the models, and so the files, stay equal.
        var first = RunWithVectors();
        var edited = VectorObjectivesFile
            .Replace("\n", "\n    ", StringComparison.Ordinal)
            .Replace("prediction += w[i] * x[i];", "prediction += w[i] * x[i];   \t", StringComparison.Ordinal)
            .Replace("roughness += steps[k] * steps[k];", "roughness += steps[k] * steps[k];  ", StringComparison.Ordinal);
        Assert.NotEqual(VectorObjectivesFile, edited);
        var second = first.RunAgain(Replace(first, "Source2.cs", edited));

        AssertNothingRedone(first, second, objectives: 5);
    }

    [Fact]
    public void Editing_a_loop_bound_redoes_that_vector_objective_only()
    {
        var first = RunWithVectors();
        var second = first.RunAgain(Replace(first, "Source2.cs", VectorObjectivesFile.Replace("k < 5;", "k < 4;", StringComparison.Ordinal)));

        AssertOnlyRedone(first, second, "Smooth", "Demo.Models.Smooth.g.cs", objectives: 5);
    }

    [Fact]
    public void Changing_a_Length_constant_of_the_class_redoes_the_objective_using_it_only()
    {
        var first = RunWithVectors();
        var second = first.RunAgain(Replace(first, "Source2.cs", VectorObjectivesFile.Replace("Features = 4;", "Features = 5;", StringComparison.Ordinal)));

        AssertOnlyRedone(first, second, "Linear", "Demo.Models.Linear.g.cs", objectives: 5);
        Assert.Equal(4 + 1, ParameterCountOf(first, "Linear"));
        Assert.Equal(5 + 1, ParameterCountOf(second, "Linear"));
    }

    [Fact]
    public void Changing_a_Length_constant_in_another_file_redoes_the_objective_using_it_only()
    {
        // The objective's own file is unchanged: its model changes because the constant's value does.
        var first = RunWithVectors();
        var second = first.RunAgain(Replace(first, "Source3.cs", SizesFile.Replace("Taps = 6;", "Taps = 7;", StringComparison.Ordinal)));

        AssertOnlyRedone(first, second, "Smooth", "Demo.Models.Smooth.g.cs", objectives: 5);
        Assert.Equal(6 + 1, ParameterCountOf(first, "Smooth"));
        Assert.Equal(7 + 1, ParameterCountOf(second, "Smooth"));
    }

    [Fact]
    public void Equivalent_vector_sources_produce_equal_models_with_equal_hash_codes()
    {
        var first = GenerationSupport.Run(VectorObjectivesFile, SizesFile);
        var second = GenerationSupport.Run(VectorObjectivesFile.Replace("\n", "\n  ", StringComparison.Ordinal), SizesFile);

        foreach (var stage in StageNames)
        {
            var a = Outputs(first, stage).Select(o => o.Value).ToList();
            var b = Outputs(second, stage).Select(o => o.Value).ToList();
            Assert.Equal(2, a.Count);
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.NotSame(a[i], b[i]);
                Assert.Equal(a[i], b[i]);
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }

            Assert.Equal(a.Count, a.Distinct().Count());
        }
    }

    [Theory]
    [InlineData("i < w.Length;", "i < Features;")]
    [InlineData("i < w.Length;", "i <= Features - 1;")]
    [InlineData("for (int i = 0; i < w.Length; i++)\n            prediction += w[i] * x[i];", "for (int j = 0; j < w.Length; ++j)\n            prediction += w[j] * x[j];")]
    [InlineData("prediction += w[i] * x[i];", "prediction += w[i] * x[i]; // the i-th feature's share")]
    [InlineData("prediction += w[i] * x[i];", "prediction += w[i]*x[i];")]
    public void Equivalent_loops_give_an_equal_expression_graph(string original, string equivalent)
    {
        // The same unrolled computation; only the body as written, which the generated comment shows, differs.
        var edited = VectorObjectivesFile.Replace(original, equivalent, StringComparison.Ordinal);
        Assert.NotEqual(VectorObjectivesFile, edited);

        var a = ModelOf(GenerationSupport.Run(VectorObjectivesFile, SizesFile), "Linear");
        var b = ModelOf(GenerationSupport.Run(edited, SizesFile), "Linear");
        Assert.Equal(a.Body, b.Body);
        Assert.Equal(a.Root, b.Root);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.NameHints, b.NameHints);
        Assert.Equal(a.Optimizers, b.Optimizers);
        Assert.NotEqual(a.SourceLines, b.SourceLines);
    }

    [Theory]
    [InlineData("i < w.Length;", "i < Features - 1;")]
    [InlineData("prediction += w[i] * x[i];", "prediction += w[i] * x[Features - 1 - i];")]
    [InlineData("double prediction = b;", "double prediction = b + 0.0 * b + 1;")]
    public void A_different_loop_gives_an_unequal_model(string original, string different)
    {
        var edited = VectorObjectivesFile.Replace(original, different, StringComparison.Ordinal);
        Assert.NotEqual(VectorObjectivesFile, edited);

        var first = GenerationSupport.Run(VectorObjectivesFile, SizesFile);
        var second = GenerationSupport.Run(edited, SizesFile);
        Assert.NotEqual(ModelOf(first, "Linear").Body, ModelOf(second, "Linear").Body);
        Assert.Equal(ModelOf(first, "Smooth"), ModelOf(second, "Smooth"));
    }

    [Fact]
    public void Reindenting_rolled_maps_redoes_nothing_and_editing_one_maps_body_redoes_that_objective_only()
    {
        var first = GenerationSupport.Run(HelperFile, MapsFile);
        Assert.Contains("writing h", first.SourceOf("Demo.Layers.Hidden.g.cs"), StringComparison.Ordinal);
        var second = first.RunAgain(Replace(first, "Source1.cs", MapsFile.Replace("\n", "\n    ", StringComparison.Ordinal)));
        AssertNothingRedone(first, second, objectives: 2);

        var third = second.RunAgain(Replace(second, "Source1.cs", MapsFile.Replace("Math.Sin(w[j])", "Math.Cos(w[j])", StringComparison.Ordinal)));
        AssertOnlyRedone(second, third, "Wave", "Demo.Layers.Wave.g.cs", objectives: 2);
    }

    [Fact]
    public void Vector_pipeline_models_hold_no_symbols_syntax_locations_or_compilations()
    {
        var run = RunWithVectors();
        GenerationSupport.AssertCleanRun(run);

        var walker = new ModelWalker();
        foreach (var stage in StageNames)
        {
            foreach (var (value, _) in Outputs(run, stage))
            {
                walker.Visit(value, stage);
            }
        }

        Assert.Empty(walker.Violations);
        Assert.Contains(typeof(ObjectiveModel), walker.Seen);
        Assert.Contains(typeof(GradientModel), walker.Seen);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /// <summary>Every source of the corpus, in one compilation (its types do not clash).</summary>
    private static string[] AllCorpusSources => [.. GenerationCorpus.All.SelectMany(sources => sources)];

    private static void AssertNothingRedone(GeneratorRun first, GeneratorRun second, int objectives = 3)
    {
        GenerationSupport.AssertCleanRun(second);
        foreach (var stage in StageNames)
        {
            var outputs = Outputs(second, stage);
            Assert.Equal(objectives, outputs.Count);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{stage}: output for {MethodOf(output.Value)} was {output.Reason}"));
        }

        // Nothing upstream changed, so the gradients are not even recomputed.
        Assert.All(Outputs(second, ObjectiveGenerator.Stages.Gradients), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(objectives, sourceOutputs.Count);
        Assert.All(sourceOutputs, reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"source output was {reason}"));
        Assert.Equal(GenerationSupport.Files(first), GenerationSupport.Files(second));
    }

    /// <summary>
    /// Only <paramref name="method"/>'s models are Modified at every stage, one source output is, and of the
    /// files only <paramref name="hintName"/> changes.
    /// </summary>
    private static void AssertOnlyRedone(GeneratorRun first, GeneratorRun second, string method, string hintName, int objectives)
    {
        GenerationSupport.AssertCleanRun(second);
        foreach (var stage in StageNames)
        {
            var outputs = Outputs(second, stage);
            Assert.Equal(objectives, outputs.Count);
            Assert.All(outputs, output => Assert.True(
                MethodOf(output.Value) == method
                    ? output.Reason == IncrementalStepRunReason.Modified
                    : output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{stage}: output for {MethodOf(output.Value)} was {output.Reason}"));
        }

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(objectives, sourceOutputs.Count);
        Assert.Single(sourceOutputs, reason => reason == IncrementalStepRunReason.Modified);

        var before = GenerationSupport.Files(first);
        var after = GenerationSupport.Files(second);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var name in before.Keys)
        {
            if (name == hintName)
            {
                Assert.NotEqual(before[name], after[name]);
            }
            else
            {
                Assert.Equal(before[name], after[name]);
            }
        }
    }

    /// <summary>The number of trained values the objective's model lays out (<c>MParameterCount</c>).</summary>
    private static int ParameterCountOf(GeneratorRun run, string method)
        => ModelOf(run, method).Parameters.Where(p => !p.IsData).Sum(p => p.Length);

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
