using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Gradients;

/// <summary>
/// The data overload of README, What is generated: the mean loss and mean gradient over a data set, and its argument checks.
/// </summary>
public sealed class DataGradientTests
{
    // Sizes around the vector width (4 samples a step) and its remainders.
    public static TheoryData<string, int> CasesAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in Corpus.Cases.Where(c => c.Data.Length > 0))
        {
            foreach (var n in new[] { 1, 2, 3, 4, 5, 7, 8, 13, 64, 103 })
            {
                data.Add(c.Method, n);
            }
        }

        return data;
    }

    private static (double[] Parameters, double[][] Data) Draw(Case c, int samples, int salt)
    {
        var random = Corpus.RandomFor(c, salt);
        var parameters = c.Trainable.Select(p => p.Sample(random)).ToArray();
        var data = c.Data.Select(_ => new double[samples]).ToArray();
        for (var i = 0; i < samples; i++)
        {
            for (var d = 0; d < c.Data.Length; d++)
            {
                data[d][i] = c.Data[d].Sample(random);
            }
        }

        return (parameters, data);
    }

    /// <summary>The arguments of one call of the objective: trainable values and sample i's data, in declaration order.</summary>
    private static double[] Arguments(Case c, double[] parameters, double[][] data, int i)
    {
        int t = 0, d = 0;
        return c.Params.Select(p => p.IsData ? data[d++][i] : parameters[t++]).ToArray();
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void Mean_loss_and_mean_gradient_are_those_of_the_samples(string method, int samples)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var (parameters, data) = Draw(c, samples, salt: samples);
        var n = c.Trainable.Length;

        // The reference: one scalar call per sample, and the user's own method for the loss.
        double loss = 0, lossScale = 0;
        var sum = new double[n];
        var scale = new double[n];
        for (var i = 0; i < samples; i++)
        {
            var arguments = Arguments(c, parameters, data, i);
            var (value, gradient) = compiled.Scalar(c, arguments);
            GradientCorpusTests.Within(compiled.Original(c, arguments), value, 1e-12 * Math.Max(1, Math.Abs(value)), $"{method} sample {i}");
            loss += value;
            lossScale += Math.Abs(value);
            for (var k = 0; k < n; k++)
            {
                sum[k] += gradient[k];
                scale[k] += Math.Abs(gradient[k]);
            }
        }

        var meanGradient = new double[n];
        var meanLoss = compiled.Span(c, parameters, data, meanGradient);

        // Summation order and the vectorised Exp/Log may differ from the scalar calls in the last bits.
        GradientCorpusTests.Within(loss / samples, meanLoss, 1e-12 * (1 + lossScale / samples), $"mean {method} over {samples}");
        for (var k = 0; k < n; k++)
        {
            GradientCorpusTests.Within(sum[k] / samples, meanGradient[k], 1e-12 * (1 + scale[k] / samples), $"mean ∂{method}/∂{c.Trainable[k].Name} over {samples}");
        }
    }

    /// <summary>
    /// The vectorised Exp and Log that the data overload uses (OptimDsl's own, the same on every vector
    /// width) against Math.Exp and Math.Log, lane by lane: with w = 1 and four copies of x, the mean loss
    /// is exactly the vector function's value at x (the four lanes are summed as (a + a) + (a + a) and
    /// divided by 4, both exact).
    /// </summary>
    [Fact]
    public void The_vectorised_exp_and_log_are_within_an_ulp_or_two_of_Math()
    {
        var random = new Random(2026);
        // Up to 708: the four copies' sum must stay finite (e^708 · 4 < double.MaxValue). Down to −745:
        // subnormal results, and exactly 0 beyond.
        var expArguments = new List<double> { 0, -0.0, 1, -1, 0.5 * Math.Log(2), -0.5 * Math.Log(2), 1e-300, -1e-300, 700, -700, 708, -708, -740, -745, -750, double.NegativeInfinity };
        var logArguments = new List<double> { 1, 2, 0.5, Math.Sqrt(2), Math.Sqrt(0.5), 1 + 1e-15, 1 - 1e-16, 1e-300, 4.9e-324, 2.2e-308, 1e300, double.MaxValue };
        for (var i = 0; i < 20_000; i++)
        {
            expArguments.Add(random.NextDouble() * 1450 - 745);
            expArguments.Add((random.NextDouble() - 0.5) * 4);
            logArguments.Add(Math.Pow(2, (random.NextDouble() - 0.5) * 2000));
            logArguments.Add(0.5 + random.NextDouble());
        }

        AssertClose("ExpOf", expArguments, Math.Exp);
        AssertClose("LogOf", logArguments, Math.Log);

        static void AssertClose(string method, List<double> arguments, Func<double, double> reference)
        {
            var c = Corpus.Get(method);
            var compiled = Corpus.Compiled(c);
            var gradient = new double[1];
            foreach (var x in arguments)
            {
                var vector = compiled.Span(c, [1.0], [[x, x, x, x]], gradient);
                var expected = reference(x);
                var ulps = Ulps(expected, vector);
                Assert.True(ulps <= 2, $"{method}({x:R}) = {vector:R}, Math gives {expected:R}: {ulps} ulps apart");
            }
        }

        static double Ulps(double expected, double actual)
        {
            if (expected == actual || (double.IsNaN(expected) && double.IsNaN(actual)))
            {
                return 0;
            }

            if (double.IsInfinity(expected) || double.IsInfinity(actual) || expected == 0 || actual == 0)
            {
                return double.PositiveInfinity;
            }

            return Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.WithData), MemberType = typeof(Corpus))]
    public void The_data_overload_averages_a_duplicated_data_set_to_the_same_mean(string method)
    {
        // Mean over [s] equals mean over [s, s, s, s, s]: the division is by the sample count.
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var (parameters, data) = Draw(c, 1, salt: 99);
        var five = data.Select(d => Enumerable.Repeat(d[0], 5).ToArray()).ToArray();

        var one = new double[c.Trainable.Length];
        var many = new double[c.Trainable.Length];
        var a = compiled.Span(c, parameters, data, one);
        var b = compiled.Span(c, parameters, five, many);

        var (value, gradient) = compiled.Scalar(c, Arguments(c, parameters, data, 0));
        Assert.Equal(value, a);
        Assert.Equal(gradient, one);
        GradientCorpusTests.Within(a, b, 1e-14 * Math.Max(1, Math.Abs(a)), "mean of five copies");
        for (var k = 0; k < one.Length; k++)
        {
            GradientCorpusTests.Within(one[k], many[k], 1e-14 * Math.Max(1, Math.Abs(one[k])), "gradient of five copies");
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.WithData), MemberType = typeof(Corpus))]
    public void Wrong_lengths_are_refused_by_name_and_leave_the_gradient_untouched(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var n = c.Trainable.Length;
        var (parameters, data) = Draw(c, 6, salt: 7);

        void Refused(string expectedName, double[] p, double[][] d, int gradientLength)
        {
            var gradient = GradientCorpusTests.Sentinel(gradientLength);
            var error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, p, d, gradient));
            Assert.Equal(expectedName, error.ParamName);
            Assert.Equal(GradientCorpusTests.Sentinel(gradientLength), gradient);
        }

        // Parameters: too few, too many, none.
        Refused("parameters", parameters[..^1], data, n);
        Refused("parameters", [.. parameters, 0.5], data, n);
        Refused("parameters", [], data, n);

        // Gradient: too short, too long, empty.
        Refused("gradient", parameters, data, n - 1);
        Refused("gradient", parameters, data, n + 1);
        Refused("gradient", parameters, data, 0);

        // An empty data set: named by its first data span.
        Refused(c.Data[0].Name, parameters, data.Select(_ => Array.Empty<double>()).ToArray(), n);

        // A data span whose length differs from the first's: named by that span.
        for (var k = 1; k < c.Data.Length; k++)
        {
            foreach (var length in new[] { 0, 5, 7 })
            {
                var mismatched = data.Select((d, j) => j == k ? d.Take(length).Concat(Enumerable.Repeat(0.25, Math.Max(0, length - d.Length))).ToArray() : d).ToArray();
                Refused(c.Data[k].Name, parameters, mismatched, n);
            }
        }

        // And the same arguments with the right lengths are accepted.
        var accepted = new double[n];
        Assert.True(double.IsFinite(compiled.Span(c, parameters, data, accepted)));
        Assert.All(accepted, g => Assert.True(double.IsFinite(g)));
    }
}
