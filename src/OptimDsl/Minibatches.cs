using System;
using System.ComponentModel;
using OptimDsl.Hyperparameters;

namespace OptimDsl;

/// <summary>
/// <c>BatchSize</c> and <c>Seed</c> of a generated optimizer on an objective with data, and where its run
/// is in the data (README, Minibatches): each epoch visits every sample once, in the order
/// <see cref="EpochOrder"/> gives for the seed and the epoch, <c>BatchSize</c> samples per update (the
/// last minibatch of an epoch may be smaller). <c>BatchSize = 0</c> is the full batch.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Minibatches
{
    private readonly HyperparameterRange _batchSizes;
    private int _batchSize;
    private int _seed;
    private long _epoch;
    private int _position;
    private int _sampleCount;
    private int _pending;

    /// <summary>Minibatches of <paramref name="batchSize"/> samples, from the first epoch.</summary>
    /// <param name="batchSize">Samples per update; 0 is the full batch unless <paramref name="fullBatchAllowed"/> is false.</param>
    /// <param name="seed">The seed of the epochs' orders.</param>
    /// <param name="fullBatchAllowed">False for <c>[Sgd]</c>, whose batch size is at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public Minibatches(int batchSize, int seed, bool fullBatchAllowed)
    {
        _batchSizes = fullBatchAllowed ? HyperparameterRange.NonNegativeInteger : HyperparameterRange.PositiveInteger;
        _batchSize = Hyperparameter.Checked(batchSize, _batchSizes, nameof(BatchSize));
        _seed = seed;
        _epoch = 0;
        _position = 0;
        _sampleCount = 0;
        _pending = 0;
    }

    /// <summary>The samples per update; 0 is the full batch.</summary>
    public int BatchSize
    {
        readonly get => _batchSize;
        set => _batchSize = Hyperparameter.Checked(value, _batchSizes, nameof(BatchSize));
    }

    /// <summary>The seed of the sample order; setting it starts the order afresh.</summary>
    public int Seed
    {
        readonly get => _seed;
        set
        {
            _seed = value;
            _epoch = 0;
            _position = 0;
        }
    }

    /// <summary>Whether each update uses every sample.</summary>
    public readonly bool IsFullBatch => _batchSize == 0;

    /// <summary>
    /// The next minibatch over <paramref name="count"/> samples: the epoch's order, and the positions
    /// <paramref name="start"/> to <paramref name="start"/> + <paramref name="size"/> − 1 in it. Nothing
    /// advances until <see cref="Advance"/>. A data set of a new size starts its order from the beginning.
    /// </summary>
    public EpochOrder Next(int count, out int start, out int size)
    {
        if (count != _sampleCount)
        {
            _sampleCount = count;
            _position = 0;
        }

        start = _position;
        size = Math.Min(_batchSize, count - _position);
        _pending = size;
        return new EpochOrder(count, _seed, _epoch);
    }

    /// <summary>Moves past the minibatch <see cref="Next"/> gave; true when that ended the epoch.</summary>
    public bool Advance()
    {
        _position += _pending;
        _pending = 0;
        if (_position < _sampleCount)
        {
            return false;
        }

        _epoch++;
        _position = 0;
        return true;
    }
}
