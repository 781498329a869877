using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Gradients;

/// <summary>A parameter of a corpus objective and the interval its test points are drawn from.</summary>
/// <param name="Signed">Draw |value| from [Low, High] and a random sign: keeps points away from a kink at 0.</param>
internal sealed record Param(string Name, bool IsData, double Low, double High, bool Signed = false)
{
    public double Sample(Random random)
    {
        var magnitude = Low + (High - Low) * random.NextDouble();
        return Signed && random.Next(2) == 0 ? -magnitude : magnitude;
    }
}

/// <summary>One objective of the corpus: where it lives, its parameters, and its gradient by hand where known.</summary>
/// <param name="Group">The compilation it belongs to (see <see cref="Corpus.Sources"/>).</param>
/// <param name="Type">Reflection name of the containing type (nested types as Outer+Inner).</param>
/// <param name="Kind">"class" or "struct": the innermost type's kind, for the test's own partial declarations.</param>
/// <param name="Hand">∇ over the trainable parameters, from all arguments (trainable and data, in order).</param>
internal sealed record Case(string Group, string Type, string Method, Param[] Params, Func<double[], double[]>? Hand = null, string Kind = "class")
{
    public string Name => Method;

    public Param[] Trainable => Params.Where(p => !p.IsData).ToArray();

    public Param[] Data => Params.Where(p => p.IsData).ToArray();

    public string SpanWrapper => "__Span_" + Method;

    public override string ToString() => Method;
}

/// <summary>A compiled and loaded corpus group, with reflection access to its objectives.</summary>
internal sealed class CompiledGroup(GeneratorRun run, LoadedAssembly? assembly, Exception? loadError)
{
    public GeneratorRun Run { get; } = run;

    public LoadedAssembly Assembly => assembly ?? throw new InvalidOperationException(
        "The corpus group does not compile:" + Environment.NewLine + GeneratorRun.Format(Run.WarningsAndErrors), loadError);

    private readonly ConcurrentDictionary<(string, string, int), MethodInfo> _methods = new();

    private MethodInfo Method(Case c, string name, int parameterCount)
        => _methods.GetOrAdd((c.Type, name, parameterCount), key =>
        {
            var candidates = Assembly.GetType(c.Type)
                .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(m => m.Name == name && m.GetParameters().Length == parameterCount && !m.GetParameters().Any(p => p.ParameterType.IsByRefLike) && !LoadedAssembly.IsGradientCore(m))
                .ToArray();
            return candidates.Length == 1
                ? candidates[0]
                : throw new InvalidOperationException($"{candidates.Length} methods {c.Type}.{name} with {parameterCount} parameters.");
        });

