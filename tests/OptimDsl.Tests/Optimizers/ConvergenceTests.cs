using System;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>The generated optimizers reach known minima (textbook problems and least squares).</summary>
public sealed class ConvergenceTests
{
    private static CompiledDriver Driver => Objectives.Driver;

    [Theory]
    [InlineData(Objectives.GradientDescent, 0.1, 1_000)]
    [InlineData(Objectives.Adam, 0.1, 10_000)]
    public void Tutorial_quadratic_converges_to_theta_3(string optimizer, double learningRate, int maxIterations)
    {
        double[] hyper = optimizer == Objectives.Adam ? [learningRate, double.NaN, double.NaN, double.NaN] : [learningRate];
        var (theta, result, iteration) = Minimize("Quadratic", optimizer, [0.0], hyper, maxIterations, 1e-8);

        Assert.Equal(OptimizationStatus.Converged, result.Status);
        Assert.Equal(3.0, theta[0], 1e-8);
        Assert.InRange(result.Iterations, 1, maxIterations - 1);
        Assert.Equal(result.Iterations, iteration);
        Assert.InRange(result.GradientNorm, 0, 1e-8);
    }

    [Theory]
    [InlineData(Objectives.GradientDescent, 0.05)]
    [InlineData(Objectives.Adam, 0.1)]
    public void Booth_converges_to_1_3(string optimizer, double learningRate)
    {
        double[] hyper = optimizer == Objectives.Adam ? [learningRate, double.NaN, double.NaN, double.NaN] : [learningRate];
        var (p, result, _) = Minimize("Booth", optimizer, [0.0, 0.0], hyper, 100_000, 1e-9);

        Assert.Equal(OptimizationStatus.Converged, result.Status);
        Assert.Equal(1.0, p[0], 1e-8);
        Assert.Equal(3.0, p[1], 1e-8);
        Assert.InRange(result.Loss, 0, 1e-16);
    }

    [Fact]
    public void Rosenbrock_with_Adam_reaches_1_1()
    {
        var (p, result, _) = Minimize("Rosenbrock", Objectives.Adam, [-1.2, 1.0], [0.02, double.NaN, double.NaN, double.NaN], 20_000, 1e-10);

        Assert.Equal(OptimizationStatus.Converged, result.Status);
        Assert.Equal(1.0, p[0], 1e-6);
        Assert.Equal(1.0, p[1], 1e-6);
        Assert.InRange(result.GradientNorm, 0, 1e-10);
    }

    [Fact]
    public void Extended_Rosenbrock_with_Adam_gets_close_to_all_ones()
    {
        // Adam with a constant learning rate keeps jittering in the long curved valleys: no exact
        // convergence, but the iterate comes close to the minimum.
        var (p, result, _) = Minimize("Rosen8", Objectives.Adam, [-1.2, 1.0, -1.2, 1.0, 0.5, 0.5, 2.0, 2.0], [0.005, double.NaN, double.NaN, double.NaN], 100_000, 0);

        Assert.Equal(OptimizationStatus.IterationLimit, result.Status);
        Assert.All(p, x => Assert.Equal(1.0, x, 1e-4));
        Assert.InRange(result.Loss, 0, 1e-8);
    }

    [Theory]
    [InlineData(Objectives.GradientDescent, 0.1, 1e-10, 1e-8)]
    [InlineData(Objectives.Adam, 0.01, 1e-9, 1e-7)]
    public void Least_squares_reaches_the_normal_equation_solution(string optimizer, double learningRate, double tolerance, double accuracy)
    {
        var data = Objectives.LinearData(200, seed: 42);
        var exact = Objectives.NormalEquations(data);
        double[] hyper = optimizer == Objectives.Adam ? [learningRate, double.NaN, double.NaN, double.NaN] : [learningRate];

        var (p, result, _) = Minimize("LeastSquares", optimizer, [0.0, 0.0, 0.0], hyper, 200_000, tolerance, data);

        Assert.Equal(OptimizationStatus.Converged, result.Status);
        Compare.Close(exact, p, accuracy, $"{optimizer} least squares");
        Assert.InRange(result.GradientNorm, 0, tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(13)]
    public void Least_squares_with_Sgd_comes_close_to_the_normal_equation_solution(int batchSize)
    {
        var data = Objectives.LinearData(200, seed: 42, noise: 0.05);
        var exact = Objectives.NormalEquations(data);

        // A constant learning rate leaves SGD jittering around the minimum: a looser tolerance.
        var (p, result, _) = Minimize("LeastSquares", Objectives.Sgd, [0.0, 0.0, 0.0], [0.01, batchSize, 11], 20_000, 0, data);

        Assert.Equal(OptimizationStatus.IterationLimit, result.Status);
        Assert.Equal(20_000, result.Iterations);
        Compare.Close(exact, p, 2e-2, $"SGD batch {batchSize}");
        Assert.InRange(result.GradientNorm, 0, 5e-2);
    }

    private static (double[] Parameters, OptimizationResult Result, long Iteration) Minimize(
        string name, string optimizer, double[] init, double[] hyper, int maxIterations, double tolerance, double[][]? data = null) =>
        Driver.Call<(double[], OptimizationResult, long)>($"Minimize_{name}{optimizer}", init, hyper, maxIterations, tolerance, data ?? []);
}
