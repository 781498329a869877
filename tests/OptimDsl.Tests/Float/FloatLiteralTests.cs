using System;
using System.Globalization;
using OptimDsl.Generators.Emitting;
using OptimDsl.Generators.Model;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>README, Float objectives: a float graph's constants are printed as float literals of exactly their value.</summary>
public sealed class FloatLiteralTests
{
    [Theory]
    [InlineData(double.NaN, "float.NaN")]
    [InlineData(double.PositiveInfinity, "float.PositiveInfinity")]
    [InlineData(double.NegativeInfinity, "float.NegativeInfinity")]
    [InlineData(0.0, "0f")]
    [InlineData(-0.0, "-0f")]
    [InlineData(2.0, "2f")]
    [InlineData(-16777216.0, "-16777216f")]
    public void Special_values_zeros_and_integers(double value, string expected)
    {
        Assert.Equal(expected, ExpressionPrinter.FormatConstant(value, ElementType.Float));
    }

    [Fact]
    public void Every_printed_float_reads_back_as_the_same_bits()
    {
        var random = new Random(11);
        for (var k = 0; k < 20_000; k++)
        {
            // Random floats of every magnitude and sign, subnormals and the extremes included.
            var value = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            if (!float.IsFinite(value) || value == 0)
            {
                continue;
            }

            var text = ExpressionPrinter.FormatConstant(value, ElementType.Float);
            Assert.EndsWith("f", text, StringComparison.Ordinal);
            var parsed = float.Parse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(parsed));
        }

        Assert.Equal("1E-45f", ExpressionPrinter.FormatConstant(float.Epsilon, ElementType.Float));
        Assert.Equal("3.4028235E+38f", ExpressionPrinter.FormatConstant(float.MaxValue, ElementType.Float));
        Assert.Equal("0.1f", ExpressionPrinter.FormatConstant(0.1f, ElementType.Float));
    }
}
