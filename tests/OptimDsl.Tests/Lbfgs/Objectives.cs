using System;

namespace OptimDsl.Tests.Lbfgs;

/// <summary>An objective the tests evaluate by hand: the loss at x, its gradient written into g. Must not allocate.</summary>
internal interface ITestObjective
{
    double Evaluate(ReadOnlySpan<double> x, Span<double> g);
}

/// <summary>Rosenbrock: f = (1 − x)² + 100 (y − x²)², minimiser (1, 1).</summary>
internal sealed class Rosenbrock : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    }
}

/// <summary>Extended Rosenbrock (Moré, Garbow and Hillstrom 1981): Rosenbrock on each pair (x₂ᵢ, x₂ᵢ₊₁); minimiser all ones.</summary>
internal sealed class ExtendedRosenbrock : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        double f = 0;
        for (int i = 0; i < x.Length; i += 2)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            g[i] = -2 * a - 400 * x[i] * b;
            g[i + 1] = 200 * b;
            f += a * a + 100 * b * b;
        }

        return f;
    }
}

/// <summary>Beale: f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimiser (3, 0.5).</summary>
internal sealed class Beale : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> v, Span<double> g)
    {
        double x = v[0];
        double y = v[1];
        double t1 = 1.5 - x + x * y;
        double t2 = 2.25 - x + x * y * y;
        double t3 = 2.625 - x + x * y * y * y;
        g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1);
        g[1] = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y * y);
        return t1 * t1 + t2 * t2 + t3 * t3;
    }
}

/// <summary>
/// f = ½ (x − x*)ᵀA(x − x*) with A = diag(1, 2, …, n) + c·11ᵀ (symmetric positive definite for c ≥ 0, eigenvalues in
/// [1, n + c·n]) and a minimiser x* chosen by the test; written around x* so that f* = 0 and the loss keeps its relative
/// precision near the minimiser.
/// </summary>
internal sealed class Quadratic(double[] minimiser, double coupling) : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] - minimiser[i];
        }

        double f = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = x[i] - minimiser[i];
            g[i] = (i + 1) * e + coupling * sum;
            f += 0.5 * e * g[i];
        }

        return f;
    }
}

/// <summary>f = cᵀx + k: unbounded below, constant gradient c (so every pair has y = 0).</summary>
internal sealed class Linear(double[] c) : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        double f = 3;
        for (int i = 0; i < x.Length; i++)
        {
            f += c[i] * x[i];
            g[i] = c[i];
        }

        return f;
    }
}

/// <summary>One-dimensional f = ½ κ x² + b x (b = 1 unless given): a step s has y = κ s, so sᵀy = κ s².</summary>
internal sealed class FlatParabola(double curvature, double linear = 1) : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        g[0] = curvature * x[0] + linear;
        return 0.5 * curvature * x[0] * x[0] + linear * x[0];
    }
}

/// <summary>Finite only at the origin (loss 1, gradient (1, …)): every other point is NaN.</summary>
internal sealed class FiniteOnlyAtOrigin : ITestObjective
{
    public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
    {
        bool origin = true;
        for (int i = 0; i < x.Length; i++)
        {
            origin &= x[i] == 0;
        }

        for (int i = 0; i < x.Length; i++)
        {
            g[i] = origin ? 1 : double.NaN;
        }

        return origin ? 1 : double.NaN;
    }
}
