using System;
using Xunit;

namespace OptimDsl.Tests.Watching;

/// <summary>
/// README, Watching a run: <c>Minimize</c> calls <see cref="IParameterObserver"/>'s four-argument <c>OnStep</c>
/// with the parameters after each update, for structs and classes, on the shared loop and the generated
/// data loops; a struct observer keeps what it writes. Expected values are derived by hand in each test.
/// </summary>
public sealed class ParameterObserverTests
{
    [Fact]
    public void A_struct_observer_sees_the_parameters_after_each_update_and_keeps_its_fields()
    {
        // Quadratic (θ − 3)², η = 0.1, θ_0 = 0: θ_t = 3 − 3·0.8^t, so θ = 0.6, 1.08, 1.464. Update 3 sees
        // the loss (θ_2 − 3)² = 1.92² = 3.6864 and the norm |2(θ_2 − 3)| = 3.84.
        var (calls, threeArgumentCalls, lastIteration, lastLoss, lastNorm, theta, seen, iterations, status) =
            WatchingDriver.Driver.Call<(long, long, long, double, double, double, double[], long, string)>("TrackQuadratic", 3, 0L);

        Assert.Equal(3, calls);
        Assert.Equal(0, threeArgumentCalls);
        Assert.Equal(3, lastIteration);
        Assert.Equal(3.6864, lastLoss, 12);
        Assert.Equal(3.84, lastNorm, 12);
        Assert.Equal(1.464, theta, 12);
        Assert.Equal([0.6, 1.08, 1.464], seen, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(3, iterations);
        Assert.Equal(nameof(OptimizationStatus.IterationLimit), status);
    }

    [Fact]
    public void Returning_false_from_the_four_argument_OnStep_stops_the_run()
    {
        // Stopped at the 4th call: θ_4 = 3 − 3·0.8⁴ = 1.7712.
        var (calls, _, _, _, _, theta, _, iterations, status) =
            WatchingDriver.Driver.Call<(long, long, long, double, double, double, double[], long, string)>("TrackQuadratic", 10, 4L);

        Assert.Equal(4, calls);
        Assert.Equal(4, iterations);
        Assert.Equal(nameof(OptimizationStatus.Stopped), status);
        Assert.Equal(1.7712, theta, 12);
    }

    [Fact]
    public void With_data_gradient_descent_shows_the_parameters_Step_reaches()
    {
        // Mean of (w − x)² over x = 1, 3: gradient 2(w − 2), so w_t = 2 − 2·0.8^t: 0.4, 0.72, 0.976.
        var (calls, threeArgumentCalls, seen, stepped, last, w) =
            WatchingDriver.Driver.Call<(long, long, double[], double[], double, double)>("TrackFit", false, new[] { 1.0, 3.0 }, 3);

        Assert.Equal(3, calls);
        Assert.Equal(0, threeArgumentCalls);
        Assert.Equal([0.4, 0.72, 0.976], seen, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(stepped, seen);
        Assert.Equal(w, last);
    }

    [Fact]
    public void With_minibatches_each_update_shows_the_parameters_after_it()
    {
        // BatchSize 1, η = 0.1: w ← 0.8w + 0.2x_i. An epoch visits x = 1 and 3 once each, in either order,
        // so after it w = 0.16·1 + 0.2·3 = 0.76 or 0.16·3 + 0.2·1 = 0.68.
        var (calls, threeArgumentCalls, seen, stepped, last, w) =
            WatchingDriver.Driver.Call<(long, long, double[], double[], double, double)>("TrackFit", true, new[] { 1.0, 3.0 }, 4);

        Assert.Equal(4, calls);
        Assert.Equal(0, threeArgumentCalls);
        Assert.True(Math.Abs(seen[1] - 0.76) < 1e-12 || Math.Abs(seen[1] - 0.68) < 1e-12, $"after the first epoch w = {seen[1]:R}");
        Assert.Equal(stepped, seen);
        Assert.Equal(w, last);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_parameter_is_passed_in_declaration_order(bool sgd)
    {
        double[] x = [0, 1, 2, 3, 4, 5];
        double[] y = [1, 3, 5, 7, 9, 11];
        var (calls, last, a, b) = WatchingDriver.Driver.Call<(long, double[], double, double)>("TrackLine", sgd, x, y, 7);

        Assert.Equal(7, calls);
        Assert.Equal([a, b], last);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_class_observer_gets_the_four_argument_call_also_through_an_IOptimizationObserver_variable(bool asInterface)
    {
        // The parameters seen sum to θ_1 + θ_2 + θ_3 = 0.6 + 1.08 + 1.464 = 3.144.
        var (calls, threeArgumentCalls, sum) = WatchingDriver.Driver.Call<(long, long, double)>("TrackClass", asInterface);

        Assert.Equal(3, calls);
        Assert.Equal(0, threeArgumentCalls);
        Assert.Equal(3.144, sum, 12);
    }

    [Fact]
    public void An_observer_that_starts_a_run_inside_OnStep_keeps_its_own_state()
    {
        // 3 outer updates, each running 2 inner updates with another Nesting.
        var (calls, innerCalls) = WatchingDriver.Driver.Call<(long, long)>("Nest");

        Assert.Equal(3, calls);
        Assert.Equal(6, innerCalls);
    }

    [Fact]
    public void A_struct_observer_that_throws_keeps_what_it_wrote_and_the_next_run_works()
    {
        // Each observer counts its second call before throwing from it.
        var (first, second, message) = WatchingDriver.Driver.Call<(long, long, string)>("ThrowTwice");

        Assert.Equal(2, first);
        Assert.Equal(2, second);
        Assert.Equal("second call", message);
    }

    [Fact]
    public void Early_stopping_on_a_validation_loss_keeps_the_best_parameters()
    {
        // Training x = 1, 3 (mean 2): w_t = 2 − 2·0.8^t = 0.4, 0.72, 0.976, 1.1808, 1.34464.
        // Validation x = 0.5, 1.5: its mean loss is (w − 1)² + 0.25, least at w_3 = 0.976 (0.250576); updates
        // 4 and 5 are worse, so with patience 2 the observer stops the run at update 5.
        var (iterations, status, bestIteration, best, bestLoss, w) =
            WatchingDriver.Driver.Call<(long, string, long, double, double, double)>("EarlyStop", new[] { 1.0, 3.0 }, new[] { 0.5, 1.5 }, 2);

        Assert.Equal(5, iterations);
        Assert.Equal(nameof(OptimizationStatus.Stopped), status);
        Assert.Equal(3, bestIteration);
        Assert.Equal(0.976, best, 12);
        Assert.Equal(0.250576, bestLoss, 12);
        Assert.Equal(1.34464, w, 12);
    }
}
