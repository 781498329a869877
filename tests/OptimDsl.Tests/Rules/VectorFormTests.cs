using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Rules;

/// <summary>
/// README, Performance: the whole-vector forms that an <c>IRegisterOptimizer</c>'s <c>Minimize</c> uses give the bits of
/// the span forms every other optimizer uses: <c>OptimizerChecks.GradientNorm128/256</c> those of <c>GradientNorm(span)</c>
/// (the overflowing and underflowing squares' scaled fallback included), <c>AllFinite128/256</c> those of the finiteness
/// test, and <c>GradientClipping.Apply128/256</c> those of <c>Apply(span)</c>, on ordinary, tiny, huge, signed-zero,
/// infinite and NaN components.
/// </summary>
public sealed class VectorFormTests
{
    private static readonly double[] Components =
    [
        0, -0.0, 1, -2.5, 3e-160, -7e-170, 1e-310, 2.5e155, -4e200, 1.7976931348623157e308, double.Epsilon,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.1, -1e-5,
    ];

    /// <summary>Every pair, and quadruples made of consecutive components (wrapping), of <see cref="Components"/>.</summary>
    public static IEnumerable<double[]> Vectors(int width)
    {
        if (width == 2)
        {
            foreach (var a in Components)
            {
                foreach (var b in Components)
                {
                    yield return [a, b];
                }
            }

            yield break;
        }

        for (int i = 0; i < Components.Length; i++)
        {
            for (int step = 1; step < Components.Length; step += 3)
            {
                yield return [.. Enumerable.Range(0, 4).Select(k => Components[(i + (k * step)) % Components.Length])];
            }
        }
    }

    // The same bits, or both NaN: which NaN a product of a NaN gives depends on the order in which the JIT puts the
    // operands of a commutative operation, which can differ between its tiers; a NaN gradient ends the run as Diverged
    // at the step before, so its payload never reaches a result.
    private static bool Same(double expected, double actual)
        => BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual));

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void The_vector_norm_and_finiteness_are_the_span_ones(int width)
    {
        foreach (var g in Vectors(width))
        {
            double expected = OptimizerChecks.GradientNorm(g);
            double actual = width == 2 ? OptimizerChecks.GradientNorm128(ref g[0]) : OptimizerChecks.GradientNorm256(ref g[0]);
            Assert.True(Same(expected, actual), $"‖({string.Join(", ", g)})‖: {actual:R}, not {expected:R}");

            bool finite = OptimizerChecks.IsFinite(0, 0, (ReadOnlySpan<double>)g);
            Assert.Equal(finite, width == 2 ? OptimizerChecks.AllFinite128(ref g[0]) : OptimizerChecks.AllFinite256(ref g[0]));
        }
    }

    [Theory]
    [InlineData(2, 0.5, 0)]
    [InlineData(2, 0, 1)]
    [InlineData(2, 2, 3)]
    [InlineData(2, 0, 0)]
    [InlineData(4, 0.5, 0)]
    [InlineData(4, 0, 1)]
    [InlineData(4, 1e-300, 1e300)]
    [InlineData(4, 0, 0)]
    public void The_vector_clipping_is_the_span_one(int width, double clipValue, double clipNorm)
    {
        var clipping = new GradientClipping(clipValue, clipNorm);
        foreach (var g in Vectors(width))
        {
            double[] expected = (double[])g.Clone(), actual = (double[])g.Clone();
            clipping.Apply(expected.AsSpan());
            if (width == 2)
            {
                clipping.Apply128(ref actual[0]);
            }
            else
            {
                clipping.Apply256(ref actual[0]);
            }

            for (int k = 0; k < width; k++)
            {
                Assert.True(Same(expected[k], actual[k]), $"clip({string.Join(", ", g)})[{k}]: {actual[k]:R}, not {expected[k]:R}");
            }
        }
    }
}
