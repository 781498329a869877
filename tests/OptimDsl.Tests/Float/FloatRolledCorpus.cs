using System;
using System.Linq;

namespace OptimDsl.Tests.Float;

/// <summary>
/// The rolled float objectives of <see cref="FloatRolledTests"/> (README, Float objectives and Large loops and large models):
/// each with its source, the hand-derived gradient evaluated in float, a bound on the magnitude of the float sums behind
/// each component (for the tolerance), a double transcription for finite differences, and where there is one an unrolled
/// twin: the same objective with its long loops split into loops of fewer than 64 iterations.
/// </summary>
internal static class FloatRolledCorpus
{
    /// <summary>One rolled float objective.</summary>
    /// <param name="Name">The objective's method name.</param>
    /// <param name="Count">Its trained values.</param>
    /// <param name="Terms">The most terms any float sum behind a component has (its loop's length; 0 without sums).</param>
    /// <param name="Source">The objective, and its unrolled twin when <paramref name="Twin"/>.</param>
    /// <param name="Twin">Whether <c>{Name}Unrolled</c> exists.</param>
    /// <param name="Hand">The hand-derived gradient in float, and per component the sum of the magnitudes of the terms of the float sums it is computed from.</param>
    /// <param name="Transcription">The objective in double.</param>
    /// <param name="Positive">Whether the points are positive (0.1 … 0.6, so that no sum cancels); otherwise ±(0.05 … 0.5).</param>
    public sealed record Case(
        string Name,
        int Count,
        int Terms,
        string Source,
        bool Twin,
        Func<float[], (float[] Gradient, double[] Magnitude)> Hand,
        Func<double[], double> Transcription,
        bool Positive = false);

    private const float Slope = 0.01f;

