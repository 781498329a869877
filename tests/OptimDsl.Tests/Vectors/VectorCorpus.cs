using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using OptimDsl.Tests.Infrastructure;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// A parameter of a vector-corpus objective: a scalar (<see cref="Length"/> 0) or a
/// <c>[Length(N)] ReadOnlySpan&lt;double&gt;</c> vector, trained or <c>[Data]</c>, and the interval
/// its test values are drawn from.
/// </summary>
/// <param name="Length">0 for a <c>double</c>, N for a vector of N values.</param>
/// <param name="Draw">Draws the parameter's values itself (for example a one-hot label) instead of the interval.</param>
internal sealed record VectorParam(string Name, int Length, bool IsData, double Low, double High, Func<Random, double[]>? Draw = null)
{
    public bool IsVector => Length > 0;

    /// <summary>How many values the parameter holds: 1 for a scalar.</summary>
    public int Width => Math.Max(1, Length);

    public double[] Sample(Random random)
        => Draw?.Invoke(random) ?? Enumerable.Range(0, Width).Select(_ => Low + (High - Low) * random.NextDouble()).ToArray();
}

/// <summary>
/// One objective of the vector corpus. Trained values are laid out flat in declaration order (a
/// vector contributing its N values in a row), as the generated flat overload takes them; one
/// sample's data is laid out the same way over the data parameters.
/// </summary>
/// <param name="Group">The compilation it belongs to (see <see cref="VectorCorpus.Sources"/>).</param>
/// <param name="Type">Full name of the containing type (no nesting: the same in C# and in reflection).</param>
internal sealed record VectorCase(string Group, string Type, string Method, VectorParam[] Params)
{
    public VectorParam[] Trained => Params.Where(p => !p.IsData).ToArray();

    public VectorParam[] Data => Params.Where(p => p.IsData).ToArray();

    public bool HasData => Params.Any(p => p.IsData);

    /// <summary>The number of trained values: <c>MParameterCount</c>, the length of the flat spans.</summary>
    public int TrainedCount => Trained.Sum(p => p.Width);

    /// <summary>The number of data values of one sample.</summary>
    public int SampleWidth => Data.Sum(p => p.Width);

    public bool HasVector => Params.Any(p => p.IsVector);

    /// <summary>
    /// Whether the named overload exists (README / SPEC §8): it is left out where it would have the
    /// parameter types of the flat or data overload, that is when the only trained parameter is a
    /// vector and every data parameter is a vector too (or there is none).
    /// </summary>
    public bool HasNamed => !(Trained is [{ IsVector: true }] && Data.All(p => p.IsVector));

    /// <summary>The names of the trained values, component by component (w[0], w[1], b, …), for messages.</summary>
    public string[] TrainedNames => Trained
        .SelectMany(p => p.IsVector ? Enumerable.Range(0, p.Length).Select(i => $"{p.Name}[{i}]") : [p.Name])
        .ToArray();

    public override string ToString() => Method;
}

/// <summary>A test point: the trained values and, for an objective with data, 5 to 7 samples.</summary>
internal sealed record VectorPoint(double[] Theta, double[][] Samples)
{
    public override string ToString()
        => "θ = (" + string.Join(", ", Theta.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ")"
            + (Samples.Length == 0 ? "" : $" over {Samples.Length} samples");
}

/// <summary>
/// A compiled and loaded corpus group, with the test's wrappers reached through reflection (spans
/// cannot be passed by reflection: the wrappers take arrays and slice them by the layout).
/// </summary>
internal sealed class CompiledVectorGroup(IReadOnlyList<Diagnostic> warningsAndErrors, LoadedAssembly? assembly, Exception? loadError)
{
    /// <summary>Warnings and errors: of the generator run and of compiling its output (or, for the reference build, of the plain compilation).</summary>
    public IReadOnlyList<Diagnostic> WarningsAndErrors { get; } = warningsAndErrors;

    public LoadedAssembly Assembly => assembly ?? throw new InvalidOperationException(
        "The corpus group does not compile:" + Environment.NewLine + GeneratorRun.Format(WarningsAndErrors), loadError);

    private readonly ConcurrentDictionary<string, MethodInfo> _methods = new();

    private MethodInfo Wrapper(string name)
        => _methods.GetOrAdd(name, n => Assembly.GetType(VectorCorpus.WrapperType)
            .GetMethod(n, BindingFlags.Static | BindingFlags.Public)
            ?? throw new InvalidOperationException($"No wrapper {n}."));

