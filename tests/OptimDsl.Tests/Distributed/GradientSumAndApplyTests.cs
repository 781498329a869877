using System;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Distributed;

/// <summary>
/// README, Beyond one machine: <c>MGradientSum</c> sums the per-sample losses and gradients over a shard (an empty one
/// gives 0 and zeros; the data overload is these sums divided by the number of samples), and <c>Apply(meanGradient)</c>
/// makes the update <c>Step</c> makes from that gradient, bit for bit.
/// </summary>
public sealed class GradientSumAndApplyTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05, ClipNorm = 0.5), Sgd(LearningRate = 0.1, Momentum = 0.9, BatchSize = 3)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            // 70 features: a rolled loop, summed sample by sample.
            [Objective, RmsProp(LearningRate = 0.01)]
            public static double Wide([Length(70)] ReadOnlySpan<double> w, [Data, Length(70)] ReadOnlySpan<double> x, [Data] double y)
            {
                double p = 0;
                for (int i = 0; i < 70; i++)
                    p += w[i] * x[i];
                var r = Math.Tanh(p) - y;
                return r * r;
            }

            [Objective, Adam(LearningRate = 0.02, WeightDecay = 0.1)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
        }

        public static class Driver
        {
            static long[] Bits(params double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

            // Sums over the whole data set, over [0, split) and [split, n), over nothing, and the data overload's means.
            public static (double[] Whole, double[] First, double[] Second, double[] Empty, double[] Mean) LineSums(double[] theta, double[] x, double[] y, int split)
            {
                double[] Sum(int from, int to)
                {
                    var g = new double[2];
                    double loss = P.LineGradientSum(theta, x.AsSpan(from, to - from), y.AsSpan(from, to - from), g);
                    return [loss, .. g];
                }

                var mean = new double[2];
                double meanLoss = P.LineGradient(theta, x, y, mean);
                return (Sum(0, x.Length), Sum(0, split), Sum(split, x.Length), Sum(0, 0), [meanLoss, .. mean]);
            }

            public static (double[] Whole, double[] Mean, double[] Empty) WideSums(double[] theta, double[] x, double[] y)
            {
                var g = new double[70];
                double loss = P.WideGradientSum(theta, x, y, g);
                var mean = new double[70];
                double meanLoss = P.WideGradient(theta, x, y, mean);
                var empty = Enumerable.Repeat(7.0, 70).ToArray();
                double emptyLoss = P.WideGradientSum(theta, ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, empty);
                return ([loss, .. g], [meanLoss, .. mean], [emptyLoss, .. empty]);
            }

            // Five steps against five Applys of the data overload's gradient at the same parameters.
            public static long[][] LineAdam(double[] x, double[] y)
            {
                var stepped = new P.LineAdam(0.5, -0.5);
                var applied = new P.LineAdam(0.5, -0.5);
                var g = new double[2];
                for (int s = 0; s < 5; s++)
                {
                    stepped.Step(x, y);
                    P.LineGradient(applied.Parameters, x, y, g);
                    applied.Apply(g);
                }

                return [Bits(stepped.W, stepped.B, stepped.Iteration), Bits(applied.W, applied.B, applied.Iteration)];
            }

            // Sgd with BatchSize 3: Apply ignores it, updating from the full-batch gradient given.
            public static double[] LineSgd(double[] x, double[] y)
            {
                var applied = new P.LineSgd(0.5, -0.5);
                var g = new double[2];
                for (int s = 0; s < 5; s++)
                {
                    P.LineGradient(applied.Parameters, x, y, g);
                    applied.Apply(g);
                }

                return [applied.W, applied.B, applied.Iteration];
            }

            public static long[][] Wide(double[] x, double[] y)
            {
                var stepped = new P.WideRmsProp(Enumerable.Range(0, 70).Select(i => 0.01 * i).ToArray());
                var applied = stepped.Clone();
                var g = new double[70];
                for (int s = 0; s < 4; s++)
                {
                    stepped.Step(x, y);
                    P.WideGradient(applied.Parameters, x, y, g);
                    applied.Apply(g);
                }

                return [Bits([.. stepped.Parameters]), Bits([.. applied.Parameters])];
            }

            public static long[][] Rosenbrock()
            {
                var stepped = new P.RosenbrockAdam(-1.2, 1);
                var applied = new P.RosenbrockAdam(-1.2, 1);
                var g = new double[2];
                for (int s = 0; s < 6; s++)
                {
                    stepped.Step();
                    P.RosenbrockGradient(applied.Parameters, g);
                    applied.Apply(g);
                }

                return [Bits(stepped.X, stepped.Y, stepped.Iteration), Bits(applied.X, applied.Y, applied.Iteration)];
            }

            public static (string Apply, string NoData, string Sum, double W, long Iteration) Errors(double[] x, double[] y)
            {
                var adam = new P.LineAdam(0.5, -0.5);
                string apply = Catch(() => adam.Apply(new double[3]));
                var rosenbrock = new P.RosenbrockAdam(1, 1);
                string noData = Catch(() => rosenbrock.Apply(new double[1]));
                string sum = Catch(() => P.LineGradientSum(new double[2], x, y, new double[1]));
                return (apply, noData, sum, adam.W, adam.Iteration);
            }

            static string Catch(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentException e) { return e.ParamName ?? "null"; }
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    private static readonly double[] X = [.. Enumerable.Range(0, 11).Select(i => (0.3 * i) - 1)];
    private static readonly double[] Y = [.. X.Select((x, i) => (2 * x) + 1 + (0.1 * Math.Sin(i)))];

    /// <summary>Hand-derived: Σ (w x + b − y)², Σ 2r·x, Σ 2r over samples [from, to).</summary>
    private static double[] HandSums(double[] theta, int from, int to)
    {
        double loss = 0, dw = 0, db = 0;
        for (var i = from; i < to; i++)
        {
            var r = (theta[0] * X[i]) + theta[1] - Y[i];
            loss += r * r;
            dw += 2 * r * X[i];
            db += 2 * r;
        }

        return [loss, dw, db];
    }

    [Fact]
    public void The_sums_are_the_hand_derived_sums_add_over_shards_and_give_the_means()
    {
        double[] theta = [0.7, -0.2];
        var (whole, first, second, empty, mean) = Driver.Value.Call<(double[], double[], double[], double[], double[])>("LineSums", theta, X, Y, 5);
        var hand = HandSums(theta, 0, 11);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(hand[k], whole[k], 1e-12);
            Assert.Equal(HandSums(theta, 0, 5)[k], first[k], 1e-12);
            Assert.Equal(HandSums(theta, 5, 11)[k], second[k], 1e-12);
            Assert.Equal(whole[k], first[k] + second[k], 1e-12);
            Assert.Equal(whole[k] / 11, mean[k]); // the data overload divides these very sums: the same bits
        }

        Assert.Equal(new double[3], empty);
    }

    [Fact]
    public void A_rolled_objective_sums_sample_by_sample_and_an_empty_shard_gives_zeros()
    {
        var theta = Enumerable.Range(0, 70).Select(i => Math.Cos(i) / 10).ToArray();
        var (x, y) = WideData();
        var (whole, mean, empty) = Driver.Value.Call<(double[], double[], double[])>("WideSums", theta, x, y);
        for (var k = 0; k < whole.Length; k++)
        {
            Assert.Equal(whole[k] / 9, mean[k]);
        }

        Assert.Equal(new double[71], empty);

        // The loss against the objective written out here.
        double loss = 0;
        for (var s = 0; s < 9; s++)
        {
            double p = 0;
            for (var i = 0; i < 70; i++)
            {
                p += theta[i] * x[(70 * s) + i];
            }

            loss += Math.Pow(Math.Tanh(p) - y[s], 2);
        }

        Assert.Equal(loss, whole[0], 1e-12);
    }

    [Theory]
    [InlineData("LineAdam")]
    [InlineData("Rosenbrock")]
    public void Apply_of_the_full_batch_gradient_is_Step_bit_for_bit(string run)
    {
        var runs = run == "Rosenbrock" ? Driver.Value.Call<long[][]>(run) : Driver.Value.Call<long[][]>(run, X, Y);
        Assert.Equal(runs[0], runs[1]);
    }

    /// <summary>torch.optim.SGD with momentum μ = 0.9, no dampening: b ← g at the first update, then b ← μb + g; θ ← θ − ηb (η = 0.1), g the full-batch mean.</summary>
    [Fact]
    public void Apply_ignores_BatchSize_and_follows_the_rule_with_the_gradient_given()
    {
        double[] theta = [0.5, -0.5];
        double[] buffer = [0, 0];
        for (var s = 0; s < 5; s++)
        {
            var sums = HandSums(theta, 0, 11);
            for (var k = 0; k < 2; k++)
            {
                var g = sums[k + 1] / 11;
                buffer[k] = s == 0 ? g : (0.9 * buffer[k]) + g;
                theta[k] -= 0.1 * buffer[k];
            }
        }

        var applied = Driver.Value.Call<double[]>("LineSgd", X, Y);
        Assert.Equal(theta[0], applied[0], 1e-12);
        Assert.Equal(theta[1], applied[1], 1e-12);
        Assert.Equal(5, applied[2]);
    }

    [Fact]
    public void Apply_is_Step_for_a_rolled_objective_too()
    {
        var (x, y) = WideData();
        var runs = Driver.Value.Call<long[][]>("Wide", x, y);
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public void Wrong_lengths_are_ArgumentExceptions_naming_the_span_and_change_nothing()
    {
        var (apply, noData, sum, w, iteration) = Driver.Value.Call<(string, string, string, double, long)>("Errors", X, Y);
        Assert.Equal("meanGradient", apply);
        Assert.Equal("meanGradient", noData);
        Assert.Equal("gradientSum", sum);
        Assert.Equal(0.5, w);
        Assert.Equal(0, iteration);
    }

    private static (double[] X, double[] Y) WideData()
    {
        var x = Enumerable.Range(0, 9 * 70).Select(i => Math.Sin(0.7 * i)).ToArray();
        var y = Enumerable.Range(0, 9).Select(s => Math.Cos(s) / 2).ToArray();
        return (x, y);
    }
}
