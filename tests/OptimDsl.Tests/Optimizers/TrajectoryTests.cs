using System;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The generated optimizers follow the update rules of README, Optimizers step by step: parameters after each
/// of the first steps, Step's return value (the loss before the update) and Iteration, against
/// reference implementations on hand-derived gradients.
/// </summary>
public sealed class TrajectoryTests
{
    private const int Steps = 50;

    // The reference computes β^t with Math.Pow and the gradient from a hand-derived formula; the
    // generated code uses running products and its own simplified derivative, so only rounding differs.
    private const double Tolerance = 1e-11;

    private static readonly double[] Nan4 = [double.NaN, double.NaN, double.NaN, double.NaN];

    private static CompiledDriver Driver => Objectives.Driver;

    private static Objective ByName(string name) => Objectives.All.Single(o => o.Name == name);

    public static TheoryData<string, double[], double> GradientDescentCases => new()
    {
        { "Quadratic", [0.0], 0.1 },
        { "Quadratic", [10.0], 0.45 },
        { "Rosenbrock", [-1.2, 1.0], 0.001 },
        { "Booth", [0.0, 0.0], 0.05 },
        { "Five", [0.3, -0.7, 1.1, 2.0, 4.0], 0.05 },
        { "Seven", [1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5], 0.03 },
        { "Rosen8", [-1.2, 1.0, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3], 0.0005 },
    };

    [Theory]
    [MemberData(nameof(GradientDescentCases))]
    public void Gradient_descent_follows_theta_minus_eta_g(string name, double[] init, double learningRate)
    {
        var objective = ByName(name);
        var expected = Reference.GradientDescent(objective, init, learningRate, Steps, []);
        var actual = Trace(objective, Objectives.GradientDescent, init, [learningRate], []);

        AssertTrajectory(expected, actual, $"{name} GD");
    }

    public static TheoryData<string, double[], double> AdamCases => new()
    {
        { "Quadratic", [0.0], 0.1 },
        { "Rosenbrock", [-1.2, 1.0], 0.02 },
        { "Booth", [0.0, 0.0], 0.1 },
        { "Five", [0.3, -0.7, 1.1, 2.0, 4.0], 0.05 },
        { "Seven", [1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5], 0.05 },
        { "Rosen8", [-1.2, 1.0, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3], 0.01 },
    };

    [Theory]
    [MemberData(nameof(AdamCases))]
    public void Adam_with_default_betas_follows_Kingma_and_Ba_algorithm_1(string name, double[] init, double learningRate)
    {
        var objective = ByName(name);
        var expected = Reference.Adam(objective, init, learningRate, 0.9, 0.999, 1e-8, Steps, []);
        var actual = Trace(objective, Objectives.Adam, init, [learningRate, 0.9, 0.999, 1e-8], []);

        AssertTrajectory(expected, actual, $"{name} Adam");
    }

    [Theory]
    [InlineData("Quadratic", 0.3, 0.5, 0.9, 1e-3)]
    [InlineData("Rosenbrock", 0.01, 0.8, 0.99, 1e-6)]
    [InlineData("Five", 0.05, 0.0, 0.5, 0.1)]
    [InlineData("Seven", 0.02, 0.95, 0.9999, 1e-8)]
    [InlineData("Rosen8", 0.005, 0.7, 0.95, 1e-4)]
    public void Adam_with_betas_and_epsilon_set_at_run_time_follows_algorithm_1(string name, double learningRate, double beta1, double beta2, double epsilon)
    {
        var objective = ByName(name);
        var init = objective.Parameters.Select((_, i) => (0.5 * i) - 1.0).ToArray();
        var expected = Reference.Adam(objective, init, learningRate, beta1, beta2, epsilon, Steps, []);
        var actual = Trace(objective, Objectives.Adam, init, [learningRate, beta1, beta2, epsilon], []);

        AssertTrajectory(expected, actual, $"{name} Adam β1={beta1} β2={beta2} ε={epsilon}");
    }