    public static readonly Case[] Cases =
    [
        // A sum of squares over 100 values (100 = 12·8 + 4: a SIMD part and a scalar tail) with the index as a float.
        new("Squares100", 100, 0,
            """
            [Objective]
            public static float Squares100([Length(100)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 100; i++)
                {
                    s += (w[i] - 0.01f * i) * (w[i] - 0.01f * i);
                }

                return s;
            }

            [Objective]
            public static float Squares100Unrolled([Length(100)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 50; i++)
                {
                    s += (w[i] - 0.01f * i) * (w[i] - 0.01f * i);
                }

                for (var i = 50; i < 100; i++)
                {
                    s += (w[i] - 0.01f * i) * (w[i] - 0.01f * i);
                }

                return s;
            }
            """,
            true,
            p => (p.Select((v, i) => 2 * (v - (Slope * i))).ToArray(), new double[p.Length]),
            p => Enumerable.Range(0, 100).Sum(i => (p[i] - ((double)Slope * i)) * (p[i] - ((double)Slope * i)))),

        // A sum of squares over 1000 values (a multiple of 8 and of 16: no tail) and a trained scalar read in the loop, whose
        // partial derivative is a sum over the iterations.
        new("Squares1000", 1001, 1000,
            """
            [Objective]
            public static float Squares1000([Length(1000)] ReadOnlySpan<float> w, float c)
            {
                var s = c * c;
                for (var i = 0; i < 1000; i++)
                {
                    s += 0.5f * (w[i] - c) * (w[i] - c);
                }

                return s;
            }
            """,
            false,
            p =>
            {
                var c = p[1000];
                var residuals = p.Take(1000).Select(v => v - c).ToArray();
                var sum = 0f;
                foreach (var r in residuals)
                {
                    sum += r;
                }

                var magnitude = new double[1001];
                magnitude[1000] = residuals.Sum(r => Math.Abs((double)r)) + (2 * Math.Abs((double)c));
                return ([.. residuals, (2 * c) - sum], magnitude);
            },
            p => (p[1000] * p[1000]) + Enumerable.Range(0, 1000).Sum(i => 0.5 * (p[i] - p[1000]) * (p[i] - p[1000]))),

        // A dot product over 130 values (130 = 16·8 + 2), squared: each partial derivative is scaled by the sum.
        new("Dot", 260, 130,
            """
            [Objective]
            public static float Dot([Length(130)] ReadOnlySpan<float> a, [Length(130)] ReadOnlySpan<float> b)
            {
                var s = 0f;
                for (var i = 0; i < 130; i++)
                {
                    s += a[i] * b[i];
                }

                return s * s;
            }

            [Objective]
            public static float DotUnrolled([Length(130)] ReadOnlySpan<float> a, [Length(130)] ReadOnlySpan<float> b)
            {
                var s = 0f;
                for (var i = 0; i < 63; i++)
                {
                    s += a[i] * b[i];
                }

                for (var i = 63; i < 126; i++)
                {
                    s += a[i] * b[i];
                }

                for (var i = 126; i < 130; i++)
                {
                    s += a[i] * b[i];
                }

                return s * s;
            }
            """,
            true,
            p =>
            {
                var s = 0f;
                var magnitude = 0.0;
                for (var i = 0; i < 130; i++)
                {
                    s += p[i] * p[130 + i];
                    magnitude += Math.Abs((double)p[i] * p[130 + i]);
                }

                var gradient = p.Take(130).Select((_, i) => 2 * s * p[130 + i]).Concat(p.Take(130).Select((v, _) => 2 * s * v)).ToArray();
                return (gradient, p.Skip(130).Concat(p.Take(130)).Select(v => 2 * magnitude * Math.Abs(v)).ToArray());
            },
            p =>
            {
                var s = Enumerable.Range(0, 130).Sum(i => p[i] * p[130 + i]);
                return s * s;
            },
            Positive: true),

        // A softplus sum with Exp and Log over 77 values (77 = 9·8 + 5), with a trained offset.
        new("Softplus", 78, 77,
            """
            [Objective]
            public static float Softplus([Length(77)] ReadOnlySpan<float> w, float c)
            {
                var s = 0f;
                for (var i = 0; i < 77; i++)
                {
                    s += MathF.Log(1 + MathF.Exp(w[i] - c));
                }

                return s;
            }

            [Objective]
            public static float SoftplusUnrolled([Length(77)] ReadOnlySpan<float> w, float c)
            {
                var s = 0f;
                for (var i = 0; i < 40; i++)
                {
                    s += MathF.Log(1 + MathF.Exp(w[i] - c));
                }

                for (var i = 40; i < 77; i++)
                {
                    s += MathF.Log(1 + MathF.Exp(w[i] - c));
                }

                return s;
            }
            """,
            true,
            p =>
            {
                var c = p[77];
                var sigmoids = p.Take(77).Select(v => MathF.Exp(v - c) / (1 + MathF.Exp(v - c))).ToArray();
                var sum = 0f;
                foreach (var g in sigmoids)
                {
                    sum += g;
                }

                var magnitude = new double[78];
                magnitude[77] = sigmoids.Sum(g => (double)g);
                return ([.. sigmoids, -sum], magnitude);
            },
            p => Enumerable.Range(0, 77).Sum(i => Math.Log(1 + Math.Exp(p[i] - p[77])))),

        // A rolled map into a stackalloc local vector, then a rolled sum over it: the sweep reads the kept tanh values.
        new("MapThenSum", 72, 0,
            """
            [Objective]
            public static float MapThenSum([Length(72)] ReadOnlySpan<float> w)
            {
                Span<float> h = stackalloc float[72];
                for (var i = 0; i < 72; i++)
                {
                    h[i] = MathF.Tanh(w[i]);
                }

                var s = 0f;
                for (var i = 0; i < 72; i++)
                {
                    s += h[i] * h[i] + 0.5f * w[i];
                }

                return s;
            }
            """,
            false,
            p => (p.Select(v => (2 * MathF.Tanh(v) * (1 - (MathF.Tanh(v) * MathF.Tanh(v)))) + 0.5f).ToArray(), new double[p.Length]),
            p => p.Sum(v => (Math.Tanh(v) * Math.Tanh(v)) + (0.5 * v))),

        // A triangular loop: the outer loop's bound is a compile-time integer, the inner one's the outer variable,
        // so the outer is unrolled and each inner loop of 64 or more iterations rolls.
        new("Triangle", 70, 70,
            """
            [Objective]
            public static float Triangle([Length(70)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 70; i++)
                {
                    var inner = 0f;
                    for (var j = 0; j < i; j++)
                    {
                        inner += w[j];
                    }

                    s += 0.01f * w[i] * inner;
                }

                return s;
            }
            """,
            false,
            p =>
            {
                // s = 0.01 Σ_{j<i} w_i w_j, so ∂w_k = 0.01 Σ_{j≠k} w_j.
                var total = 0f;
                foreach (var v in p)
                {
                    total += v;
                }

                var magnitude = p.Sum(v => Math.Abs((double)v)) * Slope;
                return (p.Select(v => Slope * (total - v)).ToArray(), p.Select(_ => 2 * magnitude).ToArray());
            },
            p =>
            {
                var s = 0.0;
                for (var i = 0; i < 70; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        s += (double)Slope * p[i] * p[j];
                    }
                }

                return s;
            },
            Positive: true),

