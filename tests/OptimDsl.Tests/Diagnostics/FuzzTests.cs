using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// Robustness: the generator and the analyzer get thousands of broken, half-typed and random
/// inputs. Neither may throw, whatever the generator emits must compile, and an objective that is not
/// generated has an error that says why (README: Diagnostics).
/// </summary>
/// <remarks>
/// Inputs are deterministic (fixed <see cref="Random"/> seeds), so a failure reproduces. Each input
/// is a syntax tree of its own, in a namespace of its own, and <see cref="FuzzRunner.InputsPerCompilation"/>
/// inputs share one compilation, so that one generator run and one analyzer run cover them all.
/// </remarks>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Token_and_line_mutations_of_valid_objectives_neither_crash_nor_emit_broken_code()
        => Run("token and line mutations", [.. FuzzInputs.TokenMutations(), .. FuzzInputs.LineDeletions()]);

    [Fact]
    public void Random_expression_trees_neither_crash_nor_emit_broken_code()
    {
        var inputs = FuzzInputs.RandomExpressions();
        var vectors = inputs.Count(i => i.StartsWith(RandomVectorObjective.Header, StringComparison.Ordinal));
        var outOfRange = inputs.Count(i => i.Contains(RandomVectorObjective.FirstOutOfRange, StringComparison.Ordinal));
        output.WriteLine($"{vectors} checked vector objectives, {outOfRange} of them with an index out of range");
        Run("random expressions", inputs);
    }

    [Fact]
    public void Half_typed_code_neither_crashes_nor_emits_broken_code()
        => Run("half-typed code", FuzzInputs.HalfTyped());

    [Fact]
    public void Unusual_but_legal_code_neither_crashes_nor_emits_broken_code()
        => Run("unusual code", FuzzInputs.Unusual());

    [Fact]
    public void Random_vector_objectives_have_the_gradients_of_finite_differences()
    {
        // Valid random vector objectives (no index out of range) in one compilation, each with a probe taking arrays.
        var stopwatch = Stopwatch.StartNew();
        var objectives = RandomVectorObjective.Valid(count: 20, seed: 20_261_202);
        var sources = objectives.Select((o, i) => $"namespace Fuzz{i}.Input;\n{o.Source(probe: true)}").ToArray();
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), sources);
        Assert.Null(run.Result.Exception);
        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var input = errors[0].Location.SourceTree is { } tree && Array.IndexOf([.. run.InputCompilation.SyntaxTrees], tree) is var at and >= 0 ? sources[at] : "";
            Assert.Fail($"{errors.Count} errors; the first ones:{Environment.NewLine}{GeneratorRun.Format(errors.Take(5))}{Environment.NewLine}{input}");
        }

        var generatedAt = stopwatch.Elapsed.TotalSeconds;
        using var loaded = run.Load();
        var loadedAt = stopwatch.Elapsed.TotalSeconds;
        var random = new Random(7);
        var checkedValues = 0;
        for (var i = 0; i < objectives.Count; i++)
        {
            var objective = objectives[i];
            var probe = $"Fuzz{i}.Input.Probe";
            var theta = Enumerable.Range(0, objective.TrainedCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var sample = Enumerable.Range(0, objective.SampleWidth).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double Value(double[] at) => (double)loaded.Invoke(probe, "Value", at, sample)!;

            var gradient = new double[objective.TrainedCount];
            var generated = (double)loaded.Invoke(probe, "Gradient", theta, sample, gradient)!;
            var expected = Value(theta);
            if (!double.IsFinite(expected) || Math.Abs(expected) > 1e8)
            {
                continue;
            }

            var where = $"objective {i} at θ = ({string.Join(", ", theta.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}):{Environment.NewLine}{sources[i]}";
            Assert.True(Math.Abs(generated - expected) <= 1e-9 * (1 + Math.Abs(expected)), $"value {generated} ≠ {expected}, {where}");
            for (var k = 0; k < theta.Length; k++)
            {
                var h = 1e-5;
                var (up, down) = ((double[])theta.Clone(), (double[])theta.Clone());
                up[k] += h;
                down[k] -= h;
                var numeric = (Value(up) - Value(down)) / (2 * h);
                Assert.True(
                    Math.Abs(numeric - gradient[k]) <= 1e-5 * (1 + Math.Abs(numeric) + Math.Abs(expected)),
                    $"∂/∂θ[{k}]: generated {gradient[k]:R}, finite differences {numeric:R}, {where}");
                checkedValues++;
            }
        }

        output.WriteLine($"{objectives.Count} vector objectives, {checkedValues} partial derivatives checked in {stopwatch.Elapsed.TotalSeconds:F1} s (generated in {generatedAt:F1} s, emitted by {loadedAt:F1} s)");
        Assert.True(checkedValues >= 3 * objectives.Count, $"only {checkedValues} partial derivatives checked");
    }

    private void Run(string category, List<string> inputs)
    {
        var stopwatch = Stopwatch.StartNew();
        var report = FuzzRunner.Run(inputs);
        stopwatch.Stop();

        output.WriteLine(
            $"{category}: {inputs.Count} inputs in {report.Compilations} compilations, {stopwatch.Elapsed.TotalSeconds:F1} s; "
            + $"{report.GeneratedFiles} generated files, {report.AnalyzerDiagnostics} analyzer diagnostics, {report.Failures.Length} failures");
        foreach (var failure in report.Failures.Take(5))
        {
            output.WriteLine($"---- {failure.Problem}{Environment.NewLine}{failure.Input}");
        }

        if (!report.Failures.IsEmpty)
        {
            var first = report.Failures[0];
            Assert.Fail($"{report.Failures.Length} of {inputs.Count} inputs failed; the first: {first.Problem}{Environment.NewLine}{first.Input}");
        }
    }
}

