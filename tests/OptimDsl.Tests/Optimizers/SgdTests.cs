using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// SGD's sampling (README, Optimizers): deterministic per seed, every sample once per epoch in minibatches of
/// BatchSize (the last one smaller), and Minimize's full-batch convergence check at epoch ends only.
/// </summary>
public sealed class SgdTests
{
    private static CompiledDriver Driver => Objectives.Driver;

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 3)]
    [InlineData(7, -5)]
    public void The_same_seed_and_data_give_a_bit_identical_run(int batchSize, int seed)
    {
        var data = Objectives.LinearData(53, seed: 1);
        var copy = data.Select(d => (double[])d.Clone()).ToArray();
        double[] hyper = [0.05, batchSize, seed];

        var first = Driver.Call<double[]>("Trace_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, hyper, 200, data);
        var second = Driver.Call<double[]>("Trace_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, hyper, 200, copy);
        Compare.Bits(first, second, "second run's [loss, iteration, θ] rows");

        var a = Driver.Call<(double[] P, OptimizationResult R, long I)>("Minimize_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, hyper, 1000, 1e-3, data);
        var b = Driver.Call<(double[] P, OptimizationResult R, long I)>("Minimize_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, hyper, 1000, 1e-3, copy);
        Compare.Bits(a.P, b.P, "Minimize's parameters");
        Assert.Equal(a.R, b.R);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(4, 3, 4)]
    [InlineData(4, 0, -1)]
    public void Different_seeds_give_different_runs(int batchSize, int seed, int otherSeed)
    {
        var data = Objectives.LinearData(53, seed: 1);
        var first = Driver.Call<double[]>("Trace_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, new double[] { 0.05, batchSize, seed }, 30, data);
        var second = Driver.Call<double[]>("Trace_LeastSquaresSgd", new[] { 0.1, 0.2, 0.3 }, new double[] { 0.05, batchSize, otherSeed }, 30, data);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(13, 1, 0)]
    [InlineData(13, 4, 0)]   // 4, 4, 4, 1
    [InlineData(13, 5, 9)]   // 5, 5, 3
    [InlineData(13, 13, 2)]
    [InlineData(13, 20, 2)]  // one batch of 13
    [InlineData(40, 6, 77)]  // 6 × 6 + 4
    public void Each_epoch_visits_every_sample_exactly_once_in_minibatches_of_BatchSize(int count, int batchSize, int seed)
    {
        // Probe(w, x) = w·x with x_i = 2^i and η = 1: each update subtracts the batch's mean of 2^i,
        // so (w_before − w_after)·|batch| is the bit mask of the samples in the batch.
        var x = Enumerable.Range(0, count).Select(i => Math.ScaleB(1, i)).ToArray();
        var sizes = new List<int>();
        for (var left = count; left > 0; left -= Math.Min(batchSize, left))
        {
            sizes.Add(Math.Min(batchSize, left));
        }

        const int epochs = 3;
        var steps = sizes.Count * epochs;
        var rows = Compare.Rows(Driver.Call<double[]>("Trace_ProbeSgd", new[] { 0.0 }, new double[] { 1, batchSize, seed }, steps, new[] { x }), 3);

        var orders = new List<int[]>();
        var w = 0.0;
        for (var e = 0; e < epochs; e++)
        {
            var seen = new List<int>();
            var epochOrder = new EpochOrder(count, seed, e);
            var position = 0;
            for (var b = 0; b < sizes.Count; b++)
            {
                var row = rows[(e * sizes.Count) + b];
                var mask = (ulong)Math.Round((w - row[2]) * sizes[b]);
                w = row[2];
                Assert.True(
                    BitOperations.PopCount(mask) == sizes[b],
                    $"epoch {e} batch {b}: {BitOperations.PopCount(mask)} samples (mask {mask:X}), expected {sizes[b]}");
                var batch = Enumerable.Range(0, count).Where(i => (mask & (1UL << i)) != 0).ToArray();

                // The batch holds the next positions of EpochOrder(count, seed, epoch).
                var expected = Enumerable.Range(position, sizes[b]).Select(p => epochOrder[p]).Order().ToArray();
                Assert.Equal(expected, batch);
                seen.AddRange(batch);
                position += sizes[b];
            }

            Assert.Equal(Enumerable.Range(0, count), seen.Order());
            orders.Add([.. Enumerable.Range(0, count).Select(p => epochOrder[p])]);
        }

        // And a shuffled order: not the identity, and not the same in every epoch.
        if (batchSize < count)
        {
            Assert.False(orders.All(o => o.SequenceEqual(orders[0])), "every epoch used the same order");
        }

        Assert.False(orders.All(o => o.SequenceEqual(Enumerable.Range(0, count))), "the order is not shuffled");
    }

    [Theory]
    [InlineData(4, 0.02)]   // 30 samples: 8 batches per epoch (7 × 4 + 2)
    [InlineData(7, 0.03)]   // 5 batches per epoch (4 × 7 + 2)
    [InlineData(1, 0.005)]  // 30 batches per epoch
    public void Minimize_checks_the_full_batch_gradient_norm_only_at_epoch_ends(int batchSize, double learningRate)
    {
        const int count = 30, steps = 600;
        var data = Objectives.LinearData(count, seed: 21);
        var batches = (count + batchSize - 1) / batchSize;
        double[] init = [0.0, 0.0, 0.0];
        double[] hyper = [learningRate, batchSize, 4];

        // The full-batch gradient norm after every Step of the same run.
        var rows = Compare.Rows(Driver.Call<double[]>("Trace_LeastSquaresSgd", init, hyper, steps, data), 5);
        var norms = new double[steps + 1];
        norms[0] = Reference.Norm(Driver.Call<double[]>("Gradient_LeastSquares", init, data)[1..]);
        for (var s = 1; s <= steps; s++)
        {
            norms[s] = Reference.Norm(Driver.Call<double[]>("Gradient_LeastSquares", rows[s - 1][2..], data)[1..]);
        }

        // Tolerances met first in the middle of an epoch: Minimize must run on to the first epoch end
        // (or the start) where the norm is within tolerance.
        var candidates = Enumerable.Range(1, steps - 1)
            .Where(s => s % batches != 0 && norms[s] < norms.Take(s).Min())
            .ToArray();
        Assert.NotEmpty(candidates);
        var midEpochTolerancesSeen = 0;
        foreach (var s in candidates.Take(12))
        {
            var tolerance = norms[s];
            var expected = Enumerable.Range(0, steps + 1).Where(k => k % batches == 0 && norms[k] <= tolerance).Cast<int?>().FirstOrDefault();
            if (expected is null)
            {
                continue;
            }

            var (p, result, iteration, calls, _) = Driver.Call<(double[], OptimizationResult, long, int, double[])>(
                "Observe_LeastSquaresSgd", init, hyper, 100_000, tolerance, 0L, data);
            Assert.Equal(OptimizationStatus.Converged, result.Status);
            Assert.True(result.Iterations == expected, $"tolerance {tolerance:R} (first met mid-epoch after step {s}): converged after {result.Iterations} updates, expected at the epoch end after {expected}");
            Assert.Equal(0, result.Iterations % batches);
            Assert.Equal(result.Iterations, calls);
            Assert.Equal(result.Iterations, iteration);
            Assert.Equal(norms[expected.Value], result.GradientNorm);
            Compare.Bits(expected == 0 ? init : rows[expected.Value - 1][2..], p, "parameters");
            midEpochTolerancesSeen++;
        }

        Assert.True(midEpochTolerancesSeen > 0, "no tolerance was first met mid-epoch");
    }
}
