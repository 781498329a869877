using System;
using System.IO;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Checkpoints;

/// <summary>
/// Checkpoints (README, Checkpoints): <c>SaveState</c> and <c>LoadState</c> continue bit-identically, with
/// inline and heap state, with minibatches; a stream of another objective, optimizer, layout or format
/// version, or a truncated one, is an <see cref="InvalidDataException"/>; one checkpoint is read, the stream stays open.
/// </summary>
public sealed class CheckpointTests
{
    private const string Source = """
        using System;
        using System.IO;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05, AmsGrad = true), GradientDescent(LearningRate = 0.01)]
            public static double Bowl(double a, double b) => (a - 1) * (a - 1) + 3 * (b + 2) * (b + 2) + 0.5 * a * b;

            [Objective, Adam(LearningRate = 0.05)]
            public static double Other(double a, double b) => (a - 1) * (a - 1) + (b - 2) * (b - 2);

            [Objective, Sgd(LearningRate = 0.05, Momentum = 0.9, BatchSize = 3, Seed = 4)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            [Objective, Adam(LearningRate = 0.01)]
            public static double Wide([Length(600)] ReadOnlySpan<double> v)
            {
                double s = 0;
                for (int i = 0; i < 600; i++)
                    s += (v[i] - 0.001 * i) * (v[i] - 0.001 * i);
                return s;
            }
        }

        public static class Driver
        {
            static long[] Bits(params double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

            // The original after 7 + 9 steps, and a copy loaded after 7 that made the 9 too.
            public static long[][] Bowl()
            {
                var adam = new P.BowlAdam(0.3, -0.7);
                for (int s = 0; s < 7; s++) adam.Step();
                var stream = new MemoryStream();
                adam.SaveState(stream);
                stream.Position = 0;
                var loaded = P.BowlAdam.LoadState(stream);
                double a = 0, b = 0;
                for (int s = 0; s < 9; s++) { a = adam.Step(); b = loaded.Step(); }
                return [Bits(adam.A, adam.B, a, adam.Iteration, adam.LearningRate), Bits(loaded.A, loaded.B, b, loaded.Iteration, loaded.LearningRate)];
            }

            public static long[][] Line(double[] x, double[] y)
            {
                var sgd = new P.LineSgd(0, 0) { LearningRate = 0.03 };
                for (int s = 0; s < 5; s++) sgd.Step(x, y);   // mid-epoch: 5 batches of 3 over 11 samples
                var stream = new MemoryStream();
                sgd.SaveState(stream);
                stream.Position = 0;
                var loaded = P.LineSgd.LoadState(stream);
                var r1 = sgd.Minimize(x, y, 40, 0);
                var r2 = loaded.Minimize(x, y, 40, 0);
                return [Bits(sgd.W, sgd.B, r1.Loss, sgd.LearningRate), Bits(loaded.W, loaded.B, r2.Loss, loaded.LearningRate)];
            }

            public static long[][] Wide()
            {
                var adam = new P.WideAdam(new double[600]);
                for (int s = 0; s < 4; s++) adam.Step();
                var stream = new MemoryStream();
                adam.SaveState(stream);
                stream.Position = 0;
                var loaded = P.WideAdam.LoadState(stream);
                for (int s = 0; s < 6; s++) { adam.Step(); loaded.Step(); }
                loaded.Parameters[0] = 42; // its own storage, not the original's
                return [Bits([.. adam.Parameters]), Bits([.. loaded.Parameters])];
            }

            public static byte[] BowlCheckpoint()
            {
                var adam = new P.BowlAdam(0.3, -0.7);
                adam.Step();
                var stream = new MemoryStream();
                adam.SaveState(stream);
                return stream.ToArray();
            }

            /// <summary>The exception's type name when loading <paramref name="bytes"/> as <paramref name="as"/>.</summary>
            public static string Load(byte[] bytes, string @as)
            {
                try
                {
                    var stream = new MemoryStream(bytes);
                    _ = @as switch
                    {
                        "BowlAdam" => (object)P.BowlAdam.LoadState(stream),
                        "BowlGradientDescent" => P.BowlGradientDescent.LoadState(stream),
                        _ => P.OtherAdam.LoadState(stream),
                    };
                    return "loaded";
                }
                catch (Exception e)
                {
                    return e.GetType().Name;
                }
            }

            // Two checkpoints back to back: each load reads one; the stream stays open and at the end.
            public static long[] TwoInARow()
            {
                var first = new P.BowlAdam(1, 2);
                var second = new P.BowlAdam(3, 4);
                second.Step();
                var stream = new MemoryStream();
                first.SaveState(stream);
                second.SaveState(stream);
                stream.Position = 0;
                var a = P.BowlAdam.LoadState(stream);
                var b = P.BowlAdam.LoadState(stream);
                return [.. Bits(a.A, a.B, b.A, b.B), a.Iteration, b.Iteration, stream.CanRead ? 1 : 0, stream.Position == stream.Length ? 1 : 0];
            }

            public static string SaveDefault()
            {
                try
                {
                    default(P.BowlAdam).SaveState(new MemoryStream());
                    return "saved";
                }
                catch (InvalidOperationException)
                {
                    return "InvalidOperationException";
                }
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    [Fact]
    public void A_loaded_optimizer_continues_bit_identically()
    {
        var r = Driver.Value.Call<long[][]>("Bowl");
        Assert.Equal(r[0], r[1]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(16), r[0][3]); // the iteration came along
    }

    [Fact]
    public void Minibatch_position_and_momentum_come_along()
    {
        double[] x = [.. Enumerable.Range(0, 11).Select(i => (i * 0.3) - 1.5)];
        double[] y = [.. x.Select(v => (2 * v) + 1)];
        var r = Driver.Value.Call<long[][]>("Line", x, y);
        Assert.Equal(r[0], r[1]);
    }

    [Fact]
    public void Heap_state_is_saved_and_loaded_into_storage_of_its_own()
    {
        var r = Driver.Value.Call<long[][]>("Wide");
        Assert.Equal(BitConverter.DoubleToInt64Bits(42), r[1][0]);
        Assert.Equal(r[0].Skip(1), r[1].Skip(1));
        Assert.NotEqual(r[0][0], r[1][0]);
    }

    [Fact]
    public void Another_objective_or_optimizer_is_refused()
    {
        var bytes = Driver.Value.Call<byte[]>("BowlCheckpoint");
        Assert.Equal("loaded", Driver.Value.Call<string>("Load", bytes, "BowlAdam"));
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", bytes, "OtherAdam"));
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", bytes, "BowlGradientDescent"));
    }

    [Fact]
    public void Another_format_version_or_layout_or_garbage_is_refused()
    {
        var bytes = Driver.Value.Call<byte[]>("BowlCheckpoint");

        var version = (byte[])bytes.Clone();
        version[8]++; // the int32 after the 8-byte magic
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", version, "BowlAdam"));

        var layout = (byte[])bytes.Clone();
        var at = IndexOf(layout, "a, b"u8.ToArray());
        Assert.True(at > 0);
        layout[at + 3] = (byte)'c';
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", layout, "BowlAdam"));

        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, "BowlAdam"));
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", Array.Empty<byte>(), "BowlAdam"));
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = Driver.Value.Call<byte[]>("BowlCheckpoint");
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal("InvalidDataException", Driver.Value.Call<string>("Load", bytes[..length], "BowlAdam"));
        }
    }

    [Fact]
    public void LoadState_reads_exactly_one_checkpoint_and_leaves_the_stream_open()
    {
        var r = Driver.Value.Call<long[]>("TwoInARow");
        Assert.Equal(BitConverter.DoubleToInt64Bits(1), r[0]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(2), r[1]);
        Assert.Equal([0, 1, 1, 1], r[4..]);
    }

    [Fact]
    public void An_optimizer_not_constructed_is_not_saved()
        => Assert.Equal("InvalidOperationException", Driver.Value.Call<string>("SaveDefault"));

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
