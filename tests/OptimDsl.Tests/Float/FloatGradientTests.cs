using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: a float objective (no [Data], no optimizer attribute, no rolled loop) gets its gradient
/// generated in float. Each corpus objective's generated gradient is compared with the gradient derived by hand and
/// evaluated in float, and with central finite differences of a double transcription of the objective; the named and
/// flat overloads give the same bits.
/// </summary>
/// <remarks>
/// Tolerances. A float has a 24-bit significand, ε = 2⁻²³ ≈ 1.2·10⁻⁷. The generated gradient and the hand-derived one
/// compute the same derivative with different operation orders; each of the at most ~20 float operations of a
/// derivative here rounds by ε/2 at most, and the points are chosen away from cancellation (no derivative is a small
/// difference of large terms), so the two agree within 20ε relative to max(1, |∂|): <see cref="FloatTolerance"/> = 4·10⁻⁶.
/// Finite differences are taken in double (h = 10⁻⁶, error ~h² ≈ 10⁻¹² plus double rounding 10⁻¹⁰) of the objective
/// transcribed in double, at the float point exactly; they differ from the float gradient by its float rounding, the
/// same 20ε bound: <see cref="DifferenceTolerance"/> = 4·10⁻⁶ as well, with the finite-difference error far below it.
/// </remarks>
public sealed class FloatGradientTests
{
    private const double FloatTolerance = 4e-6;
    private const double DifferenceTolerance = 4e-6;

    /// <summary>One float objective: its source, the named overload's call, the points, the hand-derived gradient in float, the double transcription.</summary>
    public sealed record Case(
        string Name,
        int Count,
        string Source,
        string NamedCall,
        float[][] Points,
        Func<float[], float[]> HandGradient,
        Func<double[], double> Transcription);

