using System;
using OptimDsl.Rules;
using Xunit;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>README, Optimizers: the normal equations a generated <c>MLevenbergMarquardt</c> accumulates per residual.</summary>
public sealed class NormalEquationsTests
{
    public static TheoryData<int> Sizes => [1, 2, 3, 5, 7, 16];

    /// <summary>A Jacobian row, residual and weight of residual k, from fixed formulas.</summary>
    private static (double[] Row, double Residual, double Weight) Sample(int k, int n)
    {
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            row[i] = Math.Sin(1.3 * k + 0.7 * i + 0.1) * (1 + i % 3);
        }

        return (row, Math.Cos(0.9 * k + 0.2), 0.5 + k % 4);
    }

    /// <summary>
    /// Every width gives exactly the scalar formula: h[i·n + j] += (w·row[i])·row[j] for j ≤ i, g[i] += (w·r)·row[i], in
    /// residual order; the upper triangle is left alone by AddResidual; then Finish scales by s and mirrors.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void Agrees_exactly_with_the_scalar_formula(int n)
    {
        var h = new double[n * n];
        var g = new double[n];
        var expectedH = new double[n * n];
        var expectedG = new double[n];
        const double sentinel = 12345.5;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                h[i * n + j] = sentinel;
            }
        }

        for (int k = 0; k < 9; k++)
        {
            var (row, r, w) = Sample(k, n);
            NormalEquations.AddResidual(h, g, row, r, w);
            for (int i = 0; i < n; i++)
            {
                double wi = w * row[i];
                for (int j = 0; j <= i; j++)
                {
                    expectedH[i * n + j] += wi * row[j];
                }

                expectedG[i] += w * r * row[i];
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(j <= i ? expectedH[i * n + j] : sentinel, h[i * n + j]);
            }

            Assert.Equal(expectedG[i], g[i]);
        }

        const double scale = 2.0 / 9;
        NormalEquations.Finish(h, g, scale);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                Assert.Equal(expectedH[i * n + j] * scale, h[i * n + j]);
                Assert.Equal(expectedH[i * n + j] * scale, h[j * n + i]);
            }

            Assert.Equal(expectedG[i] * scale, g[i]);
        }
    }

    /// <summary>H = s Σ_k w_k a_k a_kᵀ and g = s Σ_k w_k r_k a_k, by a naive triple loop in another order, to rounding.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void Matches_a_naive_triple_loop(int n)
    {
        const int count = 13;
        var h = new double[n * n];
        var g = new double[n];
        for (int k = 0; k < count; k++)
        {
            var (row, r, w) = Sample(k, n);
            NormalEquations.AddResidual(h, g, row, r, w);
        }

        NormalEquations.Finish(h, g, 0.5);
        for (int i = 0; i < n; i++)
        {
            double gi = 0;
            for (int k = 0; k < count; k++)
            {
                var (row, r, w) = Sample(k, n);
                gi += row[i] * r * w;
            }

            Assert.Equal(0.5 * gi, g[i], 1e-12);
            for (int j = 0; j < n; j++)
            {
                double hij = 0;
                for (int k = 0; k < count; k++)
                {
                    var (row, _, w) = Sample(k, n);
                    hij += row[i] * row[j] * w;
                }

                Assert.Equal(0.5 * hij, h[i * n + j], 1e-12);
            }
        }
    }

    [Fact]
    public void Mismatched_spans_throw_naming_them()
    {
        double[] three = new double[3];
        double[] nine = new double[9];
        double[] eight = new double[8];
        double[] two = new double[2];
        Assert.Equal("hessian", Assert.Throws<ArgumentException>(() => NormalEquations.AddResidual(eight, three, three, 1, 1)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => NormalEquations.AddResidual(nine, two, three, 1, 1)).ParamName);
        Assert.Equal("hessian", Assert.Throws<ArgumentException>(() => NormalEquations.Finish(eight, three, 1)).ParamName);
    }
}
