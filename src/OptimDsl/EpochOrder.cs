using System;

namespace OptimDsl;

/// <summary>
/// The order in which a generated <c>[Sgd]</c> optimizer visits the samples of one epoch: a
/// pseudo-random permutation of <c>0 … Count − 1</c> determined by a seed and the epoch number.
/// </summary>
/// <remarks>
/// The permutation is computed on demand, one index at a time, so it needs no index array and
/// never allocates. It is a keyed bijection on the smallest power-of-two range that holds
/// <see cref="Count"/>, restricted to <c>[0, Count)</c> by cycle-walking; every epoch therefore visits
/// every sample exactly once. The same count, seed and epoch always give the same order, on every
/// platform. Different epochs (and seeds) give different orders.
/// </remarks>
public readonly struct EpochOrder
{
    private readonly int _count;
    private readonly int _shift;
    private readonly ulong _mask;
    private readonly ulong _key0;
    private readonly ulong _key1;
    private readonly ulong _key2;
    private readonly ulong _key3;

    /// <summary>The order of epoch <paramref name="epoch"/> over <paramref name="count"/> samples.</summary>
    /// <param name="count">The number of samples; at least 1.</param>
    /// <param name="seed">The optimizer's seed.</param>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public EpochOrder(int count, int seed, long epoch)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "An epoch needs at least one sample.");
        }

        var bits = 1;
        while ((1L << bits) < count)
        {
            bits++;
        }

        _count = count;
        _mask = (1UL << bits) - 1;
        _shift = (bits / 2) + 1;

        var state = unchecked(((ulong)(uint)seed << 32) ^ (ulong)epoch ^ 0x5DEECE66DUL);
        _key0 = SplitMix64.Next(ref state);
        _key1 = SplitMix64.Next(ref state) | 1;  // odd multipliers are invertible modulo 2^bits
        _key2 = SplitMix64.Next(ref state);
        _key3 = SplitMix64.Next(ref state) | 1;
    }

    /// <summary>The number of samples in the epoch.</summary>
    public int Count => _count;

    /// <summary>The sample visited at <paramref name="position"/> (0 to <see cref="Count"/> − 1) of the epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is outside the epoch.</exception>
    public int this[int position]
    {
        get
        {
            if ((uint)position >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(position), position, $"The epoch has {_count} positions.");
            }

            // Cycle-walking: a bijection on [0, 2^bits) restricted to [0, count) is a bijection on it.
            var x = (ulong)position;
            do
            {
                x = Permute(x);
            }
            while (x >= (ulong)_count);

            return (int)x;
        }
    }

    private ulong Permute(ulong x)
    {
        unchecked
        {
            // Each step is invertible on bits-wide integers: xor with a key, multiplication by an
            // odd number, addition of a key, and x ^= x >> s (s ≥ 1).
            x = ((x ^ _key0) * _key1) & _mask;
            x ^= x >> _shift;
            x = ((x + _key2) * _key3) & _mask;
            x ^= x >> _shift;
            x = ((x ^ (_key2 >> 17)) * _key1) & _mask;
            x ^= x >> _shift;
            return x;
        }
    }
}
