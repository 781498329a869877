using System;
using System.Linq;
using OptimDsl.Tests.Generation;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The members every objective and optimizer gets for flat use (README, The generated members):
/// <c>MParameterCount</c>, the constructor from the flat span, the <c>Parameters</c> view and <c>Clone()</c>.
/// </summary>
public sealed class GeneratedApiTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05)]
            public static double Bowl(double a, double b, double c) => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * c * c + a * c;

            [Objective, Sgd(LearningRate = 0.1, Momentum = 0.9, BatchSize = 3, Seed = 5)]
            internal static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }
        }

        public static class Driver
        {
            public static int[] Counts() => new[] { P.BowlParameterCount, P.LineParameterCount };

            public static double[] FlatAgainstNamed(double[] start, int steps)
            {
                var named = new P.BowlAdam(start[0], start[1], start[2]);
                var flat = new P.BowlAdam(start);
                var result = new double[steps * 2];
                for (int s = 0; s < steps; s++)
                {
                    result[2 * s] = named.Step() - flat.Step();
                    result[2 * s + 1] = BitConverter.DoubleToInt64Bits(named.A) == BitConverter.DoubleToInt64Bits(flat.A)
                        && BitConverter.DoubleToInt64Bits(named.B) == BitConverter.DoubleToInt64Bits(flat.B)
                        && BitConverter.DoubleToInt64Bits(named.C) == BitConverter.DoubleToInt64Bits(flat.C) ? 1 : 0;
                }

                return result;
            }

            public static string WrongLength(double[] start)
            {
                try
                {
                    _ = new P.BowlAdam(start);
                    return "no exception";
                }
                catch (ArgumentException e)
                {
                    return e.ParamName + ": " + e.Message;
                }
            }

            /// <summary>The view before and after a step, and the properties after writing through it.</summary>
            public static double[] View()
            {
                var adam = new P.BowlAdam(0.5, -1, 2);
                var view = adam.Parameters;
                var before = view.ToArray();
                adam.Step();
                var after = view.ToArray();
                view[1] = 7;
                return [view.Length, .. before, .. after, adam.A, adam.B, adam.C];
            }

            /// <summary>Original and clone after the original ran 4 steps, the clone was taken, and each ran 6 more; then the clone alone ran 1 more.</summary>
            public static long[] CloneFullBatch()
            {
                var original = new P.BowlAdam(0.5, -1, 2);
                for (int s = 0; s < 4; s++) original.Step();
                var clone = original.Clone();
                double lossOriginal = 0, lossClone = 0;
                for (int s = 0; s < 6; s++) { lossOriginal = original.Step(); lossClone = clone.Step(); }
                var together = new[] { original.A, original.B, original.C, lossOriginal, original.Iteration, clone.A, clone.B, clone.C, lossClone, clone.Iteration };
                clone.Step();
                return [.. together.Select(BitConverter.DoubleToInt64Bits), BitConverter.DoubleToInt64Bits(original.A), BitConverter.DoubleToInt64Bits(clone.A)];
            }

            /// <summary>The same with minibatches, the clone taken mid-epoch (after 2 of 4 batches of 11 samples).</summary>
            public static long[] CloneMinibatch(double[] x, double[] y)
            {
                var original = new P.LineSgd(0.1, -0.2);
                original.Step(x, y);
                original.Step(x, y);
                var clone = original.Clone();
                double lossOriginal = 0, lossClone = 0;
                for (int s = 0; s < 9; s++) { lossOriginal = original.Step(x, y); lossClone = clone.Step(x, y); }
                return [.. new[] { original.W, original.B, lossOriginal, clone.W, clone.B, lossClone }.Select(BitConverter.DoubleToInt64Bits)];
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    [Fact]
    public void ParameterCount_is_the_number_of_trained_values_data_excluded()
    {
        Assert.Equal([3, 2], Driver.Value.Call<int[]>("Counts"));
    }

    [Fact]
    public void ParameterCount_has_the_accessibility_of_its_objective()
    {
        var run = GenerationSupport.Run(Source);
        var line = run.GeneratedSources.Single(s => s.HintName.EndsWith("Line.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        var bowl = run.GeneratedSources.Single(s => s.HintName.EndsWith("Bowl.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("internal const int LineParameterCount = 2;", line, StringComparison.Ordinal);
        Assert.Contains("public const int BowlParameterCount = 3;", bowl, StringComparison.Ordinal);
    }

    [Fact]
    public void The_flat_constructor_starts_where_the_named_one_does()
    {
        var result = Driver.Value.Call<double[]>("FlatAgainstNamed", new[] { 0.3, -0.7, 1.1 }, 20);
        for (int s = 0; s < 20; s++)
        {
            Assert.Equal(0, result[2 * s]);
            Assert.Equal(1, result[2 * s + 1]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void The_flat_constructor_refuses_a_span_of_the_wrong_length(int length)
    {
        var message = Driver.Value.Call<string>("WrongLength", new double[length]);
        Assert.Equal($"parameters: Expected 3 values (a, b, c) but the span holds {length}. (Parameter 'parameters')", message);
    }

    [Fact]
    public void Parameters_is_a_view_that_sees_updates_and_writes_through()
    {
        var v = Driver.Value.Call<double[]>("View");
        Assert.Equal(3, v[0]);
        Assert.Equal([0.5, -1, 2], v[1..4]);
        // Adam's first step (m̂ = g, v̂ = g²) moves θ by η·g / (|g| + ε), η = 0.05, ε = 1e-8:
        // ∂/∂a = 2(a − 1) + c = 1, ∂/∂b = 4(b + 2) = 4, ∂/∂c = 6c + a = 12.5.
        Assert.Equal(0.5 - 0.05 * 1 / (1 + 1e-8), v[4], 14);
        Assert.Equal(-1 - 0.05 * 4 / (4 + 1e-8), v[5], 14);
        Assert.Equal(2 - 0.05 * 12.5 / (12.5 + 1e-8), v[6], 14);
        Assert.Equal(v[4], v[7]);
        Assert.Equal(7, v[8]);
        Assert.Equal(v[6], v[9]);
    }

    [Fact]
    public void A_clone_continues_bit_identically_and_independently()
    {
        var bits = Driver.Value.Call<long[]>("CloneFullBatch");
        Assert.Equal(bits[..5], bits[5..10]);
        Assert.Equal(10, BitConverter.Int64BitsToDouble(bits[4]));
        // One more step of the clone alone moves the clone, not the original.
        Assert.Equal(bits[0], bits[10]);
        Assert.NotEqual(bits[10], bits[11]);
    }

    [Fact]
    public void A_clone_taken_mid_epoch_continues_through_the_same_minibatches()
    {
        var x = Enumerable.Range(0, 11).Select(i => Math.Sin(i * 0.9)).ToArray();
        var y = x.Select((v, i) => 2 * v - 0.5 + 0.05 * Math.Cos(i)).ToArray();
        var bits = Driver.Value.Call<long[]>("CloneMinibatch", x, y);
        Assert.Equal(bits[..3], bits[3..]);
    }
}