    private object? Call(string name, params object?[] arguments)
    {
        try
        {
            return Wrapper(name).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The user's own method on one sample (an empty sample without data).</summary>
    public double Value(VectorCase c, double[] theta, double[] sample)
        => (double)Call(c.Method + VectorCorpus.ValueSuffix, theta, sample)!;

    /// <summary>The user's method at <paramref name="theta"/>: its mean over the point's samples where it has data.</summary>
    public double MeanValue(VectorCase c, double[] theta, double[][] samples)
        => c.HasData ? samples.Average(s => Value(c, theta, s)) : Value(c, theta, []);

    /// <summary>The generated flat overload <c>MGradient(parameters, gradient)</c> (no data).</summary>
    public double Flat(VectorCase c, double[] theta, double[] gradient)
        => (double)Call(c.Method + VectorCorpus.FlatSuffix, theta, gradient)!;

    /// <summary>The generated data overload <c>MGradient(parameters, d1, …, gradient)</c>: mean loss, mean gradient.</summary>
    public double DataMean(VectorCase c, double[] theta, double[][] samples, double[] gradient)
        => (double)Call(c.Method + VectorCorpus.DataSuffix, theta, VectorCorpus.DataSpans(c, samples), gradient)!;

    /// <summary>The generated value and gradient at a point: flat without data, the data overload's means with.</summary>
    public double Generated(VectorCase c, VectorPoint point, double[] gradient)
        => c.HasData ? DataMean(c, point.Theta, point.Samples, gradient) : Flat(c, point.Theta, gradient);

    /// <summary>The generated named overload on one sample, its gradient spans and outs written into <paramref name="gradient"/> by the layout.</summary>
    public double Named(VectorCase c, double[] theta, double[] sample, double[] gradient)
        => (double)Call(c.Method + VectorCorpus.NamedSuffix, theta, sample, gradient)!;

    /// <summary>The generated constant <c>MParameterCount</c>.</summary>
    public int ParameterCount(VectorCase c) => (int)Call(c.Method + VectorCorpus.CountSuffix)!;
}

/// <summary>
/// The vector-objective corpus of issue 11: objectives written as a user writes them (README,
/// Vectors and loops; SPEC §8), in a few in-memory compilations, each run through the generator
/// once per test run and shared by every test. A wrapper class generated here per group takes
/// arrays and calls the user's method with slices by the layout, and the generated flat, data and
/// named overloads. The same sources are also compiled without the generator (only the wrappers
/// of the user's methods), to check the corpus and the hand-derived gradients on their own.
/// </summary>
internal static partial class VectorCorpus
{
    public const string WrapperType = "Corpus.Vectors.Harness.Wrappers";
    public const string ValueSuffix = "__Value";
    public const string FlatSuffix = "__Flat";
    public const string DataSuffix = "__Data";
    public const string NamedSuffix = "__Named";
    public const string CountSuffix = "__Count";

    private static VectorParam S(string name, double low, double high) => new(name, 0, false, low, high);

    private static VectorParam V(string name, int length, double low, double high) => new(name, length, false, low, high);

    private static VectorParam DS(string name, double low, double high) => new(name, 0, true, low, high);

    private static VectorParam DV(string name, int length, double low, double high) => new(name, length, true, low, high);

    /// <summary>A class label in {0, 1}.</summary>
    private static VectorParam Label(string name) => new(name, 0, true, 0, 1, r => [r.Next(2)]);

    /// <summary>A one-hot label of <paramref name="classes"/> classes.</summary>
    private static VectorParam OneHot(string name, int classes)
        => new(name, classes, true, 0, 1, r =>
        {
            var y = new double[classes];
            y[r.Next(classes)] = 1;
            return y;
        });

    private const string Models = "Corpus.Vectors.Models.Regression";
    private const string Loops = "Corpus.Vectors.Loops.Loops";
    private const string Helpers = "Corpus.Vectors.Slices.Helpers";
    private const string Sliced = "Corpus.Vectors.Slices.Sliced";
    private const string Control = "Corpus.Vectors.Control.ScalarControl";

