using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Gradients;

/// <summary>
/// Every corpus objective compiled through the generator and run: the generated value is the
/// objective's, and the generated gradient agrees with finite differences of the objective and,
/// where it is known, with the gradient written out by hand.
/// </summary>
public sealed class GradientCorpusTests
{
    [Theory]
    [MemberData(nameof(Corpus.GroupNames), MemberType = typeof(Corpus))]
    public void Each_group_compiles_without_a_warning(string group)
    {
        var compiled = Corpus.Compiled(group);

        Assert.True(compiled.Run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(compiled.Run.WarningsAndErrors));
        Assert.NotNull(compiled.Assembly);
    }

    [Fact]
    public void The_corpus_is_large_enough_and_uses_every_Math_function()
    {
        Assert.True(Corpus.Cases.Length >= 30);
        var text = string.Join("\n", Corpus.Sources.Values.SelectMany(s => s));
        string[] functions =
        [
            "Sqrt", "Exp", "Log", "Log10", "Log2", "Pow", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2",
            "Sinh", "Cosh", "Tanh", "Abs", "Max", "Min", "Cbrt", "Clamp",
        ];
        foreach (var function in functions)
        {
            Assert.Contains("Math." + function + "(", text, StringComparison.Ordinal);
        }

        Assert.Contains("Math.Log(x + 2, 3)", text, StringComparison.Ordinal);
        Assert.Contains("Math.PI", text, StringComparison.Ordinal);
        Assert.Contains("Math.E ", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void The_generated_value_is_the_objective(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);

        foreach (var point in Corpus.Points(c))
        {
            var expected = compiled.Original(c, point);
            var (value, _) = compiled.Scalar(c, point);

            Assert.True(double.IsFinite(expected), $"The test point ({string.Join(", ", point)}) is outside {method}'s domain.");
            Within(expected, value, 1e-12 * Math.Max(1, Math.Abs(expected)), $"{method} at ({string.Join(", ", point)})");
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void The_gradient_agrees_with_finite_differences(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var trainable = c.Params.Select((p, i) => (p, i)).Where(t => !t.p.IsData).Select(t => t.i).ToArray();

        foreach (var point in Corpus.Points(c))
        {
            var (_, gradient) = compiled.Scalar(c, point);
            for (var k = 0; k < trainable.Length; k++)
            {
                var index = trainable[k];
                var h = 1e-4 * Math.Max(1, Math.Abs(point[index]));
                double At(double offset)
                {
                    var shifted = (double[])point.Clone();
                    shifted[index] += offset;
                    return compiled.Original(c, shifted);
                }

                // Fourth-order central difference: truncation O(h⁴), rounding about ε·|f|/h.
                var f = new[] { At(-2 * h), At(-h), At(h), At(2 * h) };
                var numeric = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
                var tolerance = 1e-6 * Math.Max(1, Math.Abs(numeric)) + 1e-12 * f.Max(Math.Abs) / h;
                Within(numeric, gradient[k], tolerance, $"∂{method}/∂{c.Params[index].Name} at ({string.Join(", ", point)})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.WithHand), MemberType = typeof(Corpus))]
    public void The_gradient_is_the_one_derived_by_hand(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);

        foreach (var point in Corpus.Points(c))
        {
            var (_, gradient) = compiled.Scalar(c, point);
            var hand = c.Hand!(point);
            Assert.Equal(c.Trainable.Length, hand.Length);
            for (var k = 0; k < hand.Length; k++)
            {
                Within(hand[k], gradient[k], 1e-10 * Math.Max(1, Math.Abs(hand[k])), $"∂{method}/∂{c.Trainable[k].Name} at ({string.Join(", ", point)})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.WithoutData), MemberType = typeof(Corpus))]
    public void The_span_overload_returns_the_scalar_overloads_results(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);

        foreach (var point in Corpus.Points(c))
        {
            var (value, expected) = compiled.Scalar(c, point);
            var gradient = new double[c.Trainable.Length];

            var spanValue = compiled.Span(c, point, gradient);

            Within(value, spanValue, 1e-14 * Math.Max(1, Math.Abs(value)), $"{method} value");
            for (var k = 0; k < gradient.Length; k++)
            {
                Within(expected[k], gradient[k], 1e-14 * Math.Max(1, Math.Abs(expected[k])), $"∂{method}/∂{c.Trainable[k].Name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.WithoutData), MemberType = typeof(Corpus))]
    public void The_span_overload_refuses_spans_of_the_wrong_length(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var n = c.Trainable.Length;
        var point = Corpus.Points(c)[0];

        foreach (var length in new[] { 0, n - 1, n + 1 }.Where(l => l >= 0 && l != n).Distinct())
        {
            var gradient = Sentinel(n);
            var error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, point.Take(length).Concat(Enumerable.Repeat(0.5, Math.Max(0, length - n))).ToArray(), gradient));
            Assert.Equal("parameters", error.ParamName);
            Assert.Equal(Sentinel(n), gradient);

            var wrong = Sentinel(length);
            error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, point, wrong));
            Assert.Equal("gradient", error.ParamName);
            Assert.Equal(Sentinel(length), wrong);
        }
    }

    internal static double[] Sentinel(int length) => Enumerable.Range(0, length).Select(i => 1234.5 + i).ToArray();

    internal static void Within(double expected, double actual, double tolerance, string what)
        => Assert.True(
            Math.Abs(actual - expected) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):R}, tolerance {tolerance:R}).");
}
