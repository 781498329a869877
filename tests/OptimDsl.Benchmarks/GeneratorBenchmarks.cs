using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OptimDsl.Generators;

namespace OptimDsl.Benchmarks;

// Generator cost (issue 5, item 6): the generator run in memory by a CSharpGeneratorDriver over a
// compilation of 1, 50 or 200 objectives (10 per file, five kinds in turn, with optimizers and
// data), against the .NET 10 reference assemblies, as tests/OptimDsl.Tests' GeneratorHarness does.
//   FirstRun: a new driver on a fresh compilation (Clone(): no bound state).
//   RerunAfterUnrelatedEdit: the warm driver after an edit to a file with no objective (IDE keystroke).
//   RerunAfterObjectiveEdit: the warm driver after an edit to one objective's body.

[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    [Params(1, 50, 200)]
    public int ObjectiveCount { get; set; }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ObjectiveAttribute).Assembly.Location),
    ];

    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warmDriver = null!;
    private SyntaxTree _unrelated = null!, _unrelatedEdited = null!, _objectiveFile = null!, _objectiveFileEdited = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = new List<SyntaxTree>();
        int files = (ObjectiveCount + 9) / 10;
        for (int f = 0; f < files; f++)
        {
            trees.Add(Parse(ObjectiveFile(f, System.Math.Min(10, ObjectiveCount - 10 * f), edited: false), $"Objectives{f}.cs"));
        }

        _objectiveFile = trees[0];
        _objectiveFileEdited = Parse(ObjectiveFile(0, System.Math.Min(10, ObjectiveCount), edited: true), "Objectives0.cs");
        _unrelated = Parse(UnrelatedFile(1), "Unrelated.cs");
        _unrelatedEdited = Parse(UnrelatedFile(2), "Unrelated.cs");
        trees.Add(_unrelated);

        _compilation = CSharpCompilation.Create(
            "GeneratorBenchmark",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        _warmDriver = NewDriver().RunGenerators(_compilation.Clone());
        var result = _warmDriver.GetRunResult();
        int generated = result.GeneratedTrees.Length;
        if (generated != ObjectiveCount || !result.Diagnostics.IsEmpty)
        {
            throw new System.InvalidOperationException($"Expected {ObjectiveCount} generated files and no diagnostics; got {generated} and {result.Diagnostics.Length}.");
        }
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            generators: [new ObjectiveGenerator().AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: default);

    [Benchmark(Baseline = true)]
    public GeneratorDriver FirstRun() => NewDriver().RunGenerators(_compilation.Clone());

    [Benchmark]
    public GeneratorDriver RerunAfterUnrelatedEdit() =>
        _warmDriver.RunGenerators(_compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited));

    [Benchmark]
    public GeneratorDriver RerunAfterObjectiveEdit() =>
        _warmDriver.RunGenerators(_compilation.ReplaceSyntaxTree(_objectiveFile, _objectiveFileEdited));

    /// <summary>Writes the source files of the <paramref name="objectiveCount"/>-objective compilation to <paramref name="directory"/>.</summary>
    internal static void WriteSources(string directory, int objectiveCount)
    {
        System.IO.Directory.CreateDirectory(directory);
        for (int f = 0; f < (objectiveCount + 9) / 10; f++)
        {
            System.IO.File.WriteAllText(
                System.IO.Path.Combine(directory, $"Objectives{f}.cs"),
                ObjectiveFile(f, System.Math.Min(10, objectiveCount - 10 * f), edited: false));
        }

        System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "Unrelated.cs"), UnrelatedFile(1));
    }

    /// <summary>A file of <paramref name="count"/> objectives, numbered from 10 × <paramref name="file"/>.</summary>
    internal static string ObjectiveFile(int file, int count, bool edited)
    {
        var s = new StringBuilder();
        s.AppendLine("using System;");
        s.AppendLine("using OptimDsl;");
        s.AppendLine();
        s.AppendLine("namespace Bench.Models;");
        s.AppendLine();
        s.AppendLine($"public static partial class Models{file}");
        s.AppendLine("{");
        for (int k = 0; k < count; k++)
        {
            int n = 10 * file + k;
            string c = (1 + n / 100.0 + (edited && k == 0 ? 0.5 : 0)).ToString("R", CultureInfo.InvariantCulture);
            s.AppendLine(Objective(n, c));
        }

        s.AppendLine("}");
        return s.ToString();
    }

    private static string Objective(int n, string c) => (n % 5) switch
    {
        0 => $$"""
                [Objective, Adam(LearningRate = 0.02)]
                public static double Rosenbrock{{n}}(double x, double y)
                {
                    var a = {{c}} - x;
                    var b = y - x * x;
                    return a * a + 100 * (b * b);
                }
            """,
        1 => $$"""
                [Objective, GradientDescent(LearningRate = 0.001)]
                public static double Beale{{n}}(double x, double y)
                    => Math.Pow(1.5 - x + x * y, 2) + Math.Pow(2.25 - x + x * y * y, 2) + Math.Pow({{c}} - x + x * y * y * y, 2);
            """,
        2 => $$"""
                [Objective, Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1), GradientDescent(LearningRate = 0.1)]
                public static double Line{{n}}(double w, double b, [Data] double x, [Data] double y)
                {
                    var r = w * x + b - {{c}} * y;
                    return r * r;
                }
            """,
        3 => $$"""
                [Objective, Adam(LearningRate = 0.05)]
                public static double Logistic{{n}}(double w1, double w2, double b, [Data] double x1, [Data] double x2, [Data] double y)
                    => Math.Log(1 + Math.Exp(-y * (w1 * x1 + w2 * x2 + b) * {{c}}));
            """,
        _ => $$"""
                [Objective, GradientDescent(LearningRate = 0.1)]
                public static double Smooth{{n}}(double a, double b, double c, double d)
                {
                    var r = Math.Sin(a) * Math.Cos(b) + Math.Tanh(c - d);
                    var h = Math.Abs(r) <= 1 ? 0.5 * r * r : Math.Abs(r) - 0.5;
                    return h + {{c}} * Math.Sqrt(1 + a * a + d * d);
                }
            """,
    };

    private static string UnrelatedFile(int version) => $$"""
        namespace Bench;

        public static class Unrelated
        {
            public static int Answer() => {{version}};
        }
        """;
}