    public static readonly VectorCase[] Cases =
    [
        // Models: per-sample losses with data rows (checked through the data overload).
        new("Models", Models, "Dot", [V("a", 3, -2, 2), V("b", 3, -2, 2)]),
        new("Models", Models, "Linear", [V("w", 4, -2, 2), S("b", -1, 1), DV("x", 4, -2, 2), DS("y", -3, 3)]),
        new("Models", Models, "Ridge", [S("b", -1, 1), V("w", 4, -2, 2), DV("x", 4, -2, 2), DS("y", -3, 3)]),
        new("Models", Models, "Logistic", [V("w", 3, -1.5, 1.5), S("b", -1, 1), DV("x", 3, -2, 2), Label("y")]),
        new("Models", Models, "Softmax", [V("w", 6, -1.5, 1.5), V("b", 3, -1, 1), DV("x", 2, -2, 2), OneHot("y", 3)]),
        new("Models", Models, "Polynomial", [V("c", 5, -1, 1), DS("x", -1.5, 1.5), DS("y", -2, 2)]),
        new("Models", Models, "TanhNet",
            [V("w1", 12, -1, 1), V("b1", 4, -0.5, 0.5), V("w2", 4, -1, 1), S("b2", -0.5, 0.5), DV("input", 3, -1.5, 1.5), DS("target", -1, 1)]),
        new("Models", Models, "ReluNet", [V("w1", 6, -1, 1), V("b1", 3, -0.5, 0.5), V("w2", 6, -1, 1), DV("x", 2, -2, 2), DV("t", 2, -1, 1)]),
        new("Models", Models, "Interleaved",
            [DS("scale", 0.5, 2), V("a", 2, -1, 1), DV("x", 3, -1.5, 1.5), S("c", -1, 1), V("d", 3, -1, 1), DS("y", -1, 1)]),
        new("Models", Models, "SplitFeatures", [V("u", 3, -1, 1), S("bias", -1, 1), V("v", 3, -1, 1), DV("x", 6, -1.5, 1.5), DS("y", -2, 2)]),

        // Loops: nested, triangular, decreasing, strided and <=/>= loops; int index locals; long and length-1 vectors.
        new("Loops", Loops, "UpperQuadratic", [V("x", 5, -2, 2)]),
        new("Loops", Loops, "PackedLower", [V("l", 6, -1.5, 1.5), S("scale", -1, 1)]),
        new("Loops", Loops, "Pairwise", [V("p", 5, -2, 2)]),
        new("Loops", Loops, "Shifted", [V("w", 6, -1, 3)]),
        new("Loops", Loops, "Countdown", [S("a", -1.2, 1.2), V("w", 7, -1, 1)]),
        new("Loops", Loops, "Strided", [V("w", 9, -1.5, 1.5), S("bias", -1, 1)]),
        new("Loops", Loops, "Tridiagonal", [V("x", 6, -2, 2), S("coupling", -1, 1)]),
        new("Loops", Loops, "IndexLocals", [V("w", 8, -2, 2)]),
        new("Loops", Loops, "Single", [V("w", 1, -1, 1), S("x", -1, 1)]),
        new("Loops", Loops, "Lone", [V("w", 1, -2, 2)]),
        new("Loops", Loops, "Chain", [V("w", 40, -1.5, 1.5)]),

        // Slices, local vectors and helper objectives (nested calls; a helper with a data row called with trained values).
        new("Slices", Helpers, "Norm2", [V("v", 4, -2, 2)]),
        new("Slices", Helpers, "Smooth", [V("v", 4, -2, 2)]),
        new("Slices", Helpers, "Dot3", [V("a", 3, -2, 2), V("b", 3, -2, 2)]),
        new("Slices", Helpers, "Misfit", [V("p", 2, -2, 2), DV("target", 2, -2, 2)]),
        new("Slices", Sliced, "Slices", [V("w", 10, -1.5, 1.5)]),
        new("Slices", Sliced, "SliceOfSlice", [V("w", 8, -1.5, 1.5), S("shift", -1, 1)]),
        new("Slices", Sliced, "LocalVector", [V("w", 5, -1.5, 1.5), S("c", -1.5, 1.5)]),
        new("Slices", Sliced, "Scalars", [S("a", -1.5, 1.5), V("u", 2, -1.5, 1.5), S("b", -1.5, 1.5), V("v", 3, -1.5, 1.5), S("c", -1, 1)]),
        new("Slices", Sliced, "RowHelpers", [V("w", 6, -1.5, 1.5), S("b", -1, 1), DV("x", 3, -1.5, 1.5), DV("target", 2, -1, 1)]),

        // Control: scalar objectives through the same harness (what the generator already supports):
        // when these pass and the vector groups fail, the failure is the generator's, not the harness's.
        new("Control", Control, "Bowl", [S("a", -2, 2), S("b", -2, 2)]),
        new("Control", Control, "Line", [DS("x", -2, 2), S("w", -2, 2), DS("y", -3, 3), S("b", -2, 2)]),
    ];

