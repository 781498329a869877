using System;
using System.Linq;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// README, Learning-rate schedules: a scheduled learning rate of 0 is allowed, and "that update counts but moves
/// nothing". Hand derivation: every rule's step is proportional to η (SGD θ − ηg, Adam θ − η m̂/(√v̂+ε),
/// Lion θ − η(sign(c) + λθ), AdamW θ − ηλθ first, …), so η = 0 leaves θ exactly where it was. Rprop's
/// step is its per-parameter step size, which a new rate restarts (README, Optimizers); a rate of 0
/// must then move nothing too.
/// </summary>
public sealed class CatalogueScheduleFindingsTests
{
    private static string Source(string optimizer) => $$"""
        using OptimDsl;

        namespace Demo;

        public struct Zero : ILearningRateSchedule
        {
            public double LearningRate(long iteration, double loss) => 0;
        }

        public static partial class Problems
        {
            [Objective, {{optimizer}}]
            public static double Bowl(double u, double v) => (u - 3) * (u - 3) + 2 * (v + 1) * (v + 1);

            public static double[] AfterZeroRateUpdates(int updates)
            {
                var optimizer = new Bowl{{optimizer.Split('(')[0]}}(1.0, 2.0);
                var observer = new NoObserver();
                var schedule = new Zero();
                var result = optimizer.Minimize(updates, 0, ref observer, ref schedule);
                return [optimizer.U, optimizer.V, result.Iterations, optimizer.LearningRate];
            }
        }
        """;

    private static double[] Run(string optimizer, int updates)
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), Source(optimizer));
        Assert.Null(run.Result.Exception);
        using var loaded = run.Load();
        return (double[])loaded.Assembly.GetType("Demo.Problems")!.GetMethod("AfterZeroRateUpdates")!.Invoke(null, [updates])!;
    }

    [Theory]
    [InlineData("GradientDescent(Momentum = 0.9)")]
    [InlineData("Adam")]
    [InlineData("AdamW(WeightDecay = 0.5)")]
    [InlineData("Adamax")]
    [InlineData("NAdam")]
    [InlineData("RAdam")]
    [InlineData("RmsProp(Centered = true, Momentum = 0.5)")]
    [InlineData("AdaGrad")]
    [InlineData("AdaDelta")]
    [InlineData("Lion(WeightDecay = 0.5)")]
    public void A_zero_scheduled_rate_counts_the_updates_and_moves_nothing(string optimizer)
    {
        var result = Run(optimizer, 3);
        Assert.Equal([1.0, 2.0, 3, 0], result);
    }

    /// <summary>
    /// The zero rate restarts every step size at 0; were the rule then to clamp it into [MinStep, MaxStep]
    /// (torch's clamp), the updates would move θ by sign(g)·MinStep·(1 + η₊ + η₊²).
    /// </summary>
    [Fact]
    public void Rprop_with_a_zero_scheduled_rate_moves_nothing()
    {
        var result = Run("Rprop", 3);
        Assert.Equal([1.0, 2.0, 3, 0], result);
    }
}