    public static readonly Case[] Cases =
    [
        new("Polynomial", 1,
            "[Objective] public static float Polynomial(float x) => 3 * x * x * x - 2.5f * x + 1;",
            "Objectives.PolynomialGradient(p[0], out g[0])",
            [[0.75f], [-1.5f], [2f]],
            p => [9 * p[0] * p[0] - 2.5f],
            p => (3 * p[0] * p[0] * p[0]) - (2.5 * p[0]) + 1),
        new("Rosenbrock", 2,
            "[Objective] public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);",
            "Objectives.RosenbrockGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 0.8f], [-1.25f, 0.5f], [2f, 1f]],
            p => [(-2 * (1 - p[0])) - (400 * p[0] * (p[1] - (p[0] * p[0]))), 200 * (p[1] - (p[0] * p[0]))],
            p => ((1 - p[0]) * (1 - p[0])) + (100 * (p[1] - (p[0] * p[0])) * (p[1] - (p[0] * p[0])))),
        new("ExpLog", 2,
            "[Objective] public static float ExpLog(float x, float y) => MathF.Exp(0.5f * x) * MathF.Log(y + 2);",
            "Objectives.ExpLogGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 1f], [-1f, 0.25f]],
            p => [0.5f * MathF.Exp(0.5f * p[0]) * MathF.Log(p[1] + 2), MathF.Exp(0.5f * p[0]) / (p[1] + 2)],
            p => Math.Exp(0.5 * p[0]) * Math.Log(p[1] + 2)),
        new("TanhSqrtPow", 2,
            "[Objective] public static float TanhSqrtPow(float x, float y) => MathF.Tanh(x) + MathF.Sqrt(x * x + y * y + 1) + MathF.Pow(y + 2, x);",
            "Objectives.TanhSqrtPowGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 1f], [1.5f, 0.25f]],
            p =>
            {
                var tanh = MathF.Tanh(p[0]);
                var root = MathF.Sqrt((p[0] * p[0]) + (p[1] * p[1]) + 1);
                var power = MathF.Pow(p[1] + 2, p[0]);
                return [1 - (tanh * tanh) + (p[0] / root) + (power * MathF.Log(p[1] + 2)), (p[1] / root) + (p[0] * MathF.Pow(p[1] + 2, p[0] - 1))];
            },
            p => Math.Tanh(p[0]) + Math.Sqrt((p[0] * p[0]) + (p[1] * p[1]) + 1) + Math.Pow(p[1] + 2, p[0])),
        new("Kinks", 2,
            "[Objective] public static float Kinks(float x, float y) => MathF.Max(x, y) * 2 + MathF.Abs(x - 2 * y) + MathF.Min(x * x, 1);",
            "Objectives.KinksGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 1f], [2f, -0.5f], [-1.5f, -2f]],
            p =>
            {
                var sign = p[0] - (2 * p[1]) > 0 ? 1f : -1f;
                var dx = (p[0] > p[1] ? 2f : 0f) + sign + (p[0] * p[0] < 1 ? 2 * p[0] : 0f);
                var dy = (p[0] > p[1] ? 0f : 2f) - (2 * sign);
                return [dx, dy];
            },
            p => (Math.Max(p[0], p[1]) * 2) + Math.Abs(p[0] - (2 * p[1])) + Math.Min(p[0] * p[0], 1)),
        new("Linear", 4,
            """
            [Objective]
            public static float Linear([Length(3)] ReadOnlySpan<float> w, float b)
            {
                var r = b - 1;
                for (var i = 0; i < 3; i++)
                {
                    r += w[i] * (i + 1);
                }

                return r * r + 0.125f * (w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
            }
            """,
            "Objectives.LinearGradient(p.AsSpan(0, 3), p[3], g.AsSpan(0, 3), out g[3])",
            [[0.5f, -0.25f, 0.75f, 0.5f], [1f, 2f, -1f, -0.5f]],
            p =>
            {
                var r = p[3] - 1 + p[0] + (2 * p[1]) + (3 * p[2]);
                return [(2 * r) + (0.25f * p[0]), (4 * r) + (0.25f * p[1]), (6 * r) + (0.25f * p[2]), 2 * r];
            },
            p =>
            {
                var r = p[3] - 1 + p[0] + (2 * p[1]) + (3 * p[2]);
                return (r * r) + (0.125 * ((p[0] * p[0]) + (p[1] * p[1]) + (p[2] * p[2])));
            }),
        new("Locals", 2,
            """
            private static readonly float Scale = 1.5f;
            private const float Offset = 0.25f;

            [Objective]
            public static float Locals(float x, float y)
            {
                float s = x * y;
                var t = s + MathF.Sin(x) * Scale;
                Span<float> h = stackalloc float[2];
                h[0] = t * t;
                h[1] = y * (float)3 + Offset;
                return h[0] + h[1] * h[1];
            }
            """,
            "Objectives.LocalsGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 1f], [-1f, 0.5f]],
            p =>
            {
                var t = (p[0] * p[1]) + (MathF.Sin(p[0]) * 1.5f);
                var h1 = (p[1] * 3) + 0.25f;
                return [2 * t * (p[1] + (MathF.Cos(p[0]) * 1.5f)), (2 * t * p[0]) + (6 * h1)];
            },
            p =>
            {
                var t = (p[0] * p[1]) + (Math.Sin(p[0]) * 1.5);
                var h1 = (p[1] * 3) + 0.25;
                return (t * t) + (h1 * h1);
            }),
        new("Piecewise", 1,
            "[Objective] public static float Piecewise(float x) => x > 1 ? x * x : 2 * x - 1;",
            "Objectives.PiecewiseGradient(p[0], out g[0])",
            [[1.5f], [0.25f], [-2f]],
            p => [p[0] > 1 ? 2 * p[0] : 2f],
            p => p[0] > 1 ? p[0] * p[0] : (2 * p[0]) - 1),
        new("Composed", 2,
            """
            [Objective] public static float Square(float v) => v * v;

            [Objective] public static float Composed(float x, float y) => Square(x - 1) + 2 * Square(y * x);
            """,
            "Objectives.ComposedGradient(p[0], p[1], out g[0], out g[1])",
            [[0.5f, 1f], [2f, -0.75f]],
            p => [(2 * (p[0] - 1)) + (4 * p[1] * p[1] * p[0]), 4 * p[0] * p[0] * p[1]],
            p => ((p[0] - 1) * (p[0] - 1)) + (2 * (p[1] * p[0]) * (p[1] * p[0]))),
    ];

    public static TheoryData<string> Names() => new(Cases.Select(c => c.Name));

