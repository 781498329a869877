using System;

namespace OptimDsl;

/// <summary>
/// Gives a <c>ReadOnlySpan&lt;double&gt;</c> parameter of an <see cref="ObjectiveAttribute">objective</see>
/// its length, a compile-time constant. Without <see cref="DataAttribute"/> the parameter is a vector of
/// <see cref="Length"/> trained values; with it, one sample's row of <see cref="Length"/> values
/// (README, Vectors and loops).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class LengthAttribute : Attribute
{
    /// <summary>Declares a vector parameter of <paramref name="length"/> values.</summary>
    /// <param name="length">The number of values, a constant of at least 1.</param>
    public LengthAttribute(int length) => Length = length;

    /// <summary>The number of values of the parameter.</summary>
    public int Length { get; }
}
