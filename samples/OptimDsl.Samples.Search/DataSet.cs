using System;

namespace OptimDsl.Samples.Search;

/// <summary>
/// Samples of y = 2·x1 − 3·x2 + 0.5·x3 + 1 + noise, the features uniform in [−1, 1) and the noise
/// uniform in [−0.1, 0.1) (variance 0.01 / 3 ≈ 0.0033, the least mean squared error a fit can reach).
/// Drawn with SplitMix64 (Steele, Lea and Flood 2014), written here so that the data are the same on
/// every .NET version and platform.
/// </summary>
public sealed class DataSet
{
    private DataSet(int count)
    {
        X1 = new double[count];
        X2 = new double[count];
        X3 = new double[count];
        Y = new double[count];
    }

    /// <summary>The first feature of each sample.</summary>
    public double[] X1 { get; }

    /// <summary>The second feature of each sample.</summary>
    public double[] X2 { get; }

    /// <summary>The third feature of each sample.</summary>
    public double[] X3 { get; }

    /// <summary>The target of each sample.</summary>
    public double[] Y { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Y.Length;

    /// <summary><paramref name="count"/> samples drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static DataSet Generate(int count, ulong seed)
    {
        var data = new DataSet(count);
        ulong state = seed;
        for (int s = 0; s < count; s++)
        {
            data.X1[s] = 2 * Uniform(ref state) - 1;
            data.X2[s] = 2 * Uniform(ref state) - 1;
            data.X3[s] = 2 * Uniform(ref state) - 1;
            double noise = 0.2 * Uniform(ref state) - 0.1;
            data.Y[s] = 2 * data.X1[s] - 3 * data.X2[s] + 0.5 * data.X3[s] + 1 + noise;
        }

        return data;
    }

    // SplitMix64's next value, its top 53 bits as a double in [0, 1).
    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
