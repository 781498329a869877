using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// Rolled maps (README, Large loops and large models): a loop of at least 64 iterations that writes a local
/// vector at an index moving with the iteration (<c>h[j] = Math.Tanh(s);</c>) stays a loop, its values in a
/// buffer that later code and later rolled loops read, and its adjoint sweep a loop too. Each objective has a
/// twin whose loops are too short to roll; the two agree to rounding, and both agree with finite differences of
/// the user's method and with gradients derived by hand.
/// </summary>
public sealed class RolledMapTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Maps;

        public static partial class M
        {
            // A 3-64-1 tanh network on one sample: the hidden layer is a map, the output a rolled sum over it,
            // and one hidden unit is read again at a fixed index.
            [Objective, Adam(LearningRate = 0.01), Sgd(LearningRate = 0.05, BatchSize = 3, Seed = 4)]
            public static double Net([Length(192)] ReadOnlySpan<double> w1, [Length(64)] ReadOnlySpan<double> b1, [Length(64)] ReadOnlySpan<double> w2, double b2,
                [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < 3; i++)
                        s += w1[3 * j + i] * x[i];
                    h[j] = Math.Tanh(s);
                }

                double p = b2;
                for (int j = 0; j < 64; j++)
                    p += w2[j] * h[j];
                double r = p - y + 0.1 * h[5] * h[5];
                return r * r;
            }

            [Objective, Adam(LearningRate = 0.01), Sgd(LearningRate = 0.05, BatchSize = 3, Seed = 4)]
            public static double NetUnrolled([Length(192)] ReadOnlySpan<double> w1, [Length(64)] ReadOnlySpan<double> b1, [Length(64)] ReadOnlySpan<double> w2, double b2,
                [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
            {
                Span<double> h = stackalloc double[64];
                for (int half = 0; half < 2; half++)
                    for (int j = 32 * half; j < 32 * half + 32; j++)
                    {
                        double s = b1[j];
                        for (int i = 0; i < 3; i++)
                            s += w1[3 * j + i] * x[i];
                        h[j] = Math.Tanh(s);
                    }

                double p = b2;
                for (int half = 0; half < 2; half++)
                    for (int j = 32 * half; j < 32 * half + 32; j++)
                        p += w2[j] * h[j];
                double r = p - y + 0.1 * h[5] * h[5];
                return r * r;
            }

            // Two hidden layers of 64 (the second's inner loop over the first layer is unrolled in the body, reading
            // each of its values at a fixed index), ReLU-like units, and a map and a sum written by one loop.
            [Objective]
            public static double Deep([Length(128)] ReadOnlySpan<double> a, [Length(4096)] ReadOnlySpan<double> b, [Length(64)] ReadOnlySpan<double> c, [Length(2)] ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[64];
                double penalty = 0;
                for (int j = 0; j < 64; j++)
                {
                    h[j] = Math.Max(0, a[2 * j] * x[0] + a[2 * j + 1] * x[1] + 0.05);
                    penalty += a[2 * j] * a[2 * j];
                }

                Span<double> g = stackalloc double[64];
                for (int k = 0; k < 64; k++)
                {
                    double s = 0;
                    for (int j = 0; j < 64; j++)
                        s += b[64 * k + j] * h[j];
                    g[k] = Math.Tanh(s);
                }

                double y = 0;
                for (int k = 0; k < 64; k++)
                    y += c[k] * g[k];
                return (y - 0.5) * (y - 0.5) + 0.01 * penalty;
            }

            [Objective]
            public static double DeepUnrolled([Length(128)] ReadOnlySpan<double> a, [Length(4096)] ReadOnlySpan<double> b, [Length(64)] ReadOnlySpan<double> c, [Length(2)] ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[64];
                double penalty = 0;
                for (int half = 0; half < 2; half++)
                    for (int j = 32 * half; j < 32 * half + 32; j++)
                    {
                        h[j] = Math.Max(0, a[2 * j] * x[0] + a[2 * j + 1] * x[1] + 0.05);
                        penalty += a[2 * j] * a[2 * j];
                    }

                Span<double> g = stackalloc double[64];
                for (int half = 0; half < 2; half++)
                    for (int k = 32 * half; k < 32 * half + 32; k++)
                    {
                        double s = 0;
                        for (int j = 0; j < 64; j++)
                            s += b[64 * k + j] * h[j];
                        g[k] = Math.Tanh(s);
                    }

                double y = 0;
                for (int half = 0; half < 2; half++)
                    for (int k = 32 * half; k < 32 * half + 32; k++)
                        y += c[k] * g[k];
                return (y - 0.5) * (y - 0.5) + 0.01 * penalty;
            }

            // A map at odd indexes (h[2j + 1]), read forwards at a stride, backwards, and by a short loop that is unrolled.
            [Objective]
            public static double Strided([Length(100)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[201];
                for (int j = 0; j < 100; j++)
                    h[2 * j + 1] = Math.Sin(w[j]) * (1 + 0.01 * j);
                double s = 0;
                for (int t = 0; t < 100; t++)
                    s += h[2 * t + 1] * h[2 * t + 1];
                double u = 0;
                for (int t = 99; t >= 0; t--)
                    u += 0.02 * t * h[199 - 2 * t];
                double v = h[0];
                for (int t = 0; t < 10; t++)
                    v += h[4 * t + 1];
                return s + u * u + v * v;
            }

            [Objective]
            public static double StridedUnrolled([Length(100)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[201];
                for (int half = 0; half < 2; half++)
                    for (int j = 50 * half; j < 50 * half + 50; j++)
                        h[2 * j + 1] = Math.Sin(w[j]) * (1 + 0.01 * j);
                double s = 0;
                for (int half = 0; half < 2; half++)
                    for (int t = 50 * half; t < 50 * half + 50; t++)
                        s += h[2 * t + 1] * h[2 * t + 1];
                double u = 0;
                for (int half = 0; half < 2; half++)
                    for (int t = 99 - 50 * half; t >= 50 - 50 * half; t--)
                        u += 0.02 * t * h[199 - 2 * t];
                double v = h[0];
                for (int t = 0; t < 10; t++)
                    v += h[4 * t + 1];
                return s + u * u + v * v;
            }

            // A recurrence: the body reads the vector it writes, so the loop is unrolled (and still right).
            [Objective]
            public static double Recurrence([Length(80)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[80];
                h[0] = w[0];
                for (int j = 1; j < 80; j++)
                    h[j] = 0.5 * h[j - 1] + w[j];
                return h[79] * h[79];
            }

            // The same network in float.
            [Objective]
            public static float NetFloat([Length(192)] ReadOnlySpan<float> w1, [Length(64)] ReadOnlySpan<float> b1, [Length(64)] ReadOnlySpan<float> w2, float b2,
                [Data, Length(3)] ReadOnlySpan<float> x, [Data] float y)
            {
                Span<float> h = stackalloc float[64];
                for (int j = 0; j < 64; j++)
                {
                    float s = b1[j];
                    for (int i = 0; i < 3; i++)
                        s += w1[3 * j + i] * x[i];
                    h[j] = MathF.Tanh(s);
                }

                float p = b2;
                for (int j = 0; j < 64; j++)
                    p += w2[j] * h[j];
                float r = p - y + 0.1f * h[5] * h[5];
                return r * r;
            }
        }

        public static class Driver
        {
            public static double[] Flat(string name, double[] theta)
            {
                var g = new double[theta.Length];
                double value = name switch
                {
                    "Deep" => M.DeepGradient(theta, g),
                    "DeepUnrolled" => M.DeepUnrolledGradient(theta, g),
                    "Strided" => M.StridedGradient(theta, g),
                    "StridedUnrolled" => M.StridedUnrolledGradient(theta, g),
                    "Recurrence" => M.RecurrenceGradient(theta, g),
                    _ => throw new ArgumentException(name),
                };
                return new[] { value }.Concat(g).ToArray();
            }

            public static double Value(string name, double[] theta) => name switch
            {
                "Deep" => M.Deep(theta.AsSpan(0, 128), theta.AsSpan(128, 4096), theta.AsSpan(4224, 64), theta.AsSpan(4288, 2)),
                "Strided" => M.Strided(theta),
                "Recurrence" => M.Recurrence(theta),
                "Net" => M.Net(theta.AsSpan(0, 192), theta.AsSpan(192, 64), theta.AsSpan(256, 64), theta[320], theta.AsSpan(321, 3), theta[324]),
                _ => throw new ArgumentException(name),
            };

            public static double[] Data(string name, double[] theta, double[] x, double[] y)
            {
                var g = new double[321];
                var value = name == "Net" ? M.NetGradient(theta, x, y, g) : M.NetUnrolledGradient(theta, x, y, g);
                return new[] { value }.Concat(g).ToArray();
            }

            public static double[] Named(double[] theta, double[] x, double y)
            {
                var dW1 = new double[192];
                var dB1 = new double[64];
                var dW2 = new double[64];
                var value = M.NetGradient(theta.AsSpan(0, 192), theta.AsSpan(192, 64), theta.AsSpan(256, 64), theta[320], x, y, dW1, dB1, dW2, out var dB2);
                return new[] { value }.Concat(dW1).Concat(dB1).Concat(dW2).Append(dB2).ToArray();
            }

            public static double[] FloatData(double[] theta, double[] x, double[] y)
            {
                var g = new float[321];
                var value = M.NetFloatGradient(theta.Select(v => (float)v).ToArray(), x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray(), g);
                return new[] { (double)value }.Concat(g.Select(v => (double)v)).ToArray();
            }

            // Adam and minibatch SGD on the rolled network and on its twin, step by step: the losses and parameters of both.
            public static double[][] Train(double[] theta, double[] x, double[] y, int steps)
            {
                var adam = new M.NetAdam(theta);
                var adamTwin = new M.NetUnrolledAdam(theta);
                var sgd = new M.NetSgd(theta);
                var sgdTwin = new M.NetUnrolledSgd(theta);
                var rows = new double[4][];
                var losses = new double[4 * steps];
                for (int s = 0; s < steps; s++)
                {
                    losses[4 * s] = adam.Step(x, y);
                    losses[4 * s + 1] = adamTwin.Step(x, y);
                    losses[4 * s + 2] = sgd.Step(x, y);
                    losses[4 * s + 3] = sgdTwin.Step(x, y);
                }

                return new[] { losses, adam.Parameters.ToArray(), adamTwin.Parameters.ToArray(), sgd.Parameters.ToArray(), sgdTwin.Parameters.ToArray() };
            }

            public static long AllocatedPerStep(double[] theta, double[] x, double[] y)
            {
                var adam = new M.NetAdam(theta);
                var sgd = new M.NetSgd(theta);
                long fewest = long.MaxValue;
                for (int round = 0; round < 5; round++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (int s = 0; s < 50; s++) { adam.Step(x, y); sgd.Step(x, y); }
                    fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return fewest;
            }
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return (run, run.Load());
    });

    private static object? Call(string method, params object?[] arguments) => Compiled.Value.Assembly.Invoke("Maps.Driver", method, arguments);

    private static double[] Point(int length, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => scale * (random.NextDouble() - 0.5)).ToArray();
    }

    [Theory]
    [InlineData("Net", 2, "h", true)]
    [InlineData("Deep", 3, "g", true)]
    [InlineData("Strided", 3, "h", false)] // a body of one Sin: unrolled, 100 iterations are not much code
    public void Loops_writing_a_vector_stay_loops_and_their_twins_are_unrolled(string name, int loops, string map, bool atLeastHalves)
    {
        var file = Compiled.Value.Run.SourceOf($"Maps.M.{name}.g.cs");
        var unrolled = Compiled.Value.Run.SourceOf($"Maps.M.{name}Unrolled.g.cs");
        Assert.Contains($"// Rolled loop {loops}:", file, StringComparison.Ordinal);
        Assert.DoesNotContain($"// Rolled loop {loops + 1}:", file, StringComparison.Ordinal);
        Assert.Contains($"writing {map}", file, StringComparison.Ordinal);
        Assert.Contains($"global::System.Span<double> {map} = stackalloc double[", file, StringComparison.Ordinal);
        Assert.DoesNotContain("// Rolled loop", unrolled, StringComparison.Ordinal);
        Assert.True(file.Length * (atLeastHalves ? 2 : 1) < unrolled.Length, $"{name}: {file.Length} characters rolled, {unrolled.Length} unrolled");
    }

    [Fact]
    public void A_body_that_reads_the_vector_it_writes_is_unrolled()
    {
        var file = Compiled.Value.Run.SourceOf("Maps.M.Recurrence.g.cs");
        Assert.DoesNotContain("// Rolled loop", file, StringComparison.Ordinal);

        // h[79] = Σ_j 0.5^(79 − j) w_j: ∂(h[79]²)/∂w_j = 2 h[79] 0.5^(79 − j).
        var w = Point(80, 3);
        var h79 = Enumerable.Range(0, 80).Sum(j => Math.Pow(0.5, 79 - j) * w[j]);
        var g = (double[])Call("Flat", "Recurrence", w)!;
        Compare.Close(Enumerable.Range(0, 80).Select(j => 2 * h79 * Math.Pow(0.5, 79 - j)).ToArray(), g.Skip(1).ToArray(), 1e-12, "∇Recurrence");
    }

    [Theory]
    [InlineData("Deep", 4290)]
    [InlineData("Strided", 100)]
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

    [Fact]
    public void The_gradients_agree_with_finite_differences_of_the_users_method()
    {
        foreach (var (name, values, indexes) in new[]
        {
            ("Deep", 4290, new[] { 0, 1, 2, 77, 127, 128, 129, 1000, 4223, 4224, 4250, 4287, 4288, 4289 }),
            ("Strided", 100, new[] { 0, 1, 2, 50, 98, 99 }),
        })
        {
            var theta = Point(values, 6);
            var g = (double[])Call("Flat", name, theta)!;
            foreach (var k in indexes)
            {
                const double step = 1e-5;
                var plus = (double[])theta.Clone();
                var minus = (double[])theta.Clone();
                plus[k] += step;
                minus[k] -= step;
                var fd = ((double)Call("Value", name, plus)! - (double)Call("Value", name, minus)!) / (2 * step);
                Assert.True(Math.Abs(fd - g[k + 1]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name} ∂[{k}]: {g[k + 1]:R} against {fd:R}");
            }
        }
    }

    [Fact]
    public void The_networks_gradient_is_backpropagation_derived_by_hand()
    {
        var theta = Point(321, 11);
        double[] x = [0.3, -1.2, 0.7];
        const double y = 0.4;
        var g = (double[])Call("Data", "Net", theta, x, new[] { y })!;

        // Forward: h_j = tanh(b1_j + Σ_i w1_{3j+i} x_i), p = b2 + Σ_j w2_j h_j, r = p − y + 0.1 h_5², f = r².
        var h = new double[64];
        for (var j = 0; j < 64; j++)
        {
            h[j] = Math.Tanh(theta[192 + j] + Enumerable.Range(0, 3).Sum(i => theta[(3 * j) + i] * x[i]));
        }

        var p = theta[320] + Enumerable.Range(0, 64).Sum(j => theta[256 + j] * h[j]);
        var r = p - y + (0.1 * h[5] * h[5]);
        Assert.Equal(r * r, g[0], 12);

        // Backward: ∂f/∂p = 2r; ∂f/∂h_j = 2r (w2_j + [j = 5] 0.2 h_5); ∂f/∂s_j = ∂f/∂h_j (1 − h_j²).
        var expected = new double[321];
        for (var j = 0; j < 64; j++)
        {
            var dh = 2 * r * (theta[256 + j] + (j == 5 ? 0.2 * h[5] : 0));
            var ds = dh * (1 - (h[j] * h[j]));
            for (var i = 0; i < 3; i++)
            {
                expected[(3 * j) + i] = ds * x[i];
            }

            expected[192 + j] = ds;
            expected[256 + j] = 2 * r * h[j];
        }

        expected[320] = 2 * r;
        Compare.Close(expected, g.Skip(1).ToArray(), 1e-12, "∇Net");

        // The named overload gives the same bits as the data overload over one sample.
        var named = (double[])Call("Named", theta, x, y)!;
        Assert.Equal(g.Select(BitConverter.DoubleToInt64Bits), named.Select(BitConverter.DoubleToInt64Bits));

        // And the user's method, by central differences, at a few trained values of each layer.
        var point = theta.Concat(x).Append(y).ToArray();
        foreach (var k in new[] { 0, 100, 191, 192, 255, 256, 300, 320 })
        {
            const double step = 1e-6;
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            plus[k] += step;
            minus[k] -= step;
            var fd = ((double)Call("Value", "Net", plus)! - (double)Call("Value", "Net", minus)!) / (2 * step);
            Assert.True(Math.Abs(fd - g[k + 1]) <= 1e-7, $"∂Net/∂θ[{k}]: {g[k + 1]:R} against {fd:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    public void A_data_objective_with_a_map_averages_its_samples_like_the_unrolled_one(int samples)
    {
        var theta = Point(321, 7);
        var x = Point(3 * samples, 8, 2);
        var y = Enumerable.Range(0, samples).Select(s => (double)(s % 2)).ToArray();
        var rolled = (double[])Call("Data", "Net", theta, x, y)!;
        var unrolled = (double[])Call("Data", "NetUnrolled", theta, x, y)!;
        Compare.Close(unrolled, rolled, 1e-12, "Net");
    }

    [Fact]
    public void A_float_map_agrees_with_the_double_one_to_float_rounding()
    {
        var theta = Point(321, 12);
        var x = Point(3 * 5, 13, 2);
        var y = Enumerable.Range(0, 5).Select(s => 0.2 * s).ToArray();
        var expected = (double[])Call("Data", "Net", theta, x, y)!;
        var actual = (double[])Call("FloatData", theta, x, y)!;
        Compare.Close(expected, actual, 2e-5, "NetFloat");
    }

    [Fact]
    public void Adam_and_minibatch_Sgd_follow_the_unrolled_twins_trajectory()
    {
        var theta = Point(321, 14);
        var x = Point(3 * 10, 15, 2);
        var y = Enumerable.Range(0, 10).Select(s => Math.Sin(s)).ToArray();
        var r = (double[][])Call("Train", theta, x, y, 20)!;
        for (var s = 0; s < 20; s++)
        {
            Assert.True(Math.Abs(r[0][4 * s] - r[0][(4 * s) + 1]) <= 1e-12 * Math.Max(1, Math.Abs(r[0][4 * s])), $"Adam loss at step {s}");
            Assert.True(Math.Abs(r[0][(4 * s) + 2] - r[0][(4 * s) + 3]) <= 1e-12 * Math.Max(1, Math.Abs(r[0][(4 * s) + 2])), $"Sgd loss at step {s}");
        }

        Compare.Close(r[2], r[1], 1e-10, "Adam θ");
        Compare.Close(r[4], r[3], 1e-10, "Sgd θ");
        Assert.True(r[0][4 * 19] < r[0][0], $"Adam's loss went from {r[0][0]} to {r[0][4 * 19]}");
        Assert.NotEqual(theta, r[1]);
    }

    [Fact]
    public void Steps_on_a_map_objective_allocate_nothing()
    {
        var x = Point(3 * 9, 10, 2);
        var y = Enumerable.Range(0, 9).Select(s => (double)(s % 2)).ToArray();
        Assert.Equal(0L, (long)Call("AllocatedPerStep", Point(321, 16), x, y)!);
    }
}