/// <summary>The fuzz inputs, deterministic: the same on every run.</summary>
internal static class FuzzInputs
{
    /// <summary>(a) Valid objectives with one to three tokens dropped, duplicated, swapped with the next, or replaced.</summary>
    public static List<string> TokenMutations(int count = 1_200)
    {
        var random = new Random(20_240_601);
        var seedTokens = FuzzSeeds.All.Select(s => SyntaxFactory.ParseTokens(s).Select(t => t.ToFullString()).ToList()).ToList();
        var pool = seedTokens.SelectMany(t => t).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().Concat(ExtraTokens).ToArray();

        var inputs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var tokens = new List<string>(seedTokens[i % seedTokens.Count]);
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(tokens.Count - 1);
                switch (random.Next(4))
                {
                    case 0:
                        tokens.RemoveAt(at);
                        break;
                    case 1:
                        tokens.Insert(at, tokens[at]);
                        break;
                    case 2:
                        (tokens[at], tokens[at + 1]) = (tokens[at + 1], tokens[at]);
                        break;
                    default:
                        tokens[at] = " " + pool[random.Next(pool.Length)] + " ";
                        break;
                }
            }

            inputs.Add(string.Concat(tokens));
        }

        return inputs;
    }

    /// <summary>
    /// (a) Valid objectives with one line, or two consecutive lines, deleted; and the same with the
    /// last closing brace deleted too, which unwraps a type (its header, its braces).
    /// </summary>
    public static List<string> LineDeletions()
    {
        var inputs = new List<string>();
        foreach (var seed in FuzzSeeds.All)
        {
            var lines = seed.Split('\n').ToList();
            var lastBrace = lines.FindLastIndex(l => l.Trim() == "}");
            for (var i = 0; i < lines.Count; i++)
            {
                for (var deleted = 1; deleted <= 2 && i + deleted <= lines.Count; deleted++)
                {
                    var kept = lines.Where((_, j) => j < i || j >= i + deleted).ToList();
                    inputs.Add(string.Join('\n', kept));
                    if (lastBrace >= i + deleted)
                    {
                        inputs.Add(string.Join('\n', lines.Where((_, j) => (j < i || j >= i + deleted) && j != lastBrace)));
                    }
                }
            }
        }

        return inputs;
    }

    /// <summary>Tokens no seed has, that an objective may not (or may) contain.</summary>
    private static readonly string[] ExtraTokens =
    [
        "ref", "out", "in", "int", "float", "decimal", "object", "string", "static", "partial", "file", "async", "await",
        "unsafe", "checked", "default", "null", "this", "new", "return", "if", "else", "for", "while", "switch", "throw",
        "yield", "goto", "%", "++", "--", "+=", "-=", "*=", "/=", "%=", "=", "?", ":", "??", "?.", "!", "&&", "||",
        "==", "<", ">=", "=>", "[", "]", "{", "}", "(", ")", ",", ";", ".", "Objective", "Data", "Adam", "Sgd",
        "GradientDescent", "Math", "Floor", "Sign", "0", "0.0", "1e308", "-1", "2f", "3m", "\"s\"", "'c'", "x", "y",
        "double", "var", "const", "readonly", "params", "T", "<T>", "@in", "nameof", "typeof", "sizeof", "stackalloc",
    ];

    /// <summary>
    /// (b) Random objectives: expression trees over parameters, literals, fields, Math functions (some unsupported), conditionals,
    /// locals; and one in four a vector objective (<see cref="RandomVectorObjective"/>: a <c>[Length(N)]</c> span, loops, int locals,
    /// local vectors, slices, and indexes sometimes out of range, which <see cref="FuzzRunner"/> checks are OPTDSL008 exactly there).
    /// </summary>
    public static List<string> RandomExpressions(int count = 1_200)
        => [.. Enumerable.Range(0, count).Select(i => i % 4 == 3
            ? new RandomVectorObjective(new Random(i)).Source()
            : new RandomObjective(new Random(i)).Source())];

    /// <summary>
    /// (d) Unusual but legal code: every seed with a preprocessor directive inserted at a random line;
    /// random objectives whose names are those of generated members and locals, differ only in
    /// case or are @-escaped keywords, in every kind of type; and long chains of one operator.
    /// </summary>
    public static List<string> Unusual(int count = 240)
    {
        var random = new Random(20_261_201);
        var inputs = new List<string>();
        foreach (var seed in FuzzSeeds.All)
        {
            var lines = seed.Split('\n');
            foreach (var directive in Directives)
            {
                var at = 3 + random.Next(lines.Length - 4);
                inputs.Add(string.Join("\n", lines.Take(at).Concat(directive.Split('\n')).Concat(lines.Skip(at))));
            }
        }

        for (var i = 0; inputs.Count < count; i++)
        {
            var names = Enumerable.Range(0, 2 + random.Next(3)).Select(_ => UnusualNames[random.Next(UnusualNames.Length)]).Distinct().ToArray();
            var kind = TypeKinds[random.Next(TypeKinds.Length)];
            var method = MethodNames[random.Next(MethodNames.Length)];
            var data = random.Next(3) == 0 ? names.Length - 1 : names.Length;
            var parameters = string.Join(", ", names.Select((n, k) => (k >= data ? "[Data] " : string.Empty) + "double " + n));
            var body = Chain(random, names, 1 + random.Next(i % 20 == 0 ? 300 : 12));
            var optimizers = OptimizerLists[random.Next(OptimizerLists.Length)];
            inputs.Add("using System;\nusing OptimDsl;\n\n" + kind.Replace("MEMBERS", $$"""
                [Objective{{optimizers}}]
                public static double {{method}}({{parameters}}) => {{body}};

                [Objective]
                public static double {{Twin(method)}}({{parameters}}) => {{names[0]}} * {{names[0]}};
                """));
        }

        return inputs;
    }

    /// <summary>A sum, product or quotient chain of <paramref name="length"/> terms over the names.</summary>
    private static string Chain(Random random, string[] names, int length)
    {
        var op = new[] { " + ", " - ", " * ", " / " }[random.Next(4)];
        var text = new StringBuilder("(1.5 + " + names[0] + ")");
        for (var k = 1; k < length; k++)
        {
            text.Append(op).Append(op is " * " or " / " ? "(1 + 0.001 * " + names[k % names.Length] + ")" : names[k % names.Length]);
        }

        return text.ToString();
    }

    /// <summary>The same name with its first letter's case swapped: Loss and loss.</summary>
    private static string Twin(string name)
    {
        var start = name.StartsWith("@", StringComparison.Ordinal) ? 1 : 0;
        var first = name[start];
        var swapped = char.IsUpper(first) ? char.ToLowerInvariant(first) : char.ToUpperInvariant(first);
        return swapped == first ? name + "2" : name.Substring(0, start) + swapped + name.Substring(start + 1);
    }

    private static readonly string[] Directives =
    [
        "#warning fuzz",
        "#pragma warning disable CS0162",
        "#region fuzz",
        "#endregion",
        "#if NEVER\n        this is not code\n#endif",
        "#nullable disable",
        "#line 7 \"elsewhere.cs\"",
        "/// <summary>unclosed",
    ];

    private static readonly string[] UnusualNames =
    [
        "x", "loss", "update", "parameters", "gradient", "maxIterations", "tolerance", "observer", "TObserver", "value", "result",
        "i", "k", "n", "count", "order", "batch", "norm", "t0", "dX", "x2", "_parameters", "_gradient", "_m", "_v", "_iteration",
        "_learningRate", "Iteration", "Step", "Minimize", "LearningRate", "Beta1", "Epsilon", "BatchSize", "Seed", "iteration",
        "learningRate", "@double", "@event", "@class", "@in", "\u0061b", "αβ", "日本", "Parameters", "Gradient", "Loss", "Update", "global", "@this",
    ];

    private static readonly string[] MethodNames = ["Loss", "loss", "@event", "Fit", "Minimize", "Step", "αLoss", "Gradient", "Update", "_loss", "\u004Coss2"];

    private static readonly string[] OptimizerLists = ["", ", Adam", ", GradientDescent(LearningRate = 0.1)", ", Sgd(BatchSize = 2), Adam, GradientDescent"];

    private static readonly string[] TypeKinds =
    [
        "public static partial class Problems\n{\nMEMBERS\n}",
        "public partial struct Problems\n{\nMEMBERS\n}",
        "public readonly partial struct Problems\n{\nMEMBERS\n}",
        "public ref partial struct Problems\n{\nMEMBERS\n}",
        "public partial record Problems(double Loss)\n{\nMEMBERS\n}",
        "public readonly partial record struct Problems(int Update)\n{\nMEMBERS\n}",
        "public partial interface IProblems<in T, out U>\n{\nMEMBERS\n}",
        "public sealed partial class Problems<T> where T : struct\n{\nMEMBERS\n}",
        "public abstract partial class Problems\n{\npublic partial class Nested\n{\nMEMBERS\n}\n}",
        "internal static partial class @event\n{\nMEMBERS\n}",
        "public partial class Outer<T>\n{\nprivate partial struct Problems\n{\nMEMBERS\n}\n}",
    ];

    /// <summary>(c) Half-typed code: every seed cut off after every 2nd character.</summary>
    public static List<string> HalfTyped(int every = 2)
    {
        var inputs = new List<string>();
        foreach (var seed in FuzzSeeds.All)
        {
            for (var length = 0; length < seed.Length; length += every)
            {
                inputs.Add(seed.Substring(0, length));
            }
        }

        return inputs;
    }
}

