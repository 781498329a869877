namespace OptimDsl;

/// <summary>
/// The search's random numbers: SplitMix64 (Steele, Lea &amp; Flood 2014), written here so that a seed gives
/// the same sequence on every .NET version and platform (System.Random promises no such thing).
/// </summary>
internal struct SearchRandom
{
    private ulong _state;

    public SearchRandom(int seed) => _state = unchecked((ulong)(long)seed);

    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A double in [0, 1): the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