    public static VectorCase Get(string method) => Cases.Single(c => c.Method == method);

    public static IEnumerable<string> GroupNames => Cases.Select(c => c.Group).Distinct();

    // ---- compilation ----

    private static readonly ConcurrentDictionary<string, Lazy<CompiledVectorGroup>> Generated = new();
    private static readonly ConcurrentDictionary<string, Lazy<CompiledVectorGroup>> References = new();

    /// <summary>The group run through the generator, with every wrapper (user's method and generated overloads).</summary>
    public static CompiledVectorGroup Compiled(string group)
        => Generated.GetOrAdd(group, g => new Lazy<CompiledVectorGroup>(() => CompileWithGenerator(g))).Value;

    public static CompiledVectorGroup Compiled(VectorCase c) => Compiled(c.Group);

    /// <summary>The group's sources compiled as plain C#, without the generator, with only the wrappers of the user's methods.</summary>
    public static CompiledVectorGroup Reference(string group)
        => References.GetOrAdd(group, g => new Lazy<CompiledVectorGroup>(() => CompileReference(g))).Value;

    public static CompiledVectorGroup Reference(VectorCase c) => Reference(c.Group);

    private static CompiledVectorGroup CompileWithGenerator(string group)
    {
        var sources = Sources[group].Append(Wrappers(Cases.Where(c => c.Group == group), generated: true)).ToArray();
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), sources);
        Diagnostic[] diagnostics = [.. run.WarningsAndErrors];
        try
        {
            return new CompiledVectorGroup(diagnostics, run.Load(), null);
        }
        catch (InvalidOperationException e)
        {
            return new CompiledVectorGroup(diagnostics, null, e);
        }
    }

