using System;
using System.Collections.Immutable;
using System.Linq;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Rules;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: the layouts of a float optimizer's state and the searches. 21 floats are inline with the
/// update's chunks in a loop (more than 16 parameters); 17 × 63 = 1,071 floats are past the 1,024 floats (4 KB a vector)
/// kept inline, so the vectors are on the heap. Both follow Adam's torch box in float bit for bit, allocate nothing per
/// Step or Minimize (with an IParameterObserver), clone independently and resume from a checkpoint bit for bit.
/// HyperparameterSearch and the learning-rate finder run on a float optimizer as on a double one.
/// </summary>
/// <remarks>As in <see cref="FloatOptimizerTests"/>, the gradients 2(θᵢ − ½) have the same bits in any order of operations.</remarks>
public sealed class FloatOptimizerLayoutTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.01)]
            public static float Medium([Length(21)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 21; i++)
                {
                    s += (w[i] - 0.5f) * (w[i] - 0.5f);
                }

                return s;
            }

            [Objective, Adam(LearningRate = 0.01)]
            public static float Wide([Length(63)] ReadOnlySpan<float> w0, [Length(63)] ReadOnlySpan<float> w1, [Length(63)] ReadOnlySpan<float> w2, [Length(63)] ReadOnlySpan<float> w3, [Length(63)] ReadOnlySpan<float> w4, [Length(63)] ReadOnlySpan<float> w5, [Length(63)] ReadOnlySpan<float> w6, [Length(63)] ReadOnlySpan<float> w7, [Length(63)] ReadOnlySpan<float> w8, [Length(63)] ReadOnlySpan<float> w9, [Length(63)] ReadOnlySpan<float> w10, [Length(63)] ReadOnlySpan<float> w11, [Length(63)] ReadOnlySpan<float> w12, [Length(63)] ReadOnlySpan<float> w13, [Length(63)] ReadOnlySpan<float> w14, [Length(63)] ReadOnlySpan<float> w15, [Length(63)] ReadOnlySpan<float> w16)
            {
                var s = 0f;
                for (var i = 0; i < 63; i++)
                {
                    s += (w0[i] - 0.5f) * (w0[i] - 0.5f) + (w1[i] - 0.5f) * (w1[i] - 0.5f) + (w2[i] - 0.5f) * (w2[i] - 0.5f) + (w3[i] - 0.5f) * (w3[i] - 0.5f) + (w4[i] - 0.5f) * (w4[i] - 0.5f) + (w5[i] - 0.5f) * (w5[i] - 0.5f) + (w6[i] - 0.5f) * (w6[i] - 0.5f) + (w7[i] - 0.5f) * (w7[i] - 0.5f) + (w8[i] - 0.5f) * (w8[i] - 0.5f) + (w9[i] - 0.5f) * (w9[i] - 0.5f) + (w10[i] - 0.5f) * (w10[i] - 0.5f) + (w11[i] - 0.5f) * (w11[i] - 0.5f) + (w12[i] - 0.5f) * (w12[i] - 0.5f) + (w13[i] - 0.5f) * (w13[i] - 0.5f) + (w14[i] - 0.5f) * (w14[i] - 0.5f) + (w15[i] - 0.5f) * (w15[i] - 0.5f) + (w16[i] - 0.5f) * (w16[i] - 0.5f);
                }

                return s;
            }

            [Objective, GradientDescent(LearningRate = 10)]
            public static float Quartic(float x) => x * x * x * x;

            [Objective, GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.05)]
            public static float Bowl(float x, float y) => (x - 1) * (x - 1) + 4 * (y + 0.5f) * (y + 0.5f);
        }

        public struct Recorder : IParameterObserver
        {
            public int Calls;
            public double Last;

            public bool OnStep(long iteration, double loss, double gradientNorm) => true;

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                Last = parameters[parameters.Length - 1];
                return true;
            }
        }

        public static class Driver
        {
            public static float[] MediumSteps(float[] start, int steps)
            {
                var o = new P.MediumAdam(start);
                for (int k = 0; k < steps; k++) o.Step();
                return o.Parameters.ToArray();
            }

            public static float[] WideSteps(float[] start, int steps)
            {
                var o = new P.WideAdam(start);
                for (int k = 0; k < steps; k++) o.Step();
                return o.Parameters.ToArray();
            }

            public static float[][] WideCloneAndResume(float[] start)
            {
                var o = new P.WideAdam(start);
                o.Step();
                var clone = o.Clone();
                var stream = new System.IO.MemoryStream();
                o.SaveState(stream);
                stream.Position = 0;
                var loaded = P.WideAdam.LoadState(stream);
                for (int k = 0; k < 4; k++) o.Step();
                var cloneAfterOriginal = clone.Parameters.ToArray();
                for (int k = 0; k < 4; k++) { clone.Step(); loaded.Step(); }
                return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), cloneAfterOriginal };
            }

            public static long[] Allocated(float[] wide, float[] medium)
            {
                var o = new P.WideAdam(wide);
                var m = new P.MediumAdam(medium);
                var recorder = new Recorder();
                o.Step(); m.Step();
                o.Minimize(2, 0, ref recorder); m.Minimize(2, 0, ref recorder);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 20; k++) { o.Step(); m.Step(); }
                o.Minimize(20, 0, ref recorder);
                m.Minimize(20, 0, ref recorder);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                return new[] { allocated, recorder.Calls, System.BitConverter.DoubleToInt64Bits(recorder.Last), System.BitConverter.DoubleToInt64Bits(m.Parameters[20]) };
            }

            public static double[] Searched(double[] rates, int maxIterations)
            {
                var start = new P.BowlGradientDescent(3f, -2f);
                var result = P.BowlGradientDescent.Search(start, new P.BowlGradientDescent.SearchSpace { LearningRate = SearchRange.Grid(rates) }, new SearchOptions { MaxIterations = maxIterations, Tolerance = 0, MaxDegreeOfParallelism = 1 });
                var values = new List<double> { result.BestHyperparameters.LearningRate, result.Trials.Count, result.Best.X, result.Best.Y, start.X, start.Y };
                foreach (var trial in result.Trials)
                {
                    values.Add(trial.Hyperparameters.LearningRate);
                    values.Add(trial.Result.Loss);
                    values.Add(trial.Result.Iterations);
                }

                return values.ToArray();
            }

            public static double[] Diverged()
            {
                var o = new P.QuarticGradientDescent(3f);
                var r = o.Minimize(100, 0);
                return new double[] { (double)r.Status, r.Iterations, r.Loss, r.GradientNorm, o.X, o.Iteration };
            }

            public static double[][] FoundRates()
            {
                var found = P.BowlAdam.FindLearningRate(new P.BowlAdam(3f, -2f), 1e-3, 1, 12);
                return new[] { found.Rates, found.Losses, new[] { found.SuggestedLearningRate } };
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), Source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return run.Load();
    });

    private static T Call<T>(string method, params object?[] arguments) => (T)Compiled.Value.Invoke("Opt.Driver", method, arguments)!;

    private static float[] Start(int n)
    {
        var random = new Random(n);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    /// <summary>θ after <paramref name="steps"/> updates of torch's Adam box in float (lr 0.01, the default β₁, β₂, ε), gradient 2(θ − ½).</summary>
    private static float[] AdamReference(float[] start, int steps)
    {
        var reference = FloatRuleTests.AdamReference(0.01, 0.9, 0.999, 1e-8, 0, false, false);
        var theta = (float[])start.Clone();
        var state = new[] { new float[theta.Length], new float[theta.Length], new float[theta.Length] };
        for (int t = 1; t <= steps; t++)
        {
            reference(t, theta, theta.Select(x => 2 * (x - 0.5f)).ToArray(), state);
        }

        return theta;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Twenty_one_floats_inline_with_the_chunks_in_a_loop_follow_Adam_bit_for_bit()
    {
        var start = Start(21);
        Assert.Equal(Bits(AdamReference(start, 6)), Bits(Call<float[]>("MediumSteps", start, 6)));
    }

    [Fact]
    public void Past_1024_floats_the_state_is_on_the_heap_and_follows_Adam_bit_for_bit()
    {
        var start = Start(17 * 63);
        Assert.Equal(Bits(AdamReference(start, 6)), Bits(Call<float[]>("WideSteps", start, 6)));
    }

    [Fact]
    public void A_heap_optimizer_clones_independently_and_resumes_from_a_checkpoint()
    {
        var start = Start(17 * 63);
        var result = Call<float[][]>("WideCloneAndResume", start);
        var afterOne = Bits(AdamReference(start, 1));
        Assert.Equal(afterOne, Bits(result[3]));                  // the clone did not move with the original
        Assert.Equal(Bits(AdamReference(start, 5)), Bits(result[0]));
        Assert.Equal(Bits(result[0]), Bits(result[1]));          // the clone continues as the original did
        Assert.Equal(Bits(result[0]), Bits(result[2]));          // and so does the checkpoint
    }

    [Fact]
    public void Heap_and_inline_loops_allocate_nothing_per_Step_or_Minimize()
    {
        var allocated = Call<long[]>("Allocated", Start(17 * 63), Start(21));
        Assert.Equal(0, allocated[0]);
        Assert.Equal(44, allocated[1]);

        // The observer's last call saw the medium optimizer's last parameter widened.
        Assert.Equal(allocated[3], allocated[2]);
    }

    [Fact]
    public void A_search_runs_Minimize_from_a_copy_of_the_start_for_each_rate()
    {
        // Bowl's gradient descent: x ← x − (float)η·2(x − 1), y ← y − (float)η·8(y + ½), from (3, −2), 15 updates.
        double[] rates = [0.01, 0.1, 0.2];
        var values = Call<double[]>("Searched", rates, 15);
        Assert.Equal(3, values[1]);
        Assert.Equal([3.0, -2.0], values.Skip(4).Take(2));        // the start did not move
        (double Loss, double Rate, float X, float Y) best = (double.PositiveInfinity, 0, 0, 0);
        for (int k = 0; k < rates.Length; k++)
        {
            float x = 3f, y = -2f, rate = (float)rates[k];
            for (int t = 0; t < 15; t++)
            {
                (x, y) = (x - rate * (2 * (x - 1)), y - rate * (8 * (y + 0.5f)));
            }

            float loss = ((x - 1) * (x - 1)) + (4 * (y + 0.5f) * (y + 0.5f));
            Assert.Equal(rates[k], values[6 + (3 * k)]);
            Assert.Equal((double)loss, values[7 + (3 * k)], 12);
            Assert.Equal(15, values[8 + (3 * k)]);
            if (loss < best.Loss)
            {
                best = (loss, rates[k], x, y);
            }
        }

        Assert.Equal(best.Rate, values[0]);
        Assert.Equal((double)best.X, values[2]);
        Assert.Equal((double)best.Y, values[3]);
    }

    [Fact]
    public void A_diverging_float_run_returns_to_its_last_finite_step()
    {
        // x ← x − (float)10·4x³ from 3: x₁ = 3 − 1080 = −1077 (x₁⁴ ≈ 1.3·10¹², finite in float), x₂ ≈ 5·10¹⁰ (x₂⁴ overflows float).
        float x1 = 3f - (10f * (4 * 3f * 3f * 3f));
        float x2 = x1 - (10f * (4 * x1 * x1 * x1));
        Assert.True(float.IsFinite(x1 * x1 * x1 * x1) && float.IsPositiveInfinity(x2 * x2 * x2 * x2));
        var r = Call<double[]>("Diverged");
        Assert.Equal((double)OptimizationStatus.Diverged, r[0]);
        Assert.Equal(1, r[1]);
        Assert.Equal((double)x1, r[4]);
        Assert.Equal((double)(x1 * x1 * x1 * x1), r[2], 1e-6 * r[2]);
        Assert.Equal(Math.Abs((double)(4 * x1 * x1 * x1)), r[3], 1e-6 * r[3]);
        Assert.Equal(1, r[5]);
    }

    [Fact]
    public void The_learning_rate_finder_records_each_float_Step()
    {
        var found = Call<double[][]>("FoundRates");
        Assert.Equal(1e-3, found[0][0], 15);
        Assert.Equal(13.0, found[1][0]);                          // the float loss at (3, −2) before the first update
        Assert.All(found[1], loss => Assert.Equal(loss, (double)(float)loss));
        Assert.True(found[2][0] > 0 && found[2][0] <= 1, $"{found[2][0]}");
    }
}
