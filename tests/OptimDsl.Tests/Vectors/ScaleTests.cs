using System;
using System.Linq;
using System.Threading;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// Large models (README, Vectors and loops): 10,000 trained values generate with rolled loops, train
/// on a thread with a 256 KB stack without allocating, and past <c>InlineStateLimit</c> values an
/// optimizer keeps its state on the heap: copies share it, <c>Clone()</c> does not, and <c>Minimize</c>
/// still returns to the last finite step of a diverging run.
/// </summary>
public sealed class ScaleTests
{
    private const string Source = """
        using System;
        using System.Threading;
        using OptimDsl;

        namespace Scale;

        public static partial class Big
        {
            public const int N = 10_000;

            [Objective, Adam(LearningRate = 0.01), Sgd(LearningRate = 0.001, BatchSize = 2, Seed = 1)]
            public static double Smooth([Length(N)] ReadOnlySpan<double> w, [Data] double scale)
            {
                double fit = 0;
                for (int i = 0; i < N; i++)
                    fit += (w[i] - scale * 0.001 * i) * (w[i] - scale * 0.001 * i);
                double rough = 0;
                for (int i = 1; i < N; i++)
                    rough += (w[i] - w[i - 1]) * (w[i] - w[i - 1]);
                return fit + 0.1 * rough;
            }

            // 600 values: past the inline limit, with a learning rate that diverges.
            [Objective, GradientDescent(LearningRate = 1.5)]
            public static double Steep([Length(600)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 600; i++)
                    s += (w[i] - 1) * (w[i] - 1);
                return s;
            }
        }

        public static class Driver
        {
            public static double[] OnSmallStack()
            {
                var result = new double[4];
                var thread = new Thread(() =>
                {
                    var scales = new[] { 1.0, 0.5, 2.0 };
                    var adam = new Big.SmoothAdam(new double[Big.N]);
                    var sgd = new Big.SmoothSgd(new double[Big.N]);
                    var first = adam.Step(scales);
                    for (int s = 0; s < 30; s++)
                    {
                        // Past the JIT's first tiers (and on-stack replacement of their loops), whose
                        // compilations may allocate on this thread: both optimizers, as measured below.
                        adam.Step(scales);
                        sgd.Step(scales);
                    }

                    // The fewest bytes of five rounds of 100 steps each: on a loaded machine a later tier's
                    // compilation (or on-stack replacement) may still land in one round and allocate there;
                    // a step that allocated would show in every round.
                    double last = 0;
                    long fewest = long.MaxValue;
                    for (int round = 0; round < 5; round++)
                    {
                        var before = GC.GetAllocatedBytesForCurrentThread();
                        for (int s = 0; s < 100; s++)
                        {
                            last = adam.Step(scales);
                            sgd.Step(scales);
                        }

                        fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                    }

                    result[0] = fewest;
                    result[1] = first;
                    result[2] = last;
                    result[3] = adam.W[9_999];
                }, 256 * 1024);
                thread.Start();
                thread.Join();
                return result;
            }

            public static double[] Copies()
            {
                var a = new Big.SteepGradientDescent(new double[600]);
                var shared = a;
                var clone = a.Clone();
                a.Step();
                // A copy shares the heap state; a clone does not.
                return new[] { shared.W[0], clone.W[0], a.W[0] };
            }

            public static double[] Diverges()
            {
                var a = new Big.SteepGradientDescent(new double[600]);
                a.LearningRate = 1e200;
                var result = a.Minimize(10);
                return new[] { (double)result.Status, result.Iterations, a.W[0], a.W[599], a.Iteration };
            }
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return (run, run.Load());
    });

    private static object? Call(string method) => Compiled.Value.Assembly.Invoke("Scale.Driver", method);

    [Fact]
    public void Ten_thousand_values_generate_a_small_file_with_rolled_loops()
    {
        var file = Compiled.Value.Run.SourceOf("Scale.Big.Smooth.g.cs");
        Assert.Contains("// Rolled loop 1: 10000 iterations adding to fit, four at a time in SIMD lanes.", file, StringComparison.Ordinal);
        Assert.Contains("// Rolled loop 2: 9999 iterations adding to rough, four at a time in SIMD lanes, then the last 3 in order.", file, StringComparison.Ordinal);
        Assert.Contains("private double[] parameters;", file, StringComparison.Ordinal);
        // The size does not depend on the 10,000 values: two optimizer structs, each loop's SIMD and scalar
        // forms (about 80 KB); the unrolled form would hold terms per value, megabytes.
        Assert.True(file.Length < 90_000, $"{file.Length} characters");
    }

    [Fact]
    public void Ten_thousand_values_train_on_a_256_KB_stack_without_allocating()
    {
        var r = (double[])Call("OnSmallStack")!;
        Assert.Equal(0, r[0]);
        Assert.True(r[2] < r[1], $"loss {r[1]} → {r[2]}");
        Assert.True(r[3] > 0, "the last value moved towards its target");
    }

    [Fact]
    public void Copies_share_heap_state_and_clones_do_not()
        => Assert.Equal(new[] { 3.0, 0.0, 3.0 }, (double[])Call("Copies")!); // w ← 0 − 1.5 · 2(0 − 1) = 3

    [Fact]
    public void Minimize_returns_to_the_last_finite_step_with_heap_state()
    {
        var r = (double[])Call("Diverges")!;
        Assert.Equal((double)OptimizationStatus.Diverged, r[0]);
        // The first update overflows θ to ±∞ (1e200 · 2 · 1 → 2e200, then its square overflows the loss): back to the start.
        Assert.Equal(0, r[2]);
        Assert.Equal(0, r[3]);
    }
}
