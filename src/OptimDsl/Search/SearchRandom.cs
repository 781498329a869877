namespace OptimDsl;

/// <summary>The search's random numbers: <see cref="SplitMix64"/> from a seed, as doubles in [0, 1).</summary>
internal struct SearchRandom
{
    private ulong _state;

    public SearchRandom(int seed) => _state = unchecked((ulong)(long)seed);

    /// <summary>A double in [0, 1): the top 53 bits.</summary>
    public double NextDouble() => (SplitMix64.Next(ref _state) >> 11) * (1.0 / (1UL << 53));
}