    /// <summary>The corpus, and per objective a harness that calls its named and its flat overload.</summary>
    private static string Source() => $$"""
        using System;
        using OptimDsl;

        namespace Floats;

        public static partial class Objectives
        {
        {{string.Join("\n\n", Cases.Select(c => c.Source))}}
        }

        public static class Harness
        {
        {{string.Join("\n", Cases.Select(c => $"    public static float Named{c.Name}(float[] p, float[] g) => {c.NamedCall};\n    public static float Flat{c.Name}(float[] p, float[] g) => Objectives.{c.Name}Gradient(p, g);"))}}
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var run = Generation.GenerationSupport.Run(Source());
        return (run, LoadedAssembly.Emit(run.OutputCompilation));
    });

    [Fact]
    public void The_corpus_generates_and_compiles_without_a_diagnostic()
    {
        var run = Compiled.Value.Run;
        Assert.True(Cases.Length >= 8);
        Assert.Null(run.Result.Exception);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        var files = Generation.GenerationSupport.Files(run);
        foreach (var c in Cases)
        {
            var file = files[$"Floats.Objectives.{c.Name}.g.cs"];
            Assert.Contains($"public static float {c.Name}Gradient(global::System.ReadOnlySpan<float> parameters, global::System.Span<float> gradient)", file, StringComparison.Ordinal);
            Assert.DoesNotContain("double", file.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)).Aggregate(string.Empty, (a, l) => a + l + "\n"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_gradient_is_the_hand_derived_one_in_float(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        foreach (var point in c.Points)
        {
            var (_, gradient) = Flat(c, point);
            var expected = c.HandGradient(point);
            for (var k = 0; k < c.Count; k++)
            {
                var tolerance = FloatTolerance * Math.Max(1, Math.Abs(expected[k]));
                Assert.True(Math.Abs(gradient[k] - expected[k]) <= tolerance, $"{name}: ∂{k} at ({string.Join(", ", point)}) is {gradient[k]:R}, by hand {expected[k]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_gradient_agrees_with_finite_differences_and_the_value_with_the_objective(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        const double h = 1e-6;
        foreach (var point in c.Points)
        {
            var (value, gradient) = Flat(c, point);
            var at = point.Select(v => (double)v).ToArray();
            var exact = c.Transcription(at);
            Assert.True(Math.Abs(value - exact) <= FloatTolerance * Math.Max(1, Math.Abs(exact)), $"{name} at ({string.Join(", ", point)}) is {value:R}, in double {exact:R}");
            for (var k = 0; k < c.Count; k++)
            {
                var up = (double[])at.Clone();
                var down = (double[])at.Clone();
                up[k] += h;
                down[k] -= h;
                var difference = (c.Transcription(up) - c.Transcription(down)) / (2 * h);
                var tolerance = DifferenceTolerance * Math.Max(1, Math.Abs(difference));
                Assert.True(Math.Abs(gradient[k] - difference) <= tolerance, $"{name}: ∂{k} at ({string.Join(", ", point)}) is {gradient[k]:R}, finite differences {difference:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_named_and_flat_overloads_give_the_same_bits(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        foreach (var point in c.Points)
        {
            var (flatValue, flat) = Flat(c, point);
            var named = new float[c.Count];
            var namedValue = (float)Compiled.Value.Assembly.Invoke("Floats.Harness", "Named" + c.Name, point, named)!;
            Assert.Equal(BitConverter.SingleToInt32Bits(flatValue), BitConverter.SingleToInt32Bits(namedValue));
            Assert.Equal(flat.Select(BitConverter.SingleToInt32Bits), named.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void A_wide_gradient_is_stored_in_chunks_of_8_and_4_with_the_bits_of_the_named_overload()
    {
        // 13 values: one chunk of 8 (Vector256<float>), one of 4 (Vector128<float>), one scalar.
        const string source = """
            using System;
            using OptimDsl;

            namespace Floats;

            public static partial class Wide
            {
                [Objective]
                public static float Spread([Length(13)] ReadOnlySpan<float> w)
                {
                    var s = 0f;
                    for (var i = 0; i < 13; i++)
                    {
                        s += (w[i] - 0.1f * i) * (w[i] - 0.1f * i) * (i + 1) + MathF.Exp(w[i] * 0.5f);
                    }

                    return s;
                }

                public static float Flat(float[] p, float[] g) => SpreadGradient(p, g);
            }
            """;
        var run = Generation.GenerationSupport.Run(source);
        Generation.GenerationSupport.AssertCleanRun(run);
        var file = Generation.GenerationSupport.Files(run)["Floats.Wide.Spread.g.cs"];
        Assert.Contains("global::OptimDsl.GradientStore.Store8(ref gradient, ", file, StringComparison.Ordinal);
        Assert.Contains("global::OptimDsl.GradientStore.Store4(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref gradient, 8), ", file, StringComparison.Ordinal);
        Assert.Contains("global::System.Runtime.CompilerServices.Unsafe.Add(ref gradient, 12) = ", file, StringComparison.Ordinal);

        using var assembly = LoadedAssembly.Emit(run.OutputCompilation);
        var p = Enumerable.Range(0, 13).Select(i => (float)Math.Sin(i)).ToArray();
        var g = new float[13];
        var value = (float)assembly.Invoke("Floats.Wide", "Flat", p, g)!;
        var expectedValue = 0f;
        for (var i = 0; i < 13; i++)
        {
            // By hand, in float: ∂/∂w_i = 2(w_i − 0.1i)(i + 1) + 0.5·e^{w_i/2}.
            var d = p[i] - (0.1f * i);
            var expected = (2 * d * (i + 1)) + (0.5f * MathF.Exp(p[i] * 0.5f));
            Assert.True(Math.Abs(g[i] - expected) <= FloatTolerance * Math.Max(1, Math.Abs(expected)), $"∂w[{i}] is {g[i]:R}, by hand {expected:R}");
            expectedValue += (d * d * (i + 1)) + MathF.Exp(p[i] * 0.5f);
        }

        Assert.True(Math.Abs(value - expectedValue) <= FloatTolerance * Math.Abs(expectedValue));
    }

    private static (float Value, float[] Gradient) Flat(Case c, float[] point)
    {
        var gradient = new float[c.Count];
        var value = (float)Compiled.Value.Assembly.Invoke("Floats.Harness", "Flat" + c.Name, point, gradient)!;
        return (value, gradient);
    }
}
