using System;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>
/// A least-squares objective written by hand, f(θ) = (1/N) Σ_k c_k r_k(θ)² over <see cref="ResidualCount"/> residuals of
/// <see cref="SampleCount"/> samples. Must not allocate.
/// </summary>
internal interface IResidualProblem
{
    int ParameterCount { get; }

    int ResidualCount { get; }

    /// <summary>N, the divisor of the loss (1 without data).</summary>
    int SampleCount { get; }

    /// <summary>r_k(θ), its Jacobian row written into <paramref name="row"/>, and its weight c_k.</summary>
    double Residual(int k, ReadOnlySpan<double> theta, Span<double> row, out double weight);
}

/// <summary>y = a + b·x + c·x² fitted to 50 points x in [−1, 1]: residual a + b x + c x² − y, row (1, x, x²).</summary>
internal sealed class QuadraticFit : IResidualProblem
{
    public QuadraticFit()
    {
        X = new double[50];
        Y = new double[50];
        for (int k = 0; k < 50; k++)
        {
            double x = -1 + 2.0 * k / 49;
            X[k] = x;
            Y[k] = 1.5 - 2 * x + 0.75 * x * x + 0.01 * Math.Sin(7.0 * k + 1);
        }
    }

    public double[] X { get; }

    public double[] Y { get; }

    public int ParameterCount => 3;

    public int ResidualCount => 50;

    public int SampleCount => 50;

    public double Residual(int k, ReadOnlySpan<double> theta, Span<double> row, out double weight)
    {
        double x = X[k];
        row[0] = 1;
        row[1] = x;
        row[2] = x * x;
        weight = 1;
        return theta[0] + theta[1] * x + theta[2] * x * x - Y[k];
    }
}

/// <summary>
/// y = A·exp(−k·t) + C fitted to 200 points t in [0, 5] (data from A = 2.5, k = 1.3, C = 0.5 plus 0.01·sin(3.7 i + 0.3));
/// θ = (A, k, C), residual A e^(−kt) + C − y, row (e^(−kt), −A t e^(−kt), 1).
/// </summary>
internal sealed class ExponentialDecay : IResidualProblem
{
    public ExponentialDecay()
    {
        T = new double[200];
        Y = new double[200];
        for (int i = 0; i < 200; i++)
        {
            double t = 5.0 * i / 199;
            T[i] = t;
            Y[i] = 2.5 * Math.Exp(-1.3 * t) + 0.5 + 0.01 * Math.Sin(3.7 * i + 0.3);
        }
    }

    public double[] T { get; }

    public double[] Y { get; }

    public int ParameterCount => 3;

    public int ResidualCount => 200;

    public int SampleCount => 200;

    public double Residual(int k, ReadOnlySpan<double> theta, Span<double> row, out double weight)
    {
        double t = T[k];
        double e = Math.Exp(-theta[1] * t);
        row[0] = e;
        row[1] = -theta[0] * t * e;
        row[2] = 1;
        weight = 1;
        return theta[0] * e + theta[2] - Y[k];
    }
}

/// <summary>One residual r(θ) = atan(θ), row 1/(1 + θ²): far from 0 the Gauss–Newton step overshoots.</summary>
internal sealed class Arctangent : IResidualProblem
{
    public int ParameterCount => 1;

    public int ResidualCount => 1;

    public int SampleCount => 1;

    public double Residual(int k, ReadOnlySpan<double> theta, Span<double> row, out double weight)
    {
        row[0] = 1 / (1 + theta[0] * theta[0]);
        weight = 1;
        return Math.Atan(theta[0]);
    }
}

/// <summary>One residual r(θ) = θ², row 2θ: a zero-residual problem whose Gauss–Newton step halves θ, every step accepted.</summary>
internal sealed class Square : IResidualProblem
{
    public int ParameterCount => 1;

    public int ResidualCount => 1;

    public int SampleCount => 1;

    public double Residual(int k, ReadOnlySpan<double> theta, Span<double> row, out double weight)
    {
        row[0] = 2 * theta[0];
        weight = 1;
        return theta[0] * theta[0];
    }
}
