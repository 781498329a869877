using System;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Distributed;

/// <summary>
/// README, Parallel data gradients: the full batch is split into S = clamp(N / 4096, 1, 64) shards, shard k holding
/// samples [⌊kN/S⌋, ⌊(k+1)N/S⌋); each shard is summed on its own and the sums are added in shard order. So the data
/// overloads, <c>MGradientSum</c> and every optimizer's full-batch step give the same bits at every
/// <c>maxDegreeOfParallelism</c>, and nothing is allocated per step at degree 1.
/// </summary>
public sealed class ParallelGradientTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05), Lbfgs, LevenbergMarquardt]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            // Rows of 3 features, unrolled: vectorised across samples.
            [Objective, GradientDescent(LearningRate = 0.1, Momentum = 0.9)]
            public static double Rows([Length(3)] ReadOnlySpan<double> w, [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
            {
                var p = w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
                return Math.Log(1 + Math.Exp(-y * p));
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

            // 17 data spans, one more than the runtime shares between threads: one shard on one core.
            [Objective]
            public static double Many(double w, [Data] double a0, [Data] double a1, [Data] double a2, [Data] double a3, [Data] double a4, [Data] double a5,
                [Data] double a6, [Data] double a7, [Data] double a8, [Data] double a9, [Data] double a10, [Data] double a11, [Data] double a12,
                [Data] double a13, [Data] double a14, [Data] double a15, [Data] double a16)
            {
                var r = w * (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15 + a16) - 1;
                return r * r;
            }
        }

        public static class Driver
        {
            static long[] Bits(double loss, Span<double> values) => [BitConverter.DoubleToInt64Bits(loss), .. values.ToArray().Select(BitConverter.DoubleToInt64Bits)];

            static int Samples(string objective, double[][] data) => objective == "Rows" ? data[0].Length / 3 : objective == "Wide" ? data[0].Length / 70 : data[0].Length;

            // MGradientSum (sum: true) or the data overload's means at a degree, as bits: the loss, then the gradient.
            public static long[] Sums(string objective, double[] theta, double[][] data, int degree, bool sum)
            {
                var g = new double[theta.Length];
                double loss = objective switch
                {
                    "Line" => sum ? P.LineGradientSum(theta, data[0], data[1], g, degree) : P.LineGradient(theta, data[0], data[1], g, degree),
                    "Rows" => sum ? P.RowsGradientSum(theta, data[0], data[1], g, degree) : P.RowsGradient(theta, data[0], data[1], g, degree),
                    "Wide" => sum ? P.WideGradientSum(theta, data[0], data[1], g, degree) : P.WideGradient(theta, data[0], data[1], g, degree),
                    _ => sum
                        ? P.ManyGradientSum(theta, data[0], data[1], data[2], data[3], data[4], data[5], data[6], data[7], data[8], data[9], data[10], data[11], data[12], data[13], data[14], data[15], data[16], g, degree)
                        : P.ManyGradient(theta, data[0], data[1], data[2], data[3], data[4], data[5], data[6], data[7], data[8], data[9], data[10], data[11], data[12], data[13], data[14], data[15], data[16], g, degree),
                };
                return Bits(loss, g);
            }

            // The documented split, computed here: shard k of S = clamp(N / 4096, 1, 64) holds [⌊kN/S⌋, ⌊(k+1)N/S⌋);
            // each shard's MGradientSum (a single shard: fewer than 8,192 samples), added in shard order.
            public static long[] DocumentedFold(string objective, double[] theta, double[][] data)
            {
                int n = Samples(objective, data);
                int shards = Math.Clamp(n / 4096, 1, 64);
                var total = new double[theta.Length];
                var part = new double[theta.Length];
                double loss = 0;
                for (int k = 0; k < shards; k++)
                {
                    int start = (int)((long)n * k / shards), end = (int)((long)n * (k + 1) / shards);
                    double[][] slice = [.. data.Select(d => d.AsSpan(start * (d.Length / n), (end - start) * (d.Length / n)).ToArray())];
                    var shardLoss = Sums(objective, theta, slice, 1, sum: true);
                    loss += BitConverter.Int64BitsToDouble(shardLoss[0]);
                    for (int j = 0; j < theta.Length; j++)
                    {
                        double value = BitConverter.Int64BitsToDouble(shardLoss[j + 1]);
                        total[j] = k == 0 ? value : total[j] + value;
                    }
                }

                return Bits(loss, total);
            }

            // Five Adam steps and a short L-BFGS run on the line at a degree, and five gradient-descent steps with momentum on Rows: the parameters' bits.
            public static long[] Optimizers(double[][] line, double[][] rows, int degree)
            {
                var adam = new P.LineAdam(0.5, -0.5) { MaxDegreeOfParallelism = degree };
                for (int s = 0; s < 5; s++) adam.Step(line[0], line[1]);
                var lbfgs = new P.LineLbfgs(0.5, -0.5) { MaxDegreeOfParallelism = degree };
                lbfgs.Minimize(line[0], line[1], 20);
                var sgd = new P.RowsGradientDescent([0.1, -0.2, 0.3]) { MaxDegreeOfParallelism = degree };
                for (int s = 0; s < 5; s++) sgd.Step(rows[0], rows[1]);
                var lm = new P.LineLevenbergMarquardt(0.5, -0.5) { MaxDegreeOfParallelism = degree };
                for (int s = 0; s < 3; s++) lm.Step(line[0], line[1]);
                return [.. new[] { adam.W, adam.B, lbfgs.W, lbfgs.B }.Concat(sgd.Parameters.ToArray()).Select(BitConverter.DoubleToInt64Bits), adam.Iteration, lbfgs.Iteration,
                    BitConverter.DoubleToInt64Bits(lm.W), BitConverter.DoubleToInt64Bits(lm.B)];
            }

            // Bytes this thread allocates over ten Adam steps and ten MGradientSum calls at degree 1, after a warm-up.
            public static long AllocatedAtDegreeOne(double[][] line)
            {
                var adam = new P.LineAdam(0.5, -0.5);
                var g = new double[2];
                adam.Step(line[0], line[1]);
                P.LineGradientSum(adam.Parameters, line[0], line[1], g);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int s = 0; s < 10; s++)
                {
                    adam.Step(line[0], line[1]);
                    P.LineGradientSum(adam.Parameters, line[0], line[1], g);
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            // Bytes the calling thread allocates per MGradientSum call at degree 2, over 20 calls after a warm-up (the
            // process-wide count would include the other tests running beside this one).
            public static long AllocatedPerCallAtDegreeTwo(double[][] line)
            {
                var g = new double[2];
                double[] theta = [0.5, -0.5];
                for (int s = 0; s < 3; s++) P.LineGradientSum(theta, line[0], line[1], g, 2);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int s = 0; s < 20; s++) P.LineGradientSum(theta, line[0], line[1], g, 2);
                return (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
            }

            public static (string Property, string Sum, string Mean, int Kept, string Zero) Errors(double[][] line)
            {
                var adam = new P.LineAdam(0.5, -0.5) { MaxDegreeOfParallelism = 3 };
                string property = Catch(() => adam.MaxDegreeOfParallelism = 0);
                string sum = Catch(() => P.LineGradientSum(new double[2], line[0], line[1], new double[2], 0));
                string mean = Catch(() => P.LineGradient(new double[2], line[0], line[1], new double[2], -1));
                var lbfgs = new P.LineLbfgs(0.5, -0.5);
                var lm = new P.LineLevenbergMarquardt(0.5, -0.5);
                string zero = Catch(() => lbfgs.MaxDegreeOfParallelism = 0) + " " + Catch(() => lm.MaxDegreeOfParallelism = -2);
                return (property, sum, mean, adam.MaxDegreeOfParallelism, zero);
            }

            static string Catch(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentOutOfRangeException e) { return e.ParamName ?? "null"; }
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    private static double[][] Line(int n)
    {
        var x = Enumerable.Range(0, n).Select(i => Math.Sin(0.37 * i) * 2).ToArray();
        var y = x.Select((v, i) => (1.5 * v) - 0.25 + (0.3 * Math.Cos(1.3 * i))).ToArray();
        return [x, y];
    }

    private static double[][] Rows(int n)
    {
        var x = Enumerable.Range(0, 3 * n).Select(i => Math.Sin(0.11 * i) + (0.2 * Math.Cos(0.7 * i))).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? -1.0 : 1.0).ToArray();
        return [x, y];
    }

    private static double[][] Wide(int n)
    {
        var x = Enumerable.Range(0, 70 * n).Select(i => Math.Cos(0.013 * i) / 8).ToArray();
        var y = Enumerable.Range(0, n).Select(i => Math.Sin(0.5 * i) / 2).ToArray();
        return [x, y];
    }

    private static double[][] Many(int n)
        => [.. Enumerable.Range(0, 17).Select(c => Enumerable.Range(0, n).Select(i => Math.Sin((0.1 * i) + c) / 17).ToArray())];

    private static (double[] Theta, double[][] Data) Case(string objective, int n) => objective switch
    {
        "Line" => ([0.7, -0.2], Line(n)),
        "Rows" => ([0.2, -0.1, 0.4], Rows(n)),
        "Wide" => (Enumerable.Range(0, 70).Select(i => Math.Cos(i) / 10).ToArray(), Wide(n)),
        _ => ([0.3], Many(n)),
    };

    // Sizes: one shard (5,000), two (8,195), five (20,487), 64 with an uneven split (300,001); none divides evenly.
    [Theory]
    [InlineData("Line", 5_000)]
    [InlineData("Line", 8_195)]
    [InlineData("Line", 20_487)]
    [InlineData("Line", 300_001)]
    [InlineData("Rows", 20_487)]
    [InlineData("Wide", 8_201)]
    [InlineData("Many", 9_001)]
    public void Every_degree_gives_the_same_bits(string objective, int samples)
    {
        var (theta, data) = Case(objective, samples);
        foreach (var sum in new[] { true, false })
        {
            var one = Driver.Value.Call<long[]>("Sums", objective, theta, data, 1, sum);
            Assert.Equal(one, Driver.Value.Call<long[]>("Sums", objective, theta, data, 2, sum));
            Assert.Equal(one, Driver.Value.Call<long[]>("Sums", objective, theta, data, 4, sum));
        }
    }

    [Theory]
    [InlineData("Line", 8_195)]
    [InlineData("Line", 20_487)]
    [InlineData("Line", 262_143)]
    [InlineData("Rows", 20_487)]
    [InlineData("Wide", 8_201)]
    public void The_sums_are_the_documented_shards_added_in_order(string objective, int samples)
    {
        var (theta, data) = Case(objective, samples);
        Assert.Equal(
            Driver.Value.Call<long[]>("DocumentedFold", objective, theta, data),
            Driver.Value.Call<long[]>("Sums", objective, theta, data, 2, true));
    }

    [Fact]
    public void The_sharded_sums_are_the_hand_derived_sums()
    {
        var (theta, data) = Case("Line", 300_001);
        var bits = Driver.Value.Call<long[]>("Sums", "Line", theta, data, 2, true);
        double loss = 0, dw = 0, db = 0;
        for (var i = 0; i < 300_001; i++)
        {
            var r = (theta[0] * data[0][i]) + theta[1] - data[1][i];
            loss += r * r;
            dw += 2 * r * data[0][i];
            db += 2 * r;
        }

        // Different orders of the same 300,001 additions: a relative error of a few 1e-16 per addition at most.
        Assert.Equal(loss, BitConverter.Int64BitsToDouble(bits[0]), loss * 1e-10);
        Assert.Equal(dw, BitConverter.Int64BitsToDouble(bits[1]), Math.Abs(dw) * 1e-10 + 1e-9);
        Assert.Equal(db, BitConverter.Int64BitsToDouble(bits[2]), Math.Abs(db) * 1e-10 + 1e-9);
    }

    [Fact]
    public void Optimizers_take_the_same_steps_at_every_degree()
    {
        double[][] line = Line(20_487), rows = Rows(12_289);
        var one = Driver.Value.Call<long[]>("Optimizers", line, rows, 1);
        Assert.Equal(one, Driver.Value.Call<long[]>("Optimizers", line, rows, 2));
        Assert.Equal(one, Driver.Value.Call<long[]>("Optimizers", line, rows, 4));
        Assert.Equal(5, one[7]); // five Adam updates
        Assert.True(one[8] > 1, "L-BFGS iterated");

        // Levenberg–Marquardt's sharded pass (five shards): on a linear least-squares problem three steps reach the
        // normal equations' solution, computed here.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < line[0].Length; i++)
        {
            sx += line[0][i];
            sy += line[1][i];
            sxx += line[0][i] * line[0][i];
            sxy += line[0][i] * line[1][i];
        }

        var n = (double)line[0].Length;
        var w = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        var b = (sy - (w * sx)) / n;
        Assert.Equal(w, BitConverter.Int64BitsToDouble(one[9]), 1e-9);
        Assert.Equal(b, BitConverter.Int64BitsToDouble(one[10]), 1e-9);
    }

    [Fact]
    public void Nothing_is_allocated_per_step_at_degree_one()
        => Assert.Equal(0, Driver.Value.Call<long>("AllocatedAtDegreeOne", (object)Line(20_487)));

    [Fact]
    public void Above_degree_one_a_call_allocates_a_small_constant_independent_of_the_data_size()
    {
        var small = Driver.Value.Call<long>("AllocatedPerCallAtDegreeTwo", (object)Line(20_487));
        var large = Driver.Value.Call<long>("AllocatedPerCallAtDegreeTwo", (object)Line(400_000));
        // The pinned-span record, the Parallel.For options, closure and task replicas: a few kilobytes, whatever N.
        Assert.InRange(small, 1, 8_192);
        Assert.InRange(large, 1, 8_192);
        Assert.InRange(large - small, -2_048, 2_048);
    }

    [Fact]
    public void A_degree_below_one_throws_naming_it_and_changes_nothing()
    {
        var (property, sum, mean, kept, zero) = Driver.Value.Call<(string, string, string, int, string)>("Errors", (object)Line(100));
        Assert.Equal("MaxDegreeOfParallelism", property);
        Assert.Equal("maxDegreeOfParallelism", sum);
        Assert.Equal("maxDegreeOfParallelism", mean);
        Assert.Equal(3, kept);
        Assert.Equal("MaxDegreeOfParallelism MaxDegreeOfParallelism", zero);
    }
}
