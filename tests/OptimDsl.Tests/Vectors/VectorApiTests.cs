using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// The generated API of objectives with vector parameters (README, Vectors and loops): the named
/// overload with a span per vector, the flat and data overloads in declaration order with rows back
/// to back, the optimizers' constructors, views and <c>Clone()</c>, and the argument checks.
/// </summary>
public sealed class VectorApiTests
{
    internal const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Vec;

        public static partial class Models
        {
            public const int Features = 3;

            [Objective, Adam(LearningRate = 0.05), Sgd(LearningRate = 0.05, BatchSize = 2, Seed = 3)]
            public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                        [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double prediction = b;
                for (int i = 0; i < w.Length; i++)
                    prediction += w[i] * x[i];
                double r = prediction - y;
                return r * r;
            }

            [Objective, Adam(LearningRate = 0.05)]
            public static double Xor([Length(8)] ReadOnlySpan<double> w1, [Length(4)] ReadOnlySpan<double> b1,
                                     [Length(4)] ReadOnlySpan<double> w2, double b2,
                                     [Data, Length(2)] ReadOnlySpan<double> input, [Data] double target)
            {
                Span<double> hidden = stackalloc double[4];
                for (int j = 0; j < 4; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < 2; i++)
                        s += w1[j * 2 + i] * input[i];
                    hidden[j] = Math.Tanh(s);
                }
                double output = b2;
                for (int j = 0; j < 4; j++)
                    output += w2[j] * hidden[j];
                return (output - target) * (output - target);
            }

            // One trained vector and nothing else: only the flat overload.
            [Objective, GradientDescent(LearningRate = 0.1)]
            public static double Bowl([Length(5)] ReadOnlySpan<double> v)
            {
                double sum = 0;
                for (int i = 0; i < v.Length; i++)
                    sum += (v[i] - i) * (v[i] - i) * (i + 1);
                return sum;
            }

