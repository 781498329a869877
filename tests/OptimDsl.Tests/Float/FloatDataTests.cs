using System;
using System.Linq;
using Xunit;
using static OptimDsl.Tests.Float.FloatDataCorpus;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: a float objective with [Data] parameters gets the data overload (the mean loss and mean
/// gradient, in float) and <c>MGradientSum</c> (the sums, in double), vectorised eight samples at a time, in fixed shards.
/// </summary>
/// <remarks>
/// <para>
/// Tolerances, with u = 2⁻²⁴ (a float's unit roundoff). Every sample's loss and gradient are computed in float, once per
/// sample, by either the vector lanes or the per-sample core; the test's reference is the named overload, in float, summed
/// in double. The two evaluate the same expressions; where their float results differ (OptimDsl's own Exp and Log in the
/// lanes, the BCL's MathF in the named overload: each within 1–2 ulp, carried through the at most ~20 operations of a
/// derivative here), a sample's value moves by at most ~30u of the magnitudes in it; the lanes' float blocks of 8 values a
/// lane add at most 7u of their magnitudes; summing in double adds N·2⁻⁵³ relative (negligible for N below 2²⁰), and
/// rounding the mean to float u·|mean|. So the data overload and the reference agree within
/// <see cref="PerSample"/> (64u)·mean(|g_i|) + u·|mean|.
/// </para>
/// <para>
/// Finite differences are central, in double (h = 10⁻⁵: truncation ~h² ≈ 10⁻¹⁰, rounding ~10⁻¹¹), of the mean of the loss
/// transcribed in double at the float data and parameters exactly; the float gradient differs from them by its own float
/// rounding: the same bound with 128u, since the transcription's exact libm is a further 1–2 ulp from either float Exp.
/// </para>
/// </remarks>
public sealed class FloatDataTests
{
    /// <summary>u = 2⁻²⁴, a float's unit roundoff.</summary>
    private const double U = 1.0 / (1 << 24);

    /// <summary>The per-sample bound of the remarks, relative to mean(|g_i|).</summary>
    private const double PerSample = 64 * U;

    private delegate float DataCall(float[] p, float[][] d, float[] g, int degree);

    private delegate double SumCall(float[] p, float[][] d, double[] g, int degree, int start, int count);

    private delegate float SampleCall(float[] p, float[][] d, int i, float[] g);

    private delegate float BareCall(float[] p, float[][] d, float[] g);

    private delegate long AllocationCall(float[] p, float[][] d, float[] g, double[] sums, int calls);

    public static TheoryData<string> AllCases() => new(Names);

    /// <summary>Small counts around the vector step of 8 samples, and large ones that are not multiples of 8 (tails, several shards).</summary>
    public static TheoryData<string, int> CasesAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Names)
        {
            foreach (var n in Enumerable.Range(1, 40).Concat([63, 1001, 8197, 12295]))
            {
                data.Add(name, n);
            }
        }

        return data;
    }

    [Fact]
    public void The_corpus_generates_the_float_data_overloads_without_a_diagnostic()
    {
        var run = Run;
        Assert.True(Cases.Length >= 6);
        Assert.Null(run.Result.Exception);
        Assert.True(run.WarningsAndErrors.IsEmpty, Infrastructure.GeneratorRun.Format(run.WarningsAndErrors));
        var files = Generation.GenerationSupport.Files(run);
        foreach (var c in Cases)
        {
            var file = files[$"Floats.Objectives.{c.Name}.g.cs"];
            var data = string.Concat(Enumerable.Range(0, c.Rows.Length).Select(_ => "global::System.ReadOnlySpan<float> "));
            Assert.Matches($@"public static float {c.Name}Gradient\(global::System.ReadOnlySpan<float> parameters, (global::System.ReadOnlySpan<float> \w+, ){{{c.Rows.Length}}}global::System.Span<float> gradient, int maxDegreeOfParallelism = 1\)", file);
            Assert.Matches($@"public static double {c.Name}GradientSum\(global::System.ReadOnlySpan<float> parameters, (global::System.ReadOnlySpan<float> \w+, ){{{c.Rows.Length}}}global::System.Span<double> gradientSum, int maxDegreeOfParallelism = 1\)", file);
            if (c.Name == "Logistic100")
            {
                // Rolled loops: sample by sample, the float sums of blocks of eight samples added to the double sums.
                Assert.Contains("global::OptimDsl.DataShards.AddBlock(", file, StringComparison.Ordinal);
                continue;
            }

            Assert.Contains("global::System.Runtime.Intrinsics.Vector256<double>", file, StringComparison.Ordinal); // the lanes' double sums
            Assert.Contains("global::System.Runtime.Intrinsics.Vector256.WidenLower(", file, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void The_mean_is_that_of_the_named_overload_over_the_samples(string name, int samples)
    {
        var c = Get(name);
        var (parameters, data) = Draw(c, samples, samples);
        var (loss, mean, scale, _) = Reference(c, parameters, data, samples);

        var gradient = new float[c.Count];
        var value = Harness<DataCall>("Data" + name)(parameters, data, gradient, 1);

        AssertWithin(loss, value, PerSample * scale[0] + U * Math.Abs(loss), $"{name}, {samples} samples: loss");
        for (var k = 0; k < c.Count; k++)
        {
            AssertWithin(mean[k], gradient[k], PerSample * scale[k + 1] + U * Math.Abs(mean[k]), $"{name}, {samples} samples: ∂{k}");
        }

        // The default degree is 1: the same bits.
        var bare = new float[c.Count];
        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(Harness<BareCall>("Bare" + name)(parameters, data, bare)));
        Assert.Equal(gradient, bare);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void The_mean_gradient_agrees_with_finite_differences_of_a_double_transcription(string name)
    {
        var c = Get(name);
        foreach (var samples in new[] { 5, 37, 1003 })
        {
            var (parameters, data) = Draw(c, samples, 100 + samples);
            var (_, _, scale, _) = Reference(c, parameters, data, samples);
            var gradient = new float[c.Count];
            var value = Harness<DataCall>("Data" + name)(parameters, data, gradient, 1);
            var sampleData = Enumerable.Range(0, samples).Select(i => SampleInDouble(c, data, i)).ToArray();
            double Mean(double[] p) => sampleData.Sum(s => c.Transcription(p, s)) / samples;

            var at = parameters.Select(v => (double)v).ToArray();
            AssertWithin(Mean(at), value, (2 * PerSample * scale[0]) + 1e-12, $"{name}, {samples} samples: loss against the transcription");
            const double h = 1e-5;
            for (var k = 0; k < c.Count; k++)
            {
                var up = (double[])at.Clone();
                var down = (double[])at.Clone();
                up[k] += h;
                down[k] -= h;
                var difference = (Mean(up) - Mean(down)) / (2 * h);
                AssertWithin(difference, gradient[k], (2 * PerSample * scale[k + 1]) + 1e-8, $"{name}, {samples} samples: ∂{k} against finite differences");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Every_degree_of_parallelism_gives_the_same_bits(string name)
    {
        var c = Get(name);
        foreach (var samples in new[] { 7, 3 * 4096 + 5, 131075 })
        {
            var (parameters, data) = Draw(c, samples, 7);
            var one = new float[c.Count];
            var valueOne = Harness<DataCall>("Data" + name)(parameters, data, one, 1);
            var sumOne = new double[c.Count];
            var lossOne = Harness<SumCall>("Sum" + name)(parameters, data, sumOne, 1, 0, samples);
            foreach (var degree in new[] { 2, 4 })
            {
                var other = new float[c.Count];
                Assert.Equal(BitConverter.SingleToInt32Bits(valueOne), BitConverter.SingleToInt32Bits(Harness<DataCall>("Data" + name)(parameters, data, other, degree)));
                Assert.Equal(one.Select(BitConverter.SingleToInt32Bits), other.Select(BitConverter.SingleToInt32Bits));
                var sum = new double[c.Count];
                Assert.Equal(BitConverter.DoubleToInt64Bits(lossOne), BitConverter.DoubleToInt64Bits(Harness<SumCall>("Sum" + name)(parameters, data, sum, degree, 0, samples)));
                Assert.Equal(sumOne.Select(BitConverter.DoubleToInt64Bits), sum.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    /// <summary>
    /// The sums of two shards add up to the whole's, within the rounding that a split changes. A split moves the float
    /// blocks' boundaries (each lane sums up to 8 values in float, within 7u of their magnitudes: 14u·Σ|g_i| for the
    /// two sides), moves up to 2 × 7 samples between the lanes and the per-sample core, whose float values differ where
    /// they call Exp or Log (PerSample × the largest |g_i| each), and changes the order of the double additions
    /// (2N·2⁻⁵³·Σ|g_i|).
    /// </summary>
    [Theory]
    [MemberData(nameof(AllCases))]
    public void MGradientSum_is_additive_over_splits_and_the_mean_is_it_divided_by_N(string name)
    {
        var c = Get(name);
        var sum = Harness<SumCall>("Sum" + name);
        foreach (var samples in new[] { 29, 4103, 9001 })
        {
            var (parameters, data) = Draw(c, samples, 3 * samples);
            var (_, _, scale, largest) = Reference(c, parameters, data, samples);
            var whole = new double[c.Count];
            var wholeLoss = sum(parameters, data, whole, 1, 0, samples);
            foreach (var split in new[] { 0, 1, 8, 13, samples / 2, samples - 3, samples })
            {
                var first = new double[c.Count];
                var second = new double[c.Count];
                var loss = sum(parameters, data, first, 1, 0, split) + sum(parameters, data, second, 1, split, samples - split);
                double Bound(int k) => ((14 * U) + (2 * samples * Math.Pow(2, -53))) * samples * scale[k] + (14 * PerSample * largest[k]);
                AssertWithin(wholeLoss, loss, Bound(0), $"{name}, {samples} split at {split}: loss");
                for (var k = 0; k < c.Count; k++)
                {
                    AssertWithin(whole[k], first[k] + second[k], Bound(k + 1), $"{name}, {samples} split at {split}: ∂{k}");
                }
            }

            // The mean is the sum over N, rounded to float once: within u of it.
            var mean = new float[c.Count];
            var meanLoss = Harness<DataCall>("Data" + name)(parameters, data, mean, 1);
            AssertWithin(wholeLoss, (double)meanLoss * samples, (U + 1e-15) * Math.Abs(wholeLoss), $"{name}: N × mean loss");
            for (var k = 0; k < c.Count; k++)
            {
                AssertWithin(whole[k], (double)mean[k] * samples, (U + 1e-15) * Math.Abs(whole[k]), $"{name}: N × mean ∂{k}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void An_empty_shard_gives_0_and_zeros(string name)
    {
        var c = Get(name);
        var (parameters, data) = Draw(c, 12, 1);
        var sums = Enumerable.Repeat(double.NaN, c.Count).ToArray();
        Assert.Equal(0, Harness<SumCall>("Sum" + name)(parameters, data, sums, 1, 5, 0));
        Assert.All(sums, s => Assert.Equal(0, BitConverter.DoubleToInt64Bits(s)));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void The_data_overloads_allocate_nothing_at_degree_1(string name)
    {
        var c = Get(name);
        var (parameters, data) = Draw(c, 3 * 4096 + 5, 2);
        var allocated = Harness<AllocationCall>("Allocated" + name);
        var gradient = new float[c.Count];
        var sums = new double[c.Count];
        allocated(parameters, data, gradient, sums, 2); // the per-thread shard scratch, once
        Assert.Equal(0, allocated(parameters, data, gradient, sums, 10));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Wrong_arguments_are_ArgumentExceptions_naming_them_and_leave_the_gradient_alone(string name)
    {
        var c = Get(name);
        var (parameters, data) = Draw(c, 9, 4);
        var mean = Harness<DataCall>("Data" + name);
        var sum = Harness<SumCall>("Sum" + name);
        var firstData = DataNames(c)[0];

        void Refused<TException>(string argument, Func<float[], object> call)
            where TException : ArgumentException
        {
            var gradient = Enumerable.Repeat(-7.5f, c.Count + 1).ToArray();
            var exception = Assert.ThrowsAny<TException>(() => call(gradient));
            Assert.Equal(argument, exception.ParamName);
            Assert.All(gradient, v => Assert.Equal(-7.5f, v));
        }

        Refused<ArgumentException>("parameters", g => mean([.. parameters, 1f], data, g[..c.Count], 1));
        Refused<ArgumentException>("gradient", g => mean(parameters, data, g, 1));
        Refused<ArgumentException>(firstData, g => mean(parameters, c.Rows.Select(_ => Array.Empty<float>()).ToArray(), g[..c.Count], 1));
        Refused<ArgumentOutOfRangeException>("maxDegreeOfParallelism", g => mean(parameters, data, g[..c.Count], 0));
        Assert.Equal("gradientSum", Assert.ThrowsAny<ArgumentException>(() => sum(parameters, data, new double[c.Count + 1], 1, 0, 9)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => sum(parameters, data, new double[c.Count], -1, 0, 9)).ParamName);

        // Data spans describing different numbers of samples, or rows cut short.
        for (var d = 0; d < c.Rows.Length; d++)
        {
            if (c.Rows.Length > 1)
            {
                // The first span sets the number of samples; the check names the span that differs from it.
                var shorter = data.Select((span, e) => e == d ? span[..^c.Rows[d]] : span).ToArray();
                Refused<ArgumentException>(DataNames(c)[d == 0 ? 1 : d], g => mean(parameters, shorter, g[..c.Count], 1));
            }

            if (c.Rows[d] > 1)
            {
                var ragged = data.Select((span, e) => e == d ? span[..^1] : span).ToArray();
                Refused<ArgumentException>(DataNames(c)[d], g => mean(parameters, ragged, g[..c.Count], 1));
            }
        }
    }

    /// <summary>The data parameters' names in declaration order, read from the case's source.</summary>
    private static string[] DataNames(Case c)
        => System.Text.RegularExpressions.Regex.Matches(c.Source, @"\[Data(?:, Length\(\d+\))?\] (?:ReadOnlySpan<float>|float) (\w+)")
            .Select(m => m.Groups[1].Value).ToArray();

    /// <summary>
    /// The reference: the named overload per sample, summed in double and divided by N; and per output (loss, then each
    /// partial derivative) the mean of the magnitudes, the scale of the tolerances, and the largest magnitude.
    /// </summary>
    private static (double Loss, double[] Mean, double[] Scale, double[] Largest) Reference(Case c, float[] parameters, float[][] data, int samples)
    {
        var largest = new double[c.Count + 1];
        var call = Harness<SampleCall>("Sample" + c.Name);
        var mean = new double[c.Count];
        var scale = new double[c.Count + 1];
        double loss = 0;
        var gradient = new float[c.Count];
        for (var i = 0; i < samples; i++)
        {
            var value = call(parameters, data, i, gradient);
            loss += value;
            scale[0] += Math.Abs(value);
            largest[0] = Math.Max(largest[0], Math.Abs(value));
            for (var k = 0; k < c.Count; k++)
            {
                mean[k] += gradient[k];
                scale[k + 1] += Math.Abs(gradient[k]);
                largest[k + 1] = Math.Max(largest[k + 1], Math.Abs(gradient[k]));
            }
        }

        return (loss / samples, mean.Select(m => m / samples).ToArray(), scale.Select(s => s / samples).ToArray(), largest);
    }

    private static void AssertWithin(double expected, double actual, double tolerance, string what)
        => Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual:R}, expected {expected:R} within {tolerance:R} (off by {Math.Abs(expected - actual):R})");
}
