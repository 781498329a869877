using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OptimDsl.Tests.Infrastructure;

namespace OptimDsl.Tests.Float;

/// <summary>
/// Float objectives with [Data] parameters (README, Float objectives): scalar data and data rows, trained scalars and
/// vectors, the kinks and branches the vectorised loop turns into lane masks. Each case holds its source, how its named
/// overload is called for one sample, how its data is drawn, and a double transcription of its loss for finite differences.
/// </summary>
internal static class FloatDataCorpus
{
    /// <summary>
    /// One objective: <paramref name="Rows"/> gives, per data parameter, the values per sample (1 for a scalar);
    /// <paramref name="NamedCall"/> calls the named overload with the parameters <c>p</c>, sample <c>i</c>'s data from
    /// <c>d</c> and the gradient <c>g</c>; <paramref name="Transcription"/> is the loss in double of parameters and one sample.
    /// </summary>
    public sealed record Case(
        string Name,
        int Count,
        int[] Rows,
        string Source,
        string NamedCall,
        Func<Random, float[]> Parameters,
        Func<Random, int, float[]> Sample,
        Func<double[], double[][], double> Transcription);

    private static float Uniform(Random random, double low, double high) => (float)(low + ((high - low) * random.NextDouble()));

    private static float Label(Random random) => random.Next(2) == 0 ? -1f : 1f;

