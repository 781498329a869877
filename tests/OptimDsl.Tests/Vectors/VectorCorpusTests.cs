using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// Every vector-corpus objective (README, Vectors and loops) compiled through the generator and run:
/// each group compiles cleanly, the generated value is the user's method, every gradient component
/// agrees with central finite differences of the user's method and, where it is derived by hand
/// here, with that; <c>MParameterCount</c> counts the trained values, and the named overload gives
/// the flat one's results. Objectives with data are checked through the data overload: the mean
/// loss and the mean gradient over 5 to 7 samples. The first tests check the corpus itself without
/// the generator: it is plain C#, each case's layout is its method's signature, and the hand-derived
/// gradients agree with finite differences of the user's method.
/// </summary>
public sealed class VectorCorpusTests
{
    public static TheoryData<string> Groups => [.. VectorCorpus.GroupNames];

    public static TheoryData<string> All => [.. VectorCorpus.Cases.Select(c => c.Method)];

    public static TheoryData<string> WithHand => [.. VectorCorpus.Cases.Where(c => Hand.ContainsKey(c.Method)).Select(c => c.Method)];

    public static TheoryData<string> NamedWithoutData =>
        [.. VectorCorpus.Cases.Where(c => c.HasNamed && !c.HasData).Select(c => c.Method)];

    public static TheoryData<string> NamedWithData =>
        [.. VectorCorpus.Cases.Where(c => c.HasNamed && c.HasData).Select(c => c.Method)];

    // ---- the corpus on its own (no generator) ----

