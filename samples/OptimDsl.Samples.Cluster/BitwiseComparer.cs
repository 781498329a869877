using System;
using System.Collections.Generic;

namespace OptimDsl.Samples.Cluster;

/// <summary>Compares doubles by their bits: −0 differs from 0, and a NaN equals the same NaN.</summary>
public sealed class BitwiseComparer : IEqualityComparer<double>
{
    /// <summary>The comparer.</summary>
    public static readonly BitwiseComparer Instance = new();

    /// <inheritdoc/>
    public bool Equals(double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y);

    /// <inheritdoc/>
    public int GetHashCode(double obj) => BitConverter.DoubleToInt64Bits(obj).GetHashCode();
}