    private static object? Call(MethodInfo method, object?[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The user's own method: the reference value.</summary>
    public double Original(Case c, double[] arguments)
        => (double)Call(Method(c, c.Method, c.Params.Length), arguments.Cast<object?>().ToArray())!;

    /// <summary>The generated scalar overload: value and ∂/∂trainable.</summary>
    public (double Value, double[] Gradient) Scalar(Case c, double[] arguments)
    {
        var n = c.Trainable.Length;
        var args = arguments.Cast<object?>().Concat(Enumerable.Repeat<object?>(null, n)).ToArray();
        var value = (double)Call(Method(c, c.Method + "Gradient", c.Params.Length + n), args)!;
        return (value, args.Skip(c.Params.Length).Select(a => (double)a!).ToArray());
    }

    /// <summary>The generated span overload without data, through the test's wrapper.</summary>
    public double Span(Case c, double[] parameters, double[] gradient)
        => (double)Call(Method(c, c.SpanWrapper, 2), [parameters, gradient])!;

    /// <summary>The generated span overload with data, through the test's wrapper.</summary>
    public double Span(Case c, double[] parameters, double[][] data, double[] gradient)
        => (double)Call(Method(c, c.SpanWrapper, 3), [parameters, data, gradient])!;
}

/// <summary>
/// The compile-and-run corpus: objectives in a few in-memory compilations, each run through the
/// generator once per test run and shared by every test (compilation is the slow part).
/// </summary>
internal static partial class Corpus
{
    private static Param P(string name, double low, double high) => new(name, false, low, high);

    private static Param S(string name, double low, double high) => new(name, false, low, high, Signed: true);

    private static Param D(string name, double low, double high) => new(name, true, low, high);

    private static Param DS(string name, double low, double high) => new(name, true, low, high, Signed: true);

    private const string Standard = "Corpus.Standard.TestFunctions";
    private const string Losses = "Corpus.Losses.Losses";
    private const string Functions = "Corpus.Language.Functions";

    public static readonly Case[] Cases =
    [
        // Standard optimization test functions (file-scoped namespace).
        new("Standard", Standard, "Quadratic", [P("theta", -5, 10)], v => [2 * (v[0] - 3)]),
        new("Standard", Standard, "Rosenbrock", [P("x", -2, 2), P("y", -1, 3)],
            v => [-2 * (1 - v[0]) - 400 * v[0] * (v[1] - v[0] * v[0]), 200 * (v[1] - v[0] * v[0])]),
        new("Standard", Standard, "Beale", [P("x", -4.5, 4.5), P("y", -4.5, 4.5)], v =>
        {
            double x = v[0], y = v[1];
            double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y * y, t3 = 2.625 - x + x * y * y * y;
            return [2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1), 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y * y];
        }),
        new("Standard", Standard, "Booth", [P("x", -10, 10), P("y", -10, 10)],
            v => [2 * (v[0] + 2 * v[1] - 7) + 4 * (2 * v[0] + v[1] - 5), 4 * (v[0] + 2 * v[1] - 7) + 2 * (2 * v[0] + v[1] - 5)]),
        new("Standard", Standard, "Himmelblau", [P("x", -5, 5), P("y", -5, 5)],
            v => [4 * v[0] * (v[0] * v[0] + v[1] - 11) + 2 * (v[0] + v[1] * v[1] - 7), 2 * (v[0] * v[0] + v[1] - 11) + 4 * v[1] * (v[0] + v[1] * v[1] - 7)]),
        new("Standard", Standard, "Matyas", [P("x", -10, 10), P("y", -10, 10)], v => [0.52 * v[0] - 0.48 * v[1], 0.52 * v[1] - 0.48 * v[0]]),
        new("Standard", Standard, "ThreeHumpCamel", [P("x", -5, 5), P("y", -5, 5)],
            v => [4 * v[0] - 4.2 * Math.Pow(v[0], 3) + Math.Pow(v[0], 5) + v[1], v[0] + 2 * v[1]]),
        new("Standard", Standard, "GoldsteinPrice", [P("x", -2, 2), P("y", -2, 2)]),
        new("Standard", Standard, "McCormick", [P("x", -1.5, 4), P("y", -3, 4)],
            v => [Math.Cos(v[0] + v[1]) + 2 * (v[0] - v[1]) - 1.5, Math.Cos(v[0] + v[1]) - 2 * (v[0] - v[1]) + 2.5]),
        new("Standard", Standard, "StyblinskiTang", [P("x", -5, 5), P("y", -5, 5)],
            v => [(4 * Math.Pow(v[0], 3) - 32 * v[0] + 5) / 2, (4 * Math.Pow(v[1], 3) - 32 * v[1] + 5) / 2]),
        new("Standard", Standard, "Rastrigin", [P("x", -5.12, 5.12), P("y", -5.12, 5.12)],
            v => [2 * v[0] + 20 * Math.PI * Math.Sin(2 * Math.PI * v[0]), 2 * v[1] + 20 * Math.PI * Math.Sin(2 * Math.PI * v[1])]),
        new("Standard", Standard, "Ackley", [S("x", 0.3, 5), S("y", 0.3, 5)]),
        new("Standard", Standard, "Sphere5", [P("a", -5, 5), P("b", -5, 5), P("c", -5, 5), P("d", -5, 5), P("e", -5, 5)],
            v => v.Select(x => 2 * x).ToArray()),
        new("Standard", Standard, "ExtendedRosenbrock",
            [.. Enumerable.Range(0, 8).Select(i => P("x" + i, -1.5, 1.5))],
            v =>
            {
                var g = new double[8];
                for (var i = 0; i < 7; i++)
                {
                    g[i] += -400 * v[i] * (v[i + 1] - v[i] * v[i]) - 2 * (1 - v[i]);
                    g[i + 1] += 200 * (v[i + 1] - v[i] * v[i]);
                }

                return g;
            }),
        new("Standard", Standard, "Easom", [P("x", 1, 5), P("y", 1, 5)]),
        new("Standard", Standard, "Levi", [P("x", -3, 3), P("y", -3, 3)]),

        // Per-sample losses with [Data] parameters (block namespace).
        new("Data", Losses, "Line", [P("w", -3, 3), P("b", -3, 3), D("x", -2, 2), D("y", -5, 5)],
            v => [2 * (v[0] * v[2] + v[1] - v[3]) * v[2], 2 * (v[0] * v[2] + v[1] - v[3])]),
        new("Data", Losses, "Logistic", [P("w", -2, 2), P("b", -1, 1), D("x", -3, 3), D("y", -1, 1)], v =>
        {
            var e = Math.Exp(-v[3] * (v[0] * v[2] + v[1]));
            var s = e / (1 + e);
            return [-v[3] * v[2] * s, -v[3] * s];
        }),
        new("Data", Losses, "ExpOf", [P("w", 0.5, 1.5), D("x", -3, 3)], v => [v[1] * Math.Exp(v[0] * v[1])]),
        new("Data", Losses, "LogOf", [P("w", 0.5, 1.5), D("x", 0.1, 3)], v => [1 / v[0]]),
        new("Data", Losses, "Huber", [P("w", -2, 2), P("b", -1, 1), D("x", -2, 2), D("y", -3, 3)]),
        new("Data", Losses, "Poisson", [P("a", -1, 1), P("b", -1, 1), D("x", -2, 2), D("k", 0, 6)], v =>
        {
            var rate = Math.Exp(v[0] * v[2] + v[1]);
            return [(rate - v[3]) * v[2], rate - v[3]];
        }),
        new("Data", Losses, "WeightedTanh",
            [P("w1", -1, 1), P("w2", -1, 1), P("b", -1, 1), D("x1", -2, 2), D("x2", -2, 2), D("weight", 0.1, 2), D("target", -1, 1)]),
        new("Data", Losses, "GuardedSqrt", [P("w", 0.5, 2), P("c", -1, 1), DS("x", 0.2, 2)]),
        new("Data", Losses, "ParameterBranch", [S("w", 0.2, 1.3), P("b", -1, 1), D("x", -2, 2)]),
        new("Data", Losses, "CollidingData",
            [P("w", -1, 1), P("p0", -1, 1), D("i", -1, 1), D("loss", -1, 1), D("sum0", -1, 1), D("value", -1, 1), D("p1", -1, 1), D("v0", -1, 1), D("iRef", -1, 1), D("lossV", -1, 1), D("in", -1, 1)]),
        new("Data", Losses, "Interleaved", [D("x", -2, 2), P("w", -2, 2), D("y", -2, 2), P("b", -2, 2)],
            v => [2 * (v[1] * v[0] + v[3] - v[2]) * v[0], 2 * (v[1] * v[0] + v[3] - v[2])]),
        new("Data", Losses, "DataUnused", [P("w", -2, 2), D("x", -2, 2)], v => [2 * v[0]]),
        new("Data", Losses, "UniformParts", [P("w", -2, 2), P("b", -2, 2), P("c", -2, 2), P("d", -2, 2), D("x", -2, 2)],
            v => [v[4], 1, 6 * v[2] + Math.Exp(v[2]), 0]),

        // The language: every Math function, constants, fields, blocks, branches, inlining, names, placement.
        new("Language", Functions, "Logarithms", [P("x", 0.5, 3), P("y", -2, 2)]),
        new("Language", Functions, "Trigonometry", [P("x", 0.5, 2.8), P("y", -2, 2)]),
        new("Language", Functions, "Hyperbolic", [P("x", 0.5, 2), P("y", -2, 2)]),
        new("Language", Functions, "Piecewise", [P("x", -2, 2), P("y", -2, 2)]),
        new("Language", Functions, "Constants", [P("x", -3, 3)]),
        new("Language", Functions, "Block", [P("x", -2, 2), P("y", -2, 2)]),
        new("Language", Functions, "Conditions", [P("x", -3, 3), P("y", -3, 3)]),
        new("Language", Functions, "MoreConditions", [P("x", -3, 3), P("y", -3, 3)]),
        new("Language", Functions, "Bump", [P("a", -2, 2), P("b", -2, 2)], v => [2 * v[0] * v[1] - 2 * v[0] * Math.Exp(-v[0] * v[0]), v[0] * v[0]]),
        new("Language", Functions, "Inlined", [P("x", -1.5, 1.5), P("y", -1.5, 1.5)]),
        new("Language", Functions, "Colliding",
            [P("h", -1, 1), P("t", -1, 1), P("g", -1, 1), P("tmp0", -1, 1), P("value", -1, 1), P("t0", -1, 1), P("d0", -1, 1), P("p0", -1, 1)]),
        new("Language", Functions, "MoreColliding",
            [P("sum0", -1, 1), P("loss", -1, 1), P("i", -1, 1), P("parameters", -1, 1), P("gradient", -1, 1), P("dx", -1, 1), P("event", -1, 1)]),
        new("Language", Functions + "+Inner", "Nested", [P("x", -3, 3), P("y", -3, 3)],
            v => [2 * (v[0] - 2.5) + Math.Sin(v[1]), v[0] * Math.Cos(v[1])]),
        new("Language", Functions + "+Inner+Deeper", "Deepest", [P("u", -2, 2)], v => [3 * v[0] * v[0] - 1]),
        new("Language", Functions, "Hidden", [P("x", -2, 2), P("y", -2, 2)], v => [Math.Exp(v[0]) * Math.Cos(v[1]) + 2 * v[0] * v[1], -Math.Exp(v[0]) * Math.Sin(v[1]) + v[0] * v[0]]),
        new("Language", Functions, "Aliased", [P("x", -2, 2), P("θ", -2, 2)],
            v => [Math.Cos(v[0]) * Math.Sqrt(v[1] * v[1] + 1) - 2 * v[0] * Math.Exp(-v[0] * v[0]),
                Math.Sin(v[0]) * v[1] / Math.Sqrt(v[1] * v[1] + 1) - Math.Sin(v[1]) + Math.PI]),
        new("Language", "Corpus.Language.InternalFunctions", "Internal", [P("x", -2, 2), P("y", -2, 2), P("z", -2, 2)]),
        new("Language", "Corpus.Language.Shape", "Area", [P("width", 0.1, 4), P("height", 0.1, 4)], Kind: "struct"),
        new("Language", "Corpus.Language.Helpers", "Wave", [P("s", -3, 3)]),
        new("Language", "GlobalFunctions", "Global", [P("x", -2, 2), P("y", -2, 2)],
            v => [Math.Sinh(v[0] - v[1]) + v[1] / (1 + v[0] * v[0]), -Math.Sinh(v[0] - v[1]) + Math.Atan(v[0])]),
    ];

    public static Case Get(string method) => Cases.Single(c => c.Method == method);

    private static readonly ConcurrentDictionary<string, Lazy<CompiledGroup>> Groups = new();

    public static CompiledGroup Compiled(string group) => Groups.GetOrAdd(group, g => new Lazy<CompiledGroup>(() => Compile(g))).Value;

    public static CompiledGroup Compiled(Case c) => Compiled(c.Group);

    private static CompiledGroup Compile(string group)
    {
        var sources = Sources[group].Append(Wrappers(Cases.Where(c => c.Group == group))).ToArray();
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), sources);
        try
        {
            return new CompiledGroup(run, run.Load(), null);
        }
        catch (InvalidOperationException e)
        {
            return new CompiledGroup(run, null, e);
        }
    }

    /// <summary>
    /// For each objective, a partial declaration of its own type with a static method that calls
    /// the span overload with arrays (spans cannot go through reflection). Declared inside the type,
    /// it can call private objectives' overloads too.
    /// </summary>
    private static string Wrappers(IEnumerable<Case> cases)
    {
        var text = new StringBuilder();
        foreach (var c in cases)
        {
            var types = c.Type.Split('+');
            var dot = types[0].LastIndexOf('.');
            var ns = dot < 0 ? null : types[0][..dot];
            types[0] = types[0][(dot + 1)..];

            if (ns is not null)
            {
                text.Append("namespace ").Append(ns).Append(" { ");
            }

            for (var i = 0; i < types.Length; i++)
            {
                text.Append("partial ").Append(i == types.Length - 1 ? c.Kind : "class").Append(' ').Append(types[i]).Append(" { ");
            }

            var data = c.Data;
            var gradient = c.Method + "Gradient";
            if (data.Length == 0)
            {
                text.Append($"public static double {c.SpanWrapper}(double[] p, double[] g) => {gradient}(p, g); ");
            }
            else
            {
                var spans = string.Concat(data.Select((_, i) => $"d[{i}], "));
                text.Append($"public static double {c.SpanWrapper}(double[] p, double[][] d, double[] g) => {gradient}(p, {spans}g); ");
            }

            text.Append(new string('}', types.Length + (ns is null ? 0 : 1))).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>A deterministic random source per objective, so that every test sees the same points.</summary>
    public static Random RandomFor(Case c, int salt = 0)
    {
        var seed = 17 + salt;
        foreach (var ch in c.Method)
        {
            seed = unchecked(seed * 31 + ch);
        }

        return new Random(seed);
    }

    /// <summary>Five test points: every parameter, trainable and data, drawn from its interval.</summary>
    public static double[][] Points(Case c)
    {
        var random = RandomFor(c);
        return Enumerable.Range(0, 5).Select(_ => c.Params.Select(p => p.Sample(random)).ToArray()).ToArray();
    }

    public static IEnumerable<object[]> All => Cases.Select(c => new object[] { c.Method });

    public static IEnumerable<object[]> WithHand => Cases.Where(c => c.Hand is not null).Select(c => new object[] { c.Method });

    public static IEnumerable<object[]> WithData => Cases.Where(c => c.Data.Length > 0).Select(c => new object[] { c.Method });

    public static IEnumerable<object[]> WithoutData => Cases.Where(c => c.Data.Length == 0).Select(c => new object[] { c.Method });

    public static IEnumerable<object[]> GroupNames => Cases.Select(c => c.Group).Distinct().Select(g => new object[] { g });
}
