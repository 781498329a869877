using System;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// Minimize's contract (README, Optimizers): Converged, IterationLimit, Diverged and Stopped, the result's
/// Iterations/Loss/GradientNorm at the parameters held on return, and what the observer sees.
/// </summary>
public sealed class MinimizeTests
{
    private static readonly double[][] NoData = [];

    private static CompiledDriver Driver => Objectives.Driver;

    private static Objective ByName(string name) => Objectives.All.Single(o => o.Name == name);

    private static double[] Hyper(string optimizer, double learningRate) => optimizer switch
    {
        Objectives.Adam => [learningRate, double.NaN, double.NaN, double.NaN],
        Objectives.Sgd => [learningRate, double.NaN, double.NaN],
        _ => [learningRate],
    };

    private static double[][] DataFor(Objective objective) => objective.HasData ? Objectives.LinearData(30, seed: 17) : NoData;

    public static TheoryData<string, string, double[], double, double> ConvergingCases => new()
    {
        { "Quadratic", Objectives.GradientDescent, [0.0], 0.1, 1e-8 },
        { "Quadratic", Objectives.Adam, [0.0], 0.1, 1e-6 },
        { "Booth", Objectives.GradientDescent, [0.0, 0.0], 0.05, 1e-6 },
        { "Five", Objectives.GradientDescent, [0.3, -0.7, 1.1, 2.0, 4.0], 0.05, 1e-7 },
        { "Five", Objectives.Adam, [0.3, -0.7, 1.1, 2.0, 4.0], 0.05, 1e-6 },
        { "LeastSquares", Objectives.GradientDescent, [0.0, 0.0, 0.0], 0.1, 1e-6 },
        { "LeastSquares", Objectives.Adam, [0.0, 0.0, 0.0], 0.05, 1e-5 },
    };

    [Theory]
    [MemberData(nameof(ConvergingCases))]
    public void Converged_stops_at_the_first_iterate_whose_gradient_norm_is_within_tolerance(
        string name, string optimizer, double[] init, double learningRate, double tolerance)
    {
        var objective = ByName(name);
        var data = DataFor(objective);
        var (p, result, iteration) = Minimize(objective, optimizer, init, Hyper(optimizer, learningRate), 100_000, tolerance, data);

        Assert.Equal(OptimizationStatus.Converged, result.Status);
        Assert.Equal(result.Iterations, iteration);
        Assert.True(result.Iterations > 0);

        // The same run by Step: Minimize holds exactly the parameters after Iterations steps …
        var rows = Trace(objective, optimizer, init, Hyper(optimizer, learningRate), (int)result.Iterations, data);
        Compare.Bits(rows[^1][2..], p, "parameters");

        // … where the gradient norm is first within tolerance, and Loss/GradientNorm are those there.
        var atEnd = Gradient(objective, p, data);
        Compare.Close(atEnd[0], result.Loss, 1e-14, "Loss");
        Compare.Close(Reference.Norm(atEnd[1..]), result.GradientNorm, 1e-14, "GradientNorm");
        Assert.True(result.GradientNorm <= tolerance);
        var before = rows.Length >= 2 ? rows[^2][2..] : init;
        Assert.True(Reference.Norm(Gradient(objective, before, data)[1..]) > tolerance, "an earlier iterate was already within tolerance");
    }

    [Theory]
    [InlineData(Objectives.GradientDescent)]
    [InlineData(Objectives.Adam)]
    public void Starting_at_the_minimum_converges_after_zero_updates(string optimizer)
    {
        var (theta, result, iteration) = Minimize(Objectives.Quadratic, optimizer, [3.0], Hyper(optimizer, 0.1), 10, 1e-8, NoData);

        Assert.Equal(new OptimizationResult(0, 0, 0, OptimizationStatus.Converged), result);
        Assert.Equal(0, iteration);
        Assert.Equal(3.0, theta[0]);
    }

    [Fact]
    public void A_zero_tolerance_converges_only_on_an_exactly_zero_gradient()
    {
        // η = 0.5 on (θ − 3)²: θ ← θ − (θ − 3) lands on 3 exactly in one step.
        var (theta, result, _) = Minimize(Objectives.Quadratic, Objectives.GradientDescent, [0.0], [0.5], 10, 0, NoData);
        Assert.Equal(new OptimizationResult(1, 0, 0, OptimizationStatus.Converged), result);
        Assert.Equal(3.0, theta[0]);

        // η = 0.1: (θ − 3) shrinks by 0.8 per step and never reaches 0 in 20 steps.
        var (_, limited, _) = Minimize(Objectives.Quadratic, Objectives.GradientDescent, [0.0], [0.1], 20, 0, NoData);
        Assert.Equal(OptimizationStatus.IterationLimit, limited.Status);
        Assert.Equal(20, limited.Iterations);
    }

