using System;
using System.ComponentModel;

namespace OptimDsl;

/// <summary>
/// The spans one shard of a data set reads: the parameters, whole, and each data span cut to the shard's
/// samples (a column to its values, rows to its rows). Built by <see cref="DataShards"/> for the generated
/// <c>MGradientSum</c>; not meant to be used by hand.
/// </summary>
/// <typeparam name="T">The objective's element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct ShardData<T>
    where T : unmanaged
{
    private readonly ReadOnlySpan<T> _data0, _data1, _data2, _data3, _data4, _data5, _data6, _data7;
    private readonly ReadOnlySpan<T> _data8, _data9, _data10, _data11, _data12, _data13, _data14, _data15;

    internal ShardData(ReadOnlySpan<T> parameters, ReadOnlySpan<T> data0, ReadOnlySpan<T> data1, ReadOnlySpan<T> data2, ReadOnlySpan<T> data3,
        ReadOnlySpan<T> data4, ReadOnlySpan<T> data5, ReadOnlySpan<T> data6, ReadOnlySpan<T> data7,
        ReadOnlySpan<T> data8, ReadOnlySpan<T> data9, ReadOnlySpan<T> data10, ReadOnlySpan<T> data11,
        ReadOnlySpan<T> data12, ReadOnlySpan<T> data13, ReadOnlySpan<T> data14, ReadOnlySpan<T> data15)
    {
        Parameters = parameters;
        _data0 = data0;
        _data1 = data1;
        _data2 = data2;
        _data3 = data3;
        _data4 = data4;
        _data5 = data5;
        _data6 = data6;
        _data7 = data7;
        _data8 = data8;
        _data9 = data9;
        _data10 = data10;
        _data11 = data11;
        _data12 = data12;
        _data13 = data13;
        _data14 = data14;
        _data15 = data15;
    }

    /// <summary>The spans of samples [start, start + count) of these <paramref name="samples"/> samples: the parameters whole, each data span cut.</summary>
    internal ShardData<T> Cut(int samples, int start, int count)
        => new(Parameters, Cut(_data0, samples, start, count), Cut(_data1, samples, start, count), Cut(_data2, samples, start, count), Cut(_data3, samples, start, count),
            Cut(_data4, samples, start, count), Cut(_data5, samples, start, count), Cut(_data6, samples, start, count), Cut(_data7, samples, start, count),
            Cut(_data8, samples, start, count), Cut(_data9, samples, start, count), Cut(_data10, samples, start, count), Cut(_data11, samples, start, count),
            Cut(_data12, samples, start, count), Cut(_data13, samples, start, count), Cut(_data14, samples, start, count), Cut(_data15, samples, start, count));

    /// <summary>The samples [start, start + count) of a data span of <paramref name="samples"/> values or rows; an unused span stays empty.</summary>
    private static ReadOnlySpan<T> Cut(ReadOnlySpan<T> data, int samples, int start, int count)
    {
        int rowLength = data.Length / samples;
        return data.Slice(start * rowLength, count * rowLength);
    }

    /// <summary>The parameters, the same for every shard.</summary>
    public ReadOnlySpan<T> Parameters { get; }

    /// <summary>Data span <paramref name="index"/> (in the objective's declaration order), cut to this shard's samples.</summary>
    public ReadOnlySpan<T> this[int index] => index switch
    {
        0 => _data0,
        1 => _data1,
        2 => _data2,
        3 => _data3,
        4 => _data4,
        5 => _data5,
        6 => _data6,
        7 => _data7,
        8 => _data8,
        9 => _data9,
        10 => _data10,
        11 => _data11,
        12 => _data12,
        13 => _data13,
        14 => _data14,
        15 => _data15,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}

/// <summary>
/// The sums over one shard: returns the sum of its losses and writes the sums of its gradients (and any
/// other per-sample sums) to <paramref name="sums"/>, overwriting it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate double ShardSum<T>(in ShardData<T> shard, Span<double> sums)
    where T : unmanaged;