/// <summary>Valid sources the fuzzers start from; together they use every part of the DSL.</summary>
internal static class FuzzSeeds
{
    public static readonly string[] All =
    [
        """
        using System;
        using OptimDsl;

        public static partial class Problems
        {
            [Objective, Adam(LearningRate = 0.1)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
        }
        """,
        """
        using System;
        using OptimDsl;

        public static partial class Problems
        {
            [Objective, Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                const double half = 0.5;
                var r = w * x + b - y;
                double s = r * r;
                s *= half;
                s += 1e-3 * w * w;
                s -= 0.0;
                s /= 2.0;
                r++;
                return s + r * 0;
            }
        }
        """,
        """
        using System;
        using OptimDsl;

        internal static partial class Robust
        {
            private const double Delta = 1.0;
            private static readonly double Scale = 2.5;

            [Objective]
            public static double Huber(double r) => Math.Abs(r) <= Delta ? 0.5 * r * r : Delta * (Math.Abs(r) - 0.5 * Delta);

            [Objective, Adam(Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6)]
            public static double Fit(double w, double c, [Data] double x, [Data] double t) => Scale * Huber(w * x + c - t) + (w > c && c >= 0 ? w : -c);
        }
        """,
        """
        using System;
        using OptimDsl;

        namespace Deep.Space
        {
            public partial class Outer<T>
            {
                internal partial record struct Inner
                {
                    [Objective]
                    internal static double Entropy(double p, double q) => -p * Math.Log(p, 2) - q * Math.Log2(q) + Math.Clamp(p - q, -1.0, 1.0);
                }
            }
        }
        """,
        """
        using System;
        using OptimDsl;

        public static partial class Functions
        {
            [Objective]
            public static double All(double x, double y) =>
                Math.Sqrt(x) + Math.Cbrt(x) + Math.Exp(x) + Math.Log(x) + Math.Log10(x) + Math.Pow(x, y) + Math.Sin(x)
                + Math.Cos(x) + Math.Tan(x) + Math.Asin(x) + Math.Acos(x) + Math.Atan(x) + Math.Atan2(x, y) + Math.Sinh(x)
                + Math.Cosh(x) + Math.Tanh(x) + Math.Max(x, y) + Math.Min(x, y) + Math.PI * Math.E;
        }
        """,
        """
        using System;
        using OptimDsl;

        public static partial class Keywords
        {
            [Objective, GradientDescent(LearningRate = 1e-2)]
            private static double Weird(double @in, double @double, [Data] double @class)
            {
                var @var = @in * @class - @double;
                @var *= @var;
                return (double)@var / 2 + -(-@in);
            }
        }
        """,
    ];
}