    [Fact]
    public void Adam_uses_the_attributes_hyperparameters_by_default()
    {
        // Seven: [Adam(LearningRate = 0.05, Beta1 = 0.5, Beta2 = 0.9, Epsilon = 1e-4)]
        var seven = Objectives.Seven;
        var init = new double[] { 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5 };
        Assert.Equal([0.05, 0.5, 0.9, 1e-4], Driver.Call<double[]>("Hyper_SevenAdam", init));
        var expected = Reference.Adam(seven, init, 0.05, 0.5, 0.9, 1e-4, Steps, []);
        AssertTrajectory(expected, Trace(seven, Objectives.Adam, init, Nan4, []), "Seven Adam (attribute hyperparameters)");

        // Rosen8: [Adam(LearningRate = 0.01)], betas and epsilon from AdamAttribute's defaults.
        Assert.Equal([0.01, 0.9, 0.999, 1e-8], Driver.Call<double[]>("Hyper_Rosen8Adam", new double[8]));
        Assert.Equal([0.001], Driver.Call<double[]>("Hyper_Rosen8GradientDescent", new double[8]));
        Assert.Equal([0.05, 4.0, 3.0], Driver.Call<double[]>("Hyper_LeastSquaresSgd", new double[3]));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.01)]
    public void Gradient_descent_on_data_uses_the_full_batch_mean_gradient(double learningRate)
    {
        var data = Objectives.LinearData(37, seed: 5);
        var expected = Reference.GradientDescent(Objectives.LeastSquares, [0.5, -0.5, 0.0], learningRate, Steps, data);
        var actual = Trace(Objectives.LeastSquares, Objectives.GradientDescent, [0.5, -0.5, 0.0], [learningRate], data);

        AssertTrajectory(expected, actual, "LeastSquares GD");
    }

    [Theory]
    [InlineData(0.05, 0.9, 0.999, 1e-8)]
    [InlineData(0.2, 0.6, 0.95, 1e-3)]
    public void Adam_on_data_uses_the_full_batch_mean_gradient(double learningRate, double beta1, double beta2, double epsilon)
    {
        var data = Objectives.LinearData(41, seed: 6);
        var expected = Reference.Adam(Objectives.LeastSquares, [0.5, -0.5, 0.0], learningRate, beta1, beta2, epsilon, Steps, data);
        var actual = Trace(Objectives.LeastSquares, Objectives.Adam, [0.5, -0.5, 0.0], [learningRate, beta1, beta2, epsilon], data);

        AssertTrajectory(expected, actual, "LeastSquares Adam");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 3)]      // 23 = 5·4 + 3: the last batch of each epoch holds 3 samples
    [InlineData(5, 7)]      // 23 = 4·5 + 3
    [InlineData(7, -12)]    // 23 = 3·7 + 2
    [InlineData(23, 1)]     // one batch per epoch: the full batch in shuffled order
    [InlineData(30, 2)]     // a batch larger than the data set holds the whole data set
    public void Sgd_follows_minibatch_gradient_descent_in_epoch_order(int batchSize, int seed)
    {
        var data = Objectives.LinearData(23, seed: 8);
        var expected = Reference.Sgd(Objectives.LeastSquares, [0.5, -0.5, 0.0], 0.05, batchSize, seed, Steps, data);
        var actual = Trace(Objectives.LeastSquares, Objectives.Sgd, [0.5, -0.5, 0.0], [0.05, batchSize, seed], data);

        AssertTrajectory(expected, actual, $"LeastSquares SGD batch {batchSize} seed {seed}");
    }

    [Fact]
    public void Sgd_with_the_attributes_hyperparameters_follows_the_reference()
    {
        var data = Objectives.LinearData(23, seed: 9);
        var expected = Reference.Sgd(Objectives.LeastSquares, [0.0, 0.0, 0.0], 0.05, 4, 3, Steps, data);
        var actual = Trace(Objectives.LeastSquares, Objectives.Sgd, [0.0, 0.0, 0.0], [double.NaN, double.NaN, double.NaN], data);

        AssertTrajectory(expected, actual, "LeastSquares SGD (attribute hyperparameters)");
    }

    private static double[][] Trace(Objective objective, string optimizer, double[] init, double[] hyper, double[][] data)
    {
        var flat = Driver.Call<double[]>($"Trace_{objective.Name}{optimizer}", init, hyper, Steps, data);
        return Compare.Rows(flat, objective.Parameters.Length + 2);
    }

    private static void AssertTrajectory(double[][] expected, double[][] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var s = 0; s < expected.Length; s++)
        {
            Assert.True(actual[s][1] == s + 1, $"{context}: Iteration after step {s + 1} is {actual[s][1]}");
            Compare.Close(expected[s][0], actual[s][0], Tolerance, $"{context}: Step {s + 1}'s returned loss");
            Compare.Close(expected[s][2..], actual[s][2..], Tolerance, $"{context}: parameters after step {s + 1}");
        }

        // The trajectory moved: a test comparing two stuck optimizers proves nothing.
        Assert.NotEqual(expected[0][2..], expected[^1][2..]);
    }
}