    [Theory]
    [InlineData("Rosenbrock", Objectives.GradientDescent, 0.001)]
    [InlineData("Rosenbrock", Objectives.Adam, 0.02)]
    [InlineData("Rosen8", Objectives.Adam, 0.01)]
    [InlineData("LeastSquares", Objectives.GradientDescent, 0.01)]
    [InlineData("LeastSquares", Objectives.Sgd, 0.01)]
    [InlineData("LeastSquares", Objectives.Adam, 0.01)]
    public void IterationLimit_after_maxIterations_updates_with_loss_and_norm_at_the_returned_parameters(string name, string optimizer, double learningRate)
    {
        var objective = ByName(name);
        var data = DataFor(objective);
        var init = objective.Parameters.Select((_, i) => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var (p, result, iteration) = Minimize(objective, optimizer, init, Hyper(optimizer, learningRate), 17, 1e-12, data);

        Assert.Equal(OptimizationStatus.IterationLimit, result.Status);
        Assert.Equal(17, result.Iterations);
        Assert.Equal(17, iteration);
        var rows = Trace(objective, optimizer, init, Hyper(optimizer, learningRate), 17, data);
        Compare.Bits(rows[^1][2..], p, "parameters");
        var atEnd = Gradient(objective, p, data);
        Compare.Close(atEnd[0], result.Loss, 1e-14, "Loss (full batch)");
        Compare.Close(Reference.Norm(atEnd[1..]), result.GradientNorm, 1e-14, "GradientNorm (full batch)");
    }

    public static TheoryData<string, double, double> DivergingCases => new()
    {
        { "Quartic", 2.0, 1.0 },        // x ← x − 4x³: 2, −30, 107970, … until x⁴ overflows
        { "Quartic", 1.5, 0.5 },     // 1.5, −5.25, 284.1, …
        { "ExpSquare", 0.8, 2.0 },      // exp(x²) overflows on the second iterate
        { "ExpSquare", 1.5, 1.0 },      // … on the first
    };

    [Theory]
    [MemberData(nameof(DivergingCases))]
    public void Diverged_keeps_the_last_finite_iterate_and_its_finite_loss_and_norm(string name, double x0, double learningRate)
    {
        var objective = ByName(name);

        // Reference: step while the loss and gradient at the next iterate stay finite.
        var g = new double[1];
        var x = x0;
        long finiteSteps = 0;
        while (true)
        {
            objective.Gradient([x], NoData, 0, g);
            var next = x - (learningRate * g[0]);
            var nextLoss = objective.Gradient([next], NoData, 0, g);
            if (!double.IsFinite(next) || !double.IsFinite(nextLoss) || !double.IsFinite(g[0]))
            {
                break;
            }

            x = next;
            finiteSteps++;
            Assert.True(finiteSteps < 1000, "the reference does not diverge");
        }

        var (p, result, iteration) = Observe(objective, Objectives.GradientDescent, [x0], [learningRate], 1000, 1e-8, 0, NoData);

        Assert.Equal(OptimizationStatus.Diverged, result.Status);
        Assert.Equal(finiteSteps, result.Iterations);
        Assert.Equal(finiteSteps, iteration);
        Assert.True(double.IsFinite(p[0]));
        Compare.Close(x, p[0], 1e-12, "parameters of the last finite step");
        Assert.True(double.IsFinite(result.Loss) && double.IsFinite(result.GradientNorm), $"{result}");
        var atEnd = Gradient(objective, p, NoData);
        Compare.Close(atEnd[0], result.Loss, 1e-14, "Loss");
        Compare.Close(Math.Abs(atEnd[1]), result.GradientNorm, 1e-14, "GradientNorm");
    }

    [Fact]
    public void A_large_but_finite_gradient_has_a_finite_norm_and_is_not_Diverged()
    {
        // ∇ = (1e200, −2e200): finite, with 2-norm √5·1e200 (a naive Σg² overflows to ∞).
        var (p, result, _) = Minimize(Objectives.Steep, Objectives.GradientDescent, [0.0, 0.0], [1e-300], 3, 1e-8, NoData);

        Assert.Equal(OptimizationStatus.IterationLimit, result.Status);
        Assert.Equal(3, result.Iterations);
        Compare.Close(Math.Sqrt(5) * 1e200, result.GradientNorm, 1e-15, "GradientNorm");
        Compare.Close([3e-100, -6e-100], p, 1e-15, "parameters");
    }

    [Fact]
    public void Adam_with_an_enormous_learning_rate_diverges_and_keeps_the_start()
    {
        // The first Adam step moves θ by ≈ η = 1e200, and (θ − 3)² overflows.
        var (theta, result, iteration) = Minimize(Objectives.Quadratic, Objectives.Adam, [0.0], [1e200, double.NaN, double.NaN, double.NaN], 100, 1e-8, NoData);

        Assert.Equal(new OptimizationResult(0, 9, 6, OptimizationStatus.Diverged), result);
        Assert.Equal(0.0, theta[0]);
        Assert.Equal(0, iteration);
    }

    [Fact]
    public void A_start_with_an_infinite_loss_is_Diverged_after_zero_updates()
    {
        var (x, result, iteration) = Minimize(Objectives.ExpSquare, Objectives.GradientDescent, [30.0], [0.01], 100, 1e-8, NoData);

        Assert.Equal(OptimizationStatus.Diverged, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(0, iteration);
        Assert.Equal(30.0, x[0]);
    }

    [Theory]
    [InlineData(Objectives.GradientDescent, 5.0)]
    [InlineData(Objectives.Sgd, 5.0)]
    [InlineData(Objectives.Sgd, 50.0)]
    public void Diverged_on_data_keeps_finite_parameters_with_their_full_batch_loss_and_norm(string optimizer, double learningRate)
    {
        var objective = Objectives.LeastSquares;
        var data = DataFor(objective);
        var (p, result, iteration) = Minimize(objective, optimizer, [0.0, 0.0, 0.0], Hyper(optimizer, learningRate), 100_000, 1e-8, data);

        Assert.Equal(OptimizationStatus.Diverged, result.Status);
        Assert.Equal(result.Iterations, iteration);
        Assert.All(p, v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(result.Loss) && double.IsFinite(result.GradientNorm), $"{result}");

        var rows = Trace(objective, optimizer, [0.0, 0.0, 0.0], Hyper(optimizer, learningRate), (int)result.Iterations + 1, data);
        var kept = result.Iterations == 0 ? [0.0, 0.0, 0.0] : rows[(int)result.Iterations - 1][2..];
        Compare.Bits(kept, p, "parameters after Iterations steps");
        var atEnd = Gradient(objective, p, data);
        Compare.Close(atEnd[0], result.Loss, 1e-14, "Loss (full batch)");
        Compare.Close(Reference.Norm(atEnd[1..]), result.GradientNorm, 1e-14, "GradientNorm (full batch)");
    }

    [Theory]
    [InlineData("Rosenbrock", Objectives.GradientDescent, 0.001, 1)]
    [InlineData("Rosenbrock", Objectives.GradientDescent, 0.001, 7)]
    [InlineData("Five", Objectives.Adam, 0.05, 7)]
    [InlineData("Rosen8", Objectives.Adam, 0.01, 12)]
    [InlineData("LeastSquares", Objectives.GradientDescent, 0.1, 7)]
    [InlineData("LeastSquares", Objectives.Sgd, 0.05, 7)]   // mid-epoch: 30 samples, batches of 4
    [InlineData("LeastSquares", Objectives.Sgd, 0.05, 16)]  // at an epoch's end
    [InlineData("LeastSquares", Objectives.Adam, 0.05, 3)]
    public void An_observer_returning_false_stops_after_exactly_that_many_updates(string name, string optimizer, double learningRate, int k)
    {
        var objective = ByName(name);
        var data = DataFor(objective);
        var init = objective.Parameters.Select((_, i) => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var (p, result, iteration, calls, _) = Driver.Call<(double[], OptimizationResult, long, int, double[])>(
            $"Observe_{name}{optimizer}", init, Hyper(optimizer, learningRate), 1000, 1e-12, (long)k, data);

        Assert.Equal(OptimizationStatus.Stopped, result.Status);
        Assert.Equal(k, result.Iterations);
        Assert.Equal(k, iteration);
        Assert.Equal(k, calls);
        var rows = Trace(objective, optimizer, init, Hyper(optimizer, learningRate), k, data);
        Compare.Bits(rows[^1][2..], p, "parameters after k updates");
        var atEnd = Gradient(objective, p, data);
        Compare.Close(atEnd[0], result.Loss, 1e-14, "Loss (full batch)");
        Compare.Close(Reference.Norm(atEnd[1..]), result.GradientNorm, 1e-14, "GradientNorm (full batch)");
    }

    [Theory]
    [InlineData("Rosenbrock", Objectives.GradientDescent, 0.001, 40)]
    [InlineData("Booth", Objectives.Adam, 0.1, 40)]
    [InlineData("Seven", Objectives.GradientDescent, 0.03, 40)]
    [InlineData("LeastSquares", Objectives.GradientDescent, 0.1, 40)]
    [InlineData("LeastSquares", Objectives.Adam, 0.05, 40)]
    public void The_observer_sees_iterations_from_1_and_the_loss_and_norm_Step_saw(string name, string optimizer, double learningRate, int n)
    {
        var objective = ByName(name);
        var data = DataFor(objective);
        var init = objective.Parameters.Select((_, i) => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var hyper = Hyper(optimizer, learningRate);
        var (_, result, _, calls, log) = Driver.Call<(double[], OptimizationResult, long, int, double[])>(
            $"Observe_{name}{optimizer}", init, hyper, n, 0.0, 0L, data);

        Assert.Equal(OptimizationStatus.IterationLimit, result.Status);
        Assert.Equal(n, calls);
        var rows = Trace(objective, optimizer, init, hyper, n, data);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i + 1, log[3 * i]);
            Assert.True(
                BitConverter.DoubleToInt64Bits(rows[i][0]) == BitConverter.DoubleToInt64Bits(log[(3 * i) + 1]),
                $"update {i + 1}: the observer saw loss {log[(3 * i) + 1]:R}, Step returned {rows[i][0]:R}");
            var before = i == 0 ? init : rows[i - 1][2..];
            Compare.Close(Reference.Norm(Gradient(objective, before, data)[1..]), log[(3 * i) + 2], 1e-14, $"update {i + 1}'s gradient norm");
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void With_Sgd_the_observer_sees_each_minibatchs_loss_and_gradient_norm(int batchSize)
    {
        var objective = Objectives.LeastSquares;
        var data = DataFor(objective);
        double[] init = [0.3, -0.2, 0.1];
        double[] hyper = [0.05, batchSize, 5];
        const int n = 25;
        var (_, _, _, calls, log) = Driver.Call<(double[], OptimizationResult, long, int, double[])>(
            "Observe_LeastSquaresSgd", init, hyper, n, 0.0, 0L, data);
        var rows = Trace(objective, Objectives.Sgd, init, hyper, n, data);

        Assert.Equal(n, calls);
        var theta = init;
        long epoch = 0;
        var position = 0;
        var g = new double[3];
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i + 1, log[3 * i]);
            Assert.Equal(rows[i][0], log[(3 * i) + 1]);

            // The minibatch gradient at the parameters before the update, from the hand-derived gradient.
            var order = new EpochOrder(30, 5, epoch);
            var batch = Math.Min(batchSize, 30 - position);
            var sum = new double[3];
            for (var k = 0; k < batch; k++)
            {
                objective.Gradient(theta, data, order[position + k], g);
                for (var j = 0; j < 3; j++)
                {
                    sum[j] += g[j] / batch;
                }
            }

            Compare.Close(Reference.Norm(sum), log[(3 * i) + 2], 1e-12, $"update {i + 1}'s minibatch gradient norm");
            position += batch;
            if (position == 30)
            {
                (epoch, position) = (epoch + 1, 0);
            }

            theta = rows[i][2..];
        }
    }

    internal static (double[] Parameters, OptimizationResult Result, long Iteration) Minimize(
        Objective objective, string optimizer, double[] init, double[] hyper, int maxIterations, double tolerance, double[][] data) =>
        Driver.Call<(double[], OptimizationResult, long)>($"Minimize_{objective.Name}{optimizer}", init, hyper, maxIterations, tolerance, data);

    private static (double[] Parameters, OptimizationResult Result, long Iteration) Observe(
        Objective objective, string optimizer, double[] init, double[] hyper, int maxIterations, double tolerance, long stopAt, double[][] data)
    {
        var (p, result, iteration, calls, _) = Driver.Call<(double[], OptimizationResult, long, int, double[])>(
            $"Observe_{objective.Name}{optimizer}", init, hyper, maxIterations, tolerance, stopAt, data);
        Assert.Equal(result.Iterations, calls);
        return (p, result, iteration);
    }

    private static double[][] Trace(Objective objective, string optimizer, double[] init, double[] hyper, int steps, double[][] data) =>
        Compare.Rows(Driver.Call<double[]>($"Trace_{objective.Name}{optimizer}", init, hyper, steps, data), objective.Parameters.Length + 2);

    private static double[] Gradient(Objective objective, double[] theta, double[][] data) =>
        Driver.Call<double[]>($"Gradient_{objective.Name}", theta, data);
}
