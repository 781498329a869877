using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// Rolled loops (README, Vectors and loops): a loop of at least <c>RollThreshold</c> iterations whose
/// body only adds to sums stays a loop in the generated code. Each objective here has a twin whose
/// loops are split into loops too short to roll, so it is unrolled: the two give the same value and
/// gradient to rounding, and agree with hand-derived gradients.
/// </summary>
public sealed class RolledLoopTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Rolled;

        public static partial class M
        {
            public const int N = 120;
            public const int Half = N / 2;

            // Sums with a fixed trained scalar (its adjoint is summed over the iterations) and the index as a double.
            [Objective, Adam(LearningRate = 0.01)]
            public static double Fit([Length(N)] ReadOnlySpan<double> w, double c)
            {
                double s = 0;
                for (int i = 0; i < N; i++)
                    s += (w[i] - c - 0.01 * i) * (w[i] - c - 0.01 * i);
                return s + c * c;
            }

            [Objective]
            public static double FitUnrolled([Length(N)] ReadOnlySpan<double> w, double c)
            {
                double s = 0;
                for (int i = 0; i < Half; i++)
                    s += (w[i] - c - 0.01 * i) * (w[i] - c - 0.01 * i);
                for (int i = Half; i < N; i++)
                    s += (w[i] - c - 0.01 * i) * (w[i] - c - 0.01 * i);
                return s + c * c;
            }

            // Two sums in one loop, -=, a stride of 2, a start of 1, a loop counting down, a fixed element read in the loop.
            [Objective, GradientDescent(LearningRate = 0.001)]
            public static double Mixed([Length(N)] ReadOnlySpan<double> w, [Length(2 * N)] ReadOnlySpan<double> u)
            {
                double a = 0, b = 1;
                for (int i = 1; i < N; i++)
                {
                    double d = w[i] - w[i - 1];
                    a += d * d;
                    b -= Math.Sin(u[2 * i + 1]) * w[0];
                }
                double e = 0;
                for (int i = N - 1; i >= 0; i--)
                    e += Math.Exp(0.1 * u[2 * i]) * w[i];
                return a + b * b + e;
            }

            [Objective]
            public static double MixedUnrolled([Length(N)] ReadOnlySpan<double> w, [Length(2 * N)] ReadOnlySpan<double> u)
            {
                double a = 0, b = 1;
                for (int i = 1; i < Half; i++)
                {
                    double d = w[i] - w[i - 1];
                    a += d * d;
                    b -= Math.Sin(u[2 * i + 1]) * w[0];
                }
                for (int i = Half; i < N; i++)
                {
                    double d = w[i] - w[i - 1];
                    a += d * d;
                    b -= Math.Sin(u[2 * i + 1]) * w[0];
                }
                double e = 0;
                for (int i = N - 1; i >= Half; i--)
                    e += Math.Exp(0.1 * u[2 * i]) * w[i];
                for (int i = Half - 1; i >= 0; i--)
                    e += Math.Exp(0.1 * u[2 * i]) * w[i];
                return a + b * b + e;
            }

            // A dense layer: 100 hidden units rolled, each with an inner loop over 3 inputs unrolled in the body.
            [Objective]
            public static double Layer([Length(300)] ReadOnlySpan<double> w, [Length(100)] ReadOnlySpan<double> v, [Length(3)] ReadOnlySpan<double> x)
            {
                double y = 0;
                for (int j = 0; j < 100; j++)
                {
                    double s = 0;
                    for (int i = 0; i < 3; i++)
                        s += w[3 * j + i] * x[i];
                    y += v[j] * Math.Tanh(s);
                }
                return (y - 1) * (y - 1);
            }

            [Objective]
            public static double LayerUnrolled([Length(300)] ReadOnlySpan<double> w, [Length(100)] ReadOnlySpan<double> v, [Length(3)] ReadOnlySpan<double> x)
            {
                double y = 0;
                for (int h = 0; h < 2; h++)
                {
                    for (int j = 50 * h; j < 50 * h + 50; j++)
                    {
                        double s = 0;
                        for (int i = 0; i < 3; i++)
                            s += w[3 * j + i] * x[i];
                        y += v[j] * Math.Tanh(s);
                    }
                }
                return (y - 1) * (y - 1);
            }

            // A rolled loop in a helper objective, called on two slices.
            [Objective]
            public static double Dot([Length(100)] ReadOnlySpan<double> a, [Length(100)] ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < 100; i++)
                    s += a[i] * b[i];
                return s;
            }

            [Objective]
            public static double Cosine([Length(200)] ReadOnlySpan<double> z) => Dot(z[..100], z[100..]) / Math.Sqrt(Dot(z[..100], z[..100]) + 1);

            [Objective]
            public static double DotUnrolled([Length(100)] ReadOnlySpan<double> a, [Length(100)] ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int h = 0; h < 2; h++)
                    for (int i = 50 * h; i < 50 * h + 50; i++)
                        s += a[i] * b[i];
                return s;
            }

            [Objective]
            public static double CosineUnrolled([Length(200)] ReadOnlySpan<double> z) => DotUnrolled(z[..100], z[100..]) / Math.Sqrt(DotUnrolled(z[..100], z[..100]) + 1);

            // Logistic regression over 100 features, with data rows.
            [Objective, Adam(LearningRate = 0.05), Sgd(LearningRate = 0.05, BatchSize = 3, Seed = 2)]
            public static double Logistic([Length(100)] ReadOnlySpan<double> w, double b, [Data, Length(100)] ReadOnlySpan<double> x, [Data] double y)
            {
                double z = b;
                for (int i = 0; i < 100; i++)
                    z += w[i] * x[i];
                double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                return softplus - y * z;
            }

            [Objective]
            public static double LogisticUnrolled([Length(100)] ReadOnlySpan<double> w, double b, [Data, Length(100)] ReadOnlySpan<double> x, [Data] double y)
            {
                double z = b;
                for (int h = 0; h < 2; h++)
                    for (int i = 50 * h; i < 50 * h + 50; i++)
                        z += w[i] * x[i];
                double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                return softplus - y * z;
            }
        }

        public static class Driver
        {
            public static double[] Flat(string name, double[] theta)
            {
                var g = new double[theta.Length];
                double value = name switch
                {
                    "Fit" => M.FitGradient(theta, g),
                    "FitUnrolled" => M.FitUnrolledGradient(theta, g),
                    "Mixed" => M.MixedGradient(theta, g),
                    "MixedUnrolled" => M.MixedUnrolledGradient(theta, g),
                    "Layer" => M.LayerGradient(theta, g),
                    "LayerUnrolled" => M.LayerUnrolledGradient(theta, g),
                    "Cosine" => M.CosineGradient(theta, g),
                    "CosineUnrolled" => M.CosineUnrolledGradient(theta, g),
                    _ => throw new ArgumentException(name),
                };
                return new[] { value }.Concat(g).ToArray();
            }

            public static double[] Named(string name, double[] theta)
            {
                var dW = new double[120];
                var dU = new double[240];
                switch (name)
                {
                    case "Fit":
                    {
                        var value = M.FitGradient(theta.AsSpan(0, 120), theta[120], dW, out var dC);
                        return new[] { value }.Concat(dW).Append(dC).ToArray();
                    }
                    default:
                    {
                        var value = M.MixedGradient(theta.AsSpan(0, 120), theta.AsSpan(120, 240), dW, dU);
                        return new[] { value }.Concat(dW).Concat(dU).ToArray();
                    }
                }
            }

            public static double Value(string name, double[] theta) => name switch
            {
                "Fit" => M.Fit(theta.AsSpan(0, 120), theta[120]),
                "Mixed" => M.Mixed(theta.AsSpan(0, 120), theta.AsSpan(120, 240)),
                "Layer" => M.Layer(theta.AsSpan(0, 300), theta.AsSpan(300, 100), theta.AsSpan(400, 3)),
                "Cosine" => M.Cosine(theta),
                _ => throw new ArgumentException(name),
            };

            public static double[] Data(string name, double[] theta, double[] x, double[] y)
            {
                var g = new double[101];
                var value = name == "Logistic" ? M.LogisticGradient(theta, x, y, g) : M.LogisticUnrolledGradient(theta, x, y, g);
                return new[] { value }.Concat(g).ToArray();
            }

            public static double[] Train(double[] x, double[] y)
            {
                var adam = new M.LogisticAdam(new double[100], 0);
                var sgd = new M.LogisticSgd(new double[100], 0);
                var fit = new M.FitAdam(new double[120], 0.5);
                adam.Step(x, y); sgd.Step(x, y); fit.Step();
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (int s = 0; s < 50; s++) { adam.Step(x, y); sgd.Step(x, y); fit.Step(); }
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                return new[] { (double)allocated, adam.W[3], sgd.W[3], fit.W[7], fit.C };
            }
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return (run, run.Load());
    });

    private static object? Call(string method, params object?[] arguments) => Compiled.Value.Assembly.Invoke("Rolled.Driver", method, arguments);

    private static double[] Point(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    [Theory]
    [InlineData("Fit", "s", 121)]
    [InlineData("Mixed", "a", 360)]
    [InlineData("Layer", "y", 403)]
    [InlineData("Dot", "s", 200)]
    [InlineData("Logistic", "z", 101)]
    public void Long_loops_stay_loops_and_short_ones_are_unrolled(string name, string sum, int values)
    {
        _ = values;
        var file = Compiled.Value.Run.SourceOf($"Rolled.M.{name}.g.cs");

        var unrolled = Compiled.Value.Run.SourceOf($"Rolled.M.{name}Unrolled.g.cs");
        Assert.Contains($"// Rolled loop 1:", file, StringComparison.Ordinal);
        Assert.Contains($"{sum}Sum", file, StringComparison.Ordinal);
        Assert.DoesNotContain("// Rolled loop", unrolled, StringComparison.Ordinal);
        // The gradients' code, without an optimizer struct (whose size does not depend on the loops).
        var rolledGradients = GradientPart(file);
        Assert.True(rolledGradients.Length * 2 < unrolled.Length, $"{name}: {rolledGradients.Length} characters rolled, {unrolled.Length} unrolled");

        static string GradientPart(string source)
        {
            var optimizer = source.IndexOf(" struct ", StringComparison.Ordinal);
            return optimizer > 0 ? source[..optimizer] : source;
        }
    }

    [Theory]
    [InlineData("Fit", 121)]
    [InlineData("Mixed", 360)]
    [InlineData("Layer", 403)]
    [InlineData("Cosine", 200)]
    public void Rolled_and_unrolled_forms_agree_to_rounding(string name, int values)
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var theta = Point(values, seed);
            var rolled = (double[])Call("Flat", name, theta)!;
            var unrolled = (double[])Call("Flat", name + "Unrolled", theta)!;
            Compare.Close(unrolled, rolled, 1e-12, name);
            Assert.Equal((double)Call("Value", name, theta)!, rolled[0], 12);
        }
    }

    [Theory]
    [InlineData("Fit", 121)]
    [InlineData("Mixed", 360)]
    public void The_named_overload_gives_the_flat_overloads_bits(string name, int values)
    {
        var theta = Point(values, 9);
        var flat = (double[])Call("Flat", name, theta)!;
        var named = (double[])Call("Named", name, theta)!;
        Assert.Equal(flat.Select(BitConverter.DoubleToInt64Bits), named.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void The_gradient_is_the_one_derived_by_hand()
    {
        // Fit = Σ (w_i − c − 0.01 i)² + c²: ∂w_i = 2 r_i, ∂c = −2 Σ r_i + 2c.
        var theta = Point(121, 4);
        var g = (double[])Call("Flat", "Fit", theta)!;
        var c = theta[120];
        var r = Enumerable.Range(0, 120).Select(i => theta[i] - c - 0.01 * i).ToArray();
        Compare.Close(r.Select(x => 2 * x).Append(-2 * r.Sum() + 2 * c).ToArray(), g.Skip(1).ToArray(), 1e-12, "∇Fit");

        // Cosine = D(a, b) / √(D(a, a) + 1), a = z[..100], b = z[100..].
        var z = Point(200, 5);
        var gc = (double[])Call("Flat", "Cosine", z)!;
        var a = z.Take(100).ToArray();
        var b = z.Skip(100).ToArray();
        var ab = a.Zip(b, (p, q) => p * q).Sum();
        var q2 = a.Sum(p => p * p) + 1;
        var expected = a.Select((p, i) => b[i] / Math.Sqrt(q2) - ab * p / Math.Pow(q2, 1.5))
            .Concat(a.Select(p => p / Math.Sqrt(q2))).ToArray();
        Compare.Close(expected, gc.Skip(1).ToArray(), 1e-12, "∇Cosine");
    }

    [Fact]
    public void The_gradient_agrees_with_finite_differences()
    {
        foreach (var (name, values) in new[] { ("Mixed", 360), ("Layer", 403) })
        {
            var theta = Point(values, 6);
            var g = (double[])Call("Flat", name, theta)!;
            foreach (var k in new[] { 0, 1, 7, 63, 64, 119, values - 1 })
            {
                var h = 1e-5;
                var plus = (double[])theta.Clone();
                var minus = (double[])theta.Clone();
                plus[k] += h;
                minus[k] -= h;
                var fd = ((double)Call("Value", name, plus)! - (double)Call("Value", name, minus)!) / (2 * h);
                Assert.True(Math.Abs(fd - g[k + 1]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name} ∂[{k}]: {g[k + 1]:R} against {fd:R}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    public void A_data_objective_with_a_rolled_loop_averages_its_samples_like_the_unrolled_one(int samples)
    {
        var theta = Point(101, 7);
        var x = Point(100 * samples, 8);
        var y = Enumerable.Range(0, samples).Select(s => (double)(s % 2)).ToArray();
        var rolled = (double[])Call("Data", "Logistic", theta, x, y)!;
        var unrolled = (double[])Call("Data", "LogisticUnrolled", theta, x, y)!;
        Compare.Close(unrolled, rolled, 1e-12, "Logistic");
    }

    [Fact]
    public void Optimizers_on_rolled_objectives_train_without_allocating()
    {
        var x = Point(100 * 9, 10);
        var y = Enumerable.Range(0, 9).Select(s => (double)(s % 2)).ToArray();
        var r = (double[])Call("Train", x, y)!;
        Assert.Equal(0, r[0]);
        Assert.All(r.Skip(1), v => Assert.True(double.IsFinite(v) && v != 0));
    }
}
