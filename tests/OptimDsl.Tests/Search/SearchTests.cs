using System;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Search;

/// <summary>
/// Hyperparameter search (README, Choosing hyperparameters): the typed SearchSpace and Hyperparameters,
/// Grid order, Random points from a fixed generator, successive halving's rungs, validation scores,
/// diverged trials, range checks, and the same result for every degree of parallelism.
/// </summary>
public sealed class SearchTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05), GradientDescent(LearningRate = 0.01)]
            public static double Bowl(double a, double b) => (a - 1) * (a - 1) + 3 * (b + 2) * (b + 2) + 0.5 * a * b;

            [Objective, Sgd(LearningRate = 0.05, BatchSize = 4, Seed = 2)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }
        }

        public static class Driver
        {
            static double[] Row(OptimizationResult r, double score)
                => [r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, score];

            // Per trial: LearningRate, Beta1, then Iterations, Loss, GradientNorm, Status, Score; then the best's index and a, b.
            public static double[] Grid(int degree)
            {
                var result = P.BowlAdam.Search(new P.BowlAdam(0, 0),
                    new P.BowlAdam.SearchSpace { LearningRate = SearchRange.Grid(0.01, 0.1), Beta1 = SearchRange.Grid(0.8, 0.9, 0.95) },
                    new SearchOptions { MaxIterations = 50, Tolerance = 0, MaxDegreeOfParallelism = degree });
                var best = result.Trials.ToList().FindIndex(t => t.Hyperparameters == result.BestHyperparameters);
                return [.. result.Trials.SelectMany(t => new[] { t.Hyperparameters.LearningRate, t.Hyperparameters.Beta1 }.Concat(Row(t.Result, t.Score))),
                        best, result.BestScore, result.Best.A, result.Best.B];
            }

            // The same trial by hand: Minimize from a copy of the start with the point set.
            public static double[] ByHand(double rate, double beta1)
            {
                var adam = new P.BowlAdam(0, 0) { LearningRate = rate, Beta1 = beta1 };
                var r = adam.Minimize(50, 0);
                return Row(r, r.Loss);
            }

            // Per trial: LearningRate, Beta2, Score.
            public static double[] Random(int degree, int seed, SearchStrategy strategy, int trials, int maxIterations)
            {
                var result = P.BowlAdam.Search(new P.BowlAdam(0, 0),
                    new P.BowlAdam.SearchSpace { LearningRate = SearchRange.LogUniform(1e-3, 1e-1), Beta2 = SearchRange.Uniform(0.9, 0.999) },
                    new SearchOptions { Trials = trials, MaxIterations = maxIterations, Tolerance = 0, Seed = seed, Strategy = strategy, MaxDegreeOfParallelism = degree });
                return [.. result.Trials.SelectMany(t => new[] { t.Hyperparameters.LearningRate, t.Hyperparameters.Beta2, t.Result.Iterations, t.Score })];
            }

            public static string Refused(int which)
            {
                try
                {
                    var space = which switch
                    {
                        0 => new P.BowlAdam.SearchSpace { Beta1 = SearchRange.Uniform(0.5, 1.5) },
                        1 => new P.BowlAdam.SearchSpace { LearningRate = SearchRange.Grid(0.1, -1) },
                        _ => new P.BowlAdam.SearchSpace { LearningRate = SearchRange.Grid(0.1) },
                    };
                    var options = new SearchOptions { MaxDegreeOfParallelism = which == 2 ? 0 : 1 };
                    P.BowlAdam.Search(new P.BowlAdam(0, 0), space, options);
                    return "no exception";
                }
                catch (ArgumentOutOfRangeException e)
                {
                    return e.ParamName!;
                }
            }

            // Gradient descent with rates that converge and one that diverges: per trial Status, Score; then the best rate.
            public static double[] Diverging()
            {
                var result = P.BowlGradientDescent.Search(new P.BowlGradientDescent(0, 0),
                    new P.BowlGradientDescent.SearchSpace { LearningRate = SearchRange.Grid(5, 0.05, 0.1) },
                    new SearchOptions { MaxIterations = 300, MaxDegreeOfParallelism = 1 });
                return [.. result.Trials.SelectMany(t => new[] { (double)t.Result.Status, t.Score }), result.BestHyperparameters.LearningRate];
            }

            // The range test: Rates, then Losses, then the suggestion.
            public static double[][] RangeTest(double minRate, double maxRate, int steps)
            {
                var r = P.BowlGradientDescent.FindLearningRate(new P.BowlGradientDescent(0, 0), minRate, maxRate, steps);
                return [r.Rates, r.Losses, [r.SuggestedLearningRate]];
            }

            // The losses before each update of a run made by hand with the given rates.
            public static double[] RangeByHand(double[] rates)
            {
                var gd = new P.BowlGradientDescent(0, 0);
                return [.. rates.Select(rate => { gd.LearningRate = rate; return gd.Step(); })];
            }

            public static string RangeRefused(double minRate, double maxRate, int steps)
            {
                try
                {
                    P.LineSgd.FindLearningRate(new P.LineSgd(0, 0), new double[] { 1, 2 }, new double[] { 1, 2 }, minRate, maxRate, steps);
                    return "no exception";
                }
                catch (ArgumentOutOfRangeException e)
                {
                    return e.ParamName!;
                }
            }

            // What a search throws for bad input, at a degree: the exception's type and ParamName (or message).
            public static string DataRefused(int which, int degree)
            {
                var x = new double[20];
                var space = new P.LineSgd.SearchSpace { LearningRate = SearchRange.Grid(0.01, 0.05, 0.1) };
                var options = new SearchOptions { MaxIterations = 5, MaxDegreeOfParallelism = degree };
                try
                {
                    _ = which switch
                    {
                        0 => P.LineSgd.Search(new P.LineSgd(0, 0), x, new double[5], space, options),
                        1 => P.LineSgd.Search(new P.LineSgd(0, 0), new double[0], new double[0], space, options),
                        3 => P.LineSgd.Search(new P.LineSgd(0, 0), x, new double[20], new double[20], new double[3], space, options),
                        _ => P.LineSgd.Search(default, x, new double[20], space, options),
                    };
                    return "no exception";
                }
                catch (Exception e)
                {
                    return e.GetType().Name + " " + (e is ArgumentException a ? a.ParamName : e.Message.Split(' ')[0]);
                }
            }

            // With validation data: per trial the score and the validation loss computed here at the trial's parameters.
            public static double[] Validation(double[] x, double[] y, double[] vx, double[] vy)
            {
                var result = P.LineSgd.Search(new P.LineSgd(0, 0), x, y, vx, vy,
                    new P.LineSgd.SearchSpace { LearningRate = SearchRange.Grid(0.01, 0.05), BatchSize = SearchRange.Grid(2.4, 2.5, 8) },
                    new SearchOptions { MaxIterations = 200, MaxDegreeOfParallelism = 2 });
                var output = result.Trials.SelectMany(t => new double[] { t.Hyperparameters.BatchSize, t.Score }).ToList();
                var g = new double[2];
                output.Add(P.LineGradient(result.Best.Parameters, vx, vy, g));
                output.Add(result.BestScore);
                return [.. output];
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    [Fact]
    public void Grid_runs_the_cartesian_product_in_declaration_order_the_last_varying_fastest()
    {
        var rows = Driver.Value.Call<double[]>("Grid", 1);
        double[][] expected = [[0.01, 0.8], [0.01, 0.9], [0.01, 0.95], [0.1, 0.8], [0.1, 0.9], [0.1, 0.95]];
        for (var t = 0; t < 6; t++)
        {
            Assert.Equal(expected[t][0], rows[7 * t]);
            Assert.Equal(expected[t][1], rows[(7 * t) + 1]);
        }
    }

    [Fact]
    public void Each_trial_is_Minimize_from_a_copy_of_the_start_and_the_best_has_the_lowest_score()
    {
        var rows = Driver.Value.Call<double[]>("Grid", 1);
        var scores = Enumerable.Range(0, 6).Select(t => rows[(7 * t) + 6]).ToArray();
        for (var t = 0; t < 6; t++)
        {
            var byHand = Driver.Value.Call<double[]>("ByHand", rows[7 * t], rows[(7 * t) + 1]);
            Assert.Equal(byHand, rows.Skip((7 * t) + 2).Take(5).ToArray());
        }

        var best = (int)rows[42];
        Assert.Equal(Array.IndexOf(scores, scores.Min()), best);
        Assert.Equal(scores.Min(), rows[43]);
    }

    [Fact]
    public void The_result_is_the_same_for_every_degree_of_parallelism()
    {
        var one = Driver.Value.Call<double[]>("Grid", 1);
        Assert.Equal(one, Driver.Value.Call<double[]>("Grid", 4));
        var random = Driver.Value.Call<double[]>("Random", 1, 7, SearchStrategy.Random, 12, 40);
        Assert.Equal(random, Driver.Value.Call<double[]>("Random", 2, 7, SearchStrategy.Random, 12, 40));
        Assert.Equal(random, Driver.Value.Call<double[]>("Random", 4, 7, SearchStrategy.Random, 12, 40));
        var halving = Driver.Value.Call<double[]>("Random", 1, 3, SearchStrategy.SuccessiveHalving, 9, 90);
        Assert.Equal(halving, Driver.Value.Call<double[]>("Random", 3, 3, SearchStrategy.SuccessiveHalving, 9, 90));
    }

    [Fact]
    public void Random_points_come_from_SplitMix64_seeded_with_Seed()
    {
        // SplitMix64 (Steele, Lea & Flood 2014), written here from the paper's constants; the draws go
        // LearningRate then Beta2 per trial, u = top 53 bits / 2^53.
        ulong state = 7;
        double Next()
        {
            unchecked
            {
                var z = state += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
            }
        }

        var rows = Driver.Value.Call<double[]>("Random", 1, 7, SearchStrategy.Random, 12, 5);
        for (var t = 0; t < 12; t++)
        {
            var rate = Math.Exp(Math.Log(1e-3) + ((Math.Log(1e-1) - Math.Log(1e-3)) * Next()));
            var beta2 = 0.9 + ((0.999 - 0.9) * Next());
            Assert.Equal(rate, rows[4 * t], 15);
            Assert.Equal(beta2, rows[(4 * t) + 1], 15);
            Assert.InRange(rows[4 * t], 1e-3, 1e-1);
            Assert.InRange(rows[(4 * t) + 1], 0.9, 0.999);
        }

        Assert.NotEqual(rows, Driver.Value.Call<double[]>("Random", 1, 8, SearchStrategy.Random, 12, 5));
    }

    [Fact]
    public void Successive_halving_runs_rungs_of_a_ninth_a_third_and_all_of_MaxIterations_keeping_the_best_third()
    {
        // 9 trials: R = ⌊log₃ 9⌋ = 2; budgets ⌈90/9⌉ = 10, ⌈90/3⌉ = 30, 90 in total. Six trials stop after
        // rung 0 (last run 10 updates), two after rung 1 (last run 30 − 10 = 20), one runs on (90 − 30 = 60).
        var rows = Driver.Value.Call<double[]>("Random", 1, 3, SearchStrategy.SuccessiveHalving, 9, 90);
        var lastRuns = Enumerable.Range(0, 9).Select(t => rows[(4 * t) + 2]).OrderBy(i => i).ToArray();
        Assert.Equal([10, 10, 10, 10, 10, 10, 20, 20, 60], lastRuns);

        // The survivor of each rung is among the best third of the one before: the one that ran 60 has the lowest score.
        var scores = Enumerable.Range(0, 9).Select(t => rows[(4 * t) + 3]).ToArray();
        var survivor = Enumerable.Range(0, 9).Single(t => rows[(4 * t) + 2] == 60);
        Assert.Equal(scores.Min(), scores[survivor]);
    }

    [Fact]
    public void A_diverged_trial_scores_infinity_and_the_best_is_among_the_others()
    {
        var rows = Driver.Value.Call<double[]>("Diverging");
        Assert.Equal((double)OptimizationStatus.Diverged, rows[0]);
        Assert.Equal(double.PositiveInfinity, rows[1]);
        Assert.True(double.IsFinite(rows[3]) && double.IsFinite(rows[5]));
        Assert.Equal(rows[3] <= rows[5] ? 0.05 : 0.1, rows[6]);
    }

    [Theory]
    [InlineData(0, "Beta1")]
    [InlineData(1, "LearningRate")]
    [InlineData(2, "MaxDegreeOfParallelism")]
    public void Ranges_and_options_are_checked_when_the_search_starts(int which, string paramName)
        => Assert.Equal(paramName, Driver.Value.Call<string>("Refused", which));

    [Theory]
    [InlineData(0, 1, "ArgumentException y")]
    [InlineData(0, 4, "ArgumentException y")]
    [InlineData(1, 1, "ArgumentException x")]
    [InlineData(1, 4, "ArgumentException x")]
    [InlineData(2, 1, "InvalidOperationException")]
    [InlineData(2, 4, "InvalidOperationException")]
    [InlineData(3, 1, "ArgumentException validationY")]
    [InlineData(3, 4, "ArgumentException validationY")]
    public void Bad_data_or_a_default_start_throws_the_trials_exception_itself_at_every_degree(int which, int degree, string expected)
    {
        var thrown = Driver.Value.Call<string>("DataRefused", which, degree);
        Assert.StartsWith(expected, thrown);
    }

    [Fact]
    public void The_range_test_makes_one_update_per_geometric_rate_and_stops_when_the_smoothed_loss_passes_four_times_its_best()
    {
        // Gradient descent on the bowl diverges past a rate of about 2/λmax = 2/6.06 (the Hessian is [[2, 0.5], [0.5, 6]]).
        const double MinRate = 1e-4, MaxRate = 3;
        const int Steps = 80;
        var r = Driver.Value.Call<double[][]>("RangeTest", MinRate, MaxRate, Steps);
        double[] rates = r[0], losses = r[1];
        Assert.Equal(rates.Length, losses.Length);
        for (var i = 0; i < rates.Length; i++)
        {
            Assert.Equal(MinRate * Math.Pow(MaxRate / MinRate, i / (double)(Steps - 1)), rates[i], 12);
        }

        Assert.Equal(Driver.Value.Call<double[]>("RangeByHand", rates), losses);

        // The smoothed loss (fast.ai: average 0.98, bias-corrected) and the stop, recomputed here.
        double average = 0, best = double.PositiveInfinity;
        var smoothed = new double[losses.Length];
        var stop = -1;
        for (var i = 0; i < losses.Length; i++)
        {
            average = (0.98 * average) + (0.02 * losses[i]);
            smoothed[i] = average / (1 - Math.Pow(0.98, i + 1));
            if (!double.IsFinite(smoothed[i]) || smoothed[i] > 4 * best)
            {
                stop = i;
                break;
            }

            best = Math.Min(best, smoothed[i]);
        }

        Assert.True(stop > 0 && stop < Steps - 1, $"stopped at {stop}");
        Assert.Equal(stop + 1, losses.Length);

        // The suggestion: the most negative numpy.gradient of the smoothed loss over log(rate).
        var slopes = Enumerable.Range(0, rates.Length).Select(i =>
        {
            var (a, b) = i == 0 ? (0, 1) : i == rates.Length - 1 ? (i - 1, i) : (i - 1, i + 1);
            return (smoothed[b] - smoothed[a]) / (Math.Log(rates[b]) - Math.Log(rates[a]));
        }).Select(v => double.IsFinite(v) ? v : double.PositiveInfinity).ToArray();
        Assert.Equal(rates[Array.IndexOf(slopes, slopes.Min())], r[2][0]);
    }

    [Theory]
    [InlineData(0.0, 1.0, 10, "minRate")]
    [InlineData(1.0, 0.5, 10, "maxRate")]
    [InlineData(1e-6, 1.0, 1, "steps")]
    public void The_range_test_checks_its_arguments(double minRate, double maxRate, int steps, string paramName)
        => Assert.Equal(paramName, Driver.Value.Call<string>("RangeRefused", minRate, maxRate, steps));

    [Fact]
    public void Validation_data_score_trials_and_integer_hyperparameters_round_halves_away_from_zero()
    {
        double[] x = [.. Enumerable.Range(0, 40).Select(i => (i * 0.37 % 3) - 1.5)];
        double[] y = [.. x.Select((v, i) => (2 * v) - 0.5 + (0.05 * Math.Sin(i)))];
        double[] vx = [.. Enumerable.Range(0, 15).Select(i => (i * 0.53 % 3) - 1.5)];
        double[] vy = [.. vx.Select(v => (2 * v) - 0.5)];
        var rows = Driver.Value.Call<double[]>("Validation", x, y, vx, vy);

        // Grid(2.4, 2.5, 8) rounds to 2, 3, 8 (2.5 is a half: away from zero).
        Assert.Equal([2, 3, 8, 2, 3, 8], Enumerable.Range(0, 6).Select(t => rows[2 * t]).ToArray());
        var scores = Enumerable.Range(0, 6).Select(t => rows[(2 * t) + 1]).ToArray();
        Assert.Equal(scores.Min(), rows[13]);
        Assert.Equal(rows[12], rows[13]); // the best's score is its mean loss on the validation data
    }
}