    [Theory]
    [MemberData(nameof(Groups))]
    public void The_corpus_sources_compile_as_plain_CSharp(string group)
    {
        var reference = VectorCorpus.Reference(group);

        Assert.True(reference.WarningsAndErrors.Count == 0, Infrastructure.GeneratorRun.Format(reference.WarningsAndErrors));
        Assert.NotNull(reference.Assembly);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Each_case_describes_its_methods_signature(string method)
    {
        var c = VectorCorpus.Get(method);
        var type = VectorCorpus.Reference(c).Assembly.GetType(c.Type);
        var user = type.GetMethod(method, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"No method {c.Type}.{method}.");
        var parameters = user.GetParameters();

        Assert.True(user.IsDefined(typeof(ObjectiveAttribute)), $"{method} is not an [Objective].");
        Assert.Equal(c.Params.Select(p => p.Name), parameters.Select(p => p.Name));
        for (var i = 0; i < parameters.Length; i++)
        {
            var (expected, actual) = (c.Params[i], parameters[i]);
            Assert.Equal(expected.IsVector ? typeof(ReadOnlySpan<double>) : typeof(double), actual.ParameterType);
            Assert.Equal(expected.IsData, actual.IsDefined(typeof(DataAttribute)));
            Assert.Equal(expected.IsVector ? expected.Length : null, actual.GetCustomAttribute<LengthAttribute>()?.Length);
        }
    }

    [Fact]
    public void The_corpus_covers_the_vector_language()
    {
        var vectorCases = VectorCorpus.Cases.Where(c => c.HasVector).ToArray();
        Assert.True(vectorCases.Length >= 22, $"{vectorCases.Length} vector objectives");
        Assert.Contains(vectorCases, c => c.Params.Any(p => p.Length == 1));
        Assert.Contains(vectorCases, c => c.TrainedCount >= 40);
        Assert.True(vectorCases.Count(c => c.HasData) >= 6);
        Assert.True(vectorCases.Count(c => !c.HasData) >= 6);
        Assert.True(vectorCases.Count(c => Hand.ContainsKey(c.Method)) >= 8);
        Assert.True(vectorCases.Count(c => c.HasNamed && !c.HasData) >= 3);

        // A scalar first, between and after vectors; a data scalar before a vector, data mixed with trained.
        Assert.Contains(vectorCases, c => c.Params is [{ IsVector: false, IsData: false }, ..] && c.Params[^1] is { IsVector: false, IsData: false }
            && c.Params.Skip(1).SkipLast(1).Any(p => !p.IsVector && !p.IsData));
        Assert.Contains(vectorCases, c => c.Params is [{ IsVector: false, IsData: true }, ..] && c.Params.Any(p => p.IsVector && p.IsData));

        var text = string.Join("\n", VectorCorpus.Sources.Values.SelectMany(s => s));
        string[] constructs =
        [
            "stackalloc double[", "for (int j = i;", "j < i;", "j <= i;", "i--)", "--i)", "++i)", "i -= 2)", "i += 3)",
            "i <= ", "i >= ", "int k = 0;", "k += 2;", "k += 1;", "m -= 1;", "w.Length / 2", "i % 2", "0.5 * i", "0.5 * j",
            "] *= ", "] += ", "] -= ", "] /= ", ".Slice(", "[..", "..]", "[^", "..7]", ".Length; ", "Math.Max(0, s)",
            "z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))", "p *= x;", "Math.Tanh(", "Norm2(v)",
            "ReadOnlySpan<double> middle = ",
        ];
        foreach (var construct in constructs)
        {
            Assert.Contains(construct, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(WithHand))]
    public void The_hand_derived_gradients_agree_with_finite_differences_of_the_users_method(string method)
    {
        var c = VectorCorpus.Get(method);
        var reference = VectorCorpus.Reference(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            var hand = MeanHand(c, point);
            Assert.Equal(c.TrainedCount, hand.Length);
            for (var k = 0; k < hand.Length; k++)
            {
                var (numeric, tolerance) = Difference(theta => reference.MeanValue(c, theta, point.Samples), point.Theta, k);
                Within(numeric, hand[k], tolerance, $"hand ∂{method}/∂{c.TrainedNames[k]} at {point}");
            }
        }
    }

    // ---- the generated code ----

    [Theory]
    [MemberData(nameof(Groups))]
    public void Each_group_compiles_without_a_warning(string group)
    {
        var compiled = VectorCorpus.Compiled(group);

        Assert.True(compiled.WarningsAndErrors.Count == 0, Infrastructure.GeneratorRun.Format(compiled.WarningsAndErrors));
        Assert.NotNull(compiled.Assembly);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_generated_value_is_the_users_method(string method)
    {
        var c = VectorCorpus.Get(method);
        var compiled = VectorCorpus.Compiled(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            var expected = compiled.MeanValue(c, point.Theta, point.Samples);
            var value = compiled.Generated(c, point, new double[c.TrainedCount]);

            Assert.True(double.IsFinite(expected), $"The test point {point} is outside {method}'s domain.");
            Within(expected, value, 1e-12 * Math.Max(1, Math.Abs(expected)), $"{method} at {point}");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_gradient_agrees_with_finite_differences(string method)
    {
        var c = VectorCorpus.Get(method);
        var compiled = VectorCorpus.Compiled(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            var gradient = new double[c.TrainedCount];
            compiled.Generated(c, point, gradient);
            for (var k = 0; k < gradient.Length; k++)
            {
                var (numeric, tolerance) = Difference(theta => compiled.MeanValue(c, theta, point.Samples), point.Theta, k);
                Within(numeric, gradient[k], tolerance, $"∂{method}/∂{c.TrainedNames[k]} at {point}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WithHand))]
    public void The_gradient_is_the_one_derived_by_hand(string method)
    {
        var c = VectorCorpus.Get(method);
        var compiled = VectorCorpus.Compiled(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            var gradient = new double[c.TrainedCount];
            compiled.Generated(c, point, gradient);
            var hand = MeanHand(c, point);
            for (var k = 0; k < hand.Length; k++)
            {
                Within(hand[k], gradient[k], 1e-10 * Math.Max(1, Math.Abs(hand[k])), $"∂{method}/∂{c.TrainedNames[k]} at {point}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_parameter_count_is_the_number_of_trained_values(string method)
    {
        var c = VectorCorpus.Get(method);

        Assert.Equal(c.TrainedCount, VectorCorpus.Compiled(c).ParameterCount(c));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_gradient_overloads_are_those_of_the_SPEC(string method)
    {
        // Flat (no data) or data overload, and the named overload unless it would have the same
        // parameter types; all with the objective's accessibility and the SPEC's parameter names.
        var c = VectorCorpus.Get(method);
        var type = VectorCorpus.Compiled(c).Assembly.GetType(c.Type);
        const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        var user = type.GetMethod(method, Static)!;

        var expected = new List<string>
        {
            c.HasData
                ? string.Join(", ", ["ReadOnlySpan<double> parameters", .. c.Data.Select(p => "ReadOnlySpan<double> " + p.Name), "Span<double> gradient", "int maxDegreeOfParallelism"])
                : "ReadOnlySpan<double> parameters, Span<double> gradient",
        };
        if (c.HasNamed)
        {
            expected.Add(string.Join(", ",
                c.Params.Select(p => (p.IsVector ? "ReadOnlySpan<double> " : "double ") + p.Name)
                    .Concat(c.Trained.Select(p => (p.IsVector ? "Span<double> d" : "out double d") + char.ToUpperInvariant(p.Name[0]) + p.Name[1..]))));
        }

        var actual = type.GetMethods(Static)
            .Where(m => m.Name == method + "Gradient" && m.IsPublic == user.IsPublic && m.IsAssembly == user.IsAssembly)
            .Select(m =>
            {
                Assert.Equal(typeof(double), m.ReturnType);
                return string.Join(", ", m.GetParameters().Select(p => TypeName(p) + " " + p.Name));
            });
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

        static string TypeName(ParameterInfo p)
            => p.IsOut && p.ParameterType == typeof(double).MakeByRefType() ? "out double"
                : p.ParameterType == typeof(double) ? "double"
                : p.ParameterType == typeof(ReadOnlySpan<double>) ? "ReadOnlySpan<double>"
                : p.ParameterType == typeof(Span<double>) ? "Span<double>"
                : p.ParameterType == typeof(int) ? "int"
                : p.ParameterType.ToString();
    }

    [Theory]
    [MemberData(nameof(NamedWithoutData))]
    public void The_named_overload_gives_the_flat_overloads_bits(string method)
    {
        var c = VectorCorpus.Get(method);
        var compiled = VectorCorpus.Compiled(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            var flat = new double[c.TrainedCount];
            var named = Sentinel(c.TrainedCount);
            var flatValue = compiled.Flat(c, point.Theta, flat);
            var namedValue = compiled.Named(c, point.Theta, [], named);

            Assert.Equal(BitConverter.DoubleToInt64Bits(flatValue), BitConverter.DoubleToInt64Bits(namedValue));
            for (var k = 0; k < flat.Length; k++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(flat[k]) == BitConverter.DoubleToInt64Bits(named[k]),
                    $"∂{method}/∂{c.TrainedNames[k]} at {point}: flat {flat[k]:R}, named {named[k]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(NamedWithData))]
    public void The_per_sample_named_overload_agrees_with_the_data_overload_on_one_sample(string method)
    {
        var c = VectorCorpus.Get(method);
        var compiled = VectorCorpus.Compiled(c);

        foreach (var point in VectorCorpus.Points(c))
        {
            foreach (var sample in point.Samples.Take(2))
            {
                var mean = new double[c.TrainedCount];
                var named = Sentinel(c.TrainedCount);
                var meanValue = compiled.DataMean(c, point.Theta, [sample], mean);
                var namedValue = compiled.Named(c, point.Theta, sample, named);

                // The data overload may use its own vectorised Exp and Log: a few ulps, not bits.
                Within(meanValue, namedValue, 1e-12 * Math.Max(1, Math.Abs(meanValue)), $"{method} at {point}");
                Within(compiled.Value(c, point.Theta, sample), namedValue, 1e-12 * Math.Max(1, Math.Abs(namedValue)), $"{method} named value at {point}");
                for (var k = 0; k < mean.Length; k++)
                {
                    Within(mean[k], named[k], 1e-12 * Math.Max(1, Math.Abs(mean[k])), $"∂{method}/∂{c.TrainedNames[k]} at {point}");
                }
            }
        }
    }

    // ---- finite differences and tolerances ----

    /// <summary>
    /// ∂f/∂θ_k by the fourth-order central difference (truncation O(h⁴), exact for polynomials up to
    /// degree 4), with a tolerance for truncation and rounding (about ε·|f|/h), as the scalar corpus.
    /// </summary>
    internal static (double Numeric, double Tolerance) Difference(Func<double[], double> f, double[] theta, int k)
    {
        var h = 1e-4 * Math.Max(1, Math.Abs(theta[k]));
        double At(double offset)
        {
            var shifted = (double[])theta.Clone();
            shifted[k] += offset;
            return f(shifted);
        }

        var values = new[] { At(-2 * h), At(-h), At(h), At(2 * h) };
        var numeric = (values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12 * h);
        var tolerance = 1e-6 * Math.Max(1, Math.Abs(numeric)) + 1e-12 * values.Max(Math.Abs) / h;
        return (numeric, tolerance);
    }

    internal static double[] Sentinel(int length) => Enumerable.Range(0, length).Select(i => 1234.5 + i).ToArray();

    internal static void Within(double expected, double actual, double tolerance, string what)
        => Assert.True(
            Math.Abs(actual - expected) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):R}, tolerance {tolerance:R}).");

    // ---- gradients derived by hand ----

    /// <summary>The hand-derived gradient at a point: the mean over its samples for an objective with data.</summary>
    private static double[] MeanHand(VectorCase c, VectorPoint point)
    {
        var hand = Hand[c.Method];
        if (!c.HasData)
        {
            return hand(point.Theta, []);
        }

        var sum = new double[c.TrainedCount];
        foreach (var sample in point.Samples)
        {
            var g = hand(point.Theta, sample);
            for (var k = 0; k < sum.Length; k++)
            {
                sum[k] += g[k];
            }
        }

        return sum.Select(v => v / point.Samples.Length).ToArray();
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>
    /// ∇ over the trained values (flat, in declaration order) of one call of the user's method, from
    /// the trained values t and one sample's data s (flat, in declaration order; empty without data).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Func<double[], double[], double[]>> Hand =
        new Dictionary<string, Func<double[], double[], double[]>>
        {
            // Dot(a, b) = a·b.
            ["Dot"] = (t, _) => [t[3], t[4], t[5], t[0], t[1], t[2]],

            // (w·x + b − y)²: 2r·x, 2r.
            ["Linear"] = (t, s) =>
            {
                var r = t[4] - s[4];
                for (var i = 0; i < 4; i++)
                {
                    r += t[i] * s[i];
                }

                return [.. Enumerable.Range(0, 4).Select(i => 2 * r * s[i]), 2 * r];
            },

            // ½(b + w·x − y)² + λ|w|²: r, r·x + 2λw.
            ["Ridge"] = (t, s) =>
            {
                var r = t[0] - s[4];
                for (var i = 0; i < 4; i++)
                {
                    r += t[1 + i] * s[i];
                }

                return [r, .. Enumerable.Range(0, 4).Select(i => r * s[i] + 0.2 * t[1 + i])];
            },

            // softplus(z) − y·z, z = w·x + b: (σ(z) − y)·x, σ(z) − y.
            ["Logistic"] = (t, s) =>
            {
                var z = t[3] + t[0] * s[0] + t[1] * s[1] + t[2] * s[2];
                var dz = Sigmoid(z) - s[3];
                return [dz * s[0], dz * s[1], dz * s[2], dz];
            },

            // Σ_k y_k (logΣexp z − z_k), z = Wx + b: ∂/∂z_k = p_k Σy − y_k with p = softmax(z).
            ["Softmax"] = (t, s) =>
            {
                var z = Enumerable.Range(0, 3).Select(k => t[6 + k] + t[2 * k] * s[0] + t[2 * k + 1] * s[1]).ToArray();
                var max = z.Max();
                var e = z.Select(v => Math.Exp(v - max)).ToArray();
                var total = e.Sum();
                var labels = s[2] + s[3] + s[4];
                var dz = Enumerable.Range(0, 3).Select(k => e[k] / total * labels - s[2 + k]).ToArray();
                return [.. Enumerable.Range(0, 6).Select(j => dz[j / 2] * s[j % 2]), .. dz];
            },

            // (Σ c_k x^k − y)²: 2r·x^k.
            ["Polynomial"] = (t, s) =>
            {
                var r = -s[1];
                for (var k = 0; k < 5; k++)
                {
                    r += t[k] * Math.Pow(s[0], k);
                }

                return [.. Enumerable.Range(0, 5).Select(k => 2 * r * Math.Pow(s[0], k))];
            },

            // Backpropagation by hand: e = o − target; ∂w2_j = e·h_j, ∂b2 = e, ∂s_j = e·w2_j·(1 − h_j²).
            ["TanhNet"] = (t, s) =>
            {
                var h = new double[4];
                var o = t[20];
                for (var j = 0; j < 4; j++)
                {
                    var a = t[12 + j];
                    for (var i = 0; i < 3; i++)
                    {
                        a += t[3 * j + i] * s[i];
                    }

                    h[j] = Math.Tanh(a);
                    o += t[16 + j] * h[j];
                }

                var e = o - s[3];
                var g = new double[21];
                for (var j = 0; j < 4; j++)
                {
                    var ds = e * t[16 + j] * (1 - h[j] * h[j]);
                    for (var i = 0; i < 3; i++)
                    {
                        g[3 * j + i] = ds * s[i];
                    }

                    g[12 + j] = ds;
                    g[16 + j] = e * h[j];
                }

                g[20] = e;
                return g;
            },

            // ReLU units pass the gradient where they are active (s > 0) and stop it elsewhere.
            ["ReluNet"] = (t, s) =>
            {
                var pre = new double[3];
                var h = new double[3];
                for (var j = 0; j < 3; j++)
                {
                    pre[j] = t[6 + j] + t[2 * j] * s[0] + t[2 * j + 1] * s[1];
                    h[j] = Math.Max(0, pre[j]);
                }

                var g = new double[15];
                var dh = new double[3];
                for (var k = 0; k < 2; k++)
                {
                    var o = t[9 + 3 * k] * h[0] + t[9 + 3 * k + 1] * h[1] + t[9 + 3 * k + 2] * h[2];
                    var e = 2 * (o - s[2 + k]);
                    for (var j = 0; j < 3; j++)
                    {
                        g[9 + 3 * k + j] = e * h[j];
                        dh[j] += e * t[9 + 3 * k + j];
                    }
                }

                for (var j = 0; j < 3; j++)
                {
                    var ds = pre[j] > 0 ? dh[j] : 0;
                    g[2 * j] = ds * s[0];
                    g[2 * j + 1] = ds * s[1];
                    g[6 + j] = ds;
                }

                return g;
            },

            // log(1 + r²): ∂r = 2r / (1 + r²). Trained: a (2), c, d (3); data: scale, x (3), y.
            ["Interleaved"] = (t, s) =>
            {
                double scale = s[0], x0 = s[1], x1 = s[2], x2 = s[3];
                var r = t[2] * scale + t[3] * x0 + t[4] * x1 + t[5] * x2 + t[0] * x0 * x1 + t[1] * x2 - s[4];
                var dr = 2 * r / (1 + r * r);
                return [dr * x0 * x1, dr * x2, dr * scale, dr * x0, dr * x1, dr * x2];
            },

            // (u·x[0..3] + tanh(x[3..6]·v) + bias − y)².
            ["SplitFeatures"] = (t, s) =>
            {
                var gate = Math.Tanh(s[3] * t[4] + s[4] * t[5] + s[5] * t[6]);
                var r = t[0] * s[0] + t[1] * s[1] + t[2] * s[2] + gate + t[3] - s[6];
                return [2 * r * s[0], 2 * r * s[1], 2 * r * s[2], 2 * r, .. Enumerable.Range(0, 3).Select(i => 2 * r * (1 - gate * gate) * s[3 + i])];
            },

            // Σ_{i≤j} x_i x_j / (1 + i + j): Σ_j x_j / (1 + k + j) + x_k / (1 + 2k) (the diagonal counts twice).
            ["UpperQuadratic"] = (t, _) =>
                [.. Enumerable.Range(0, 5).Select(k => Enumerable.Range(0, 5).Sum(j => t[j] / (1 + k + j)) + t[k] / (1 + 2 * k))],

            // Rows r_i = Σ_{j≤i} l[i(i+1)/2 + j](j + 1); loss Σ r_i² + scale Σ diag² + scale².
            ["PackedLower"] = (t, _) =>
            {
                var g = new double[7];
                var diagonals = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    var offset = i * (i + 1) / 2;
                    var row = 0.0;
                    for (var j = 0; j <= i; j++)
                    {
                        row += t[offset + j] * (j + 1);
                    }

                    for (var j = 0; j <= i; j++)
                    {
                        g[offset + j] = 2 * row * (j + 1);
                    }

                    g[offset + i] += 2 * t[6] * t[offset + i];
                    diagonals += t[offset + i] * t[offset + i];
                }

                g[6] = diagonals + 2 * t[6];
                return g;
            },

            // 0.1|p|² − Σ_{j<i} log(1 + (p_i − p_j)²).
            ["Pairwise"] = (t, _) => [.. Enumerable.Range(0, 5).Select(k =>
                0.2 * t[k] - Enumerable.Range(0, 5).Where(j => j != k).Sum(j => 2 * (t[k] - t[j]) / (1 + (t[k] - t[j]) * (t[k] - t[j]))))],

            // Σ (i + 1)(w_i − i/2)² + w_i e^{−i/4}.
            ["Shifted"] = (t, _) => [.. Enumerable.Range(0, 6).Select(i => 2 * (i + 1) * (t[i] - 0.5 * i) + Math.Exp(-0.25 * i))],

            // s = Σ w_i aⁱ (Horner), t = w6·w5 + w4·w3 + w2·w1; loss s² + t. Trained: a, then w (7).
            ["Countdown"] = (t, _) =>
            {
                double a = t[0], s = 0, ds = 0;
                for (var i = 0; i < 7; i++)
                {
                    s += t[1 + i] * Math.Pow(a, i);
                    ds += i == 0 ? 0 : i * t[1 + i] * Math.Pow(a, i - 1);
                }

                var g = new double[8];
                g[0] = 2 * s * ds;
                for (var i = 0; i < 7; i++)
                {
                    g[1 + i] = 2 * s * Math.Pow(a, i);
                }

                foreach (var i in new[] { 6, 4, 2 })
                {
                    g[1 + i] += t[1 + i - 1];
                    g[1 + i - 1] += t[1 + i];
                }

                return g;
            },

            // Σ_groups (w_i w_{i+1} − w_{i+2})² + bias (w1 + w4 + w7) + bias².
            ["Strided"] = (t, _) =>
            {
                var g = new double[10];
                for (var i = 0; i < 9; i += 3)
                {
                    var d = t[i] * t[i + 1] - t[i + 2];
                    g[i] = 2 * d * t[i + 1];
                    g[i + 1] = 2 * d * t[i] + t[9];
                    g[i + 2] = -2 * d;
                }

                g[9] = t[1] + t[4] + t[7] + 2 * t[9];
                return g;
            },

            // |x|² + c Σ x_i x_{i−1} + sin(x4 + c) + sin(x2 + c).
            ["Tridiagonal"] = (t, _) =>
            {
                var c = t[6];
                var g = new double[7];
                for (var k = 0; k < 6; k++)
                {
                    g[k] = 2 * t[k] + (k >= 1 ? c * t[k - 1] : 0) + (k <= 4 ? c * t[k + 1] : 0) + (k is 2 or 4 ? Math.Cos(t[k] + c) : 0);
                }

                g[6] = Enumerable.Range(1, 5).Sum(i => t[i] * t[i - 1]) + Math.Cos(t[4] + c) + Math.Cos(t[2] + c);
                return g;
            },

            // Σ sin(w_2m) cos(w_2m+1) + w6·w1/4 + w4².
            ["IndexLocals"] = (t, _) =>
            {
                var g = new double[8];
                for (var m = 0; m < 4; m++)
                {
                    g[2 * m] = Math.Cos(t[2 * m]) * Math.Cos(t[2 * m + 1]);
                    g[2 * m + 1] = -Math.Sin(t[2 * m]) * Math.Sin(t[2 * m + 1]);
                }

                g[6] += 0.25 * t[1];
                g[1] += 0.25 * t[6];
                g[4] += 2 * t[4];
                return g;
            },

            // cosh(w − x) + w x².
            ["Single"] = (t, _) => [Math.Sinh(t[0] - t[1]) + t[1] * t[1], -Math.Sinh(t[0] - t[1]) + 2 * t[0] * t[1]],

            ["Lone"] = (t, _) => [Math.Exp(t[0]) - 2],

            // Σ 100(w_{i+1} − w_i²)² + (1 − w_i)².
            ["Chain"] = (t, _) =>
            {
                var g = new double[40];
                for (var i = 0; i < 39; i++)
                {
                    g[i] += -400 * t[i] * (t[i + 1] - t[i] * t[i]) - 2 * (1 - t[i]);
                    g[i + 1] += 200 * (t[i + 1] - t[i] * t[i]);
                }

                return g;
            },

            ["Norm2"] = (t, _) => [.. t.Select(v => 2 * v)],

            // √(1 + |v|²): v / √(1 + |v|²).
            ["Smooth"] = (t, _) => [.. t.Select(v => v / Math.Sqrt(1 + t.Sum(u => u * u)))],

            ["Dot3"] = (t, _) => [t[3], t[4], t[5], t[0], t[1], t[2]],

            // (p0 − target0)² + 2(p1 − target1)².
            ["Misfit"] = (t, s) => [2 * (t[0] - s[0]), 4 * (t[1] - s[1])],

            // |w0..3|² + √(1 + |w3..6|²)·|w6..9|²/10 + w0 w9 − w1 w8.
            ["Slices"] = (t, _) =>
            {
                double Norm(int from) => t[from] * t[from] + t[from + 1] * t[from + 1] + t[from + 2] * t[from + 2] + t[from + 3] * t[from + 3];
                var smooth = Math.Sqrt(1 + Norm(3));
                var last = Norm(6);
                var g = new double[10];
                for (var k = 0; k < 10; k++)
                {
                    g[k] = (k < 4 ? 2 * t[k] : 0) + (k is >= 3 and <= 6 ? last / 10 * t[k] / smooth : 0) + (k >= 6 ? smooth / 10 * 2 * t[k] : 0);
                }

                g[0] += t[9];
                g[9] += t[0];
                g[1] -= t[8];
                g[8] -= t[1];
                return g;
            },

            // w2 w4 + w3 w5 + w4 w6 + (w4 − w0)² + 2(w5 − w1)² + shift (w7 − w5).
            ["SliceOfSlice"] = (t, _) =>
            {
                var shift = t[8];
                return
                [
                    -2 * (t[4] - t[0]), -4 * (t[5] - t[1]), t[4], t[5], t[2] + t[6] + 2 * (t[4] - t[0]), t[3] + 4 * (t[5] - t[1]) - shift,
                    t[4], shift, t[7] - t[5],
                ];
            },

            // h_j = c(w_j + w_{j+1}) + j/2, then h0 −= w4, h3 /= 1 + w0²; loss N + √(1 + N) + h1 w2 + h2 w3 + h3 w4, N = |h|².
            ["LocalVector"] = (t, _) =>
            {
                var c = t[5];
                var q = 1 + t[0] * t[0];
                var raw3 = c * (t[3] + t[4]) + 1.5;
                double[] h = [c * (t[0] + t[1]) - t[4], c * (t[1] + t[2]) + 0.5, c * (t[2] + t[3]) + 1, raw3 / q];
                var n = h.Sum(v => v * v);
                var factor = 1 + 0.5 / Math.Sqrt(1 + n);
                var dh = h.Select(v => 2 * v * factor).ToArray();
                dh[1] += t[2];
                dh[2] += t[3];
                dh[3] += t[4];

                var g = new double[6];
                // h0 = c(w0 + w1) − w4
                g[0] += dh[0] * c;
                g[1] += dh[0] * c;
                g[4] -= dh[0];
                g[5] += dh[0] * (t[0] + t[1]);
                // h1 = c(w1 + w2) + 0.5, h2 = c(w2 + w3) + 1
                g[1] += dh[1] * c;
                g[2] += dh[1] * c;
                g[5] += dh[1] * (t[1] + t[2]);
                g[2] += dh[2] * c;
                g[3] += dh[2] * c;
                g[5] += dh[2] * (t[2] + t[3]);
                // h3 = (c(w3 + w4) + 1.5) / (1 + w0²)
                g[3] += dh[3] * c / q;
                g[4] += dh[3] * c / q;
                g[5] += dh[3] * (t[3] + t[4]) / q;
                g[0] += dh[3] * -raw3 * 2 * t[0] / (q * q);
                // the direct terms h1 w2 + h2 w3 + h3 w4
                g[2] += h[1];
                g[3] += h[2];
                g[4] += h[3];
                return g;
            },

            // (a u0 − b)² + c Σ v_i u_{i%2} + e^{c u1} + b² v2. Trained: a, u (2), b, v (3), c.
            ["Scalars"] = (t, _) =>
            {
                double a = t[0], u0 = t[1], u1 = t[2], b = t[3], v0 = t[4], v1 = t[5], v2 = t[6], c = t[7];
                var r = a * u0 - b;
                var e = Math.Exp(c * u1);
                return [2 * r * u0, 2 * r * a + c * (v0 + v2), c * v1 + c * e, -2 * r + 2 * b * v2, c * u0, c * u1, c * u0 + b * b, v0 * u0 + v1 * u1 + v2 * u0 + u1 * e];
            },

            // p0 = w0..3·x + b, p1 = x·w3..6 − b; (p0 − t0)² + 2(p1 − t1)².
            ["RowHelpers"] = (t, s) =>
            {
                var e0 = t[0] * s[0] + t[1] * s[1] + t[2] * s[2] + t[6] - s[3];
                var e1 = t[3] * s[0] + t[4] * s[1] + t[5] * s[2] - t[6] - s[4];
                return [2 * e0 * s[0], 2 * e0 * s[1], 2 * e0 * s[2], 4 * e1 * s[0], 4 * e1 * s[1], 4 * e1 * s[2], 2 * e0 - 4 * e1];
            },

            ["Bowl"] = (t, _) => [2 * (t[0] - 1) + t[1], 6 * (t[1] + 0.5) + t[0]],

            // (w x + b − y)². Trained: w, b; data: x, y.
            ["Line"] = (t, s) =>
            {
                var r = t[0] * s[0] + t[1] - s[1];
                return [2 * r * s[0], 2 * r];
            },
        };
}
