using System;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The minibatch sequence of README, Optimizers (Sgd, and every optimizer with BatchSize ≥ 1): epoch e
/// (from 0) visits the samples in the order <c>new OptimDsl.EpochOrder(count, Seed, e)[position]</c>, position
/// 0 … count − 1, cut into consecutive minibatches of BatchSize samples; the last minibatch of an epoch
/// has min(BatchSize, count − position) samples, and the next update starts the next epoch at position 0.
/// Each update uses the mean loss and the mean gradient over its minibatch, at the θ it is given.
/// </summary>
internal sealed class ReferenceMinibatches
{
    private readonly Func<double[], int, double> _sampleLoss;
    private readonly Action<double[], int, double[]> _sampleGradient;

    /// <param name="sampleCount">The data set's size; at least 1.</param>
    /// <param name="batchSize">BatchSize; at least 1.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="sampleLoss">(θ, i) → the loss of sample i at θ.</param>
    /// <param name="sampleGradient">(θ, i, gradient) → writes the gradient of sample i's loss at θ.</param>
    public ReferenceMinibatches(
        int sampleCount,
        int batchSize,
        int seed,
        Func<double[], int, double> sampleLoss,
        Action<double[], int, double[]> sampleGradient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(sampleLoss);
        ArgumentNullException.ThrowIfNull(sampleGradient);
        SampleCount = sampleCount;
        BatchSize = batchSize;
        Seed = seed;
        _sampleLoss = sampleLoss;
        _sampleGradient = sampleGradient;
    }

    public int SampleCount { get; }

    public int BatchSize { get; }

    public int Seed { get; }

    /// <summary>The epoch (from 0) of the next minibatch.</summary>
    public long Epoch { get; private set; }

    /// <summary>The position in its epoch of the next minibatch's first sample.</summary>
    public int Position { get; private set; }

    /// <summary>The sample indices of the next minibatch, in visiting order; advances to the one after.</summary>
    public int[] NextBatch()
    {
        var order = new EpochOrder(SampleCount, Seed, Epoch);
        var size = Math.Min(BatchSize, SampleCount - Position);
        var batch = new int[size];
        for (var k = 0; k < size; k++)
        {
            batch[k] = order[Position + k];
        }

        Position += size;
        if (Position == SampleCount)
        {
            Position = 0;
            Epoch++;
        }

        return batch;
    }

    /// <summary>
    /// The mean loss over the next minibatch at θ, with its mean gradient written to <paramref name="gradient"/>
    /// (samples summed in visiting order, then divided by the minibatch's size); advances to the next minibatch.
    /// </summary>
    public double Next(double[] theta, double[] gradient) => Mean(theta, NextBatch(), gradient);

    /// <summary>
    /// One minibatch update: the next minibatch's mean gradient at θ, given to <paramref name="optimizer"/>.
    /// Returns the minibatch's mean loss before the update (what a generated Step(data) returns).
    /// </summary>
    public double Step(IReferenceOptimizer optimizer, double[] theta)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var gradient = new double[theta.Length];
        var loss = Next(theta, gradient);
        optimizer.Step(theta, gradient);
        return loss;
    }

    /// <summary>The full-batch mean loss at θ (samples 0 … count − 1 in index order); writes the mean gradient.</summary>
    public double FullBatch(double[] theta, double[] gradient)
    {
        var all = new int[SampleCount];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = i;
        }

        return Mean(theta, all, gradient);
    }

    private double Mean(double[] theta, int[] samples, double[] gradient)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != theta.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} components, θ has {theta.Length}.", nameof(gradient));
        }

        Array.Clear(gradient);
        var sample = new double[theta.Length];
        double loss = 0;
        foreach (var i in samples)
        {
            loss += _sampleLoss(theta, i);
            Array.Clear(sample);
            _sampleGradient(theta, i, sample);
            for (var j = 0; j < sample.Length; j++)
            {
                gradient[j] += sample[j];
            }
        }

        for (var j = 0; j < gradient.Length; j++)
        {
            gradient[j] /= samples.Length;
        }

        return loss / samples.Length;
    }
}