    public static readonly Case[] Cases =
    [
        new("Line", 2, [1, 1],
            """
            [Objective]
            public static float Line(float w, float b, [Data] float x, [Data] float y)
            {
                var r = w * x + b - y;
                return r * r;
            }
            """,
            "Objectives.LineGradient(p[0], p[1], d[0][i], d[1][i], out g[0], out g[1])",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -2, 2), Uniform(r, -3, 3)],
            (p, s) =>
            {
                var residual = (p[0] * s[0][0]) + p[1] - s[1][0];
                return residual * residual;
            }),
        new("Logistic", 3, [1, 1, 1],
            "[Objective] public static float Logistic(float w1, float w2, float b, [Data] float x1, [Data] float x2, [Data] float y) => MathF.Log(1 + MathF.Exp(-y * (w1 * x1 + w2 * x2 + b)));",
            "Objectives.LogisticGradient(p[0], p[1], p[2], d[0][i], d[1][i], d[2][i], out g[0], out g[1], out g[2])",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1), Uniform(r, -0.5, 0.5)],
            (r, _) => [Uniform(r, -2, 2), Uniform(r, -2, 2), Label(r)],
            (p, s) => Math.Log(1 + Math.Exp(-s[2][0] * ((p[0] * s[0][0]) + (p[1] * s[1][0]) + p[2])))),
        new("LinearRows", 4, [3, 1],
            """
            [Objective]
            public static float LinearRows([Length(3)] ReadOnlySpan<float> w, float b, [Data, Length(3)] ReadOnlySpan<float> x, [Data] float y)
            {
                var r = b - y;
                for (var k = 0; k < 3; k++)
                {
                    r += w[k] * x[k];
                }

                return 0.5f * r * r;
            }
            """,
            "Objectives.LinearRowsGradient(p.AsSpan(0, 3), p[3], d[0].AsSpan(3 * i, 3), d[1][i], g.AsSpan(0, 3), out g[3])",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1), Uniform(r, -1, 1), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -2, 2), Uniform(r, -2, 2), Uniform(r, -2, 2), Uniform(r, -3, 3)],
            (p, s) =>
            {
                var residual = p[3] - s[1][0] + (p[0] * s[0][0]) + (p[1] * s[0][1]) + (p[2] * s[0][2]);
                return 0.5 * residual * residual;
            }),
        new("SoftplusRows", 4, [4, 1],
            """
            [Objective]
            public static float SoftplusRows([Length(4)] ReadOnlySpan<float> w, [Data, Length(4)] ReadOnlySpan<float> x, [Data] float y)
            {
                var z = 0f;
                for (var k = 0; k < 4; k++)
                {
                    z += w[k] * x[k];
                }

                return MathF.Log(1 + MathF.Exp(z)) - y * z + 0.01f * w[0] * w[0];
            }
            """,
            "Objectives.SoftplusRowsGradient(p, d[0].AsSpan(4 * i, 4), d[1][i], g)",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1), Uniform(r, -1, 1), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -1.5, 1.5), Uniform(r, -1.5, 1.5), Uniform(r, -1.5, 1.5), Uniform(r, -1.5, 1.5), r.Next(2)],
            (p, s) =>
            {
                var z = (p[0] * s[0][0]) + (p[1] * s[0][1]) + (p[2] * s[0][2]) + (p[3] * s[0][3]);
                return Math.Log(1 + Math.Exp(z)) - (s[1][0] * z) + (0.01 * p[0] * p[0]);
            }),
        new("LogSumExp", 2, [1],
            "[Objective] public static float LogSumExp(float a, float c, [Data] float x) => MathF.Log(MathF.Exp(a * x) + MathF.Exp(c - x) + 1);",
            "Objectives.LogSumExpGradient(p[0], p[1], d[0][i], out g[0], out g[1])",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -2, 2)],
            (p, s) => Math.Log(Math.Exp(p[0] * s[0][0]) + Math.Exp(p[1] - s[0][0]) + 1)),
        new("Hinge", 2, [1, 1],
            "[Objective] public static float Hinge(float w, float b, [Data] float x, [Data] float y) => MathF.Max(0, 1 - y * (w * x + b)) + 0.05f * w * w;",
            "Objectives.HingeGradient(p[0], p[1], d[0][i], d[1][i], out g[0], out g[1])",
            r => [Uniform(r, -1, 1), Uniform(r, -0.5, 0.5)],
            (r, _) => [Uniform(r, -2, 2), Label(r)],
            (p, s) => Math.Max(0, 1 - (s[1][0] * ((p[0] * s[0][0]) + p[1]))) + (0.05 * p[0] * p[0])),
        new("Huber", 2, [1, 1],
            """
            [Objective]
            public static float Huber(float w, float b, [Data] float x, [Data] float y)
            {
                var r = w * x + b - y;
                return MathF.Abs(r) <= 1 ? 0.5f * r * r : MathF.Abs(r) - 0.5f;
            }
            """,
            "Objectives.HuberGradient(p[0], p[1], d[0][i], d[1][i], out g[0], out g[1])",
            r => [Uniform(r, -1, 1), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -2, 2), Uniform(r, -3, 3)],
            (p, s) =>
            {
                var residual = (p[0] * s[0][0]) + p[1] - s[1][0];
                return Math.Abs(residual) <= 1 ? 0.5 * residual * residual : Math.Abs(residual) - 0.5;
            }),
        new("Uniform", 2, [1, 1],
            """
            [Objective]
            public static float Uniform(float a, float b, [Data] float x, [Data] float y)
            {
                var r = a * x - y;
                return (a > 0.1f && x < 1 ? a * x * x : b * y) + (a > 0 ? a * x : -a * y) + MathF.Sqrt(1 + r * r) + MathF.Min(x * b, y);
            }
            """,
            "Objectives.UniformGradient(p[0], p[1], d[0][i], d[1][i], out g[0], out g[1])",
            r => [Uniform(r, -0.5, 0.8), Uniform(r, -1, 1)],
            (r, _) => [Uniform(r, -2, 2), Uniform(r, -2, 2)],
            (p, s) =>
            {
                double a = p[0], b = p[1], x = s[0][0], y = s[1][0];
                var r = (a * x) - y;
                return (a > 0.1 && x < 1 ? a * x * x : b * y) + (a > 0 ? a * x : -a * y) + Math.Sqrt(1 + (r * r)) + Math.Min(x * b, y);
            }),
        // A rolled loop (100 ≥ 64 iterations) over a data row: the 100-feature logistic regression of the benchmarks.
        new("Logistic100", 101, [100, 1],
            """
            [Objective]
            public static float Logistic100([Length(100)] ReadOnlySpan<float> w, float b, [Data, Length(100)] ReadOnlySpan<float> x, [Data] float y)
            {
                var z = b;
                for (var k = 0; k < 100; k++)
                {
                    z += w[k] * x[k];
                }

                return MathF.Max(z, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(z))) - y * z;
            }
            """,
            "Objectives.Logistic100Gradient(p.AsSpan(0, 100), p[100], d[0].AsSpan(100 * i, 100), d[1][i], g.AsSpan(0, 100), out g[100])",
            r => [.. Enumerable.Range(0, 101).Select(_ => Uniform(r, -0.2, 0.2))],
            (r, _) => [.. Enumerable.Range(0, 100).Select(_ => Uniform(r, -1, 1)), r.Next(2)],
            (p, s) =>
            {
                var z = p[100];
                for (var k = 0; k < 100; k++)
                {
                    z += p[k] * s[0][k];
                }

                return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - (s[1][0] * z);
            }),
    ];

    public static Case Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>The corpus and, per objective, a harness over arrays: the data overload, MGradientSum over a range of samples, the named overload for sample i.</summary>
    public static string Source()
    {
        string Spans(Case c, Func<int, string> span) => string.Concat(Enumerable.Range(0, c.Rows.Length).Select(d => span(d) + ", "));
        var harness = Cases.Select(c => $$"""
                public static float Data{{c.Name}}(float[] p, float[][] d, float[] g, int degree) => Objectives.{{c.Name}}Gradient(p, {{Spans(c, k => $"d[{k}]")}}g, degree);
                public static double Sum{{c.Name}}(float[] p, float[][] d, double[] g, int degree, int start, int count) => Objectives.{{c.Name}}GradientSum(p, {{Spans(c, k => $"d[{k}].AsSpan({c.Rows[k]} * start, {c.Rows[k]} * count)")}}g, degree);
                public static float Sample{{c.Name}}(float[] p, float[][] d, int i, float[] g) => {{c.NamedCall}};
                public static float Bare{{c.Name}}(float[] p, float[][] d, float[] g) => Objectives.{{c.Name}}Gradient(p, {{Spans(c, k => $"d[{k}]")}}g);
                public static long Allocated{{c.Name}}(float[] p, float[][] d, float[] g, double[] sums, int calls)
                {
                    long before = System.GC.GetAllocatedBytesForCurrentThread();
                    for (int call = 0; call < calls; call++)
                    {
                        Objectives.{{c.Name}}Gradient(p, {{Spans(c, k => $"d[{k}]")}}g, 1);
                        Objectives.{{c.Name}}GradientSum(p, {{Spans(c, k => $"d[{k}]")}}sums, 1);
                    }

                    return System.GC.GetAllocatedBytesForCurrentThread() - before;
                }
            """);
        return $$"""
            using System;
            using OptimDsl;

            namespace Floats;

            public static partial class Objectives
            {
            {{string.Join("\n\n", Cases.Select(c => c.Source))}}
            }

            public static class Harness
            {
            {{string.Join("\n\n", harness)}}
            }
            """;
    }

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> CompiledCorpus = new(() =>
    {
        var run = Generation.GenerationSupport.Run(Source());
        return (run, LoadedAssembly.Emit(run.OutputCompilation));
    });

    public static GeneratorRun Run => CompiledCorpus.Value.Run;

    /// <summary>A harness method of the compiled corpus as a delegate.</summary>
    public static T Harness<T>(string method)
        where T : Delegate
        => CompiledCorpus.Value.Assembly.GetType("Floats.Harness").GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();

    /// <summary>Parameters and <paramref name="samples"/> samples drawn for <paramref name="c"/>: the data spans, rows back to back.</summary>
    public static (float[] Parameters, float[][] Data) Draw(Case c, int samples, int seed)
    {
        var random = new Random(seed * 7919 + c.Name.Length);
        var parameters = c.Parameters(random);
        var data = c.Rows.Select(rows => new float[rows * samples]).ToArray();
        for (var i = 0; i < samples; i++)
        {
            var values = c.Sample(random, i);
            var at = 0;
            for (var d = 0; d < c.Rows.Length; d++)
            {
                for (var k = 0; k < c.Rows[d]; k++)
                {
                    data[d][(c.Rows[d] * i) + k] = values[at++];
                }
            }
        }

        return (parameters, data);
    }

    /// <summary>Sample <paramref name="i"/>'s data in double, per data parameter its row.</summary>
    public static double[][] SampleInDouble(Case c, float[][] data, int i)
        => c.Rows.Select((rows, d) => Enumerable.Range(0, rows).Select(k => (double)data[d][(rows * i) + k]).ToArray()).ToArray();

    public static IEnumerable<string> Names => Cases.Select(c => c.Name);
}