/// <summary>A random objective: an expression tree over its parameters, literals, fields, Math functions and conditionals.</summary>
internal sealed class RandomObjective(Random random)
{
    private static readonly string[] Supported1 = ["Sqrt", "Cbrt", "Exp", "Log", "Log10", "Log2", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Tanh", "Abs"];
    private static readonly string[] Supported2 = ["Pow", "Atan2", "Max", "Min", "Log"];
    private static readonly string[] Unsupported = ["Floor(", "Round(", "Sign(", "Asinh(", "Truncate(", "Ceiling(", "BitIncrement(", "ReciprocalEstimate(", "Acosh(", "Atanh("];
    private static readonly string[] Literals = ["0", "1", "2", "0.5", "3.0", "1e-3", "1e308", "0.0", "2d", "1.5f", "7", "double.NaN", "double.MaxValue", "double.Epsilon", "K", "R", "Math.PI", "Math.E", "Mutable", "Prop"];
    private static readonly string[] Comparisons = ["<", "<=", ">", ">=", "==", "!="];

    private readonly List<string> _locals = [];
    private bool _hasData;

    public string Source()
    {
        _hasData = random.Next(3) == 0;
        var parameters = _hasData ? "double x, double y, [Data] double t" : random.Next(4) == 0 ? "double x" : "double x, double y";
        var body = random.Next(2) == 0 ? " => " + Expression(4) + ";" : Block();
        // Optimizers on one objective in five: their code depends on little but the parameters, and is long to compile.
        var optimizers = random.Next(5) == 0 ? new[] { ", Adam", ", GradientDescent(LearningRate = 0.5)", ", Sgd(BatchSize = 3)", ", Adam(Beta1 = 0.5), Sgd" }[random.Next(4)] : "";
        return $$"""
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                private const double K = 1.5;
                private static readonly double R = 0.25;
                private static double Mutable = 1;
                private static double Prop => 2;

                [Objective]
                public static double Helper(double a, double b) => a * b + Math.Sin(a);

                [Objective{{optimizers}}]
                public static double M({{parameters}}){{body}}
            }
            """;
    }

    private string Block()
    {
        var builder = new StringBuilder(Environment.NewLine + "    {" + Environment.NewLine);
        var statements = 1 + random.Next(4);
        for (var i = 0; i < statements; i++)
        {
            string statement;
            if (_locals.Count == 0 || random.Next(3) == 0)
            {
                var name = "v" + _locals.Count.ToString(CultureInfo.InvariantCulture);
                statement = (random.Next(2) == 0 ? "var " : "double ") + name + " = " + Expression(3) + ";";
                _locals.Add(name);
            }
            else
            {
                var local = _locals[random.Next(_locals.Count)];
                statement = random.Next(6) switch
                {
                    0 => local + "++;",
                    1 => "--" + local + ";",
                    _ => local + " " + new[] { "=", "+=", "-=", "*=", "/=" }[random.Next(5)] + " " + Expression(3) + ";",
                };
            }

            builder.Append("        ").Append(statement).AppendLine();
        }

        builder.Append("        return ").Append(Expression(4)).AppendLine(";").Append("    }");
        return builder.ToString();
    }

    private string Expression(int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return Leaf();
        }

        var a = Expression(depth - 1);
        return random.Next(20) switch
        {
            < 6 => $"{a} {"+-*/"[random.Next(4)]} {Expression(depth - 1)}",
            6 => $"-{a}",
            7 => $"({a})",
            < 10 => $"Math.{Supported1[random.Next(Supported1.Length)]}({a})",
            10 => $"Math.{Supported2[random.Next(Supported2.Length)]}({a}, {Expression(depth - 1)})",
            11 => $"Math.Clamp({a}, {Expression(depth - 1)}, {Expression(depth - 1)})",
            12 => $"Math.{Unsupported[random.Next(Unsupported.Length)]}{a})",
            < 15 => $"({Condition(depth - 1)} ? {a} : {Expression(depth - 1)})",
            15 => $"Helper({a}, {Expression(depth - 1)})",
            16 => $"(double){a}",
            17 => random.Next(4) == 0 ? $"{a} % 2.0" : $"Math.Pow({a}, 2)",
            18 => random.Next(4) == 0 ? $"(int){a}" : $"({a} * {a})",
            _ => random.Next(4) == 0 ? $"M({a}{(_hasData ? ", y, t" : ", y")})" : $"{a} / {Leaf()}",
        };
    }

