using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The runtime helper the generated data gradient combines its four lane accumulators with:
/// exactly (a0 + a1) + (a2 + a3), the order the README's bit-identity promise depends on, at both widths.
/// </summary>
public sealed class SumLanesTests
{
    /// <summary>
    /// Lanes (a0, a1, a2, a3) and their sum in the order (a0 + a1) + (a2 + a3), worked out by hand.
    /// Above 2^53 the doubles are 2 apart and ties round to an even significand; 1e16 / 2 = 5e15 is even.
    /// <list type="bullet">
    /// <item>1e16, 1, −1e16, 1: 1e16 + 1 ties to 1e16, −1e16 + 1 ties to −1e16, so the sum is 0
    /// (left to right gives 1, (a0 + a2) + (a1 + a3) gives 2).</item>
    /// <item>1e16, 3, −1e16, 3: 1e16 + 3 ties to 1e16 + 4 (5e15 + 2 is even), −1e16 + 3 ties to −1e16 + 4, so
    /// the sum is 8 (left to right gives 7, (a0 + a2) + (a1 + a3) gives 6, the exact sum).</item>
    /// <item>Four −0: −0 + −0 is −0, so the sum is −0, not +0.</item>
    /// </list>
    /// </summary>
    [Theory]
    [InlineData(1e16, 1.0, -1e16, 1.0, 0.0)]
    [InlineData(1e16, 3.0, -1e16, 3.0, 8.0)]
    [InlineData(-0.0, -0.0, -0.0, -0.0, -0.0)]
    [InlineData(1.0, 2.0, 4.0, 8.0, 15.0)]
    public void SumLanes_adds_the_pairs_then_the_pair_sums(double a0, double a1, double a2, double a3, double expected)
    {
        var wide = VectorMath.SumLanes(Vector256.Create(a0, a1, a2, a3));
        var pair = VectorMath.SumLanes(Vector128.Create(a0, a1), Vector128.Create(a2, a3));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(wide));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(pair));
    }

    [Fact]
    public void Both_widths_give_the_same_bits_for_any_lanes()
    {
        var random = new Random(20261201);
        for (var trial = 0; trial < 10_000; trial++)
        {
            double Draw() => (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 60));
            double a0 = Draw(), a1 = Draw(), a2 = Draw(), a3 = Draw();
            var expected = (a0 + a1) + (a2 + a3);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(VectorMath.SumLanes(Vector256.Create(a0, a1, a2, a3))));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(VectorMath.SumLanes(Vector128.Create(a0, a1), Vector128.Create(a2, a3))));
        }
    }
}