            [Objective]
            public static double Mixed(double a, [Length(2)] ReadOnlySpan<double> u, double c) => a * u[0] + u[1] * c * c;
        }

        public static class Driver
        {
            public static int[] Counts() => new[] { Models.LinearParameterCount, Models.XorParameterCount, Models.BowlParameterCount, Models.MixedParameterCount };

            public static double[] Mixed(double[] theta)
            {
                Span<double> du = stackalloc double[2];
                var named = Models.MixedGradient(theta[0], theta.AsSpan(1, 2), theta[3], out var da, du, out var dc);
                var flat = new double[4];
                var value = Models.MixedGradient(theta, flat);
                return new[] { named, da, du[0], du[1], dc, value }.Concat(flat).ToArray();
            }

            public static double[] Bowl(double[] v)
            {
                var gradient = new double[5];
                var value = Models.BowlGradient(v, gradient);
                return new[] { value }.Concat(gradient).ToArray();
            }

            // Rows back to back: sample s is x[3s..3s+3).
            public static double[] LinearData(double[] theta, double[] x, double[] y)
            {
                var gradient = new double[4];
                var value = Models.LinearGradient(theta, x, y, gradient);
                return new[] { value }.Concat(gradient).ToArray();
            }

            public static double[] LinearSample(double[] theta, double[] x, double y)
            {
                Span<double> dW = stackalloc double[3];
                var value = Models.LinearGradient(theta.AsSpan(0, 3), theta[3], x, y, dW, out var dB);
                return new[] { value, dW[0], dW[1], dW[2], dB };
            }

            public static string Error(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentException e) { return e.ParamName + ": " + e.Message; }
            }

            public static string[] Errors() => new[]
            {
                Error(() => Models.LinearGradient(new double[4], new double[7], new double[2], new double[4])),
                Error(() => Models.LinearGradient(new double[4], new double[6], new double[3], new double[4])),
                Error(() => Models.LinearGradient(new double[4], new double[0], new double[0], new double[4])),
                Error(() => Models.LinearGradient(new double[2], 0, new double[3], 0, new double[3], out _)),
                Error(() => Models.LinearGradient(new double[3], 0, new double[3], 0, new double[2], out _)),
                Error(() => _ = new Models.LinearAdam(new double[2], 0)),
                Error(() => _ = new Models.LinearAdam(new double[5])),
                Error(() => Models.BowlGradient(new double[4], new double[5])),
            };

            // The named and flat constructors agree; W is a view that sees updates and writes; Clone continues bit-identically.
            public static double[] Views(double[] x, double[] y)
            {
                var named = new Models.LinearAdam(new[] { 0.5, -0.25, 1.0 }, 0.125);
                var flat = new Models.LinearAdam(new[] { 0.5, -0.25, 1.0, 0.125 });
                var w = named.W;
                named.Step(x, y);
                flat.Step(x, y);
                var seenByView = w[1] == named.Parameters[1] ? 1.0 : 0.0;
                var same = named.Parameters.SequenceEqual(flat.Parameters) ? 1.0 : 0.0;
                named.W[2] = 4;
                var written = named.Parameters[2] == 4 ? 1.0 : 0.0;
                var clone = named.Clone();
                for (int s = 0; s < 5; s++) { named.Step(x, y); clone.Step(x, y); }
                var cloneSame = named.Parameters.SequenceEqual(clone.Parameters) ? 1.0 : 0.0;
                clone.W[0] = 100;
                var independent = named.W[0] != 100 ? 1.0 : 0.0;
                return new[] { seenByView, same, written, cloneSame, independent, named.Iteration };
            }

            public static double[] Fit(double[] x, double[] y, int maxIterations)
            {
                var adam = new Models.LinearAdam(new double[3], 0);
                var result = adam.Minimize(x, y, maxIterations, 1e-10);
                return new[] { adam.W[0], adam.W[1], adam.W[2], adam.B, result.Status == OptimizationStatus.Converged ? 1 : 0 };
            }

            public static long StepAllocations(double[] x, double[] y)
            {
                var adam = new Models.LinearAdam(new double[3], 0);
                var sgd = new Models.LinearSgd(new double[3], 0);
                var net = new Models.XorAdam(new double[8], new double[4], new double[4], 0);
                var inputs = new double[] { 0, 0, 0, 1, 1, 0, 1, 1 };
                var targets = new double[] { 0, 1, 1, 0 };
                adam.Step(x, y); sgd.Step(x, y); net.Step(inputs, targets);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (int s = 0; s < 100; s++) { adam.Step(x, y); sgd.Step(x, y); net.Step(inputs, targets); }
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return run.Load();
    });

    private static object? Call(string method, params object?[] arguments) => Compiled.Value.Invoke("Vec.Driver", method, arguments);

    /// <summary>Samples of y = 2 x0 − x1 + 0.5 x2 + 1, rows back to back, with a design matrix of full rank.</summary>
    private static (double[] X, double[] Y) LinearData(int samples)
    {
        var random = new Random(7);
        var x = new double[samples * 3];
        var y = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            for (var k = 0; k < 3; k++)
            {
                x[3 * s + k] = random.NextDouble() * 2 - 1;
            }

            y[s] = 2 * x[3 * s] - x[3 * s + 1] + 0.5 * x[3 * s + 2] + 1;
        }

        return (x, y);
    }

    [Fact]
    public void Parameter_counts_are_the_numbers_of_trained_values()
        => Assert.Equal(new[] { 4, 17, 5, 4 }, (int[])Call("Counts")!);

    [Fact]
    public void Named_and_flat_overloads_give_the_hand_derived_gradient_in_declaration_order()
    {
        // f = a·u0 + u1·c²: ∂a = u0, ∂u0 = a, ∂u1 = c², ∂c = 2·u1·c.
        double a = 1.5, u0 = -2, u1 = 0.75, c = 3;
        var r = (double[])Call("Mixed", new[] { a, u0, u1, c })!;
        var value = a * u0 + u1 * c * c;
        Assert.Equal(new[] { value, u0, a, c * c, 2 * u1 * c, value, u0, a, c * c, 2 * u1 * c }, r);
    }

    [Fact]
    public void One_trained_vector_has_only_the_flat_overload()
    {
        var v = new[] { 0.5, 2.0, 1.0, 4.0, -1.0 };
        var r = (double[])Call("Bowl", v)!;
        var expected = Enumerable.Range(0, 5).Select(i => 2 * (v[i] - i) * (i + 1)).ToArray();
        Assert.Equal(Enumerable.Range(0, 5).Sum(i => (v[i] - i) * (v[i] - i) * (i + 1)), r[0], 12);
        Assert.Equal(expected, r.Skip(1).ToArray());
        var overloads = Compiled.Value.GetType("Vec.Models").GetMethods().Where(m => m.Name == "BowlGradient").ToArray();
        var only = Assert.Single(overloads);
        Assert.Equal(new[] { "parameters", "gradient" }, only.GetParameters().Select(p => p.Name).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public void The_data_overload_reads_rows_back_to_back_and_averages_the_samples(int samples)
    {
        var (x, y) = LinearData(samples);
        var theta = new[] { 0.3, -0.6, 0.9, 0.2 };
        var mean = (double[])Call("LinearData", theta, x, y)!;
        var sum = new double[5];
        for (var s = 0; s < samples; s++)
        {
            // Hand-derived: r = w·x + b − y, ∂w_k = 2 r x_k, ∂b = 2 r.
            var row = x.Skip(3 * s).Take(3).ToArray();
            var r = theta[0] * row[0] + theta[1] * row[1] + theta[2] * row[2] + theta[3] - y[s];
            var one = (double[])Call("LinearSample", theta, row, y[s])!;
            Assert.Equal(r * r, one[0], 12);
            Assert.Equal(new[] { 2 * r * row[0], 2 * r * row[1], 2 * r * row[2], 2 * r }.Select(v => Math.Round(v, 12)), one.Skip(1).Select(v => Math.Round(v, 12)));
            for (var k = 0; k < 5; k++)
            {
                sum[k] += one[k];
            }
        }

        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(sum[k] / samples, mean[k], 12);
        }
    }

    [Fact]
    public void Wrong_lengths_name_the_argument()
    {
        var errors = (string[])Call("Errors")!;
        Assert.StartsWith("x: 'x' holds rows of 3 values", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("y: Every data span must hold as many samples as 'x' (2)", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("x: The data set is empty", errors[2], StringComparison.Ordinal);
        Assert.StartsWith("w: Expected 3 values (w)", errors[3], StringComparison.Ordinal);
        Assert.StartsWith("dW: Expected 3 values (dW)", errors[4], StringComparison.Ordinal);
        Assert.StartsWith("w: Expected 3 values (w)", errors[5], StringComparison.Ordinal);
        Assert.StartsWith("parameters: Expected 4 values (w[3], b)", errors[6], StringComparison.Ordinal);
        Assert.StartsWith("parameters: Expected 5 values (v[5])", errors[7], StringComparison.Ordinal);
    }

    [Fact]
    public void Views_see_updates_and_writes_and_clones_continue_bit_identically()
    {
        var (x, y) = LinearData(6);
        Assert.Equal(new[] { 1.0, 1, 1, 1, 1, 6 }, (double[])Call("Views", x, y)!);
    }

    [Fact]
    public void Linear_regression_recovers_the_weights_of_the_normal_equations()
    {
        // Noiseless data of full rank: the normal equations' solution is the generating (2, −1, 0.5) and 1.
        var (x, y) = LinearData(40);
        var r = (double[])Call("Fit", x, y, 20_000)!;
        Assert.Equal(1, r[4]);
        Assert.Equal(2, r[0], 6);
        Assert.Equal(-1, r[1], 6);
        Assert.Equal(0.5, r[2], 6);
        Assert.Equal(1, r[3], 6);
    }

    [Fact]
    public void Steps_of_vector_optimizers_allocate_nothing()
    {
        var (x, y) = LinearData(10);
        Assert.Equal(0L, (long)Call("StepAllocations", x, y)!);
    }
}