    private string Condition(int depth) => random.Next(6) switch
    {
        0 => $"{Condition(0)} && {Condition(0)}",
        1 => $"!({Condition(0)})",
        2 when depth > 0 => $"{Condition(depth - 1)} || {Expression(depth - 1)} > 0",
        _ => $"{Expression(depth)} {Comparisons[random.Next(Comparisons.Length)]} {Expression(depth)}",
    };

    private string Leaf()
    {
        var choice = random.Next(10);
        if (choice < 3 && _locals.Count > 0)
        {
            return _locals[random.Next(_locals.Count)];
        }

        if (choice < 6)
        {
            return _hasData && random.Next(3) == 0 ? "t" : random.Next(2) == 0 ? "x" : "y";
        }

        return Literals[random.Next(Literals.Length)];
    }
}

/// <summary>Runs the generator and the analyzer over fuzz inputs, a compilation of many inputs at a time, and collects what went wrong.</summary>
internal static class FuzzRunner
{
    public const int InputsPerCompilation = 50;

    private static readonly Regex InputOfHint = new(@"^Fuzz(\d+)\.", RegexOptions.Compiled);

    public sealed record Failure(string Problem, string Input);

    public sealed record Report(int Compilations, int GeneratedFiles, int AnalyzerDiagnostics, ImmutableArray<Failure> Failures);