        // A rolled loop in a helper objective, called on two slices (inlined twice, so two rolled loops).
        new("Cosine", 200, 100,
            """
            [Objective]
            public static float Dot100([Length(100)] ReadOnlySpan<float> a, [Length(100)] ReadOnlySpan<float> b)
            {
                var s = 0f;
                for (var i = 0; i < 100; i++)
                {
                    s += a[i] * b[i];
                }

                return s;
            }

            [Objective]
            public static float Cosine([Length(200)] ReadOnlySpan<float> z) => Dot100(z[..100], z[100..]) / MathF.Sqrt(Dot100(z[..100], z[..100]) + 1);
            """,
            false,
            p =>
            {
                // Cosine = D(a, b) / √(D(a, a) + 1), a = z[..100], b = z[100..]: ∂a_i = b_i/√q − D(a, b)·a_i/q^1.5, ∂b_i = a_i/√q.
                float ab = 0, q = 1;
                for (var i = 0; i < 100; i++)
                {
                    ab += p[i] * p[100 + i];
                    q += p[i] * p[i];
                }

                var root = MathF.Sqrt(q);
                var gradient = Enumerable.Range(0, 100).Select(i => (p[100 + i] / root) - (ab * p[i] / (q * root)))
                    .Concat(Enumerable.Range(0, 100).Select(i => p[i] / root)).ToArray();

                // Both sums have terms of one sign at the corpus's points, so each is within n·ε of itself relative; a
                // term of a partial derivative is a product and quotient of them, within 3·n·ε of itself.
                var magnitude = Enumerable.Range(0, 100).Select(i => 3 * ((p[100 + i] / root) + (ab * p[i] / (q * root))))
                    .Concat(Enumerable.Range(0, 100).Select(i => 3 * p[i] / root)).Select(m => (double)m).ToArray();
                return (gradient, magnitude);
            },
            p =>
            {
                double ab = 0, q = 1;
                for (var i = 0; i < 100; i++)
                {
                    ab += p[i] * p[100 + i];
                    q += p[i] * p[i];
                }

                return ab / Math.Sqrt(q);
            },
            Positive: true),

        // A Max kink (a leaky rectifier) over 90 values (90 = 11·8 + 2), away from the kink at 0.
        new("Kink", 90, 0,
            """
            [Objective]
            public static float Kink([Length(90)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 90; i++)
                {
                    s += MathF.Max(w[i], 0.25f * w[i]) + 0.5f * w[i] * w[i];
                }

                return s;
            }

            [Objective]
            public static float KinkUnrolled([Length(90)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 45; i++)
                {
                    s += MathF.Max(w[i], 0.25f * w[i]) + 0.5f * w[i] * w[i];
                }

                for (var i = 45; i < 90; i++)
                {
                    s += MathF.Max(w[i], 0.25f * w[i]) + 0.5f * w[i] * w[i];
                }

                return s;
            }
            """,
            true,
            p => (p.Select(v => (v > 0 ? 1f : 0.25f) + v).ToArray(), new double[p.Length]),
            p => p.Sum(v => Math.Max(v, 0.25 * v) + (0.5 * v * v))),
    ];

    /// <summary>A point of <paramref name="c"/>'s objective (see <see cref="Case.Positive"/>).</summary>
    public static float[] Point(Case c, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, c.Count)
            .Select(_ => c.Positive ? 0.1f + (0.5f * random.NextSingle()) : (random.Next(2) == 0 ? -1 : 1) * (0.05f + (0.45f * random.NextSingle())))
            .ToArray();
    }

    /// <summary>The corpus, and per objective a harness that calls its flat overload (and its twin's).</summary>
    public static string Source() => $$"""
        using System;
        using OptimDsl;

        namespace FloatRolled;

        public static partial class Objectives
        {
        {{string.Join("\n\n", Cases.Select(c => c.Source))}}
        }

        public static class Harness
        {
        {{string.Join("\n", Cases.SelectMany(c => c.Twin ? new[] { c.Name, c.Name + "Unrolled" } : new[] { c.Name }).Select(n => $"    public static float Flat{n}(float[] p, float[] g) => Objectives.{n}Gradient(p, g);"))}}

            // The named overloads of a vector and a scalar, and of two vectors.
            public static float NamedSquares1000(float[] p, float[] g) => Objectives.Squares1000Gradient(p.AsSpan(0, 1000), p[1000], g.AsSpan(0, 1000), out g[1000]);
            public static float NamedDot(float[] p, float[] g) => Objectives.DotGradient(p.AsSpan(0, 130), p.AsSpan(130), g.AsSpan(0, 130), g.AsSpan(130));
            public static float NamedSoftplus(float[] p, float[] g) => Objectives.SoftplusGradient(p.AsSpan(0, 77), p[77], g.AsSpan(0, 77), out g[77]);
        }
        """;
}