    private static CompiledVectorGroup CompileReference(string group)
    {
        var sources = Sources[group].Append(Wrappers(Cases.Where(c => c.Group == group), generated: false)).ToArray();
        var compilation = GeneratorHarness.CreateNamedCompilation("VectorCorpusReference" + group, sources);
        Diagnostic[] diagnostics = [.. compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        try
        {
            return new CompiledVectorGroup(diagnostics, LoadedAssembly.Emit(compilation), null);
        }
        catch (InvalidOperationException e)
        {
            return new CompiledVectorGroup(diagnostics, null, e);
        }
    }

    /// <summary>
    /// The wrapper class of a group: per objective M, static methods taking arrays, sliced by the
    /// case's layout (t: trained values, s: one sample's data, d: one array per data parameter
    /// holding every sample's values back to back, g: the gradient):
    /// <c>M__Value(t, s)</c> calls the user's M; with <paramref name="generated"/> also
    /// <c>M__Flat(t, g)</c> or <c>M__Data(t, d, g)</c>, <c>M__Named(t, s, g)</c> where the named
    /// overload exists, and <c>M__Count()</c> returning the constant <c>MParameterCount</c>.
    /// Every argument is a typed span (or a double, or an out), so overload resolution picks the
    /// overload the wrapper means.
    /// </summary>
    public static string Wrappers(IEnumerable<VectorCase> cases, bool generated)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine();
        text.AppendLine("namespace Corpus.Vectors.Harness;");
        text.AppendLine();
        text.AppendLine("public static class Wrappers");
        text.AppendLine("{");
        foreach (var c in cases)
        {
            var type = "global::" + c.Type;
            var arguments = new List<string>();
            var outputs = new List<string>();
            int t = 0, s = 0;
            foreach (var p in c.Params)
            {
                var (array, offset) = p.IsData ? ("s", s) : ("t", t);
                arguments.Add(p.IsVector ? $"new ReadOnlySpan<double>({array}, {offset}, {p.Length})" : $"{array}[{offset}]");
                if (!p.IsData)
                {
                    outputs.Add(p.IsVector ? $"new Span<double>(g, {t}, {p.Length})" : $"out g[{t}]");
                }

                if (p.IsData)
                {
                    s += p.Width;
                }
                else
                {
                    t += p.Width;
                }
            }

            var m = c.Method;
            text.AppendLine($"    public static double {m}{ValueSuffix}(double[] t, double[] s) => {type}.{m}({string.Join(", ", arguments)});");
            if (!generated)
            {
                continue;
            }

            if (c.HasData)
            {
                var spans = string.Concat(c.Data.Select((_, k) => $"new ReadOnlySpan<double>(d[{k}]), "));
                text.AppendLine($"    public static double {m}{DataSuffix}(double[] t, double[][] d, double[] g) => {type}.{m}Gradient(new ReadOnlySpan<double>(t), {spans}new Span<double>(g));");
            }
            else
            {
                text.AppendLine($"    public static double {m}{FlatSuffix}(double[] t, double[] g) => {type}.{m}Gradient(new ReadOnlySpan<double>(t), new Span<double>(g));");
            }

            if (c.HasNamed)
            {
                text.AppendLine($"    public static double {m}{NamedSuffix}(double[] t, double[] s, double[] g) => {type}.{m}Gradient({string.Join(", ", arguments.Concat(outputs))});");
            }

            text.AppendLine($"    public static int {m}{CountSuffix}() {{ const int count = {type}.{m}ParameterCount; return count; }}");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    // ---- test points ----

    /// <summary>A deterministic random source per objective, so that every test sees the same points.</summary>
    public static Random RandomFor(VectorCase c, int salt = 0)
    {
        var seed = 1103 + salt;
        foreach (var ch in c.Method)
        {
            seed = unchecked(seed * 31 + ch);
        }

        return new Random(seed);
    }

    /// <summary>Trained values drawn from their intervals, flat in declaration order.</summary>
    public static double[] DrawTheta(VectorCase c, Random random) => c.Trained.SelectMany(p => p.Sample(random)).ToArray();

    /// <summary>One sample's data values, flat in declaration order.</summary>
    public static double[] DrawSample(VectorCase c, Random random) => c.Data.SelectMany(p => p.Sample(random)).ToArray();

    /// <summary>Three test points; an objective with data gets 5, 6 and 7 samples.</summary>
    public static VectorPoint[] Points(VectorCase c)
    {
        var random = RandomFor(c);
        return Enumerable.Range(0, 3).Select(i =>
        {
            var theta = DrawTheta(c, random);
            var samples = c.HasData
                ? Enumerable.Range(0, 5 + i).Select(_ => DrawSample(c, random)).ToArray()
                : [];
            return new VectorPoint(theta, samples);
        }).ToArray();
    }

    /// <summary>
    /// The data overload's spans: per data parameter, every sample's values back to back (a row of
    /// N values per sample for a vector, one value per sample for a scalar).
    /// </summary>
    public static double[][] DataSpans(VectorCase c, double[][] samples)
    {
        var spans = new double[c.Data.Length][];
        var offset = 0;
        for (var k = 0; k < c.Data.Length; k++)
        {
            var width = c.Data[k].Width;
            spans[k] = samples.SelectMany(s => s.Skip(offset).Take(width)).ToArray();
            offset += width;
        }

        return spans;
    }
}

/// <summary>The vector corpus's sources, by group: each group is one compilation.</summary>
internal static partial class VectorCorpus
{
    public static readonly IReadOnlyDictionary<string, string[]> Sources = new Dictionary<string, string[]>
    {
        ["Models"] = [ModelsSource],
        ["Loops"] = [LoopsSource],
        ["Slices"] = [HelpersSource, SlicedSource],
        ["Control"] = [ControlSource],
    };

    private const string ModelsSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Vectors.Models;

        // Small models a user trains on data: one sample's loss per call, the training loss is the mean.
        public static partial class Regression
        {
            public const int Features = 4;
            public const int Inputs = 3;
            public const int Hidden = 4;
            private const double Lambda = 0.1;

            [Objective]
            public static double Dot([Length(3)] ReadOnlySpan<double> a, [Length(3)] ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            // Least squares: prediction w·x + b.
            [Objective]
            public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                        [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double prediction = b;
                for (int i = 0; i < w.Length; i++)
                    prediction += w[i] * x[i];
                double r = prediction - y;
                return r * r;
            }

            // Ridge regression: the bias first, an L2 penalty on the weights only.
            [Objective]
            public static double Ridge(double b, [Length(Features)] ReadOnlySpan<double> w,
                                       [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double r = b - y;
                double penalty = 0;
                for (int i = 0; i < Features; i++)
                {
                    r += w[i] * x[i];
                    penalty += w[i] * w[i];
                }
                return 0.5 * r * r + Lambda * penalty;
            }

            // Logistic regression, y in {0, 1}: softplus(z) − y·z, softplus written so that it never overflows.
            [Objective]
            public static double Logistic([Length(3)] ReadOnlySpan<double> w, double b,
                                          [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
            {
                double z = b;
                for (int i = 0; i < 3; i++)
                    z += w[i] * x[i];
                double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                return softplus - y * z;
            }

            // Three-class softmax cross-entropy on two features; w is 3×2 row-major; y is one-hot.
            [Objective]
            public static double Softmax([Length(6)] ReadOnlySpan<double> w, [Length(3)] ReadOnlySpan<double> b,
                                         [Data, Length(2)] ReadOnlySpan<double> x, [Data, Length(3)] ReadOnlySpan<double> y)
            {
                Span<double> z = stackalloc double[3];
                for (int k = 0; k < 3; k++)
                {
                    z[k] = b[k];
                    for (int i = 0; i < 2; i++)
                        z[k] += w[k * 2 + i] * x[i];
                }
                double m = Math.Max(z[0], Math.Max(z[1], z[2]));
                double sum = 0;
                for (int k = 0; k < 3; k++)
                    sum += Math.Exp(z[k] - m);
                double logSumExp = m + Math.Log(sum);
                double loss = 0;
                for (int k = 0; k < 3; k++)
                    loss += y[k] * (logSumExp - z[k]);
                return loss;
            }

            // A degree-4 polynomial fit: the power of x is kept running.
            [Objective]
            public static double Polynomial([Length(5)] ReadOnlySpan<double> c, [Data] double x, [Data] double y)
            {
                double p = 1;
                double fit = 0;
                for (int k = 0; k < c.Length; k++)
                {
                    fit += c[k] * p;
                    p *= x;
                }
                double r = fit - y;
                return r * r;
            }

            // Two layers: 3 inputs, 4 tanh hidden units (w1 is 4×3 row-major), one linear output.
            [Objective]
            public static double TanhNet([Length(Hidden * Inputs)] ReadOnlySpan<double> w1, [Length(Hidden)] ReadOnlySpan<double> b1,
                                         [Length(Hidden)] ReadOnlySpan<double> w2, double b2,
                                         [Data, Length(Inputs)] ReadOnlySpan<double> input, [Data] double target)
            {
                Span<double> hidden = stackalloc double[Hidden];
                for (int j = 0; j < Hidden; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < Inputs; i++)
                        s += w1[j * Inputs + i] * input[i];
                    hidden[j] = Math.Tanh(s);
                }
                double output = b2;
                for (int j = 0; j < w2.Length; j++)
                    output += w2[j] * hidden[j];
                double e = output - target;
                return 0.5 * e * e;
            }

            // 2 inputs, 3 ReLU units, 2 linear outputs (w2 is 2×3 row-major), squared error on a target row.
            [Objective]
            public static double ReluNet([Length(6)] ReadOnlySpan<double> w1, [Length(3)] ReadOnlySpan<double> b1,
                                         [Length(6)] ReadOnlySpan<double> w2,
                                         [Data, Length(2)] ReadOnlySpan<double> x, [Data, Length(2)] ReadOnlySpan<double> t)
            {
                Span<double> h = stackalloc double[3];
                for (int j = 0; j < 3; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < 2; i++)
                        s += w1[2 * j + i] * x[i];
                    h[j] = Math.Max(0, s);
                }
                double loss = 0;
                for (int k = 0; k < 2; k++)
                {
                    double o = 0;
                    for (int j = 0; j < 3; j++)
                        o += w2[3 * k + j] * h[j];
                    loss += (o - t[k]) * (o - t[k]);
                }
                return loss;
            }

            // Data and trained, scalar and vector, in any order: a data scalar first, a data scalar last.
            [Objective]
            public static double Interleaved([Data] double scale, [Length(2)] ReadOnlySpan<double> a,
                                             [Data, Length(3)] ReadOnlySpan<double> x, double c,
                                             [Length(3)] ReadOnlySpan<double> d, [Data] double y)
            {
                double s = c * scale;
                for (int i = 0; i < 3; i++)
                    s += d[i] * x[i];
                s += a[0] * x[0] * x[1] + a[1] * x[2];
                double r = s - y;
                return Math.Log(1 + r * r);
            }

            // The feature row split in two by slices, each half passed to a helper objective.
            [Objective]
            public static double SplitFeatures([Length(3)] ReadOnlySpan<double> u, double bias, [Length(3)] ReadOnlySpan<double> v,
                                               [Data, Length(6)] ReadOnlySpan<double> x, [Data] double y)
            {
                double linear = Dot(u, x[..3]);
                double gate = Math.Tanh(Dot(x[3..], v));
                double r = linear + gate + bias - y;
                return r * r;
            }
        }
        """;

    private const string LoopsSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Vectors.Loops;

        public static partial class Loops
        {
            private const int ChainLength = 40;

            // xᵀAx over the upper triangle (j from i), A_ij = 1 / (1 + i + j): loop variables used as doubles.
            [Objective]
            public static double UpperQuadratic([Length(5)] ReadOnlySpan<double> x)
            {
                double q = 0;
                for (int i = 0; i < x.Length; i++)
                    for (int j = i; j < x.Length; j++)
                        q += x[i] * x[j] / (1 + i + j);
                return q;
            }

            // A lower-triangular 3×3 matrix packed row by row, walked with an int index local; u_j = j + 1.
            [Objective]
            internal static double PackedLower([Length(6)] ReadOnlySpan<double> l, double scale)
            {
                double loss = 0;
                int k = 0;
                for (int i = 0; i < 3; i++)
                {
                    double row = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        row += l[k] * (j + 1);
                        k += 1;
                    }
                    loss += row * row;
                }
                for (int i = 0; i < 3; i++)
                {
                    double diagonal = l[i * (i + 1) / 2 + i];
                    loss += scale * diagonal * diagonal;
                }
                return loss + scale * scale;
            }

            // Every pair once (j < i): a repulsion between points on a line, and a pull to the origin.
            [Objective]
            public static double Pairwise([Length(5)] ReadOnlySpan<double> p)
            {
                double s = 0;
                for (int i = 1; i < 5; i++)
                {
                    s += 0.1 * p[i] * p[i];
                    for (int j = 0; j < i; j++)
                    {
                        double d = p[i] - p[j];
                        s -= Math.Log(1 + d * d);
                    }
                }
                return s + 0.1 * p[0] * p[0];
            }

            // Weighted distance to the targets 0, 0.5, 1, …: compile-time integers as doubles; i <= b.
            [Objective]
            public static double Shifted([Length(6)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i <= 5; i++)
                {
                    double d = w[i] - 0.5 * i;
                    s += (i + 1) * d * d + w[i] * Math.Exp(-0.25 * i);
                }
                return s;
            }

            // Horner's rule from the top coefficient down (i >= 0, i--), then every other pair (i -= 2).
            [Objective]
            public static double Countdown(double a, [Length(7)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 6; i >= 0; i--)
                    s = s * a + w[i];
                double t = 0;
                for (int i = 6; i > 0; i -= 2)
                    t += w[i] * w[i - 1];
                return s * s + t;
            }

            // Groups of three (i += 3), then the middle of each group (i <= 7).
            [Objective]
            public static double Strided([Length(9)] ReadOnlySpan<double> w, double bias)
            {
                double s = 0;
                for (int i = 0; i < 9; i += 3)
                {
                    double g = w[i] * w[i + 1] - w[i + 2];
                    s += g * g;
                }
                for (int i = 1; i <= 7; i += 3)
                    s += bias * w[i];
                return s + bias * bias;
            }

            // A chain with nearest-neighbour coupling: ++i up to <= 5, --i down to >= 1, and i -= 2 down to > 0.
            [Objective]
            public static double Tridiagonal([Length(6)] ReadOnlySpan<double> x, double coupling)
            {
                double s = 0;
                for (int i = 0; i <= 5; ++i)
                    s += x[i] * x[i];
                for (int i = 5; i >= 1; --i)
                    s += coupling * x[i] * x[i - 1];
                for (int i = 4; i > 0; i -= 2)
                    s += Math.Sin(x[i] + coupling);
                return s;
            }

            // Int index locals: k += 2 in a loop, m -= 1, and w.Length / 2.
            [Objective]
            public static double IndexLocals([Length(8)] ReadOnlySpan<double> w)
            {
                double s = 0;
                int k = 0;
                for (int i = 0; i < 4; i++)
                {
                    s += Math.Sin(w[k]) * Math.Cos(w[k + 1]);
                    k += 2;
                }
                int m = 7;
                m -= 1;
                s += w[m] * w[m - 5] * 0.25;
                int half = w.Length / 2;
                s += w[half] * w[half];
                return s;
            }

            // A vector of one value, beside a scalar.
            [Objective]
            public static double Single([Length(1)] ReadOnlySpan<double> w, double x) => Math.Cosh(w[0] - x) + w[0] * x * x;

            // A vector of one value, alone.
            [Objective]
            public static double Lone([Length(1)] ReadOnlySpan<double> w) => Math.Exp(w[0]) - 2 * w[0];

            // The extended Rosenbrock function over 40 trained values.
            [Objective]
            public static double Chain([Length(ChainLength)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < ChainLength - 1; i++)
                {
                    double a = w[i + 1] - w[i] * w[i];
                    double b = 1 - w[i];
                    s += 100 * a * a + b * b;
                }
                return s;
            }
        }
        """;

    private const string HelpersSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Vectors.Slices;

        // Helper objectives: generated in their own right, and differentiated through where they are called.
        public static partial class Helpers
        {
            public const int Width = 4;

            [Objective]
            public static double Norm2([Length(Width)] ReadOnlySpan<double> v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                    s += v[i] * v[i];
                return s;
            }

            // Calls another helper.
            [Objective]
            public static double Smooth([Length(Width)] ReadOnlySpan<double> v) => Math.Sqrt(1 + Norm2(v));

            [Objective]
            public static double Dot3([Length(3)] ReadOnlySpan<double> a, [Length(3)] ReadOnlySpan<double> b)
                => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

            // A helper with a data row; where it is called, its parameters bind to whatever is passed.
            [Objective]
            public static double Misfit([Length(2)] ReadOnlySpan<double> p, [Data, Length(2)] ReadOnlySpan<double> target)
            {
                double e0 = p[0] - target[0];
                double e1 = p[1] - target[1];
                return e0 * e0 + 2 * e1 * e1;
            }
        }
        """;

    private const string SlicedSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Vectors.Slices;

        public static partial class Sliced
        {
            // Every slice form, passed to helpers or stored in locals.
            [Objective]
            public static double Slices([Length(10)] ReadOnlySpan<double> w)
            {
                double a = Helpers.Norm2(w.Slice(0, 4));
                double b = Helpers.Smooth(w[3..7]);
                double c = Helpers.Norm2(w[^4..]);
                ReadOnlySpan<double> head = w[..2];
                ReadOnlySpan<double> tail = w[8..];
                return a + b * c / 10 + head[0] * tail[1] - head[1] * tail[0];
            }

            // Slices of slices; a trained slice passed to a helper's data row.
            [Objective]
            public static double SliceOfSlice([Length(8)] ReadOnlySpan<double> w, double shift)
            {
                ReadOnlySpan<double> middle = w[1..7];
                ReadOnlySpan<double> inner = middle.Slice(1, 4);
                double s = Helpers.Dot3(inner[..3], middle[^3..]);
                s += Helpers.Misfit(inner[2..], w[..2]);
                return s + shift * (w[7] - inner[3]);
            }

            // A local vector written with =, *=, +=, -=, /=, then passed whole and sliced to helpers.
            [Objective]
            public static double LocalVector([Length(5)] ReadOnlySpan<double> w, double c)
            {
                Span<double> h = stackalloc double[Helpers.Width];
                for (int j = 0; j < Helpers.Width; j++)
                {
                    h[j] = w[j] + w[j + 1];
                    h[j] *= c;
                    h[j] += 0.5 * j;
                }
                h[0] -= w[4];
                h[3] /= 1 + w[0] * w[0];
                return Helpers.Norm2(h) + Helpers.Smooth(h) + Helpers.Dot3(h[1..], w[2..]);
            }

            // Scalars before, between and after the vectors; an index i % 2.
            [Objective]
            public static double Scalars(double a, [Length(2)] ReadOnlySpan<double> u, double b, [Length(3)] ReadOnlySpan<double> v, double c)
            {
                double s = (a * u[0] - b) * (a * u[0] - b);
                for (int i = 0; i < 3; i++)
                    s += c * v[i] * u[i % 2];
                return s + Math.Exp(c * u[1]) + b * b * v[2];
            }

            // A data objective built from helpers: slices of the trained vector, the data row, a local vector.
            [Objective]
            public static double RowHelpers([Length(6)] ReadOnlySpan<double> w, double b,
                                            [Data, Length(3)] ReadOnlySpan<double> x, [Data, Length(2)] ReadOnlySpan<double> target)
            {
                Span<double> prediction = stackalloc double[2];
                prediction[0] = Helpers.Dot3(w[..3], x) + b;
                prediction[1] = Helpers.Dot3(x, w.Slice(3, 3)) - b;
                return Helpers.Misfit(prediction, target);
            }
        }
        """;

    private const string ControlSource = """
        using OptimDsl;

        namespace Corpus.Vectors.Control;

        public static partial class ScalarControl
        {
            [Objective]
            public static double Bowl(double a, double b) => (a - 1) * (a - 1) + 3 * (b + 0.5) * (b + 0.5) + a * b;

            [Objective]
            public static double Line([Data] double x, double w, [Data] double y, double b)
            {
                double r = w * x + b - y;
                return r * r;
            }
        }
        """;
}