    public static Report Run(IReadOnlyList<string> inputs)
    {
        var batches = Enumerable.Range(0, (inputs.Count + InputsPerCompilation - 1) / InputsPerCompilation)
            .Select(b => inputs.Skip(b * InputsPerCompilation).Take(InputsPerCompilation).ToList())
            .ToList();

        var failures = new ConcurrentBag<(int Order, Failure Failure)>();
        var generatedFiles = 0;
        var analyzerDiagnostics = 0;
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var (generated, reported, batchFailures) = RunBatch(batches[b]);
            System.Threading.Interlocked.Add(ref generatedFiles, generated);
            System.Threading.Interlocked.Add(ref analyzerDiagnostics, reported);
            foreach (var failure in batchFailures)
            {
                failures.Add((b, failure));
            }
        });

        return new Report(batches.Count, generatedFiles, analyzerDiagnostics, [.. failures.OrderBy(f => f.Order).Select(f => f.Failure)]);
    }

    internal static (int Generated, int Reported, List<Failure> Failures) RunBatch(List<string> inputs)
    {
        var failures = new List<Failure>();

        // Each input in a namespace of its own, so that inputs cannot clash with one another.
        var trees = inputs.Select((input, i) => CSharpSyntaxTree.ParseText(
            $"namespace Fuzz{i}.Input;{Environment.NewLine}{input}",
            GeneratorHarness.ParseOptions,
            path: $"Fuzz{i}.cs")).ToArray();
        var compilation = CSharpCompilation.Create("Fuzz", trees, GeneratorHarness.References, GeneratorHarness.CompilationOptions);

        // The generator: no exception, and whatever it emits compiles.
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ObjectiveGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var outputCompilation, out var driverDiagnostics);
        var result = driver.GetRunResult().Results[0];
        if (result.Exception is { } exception)
        {
            // One input spoils the run of all: halve the batch until it is found.
            if (inputs.Count > 1)
            {
                return RunHalves(inputs);
            }

            failures.Add(new Failure($"the generator threw {exception.GetType().Name}: {exception.Message}{Environment.NewLine}{exception.StackTrace}", inputs[0]));
        }
        else if (driverDiagnostics.FirstOrDefault(d => d.Id is "CS8785" or "AD0001") is { } crash)
        {
            failures.Add(new Failure($"the generator failed: {crash}", string.Join(Environment.NewLine, inputs)));
        }

        var newErrorsInInputs = new Dictionary<int, List<Diagnostic>>();
        foreach (var generated in result.GeneratedSources)
        {
            var index = int.Parse(InputOfHint.Match(generated.HintName).Groups[1].Value, CultureInfo.InvariantCulture);
            var errors = outputCompilation.GetSemanticModel(generated.SyntaxTree).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToList();

            // Declaration errors the generated code causes in the input's own file (a clash) count too.
            if (!newErrorsInInputs.TryGetValue(index, out var newErrors))
            {
                var before = compilation.GetSemanticModel(trees[index]).GetDeclarationDiagnostics().Select(Key).ToHashSet();
                newErrors = [.. outputCompilation.GetSemanticModel(trees[index]).GetDeclarationDiagnostics()
                    .Where(d => d.Severity == DiagnosticSeverity.Error && !before.Contains(Key(d)))];
                newErrorsInInputs[index] = newErrors;
                errors.AddRange(newErrors);
            }

            if (errors.Count > 0)
            {
                failures.Add(new Failure(
                    $"generated {generated.HintName} does not compile:{Environment.NewLine}{GeneratorRun.Format(errors)}{Environment.NewLine}{generated.SourceText}",
                    inputs[index]));
            }
        }

        // The analyzer: no exception, reported or thrown.
        var analyzerExceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (e, _, _) => analyzerExceptions.Add(e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false,
            analyzerExceptionFilter: _ => true);
        var analyzerDiagnostics = compilation.WithAnalyzers([new ObjectiveAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var compilerErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is not null).ToList();
        if (!analyzerExceptions.IsEmpty && inputs.Count > 1)
        {
            return RunHalves(inputs);
        }

        foreach (var e in analyzerExceptions.Distinct())
        {
            failures.Add(new Failure($"the analyzer threw {e}", inputs[0]));
        }

        foreach (var diagnostic in analyzerDiagnostics.Where(d => d.Id == "AD0001" || !d.Id.StartsWith("OPTDSL", StringComparison.Ordinal)))
        {
            failures.Add(new Failure($"the analyzer failed: {diagnostic}", diagnostic.Location.SourceTree is { } tree ? inputs[Array.IndexOf(trees, tree)] : string.Join(Environment.NewLine, inputs)));
        }

        failures.AddRange(VectorIndexFailures(trees, inputs, compilerErrors, analyzerDiagnostics));

        // The two agree: an objective the analyzer reports an error for is not generated (OPTDSL003
        // drops only the optimizer). Not the converse: code the compiler rejects gets neither.
        var rejected = analyzerDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "OPTDSL003" && d.Location.SourceTree is not null)
            .Select(d => (Input: Array.IndexOf(trees, d.Location.SourceTree), Objective: ObjectiveOf(d), Diagnostic: d))
            .ToList();
        foreach (var generated in result.GeneratedSources)
        {
            var index = int.Parse(InputOfHint.Match(generated.HintName).Groups[1].Value, CultureInfo.InvariantCulture);
            var objective = DiagnosticTests.ObjectiveOf(generated.HintName);
            if (rejected.FirstOrDefault(r => r.Input == index && r.Objective == objective).Diagnostic is { } error)
            {
                failures.Add(new Failure($"generated {generated.HintName} although the analyzer reports {error}", inputs[index]));
            }
        }

        failures.AddRange(UnexplainedObjectives(compilerErrors, outputCompilation, trees, inputs, analyzerDiagnostics));
        return (result.GeneratedSources.Length, analyzerDiagnostics.Length, failures);
    }

    /// <summary>
    /// A vector input (<see cref="RandomVectorObjective"/>) is valid C#, and its only OPTDSL errors are OPTDSL008: at the
    /// first index out of range, and elsewhere only at indexes its interpreter found out of range, each once. One without
    /// such an index has no error at all.
    /// </summary>
    private static IEnumerable<Failure> VectorIndexFailures(
        SyntaxTree[] trees, List<string> inputs, List<Diagnostic> compilerErrors, ImmutableArray<Diagnostic> analyzerDiagnostics)
    {
        for (var i = 0; i < trees.Length; i++)
        {
            if (!inputs[i].StartsWith(RandomVectorObjective.Header, StringComparison.Ordinal))
            {
                continue;
            }

            var tree = trees[i];
            var errors = compilerErrors.Where(d => d.Location.SourceTree == tree)
                .Concat(analyzerDiagnostics.Where(d => d.Location.SourceTree == tree && d.Severity == DiagnosticSeverity.Error))
                .ToList();
            var expectations = RandomVectorObjective.Expectations(tree);
            var expected = expectations.Select(e => e.Span).OrderBy(s => s.Start).ToList();
            var reported = errors.Where(d => d.Id == "OPTDSL008").Select(d => d.Location.SourceSpan).OrderBy(s => s.Start).ToList();
            if (errors.Any(d => d.Id != "OPTDSL008"))
            {
                yield return new Failure($"a vector input has errors other than OPTDSL008:{Environment.NewLine}{GeneratorRun.Format(errors)}", inputs[i]);
            }
            else if (reported.Except(expected).Any()
                || reported.Distinct().Count() != reported.Count
                || expectations.Any(e => e.First && !reported.Contains(e.Span)))
            {
                var text = tree.GetText();
                string Show(List<TextSpan> spans) => spans.Count == 0 ? "nowhere" : string.Join(", ", spans.Select(s => $"'{text.ToString(s)}' {s}"));
                yield return new Failure($"OPTDSL008 expected at {Show(expected)}, reported at {Show(reported)}", inputs[i]);
            }
        }
    }

    /// <summary>
    /// The invariant "generated, or a diagnostic says why": every <c>[Objective]</c> method with a body
    /// either has its generated gradient, or an error explains why not: an OPTDSL error or a compiler
    /// error inside the method, an OPTDSL error elsewhere that names it, or a compiler error in its
    /// file outside every method body (a broken type or namespace declaration around it).
    /// </summary>
    private static IEnumerable<Failure> UnexplainedObjectives(
        List<Diagnostic> compilerErrors, Compilation outputCompilation, SyntaxTree[] trees, List<string> inputs, ImmutableArray<Diagnostic> analyzerDiagnostics)
    {
        var optdslErrors = analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is not null).ToList();
        for (var i = 0; i < trees.Length; i++)
        {
            var tree = trees[i];
            var model = outputCompilation.GetSemanticModel(tree);
            var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
            var inFile = compilerErrors.Where(d => d.Location.SourceTree == tree).ToList();
            var outsideBodies = inFile.Any(d => !methods.Any(m => m.FullSpan.Contains(d.Location.SourceSpan)));
            foreach (var method in methods.Where(m => m.Body is not null || m.ExpressionBody is not null))
            {
                if (model.GetDeclaredSymbol(method) is not { } symbol
                    || !symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "OptimDsl.ObjectiveAttribute"))
                {
                    continue;
                }

                var generated = symbol.ContainingType.GetMembers(symbol.Name + "Gradient")
                    .Any(m => m.DeclaringSyntaxReferences.Any(r => !trees.Contains(r.SyntaxTree)));
                var explained = outsideBodies
                    || inFile.Any(d => method.FullSpan.IntersectsWith(d.Location.SourceSpan))
                    || optdslErrors.Any(d => d.Location.SourceTree == tree
                        && (method.FullSpan.IntersectsWith(d.Location.SourceSpan) || d.GetMessage(CultureInfo.InvariantCulture).Contains("'" + symbol.Name + "'")));
                if (!generated && !explained)
                {
                    yield return new Failure($"objective '{symbol.Name}' was neither generated nor explained by a diagnostic", inputs[i]);
                }
            }
        }
    }

    private static (int Generated, int Reported, List<Failure> Failures) RunHalves(List<string> inputs)
    {
        var first = RunBatch(inputs.GetRange(0, inputs.Count / 2));
        var second = RunBatch(inputs.GetRange(inputs.Count / 2, inputs.Count - (inputs.Count / 2)));
        return (first.Generated + second.Generated, first.Reported + second.Reported, [.. first.Failures, .. second.Failures]);
    }

    /// <summary>The objective a diagnostic is about: the method it is in, or the one its message names ("… the gradient of 'M' …").</summary>
    private static string? ObjectiveOf(Diagnostic diagnostic)
    {
        var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
        {
            return method.Identifier.ValueText;
        }

        return NamedObjective.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture)) is { Success: true } match ? match.Groups[1].Value : null;
    }

    private static readonly Regex NamedObjective = new("of '([^']*)'", RegexOptions.Compiled);

    private static (string Id, int Start, int Length) Key(Diagnostic diagnostic)
        => (diagnostic.Id, diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
}
