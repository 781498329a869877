using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace OptimDsl;

/// <summary>
/// The full batch split into fixed shards, reduced in a fixed order (README, Parallel data gradients): the
/// sums a generated <c>MGradientSum</c> returns are the same bits at every degree of parallelism, on every
/// machine.
/// </summary>
/// <remarks>
/// <para>
/// The split depends on the number of samples N alone: <c>S = clamp(N / 4096, 1, 64)</c> shards, shard k holding
/// samples <c>[⌊kN/S⌋, ⌊(k+1)N/S⌋)</c>. Each shard's sums are computed from zero by the objective's own vectorised
/// loop; then the total is shard 0's sums, plus shard 1's, plus shard 2's, and so on, one value at a time in
/// shard order, and the loss likewise (0 + l₀ + l₁ + …). On one core the shards run one after another into a
/// per-thread scratch vector (allocated once per thread, so no allocation per call); on more, up to
/// <c>maxDegreeOfParallelism</c> shards at a time into pooled storage, and the same fold follows.
/// </para>
/// <para>
/// Up to <see cref="MaximumDataSpans"/> data spans can be shared by threads (they are pinned for the call); an
/// objective with more data parameters runs as one shard on one core, which is also the same result at every degree.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DataShards
{
    /// <summary>The fewest samples in a shard, when there are at least two shards.</summary>
    public const int MinimumShardSamples = 4096;

    /// <summary>The most shards a data set is split into.</summary>
    public const int MaximumShards = 64;

    /// <summary>The most data spans (besides the parameters) that <see cref="Sum{T}"/> takes.</summary>
    public const int MaximumDataSpans = 16;

    [ThreadStatic]
    private static double[]? t_scratch;

    // A float objective's data overload past 1,024 trained values: its double sums, and a shard's per-sample float
    // gradient; each thread's own, apart from t_scratch, which the shards' sums use while these are in use.
    [ThreadStatic]
    private static double[]? t_meanSums;

    [ThreadStatic]
    private static float[]? t_sampleGradient;

    /// <summary>The number of shards of <paramref name="samples"/> samples: clamp(N / 4096, 1, 64).</summary>
    public static int ShardCount(int samples) => Math.Clamp(samples / MinimumShardSamples, 1, MaximumShards);

    /// <summary>The first sample of shard <paramref name="shard"/> of <paramref name="shards"/>: ⌊kN/S⌋.</summary>
    public static int ShardStart(int samples, int shards, int shard) => (int)((long)samples * shard / shards);

    /// <summary>
    /// Adds a block of float sums to the double sums and clears the block: <c>sums[k] += block[k]; block[k] = 0</c>, each
    /// float widened exactly (README, Float objectives: a float objective's per-sample code adds its gradient in float, over
    /// blocks of eight samples where its loops are rolled and one tail sample at a time otherwise, then in double).
    /// Elementwise, so every width gives the same bits.
    /// </summary>
    /// <param name="sums">The double sums, as long as <paramref name="block"/>.</param>
    /// <param name="block">The block's float sums; zero afterwards.</param>
    public static void AddBlock(Span<double> sums, Span<float> block)
    {
        ref double sum = ref MemoryMarshal.GetReference(sums);
        ref float value = ref MemoryMarshal.GetReference(block);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + 8 <= block.Length; k += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref value, (nuint)k));
                (Vector256.LoadUnsafe(ref sum, (nuint)k) + lower).StoreUnsafe(ref sum, (nuint)k);
                (Vector256.LoadUnsafe(ref sum, (nuint)(k + 4)) + upper).StoreUnsafe(ref sum, (nuint)(k + 4));
            }
        }

        for (; k < block.Length; k++)
        {
            Unsafe.Add(ref sum, k) += Unsafe.Add(ref value, k);
        }

        block.Clear();
    }

    /// <summary>
    /// The sum of the losses over <paramref name="samples"/> samples, and in <paramref name="sums"/> the sums of
    /// the per-sample values <paramref name="shardSum"/> computes, shard by shard, in the fixed order above.
    /// </summary>
    /// <param name="shardSum">The objective's sums over one shard (a static lambda of the generated code).</param>
    /// <param name="samples">The number of samples; every data span holds this many values or rows.</param>
    /// <param name="sums">Receives the sums, overwritten.</param>
    /// <param name="maxDegreeOfParallelism">How many shards may run at once; checked by the caller to be at least 1.</param>
    /// <param name="parameters">The parameters, read by every shard.</param>
    /// <param name="data0">The first data span, in the objective's declaration order; unused ones stay empty.</param>
    /// <param name="data1">Data span 1, or empty.</param>
    /// <param name="data2">Data span 2, or empty.</param>
    /// <param name="data3">Data span 3, or empty.</param>
    /// <param name="data4">Data span 4, or empty.</param>
    /// <param name="data5">Data span 5, or empty.</param>
    /// <param name="data6">Data span 6, or empty.</param>
    /// <param name="data7">Data span 7, or empty.</param>
    /// <param name="data8">Data span 8, or empty.</param>
    /// <param name="data9">Data span 9, or empty.</param>
    /// <param name="data10">Data span 10, or empty.</param>
    /// <param name="data11">Data span 11, or empty.</param>
    /// <param name="data12">Data span 12, or empty.</param>
    /// <param name="data13">Data span 13, or empty.</param>
    /// <param name="data14">Data span 14, or empty.</param>
    /// <param name="data15">Data span 15, or empty.</param>
    public static double Sum<T>(ShardSum<T> shardSum, int samples, Span<double> sums, int maxDegreeOfParallelism, ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> data0 = default, ReadOnlySpan<T> data1 = default, ReadOnlySpan<T> data2 = default, ReadOnlySpan<T> data3 = default,
        ReadOnlySpan<T> data4 = default, ReadOnlySpan<T> data5 = default, ReadOnlySpan<T> data6 = default, ReadOnlySpan<T> data7 = default,
        ReadOnlySpan<T> data8 = default, ReadOnlySpan<T> data9 = default, ReadOnlySpan<T> data10 = default, ReadOnlySpan<T> data11 = default,
        ReadOnlySpan<T> data12 = default, ReadOnlySpan<T> data13 = default, ReadOnlySpan<T> data14 = default, ReadOnlySpan<T> data15 = default)
        where T : unmanaged
    {
        var whole = new ShardData<T>(parameters, data0, data1, data2, data3, data4, data5, data6, data7,
            data8, data9, data10, data11, data12, data13, data14, data15);
        int shards = ShardCount(samples);
        if (shards == 1)
        {
            return shardSum(in whole, sums);
        }

        if (maxDegreeOfParallelism > 1)
        {
            return InParallel(shardSum, samples, shards, sums, maxDegreeOfParallelism, in whole);
        }

        var scratch = Scratch(sums.Length);
        double loss = 0;
        for (int k = 0; k < shards; k++)
        {
            int start = ShardStart(samples, shards, k);
            int count = ShardStart(samples, shards, k + 1) - start;
            var shard = whole.Cut(samples, start, count);
            loss += shardSum(in shard, k == 0 ? sums : scratch);
            if (k > 0)
            {
                Add(sums, scratch);
            }
        }

        return loss;
    }

    /// <summary>total ← total + shard, value by value.</summary>
    private static void Add(Span<double> total, ReadOnlySpan<double> shard)
    {
        for (int j = 0; j < total.Length; j++)
        {
            total[j] += shard[j];
        }
    }

    /// <summary>
    /// The double sums of a float objective's data overload when they are too many for the stack (README, Float objectives):
    /// <paramref name="length"/> doubles this thread reuses, allocated on its first call, so that later calls allocate nothing.
    /// Not cleared: <c>MGradientSum</c> overwrites them.
    /// </summary>
    public static Span<double> MeanSums(int length) => Reused(ref t_meanSums, length, length);

    /// <summary>
    /// The per-sample float gradient of a float objective's shard loop when it is too long for the stack (README, Float
    /// objectives): <paramref name="length"/> floats this thread reuses, zeroed, as <c>stackalloc</c> would give them.
    /// </summary>
    public static Span<float> SampleGradient(int length)
    {
        var span = Reused(ref t_sampleGradient, length, length);
        span.Clear();
        return span;
    }

    private static Span<double> Scratch(int length) => Reused(ref t_scratch, length, Math.Max(length, 16));

    /// <summary>
    /// The first <paramref name="length"/> elements of this thread's <paramref name="buffer"/> (a [ThreadStatic] field),
    /// replaced by one of <paramref name="capacity"/> elements when it is missing or too short: allocated once per thread.
    /// </summary>
    private static Span<T> Reused<T>(ref T[]? buffer, int length, int capacity)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[capacity];
        }

        return buffer.AsSpan(0, length);
    }

    private static unsafe double InParallel<T>(ShardSum<T> shardSum, int samples, int shards, Span<double> sums, int maxDegreeOfParallelism, in ShardData<T> whole)
        where T : unmanaged
    {
        int width = sums.Length;
        // Each shard's sums, then each shard's loss, in one pooled array: no allocation that grows with the data.
        var storage = ArrayPool<double>.Shared.Rent(shards * (width + 1));
        try
        {
            // The spans stay pinned while the workers read them through pointers.
            fixed (T* p = whole.Parameters, d0 = whole[0], d1 = whole[1], d2 = whole[2], d3 = whole[3], d4 = whole[4], d5 = whole[5], d6 = whole[6], d7 = whole[7],
                d8 = whole[8], d9 = whole[9], d10 = whole[10], d11 = whole[11], d12 = whole[12], d13 = whole[13], d14 = whole[14], d15 = whole[15])
            {
                var work = new PinnedShards<T>(shardSum, samples, shards, width, storage);
                nint* addresses = stackalloc nint[] { (nint)p, (nint)d0, (nint)d1, (nint)d2, (nint)d3, (nint)d4, (nint)d5, (nint)d6, (nint)d7, (nint)d8, (nint)d9, (nint)d10, (nint)d11, (nint)d12, (nint)d13, (nint)d14, (nint)d15 };
                for (int i = 0; i <= MaximumDataSpans; i++)
                {
                    work.Pin(i, addresses[i], i == 0 ? whole.Parameters.Length : whole[i - 1].Length);
                }

                Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, work.Run);
            }

            // The same fold as on one core: shard 0's sums, then each later shard's added in order.
            storage.AsSpan(0, width).CopyTo(sums);
            double loss = 0;
            for (int k = 0; k < shards; k++)
            {
                loss += storage[shards * width + k];
                if (k > 0)
                {
                    Add(sums, storage.AsSpan(k * width, width));
                }
            }

            return loss;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(storage);
        }
    }

    /// <summary>One parallel call's pinned spans and its shard storage; each worker runs whole shards.</summary>
    private sealed unsafe class PinnedShards<T>
        where T : unmanaged
    {
        private readonly ShardSum<T> _shardSum;
        private readonly int _samples;
        private readonly int _shards;
        private readonly int _width;
        private readonly double[] _storage;
        private Spans _addresses;
        private Lengths _lengths;

        public PinnedShards(ShardSum<T> shardSum, int samples, int shards, int width, double[] storage)
            => (_shardSum, _samples, _shards, _width, _storage) = (shardSum, samples, shards, width, storage);

        public void Pin(int index, nint address, int length)
        {
            _addresses[index] = address;
            _lengths[index] = length;
        }

        public void Run(int k)
        {
            int start = ShardStart(_samples, _shards, k);
            int count = ShardStart(_samples, _shards, k + 1) - start;
            var whole = new ShardData<T>(Pinned(0), Pinned(1), Pinned(2), Pinned(3), Pinned(4), Pinned(5), Pinned(6), Pinned(7), Pinned(8),
                Pinned(9), Pinned(10), Pinned(11), Pinned(12), Pinned(13), Pinned(14), Pinned(15), Pinned(16));
            var shard = whole.Cut(_samples, start, count);
            _storage[_shards * _width + k] = _shardSum(in shard, _storage.AsSpan(k * _width, _width));
        }

        /// <summary>Pinned span <paramref name="index"/>, whole: the parameters (index 0), then the data spans.</summary>
        private ReadOnlySpan<T> Pinned(int index) => new((void*)_addresses[index], _lengths[index]);

        [InlineArray(MaximumDataSpans + 1)]
        private struct Spans
        {
            private nint _element0;
        }

        [InlineArray(MaximumDataSpans + 1)]
        private struct Lengths
        {
            private int _element0;
        }
    }
}
