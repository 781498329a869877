namespace OptimDsl;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014): the one random-number step of the runtime library, written
/// here so that a seed gives the same sequence on every .NET version and platform (System.Random
/// promises no such thing). The minibatches' epoch order and the hyperparameter search draw from it.
/// </summary>
internal static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns the next 64 random bits.</summary>
    public static ulong Next(ref ulong state)
    {
        unchecked
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
