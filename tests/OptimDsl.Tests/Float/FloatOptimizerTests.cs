using System;
using System.Collections.Generic;
using System.IO;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Rules;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: the first-order optimizers of a float objective. Every optimizer of the catalogue, on 13
/// float parameters (chunks of 8, 4 and 1) and on 3 (chunks of 1) with clipping, follows bit for bit a float reference
/// run in the test: the gradient derived by hand, the clipping as README states it, and the rule's torch algorithm box
/// in float (<see cref="FloatRuleTests"/>' references, one place for each box). Apply equals Step; Minimize converges,
/// reports widened values, follows a schedule and feeds an IParameterObserver widened parameters, without allocating;
/// bad arguments throw and change nothing; checkpoints round-trip and refuse a double optimizer's.
/// </summary>
/// <remarks>
/// The objectives are sums of squares (θᵢ − tᵢ)² with tᵢ multiples of ¼, so the gradient 2(θᵢ − tᵢ) has the same bits
/// whatever order the generated code computes it in (a difference rounded once, doubled exactly): the reference's gradient
/// is the generated one, and every difference in θ would come from the update.
/// </remarks>
public sealed class FloatOptimizerTests
{
    private const int Steps = 7;

    /// <summary>One optimizer: its attribute's arguments, its reference, and its state vectors with their initial values.</summary>
    internal sealed record Case(string Optimizer, string Arguments, Func<FloatRuleTests.Reference> Reference, double[] InitialState);

    private static readonly Case[] Cases =
    [
        new("GradientDescent", "LearningRate = 0.05, Momentum = 0.9, Dampening = 0.1, WeightDecay = 0.01", () => FloatRuleTests.SgdReference(0.05, 0.9, 0.1, false, 0.01), [0]),
        new("Sgd", "LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 0.001", () => FloatRuleTests.SgdReference(0.05, 0.9, 0, true, 0.001), [0]),
        new("Adam", "LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.99, AmsGrad = true, WeightDecay = 0.01", () => FloatRuleTests.AdamReference(0.01, 0.8, 0.99, 1e-8, 0.01, true, false), [0, 0, 0]),
        new("AdamW", "LearningRate = 0.01, WeightDecay = 0.1", () => FloatRuleTests.AdamReference(0.01, 0.9, 0.999, 1e-8, 0.1, false, true), [0, 0, 0]),
        new("Adamax", "LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.9, WeightDecay = 0.01", () => FloatRuleTests.AdamaxReference(0.02, 0.8, 0.9, 1e-8, 0.01), [0, 0]),
        new("NAdam", "LearningRate = 0.02, MomentumDecay = 0.1", () => FloatRuleTests.NAdamReference(0.02, 0.9, 0.999, 1e-8, 0, 0.1), [0, 0]),
        // β₂ = 0.9: rectified from t = 6 on, within the seven updates.
        new("RAdam", "LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.9, WeightDecay = 0.01", () => FloatRuleTests.RAdamReference(0.01, 0.8, 0.9, 1e-8, 0.01), [0, 0]),
        new("RmsProp", "LearningRate = 0.01, Alpha = 0.9, Epsilon = 1e-6, Momentum = 0.9, Centered = true, WeightDecay = 0.01", () => FloatRuleTests.RmsPropReference(0.01, 0.9, 1e-6, 0.9, true, 0.01), [0, 0, 0]),
        new("AdaGrad", "LearningRate = 0.1, LearningRateDecay = 0.01, InitialAccumulatorValue = 0.1", () => FloatRuleTests.AdaGradReference(0.1, 0.01, 1e-10, 0), [0.1]),
        new("AdaDelta", "LearningRate = 0.5, Rho = 0.8, WeightDecay = 0.01", () => FloatRuleTests.AdaDeltaReference(0.5, 0.8, 1e-6, 0.01), [0, 0]),
        new("Rprop", "LearningRate = 0.01, EtaMinus = 0.4, EtaPlus = 1.5", () => FloatRuleTests.RpropReference(0.4, 1.5, 1e-6, 50), [0, 0.01]),
        new("Lion", "LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.1", () => FloatRuleTests.LionReference(0.01, 0.8, 0.95, 0.1), [0]),
    ];

    /// <summary>The clipping of the three-parameter objective's optimizers: by value on even rows, by norm on odd ones.</summary>
    private static (double Value, double Norm) ClippingOf(int row) => row % 2 == 0 ? (0.75, 0) : (0, 1.5);

    public static TheoryData<string> Optimizers => new(Cases.Select(c => c.Optimizer));

    private static string Attributes(bool clipped) => string.Join(", ", Cases.Select((c, row) =>
    {
        var (value, norm) = ClippingOf(row);
        var clipping = !clipped ? string.Empty : value != 0 ? $", ClipValue = {value}" : $", ClipNorm = {norm}";
        return $"{c.Optimizer}({c.Arguments}{clipping})";
    }));

    private static string Source() => $$"""
        using System;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, {{Attributes(clipped: false)}}]
            public static float Thirteen([Length(13)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 13; i++)
                {
                    s += (w[i] - (i - 6) * 0.25f) * (w[i] - (i - 6) * 0.25f);
                }

                return s;
            }

            [Objective, {{Attributes(clipped: true)}}]
            public static float Three(float a, float b, float c) => (a - 1) * (a - 1) + (b + 0.5f) * (b + 0.5f) + (c - 2) * (c - 2);

            [Objective, Adam(LearningRate = 0.02)]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }

        {{DriverSources.ParameterRecorder}}

        /// <summary>η_t = 0.1 / t.</summary>
        public struct Harmonic : ILearningRateSchedule
        {
            public double LearningRate(long iteration, double loss) => 0.1 / iteration;
        }

        public static class Driver
        {
        {{Drivers()}}
        }
        """;

    /// <summary>Per objective and optimizer: the losses Step returns and θ after each, Apply's θ, and a checkpoint round trip.</summary>
    private static string Drivers()
    {
        var text = new StringBuilder();
        foreach (var (objective, count) in new[] { ("Thirteen", 13), ("Three", 3) })
        {
            foreach (var c in Cases)
            {
                var type = $"P.{objective}{c.Optimizer}";
                var gradient = objective == "Thirteen" ? "P.ThirteenGradient(p, g)" : "P.ThreeGradient(p, g)";
                text.Append($$"""
                    public static float[] Steps_{{objective}}_{{c.Optimizer}}(float[] start, int steps)
                    {
                        var o = new {{type}}(start);
                        var trace = new float[steps * {{count + 1}}];
                        for (int k = 0; k < steps; k++)
                        {
                            trace[k * {{count + 1}}] = o.Step();
                            o.Parameters.CopyTo(trace.AsSpan(k * {{count + 1}} + 1, {{count}}));
                        }

                        return trace;
                    }

                    public static float[] Applied_{{objective}}_{{c.Optimizer}}(float[] start, int steps)
                    {
                        var o = new {{type}}(start);
                        var p = new float[{{count}}];
                        var g = new float[{{count}}];
                        for (int k = 0; k < steps; k++)
                        {
                            o.Parameters.CopyTo(p);
                            {{gradient}};
                            o.Apply(g);
                        }

                        return o.Parameters.ToArray();
                    }

                    public static float[][] Resumed_{{objective}}_{{c.Optimizer}}(float[] start, int before, int after)
                    {
                        var o = new {{type}}(start);
                        for (int k = 0; k < before; k++) o.Step();
                        var stream = new System.IO.MemoryStream();
                        o.SaveState(stream);
                        stream.Position = 0;
                        var loaded = {{type}}.LoadState(stream);
                        for (int k = 0; k < after; k++) { o.Step(); loaded.Step(); }
                        return new[] { o.Parameters.ToArray(), loaded.Parameters.ToArray(), new float[] { o.Iteration, loaded.Iteration } };
                    }


                    """);
            }
        }

        text.Append("""
            public static double[] MinimizeRosenbrock(int maxIterations, double tolerance)
            {
                var o = new P.RosenbrockAdam(-1.2f, 1f);
                var r = o.Minimize(maxIterations, tolerance);
                return new double[] { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, o.X, o.Y };
            }

            public static double[] Scheduled(float[] start, int iterations, double[] seen)
            {
                var o = new P.ThreeGradientDescent(start);
                o.Momentum = 0;
                o.WeightDecay = 0;
                var recorder = new Recorder { Seen = seen };
                var schedule = new Harmonic();
                var r = o.Minimize(iterations, 0, ref recorder, ref schedule);
                return new double[] { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, o.A, o.B, o.C, recorder.Calls };
            }

            public static long[] Allocated()
            {
                var o = new P.ThirteenAdam(new float[13]);
                var recorder = new Recorder();
                var schedule = new Harmonic();
                o.Step();
                o.Minimize(3, 0, ref recorder, ref schedule);
                o.Minimize(3, 0, ref recorder);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 100; k++) o.Step();
                long steps = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                o.Minimize(50, 0, ref recorder, ref schedule);
                o.Minimize(50, 0, ref recorder);
                long minimize = GC.GetAllocatedBytesForCurrentThread() - before;
                return new[] { steps, minimize, recorder.Calls };
            }

            public static string[] BadArguments()
            {
                var messages = new System.Collections.Generic.List<string>();
                var o = new P.ThreeAdam(new float[] { 3, -2, 0.5f });
                o.Step();
                var before = o.Parameters.ToArray();
                try { o.Apply(new float[2]); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                messages.Add(o.Iteration.ToString() + " " + (o.Parameters.SequenceEqual(before) ? "same" : "changed"));
                try { new P.ThreeAdam(new float[4]); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                try { new P.ThirteenAdam(new float[12]); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                try { o.Minimize(0); } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName ?? "(none)"); }
                messages.Add(o.Iteration.ToString() + " " + (o.Parameters.SequenceEqual(before) ? "same" : "changed"));
                try { default(P.ThreeAdam).Step(); } catch (InvalidOperationException e) { messages.Add(e.Message); }
                return messages.ToArray();
            }

            public static byte[] FloatCheckpoint()
            {
                var o = new P.ThreeAdam(new float[] { 3, -2, 0.5f });
                var stream = new System.IO.MemoryStream();
                o.SaveState(stream);
                return stream.ToArray();
            }

            public static string Load(byte[] checkpoint)
            {
                try { P.ThreeAdam.LoadState(new System.IO.MemoryStream(checkpoint)); return "loaded"; }
                catch (System.IO.InvalidDataException e) { return e.Message; }
            }
            """);
        return text.ToString();
    }

    private static readonly Lazy<LoadedAssembly> Compiled = new(() => Compile(Source()));

    /// <summary>Compiles with the generator; [Sgd] without [Data] is warned about (OPTDSL005), nothing else may be.</summary>
    private static LoadedAssembly Compile(string source)
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), source);
        var unexpected = run.WarningsAndErrors.Where(d => d.Id != "OPTDSL005").ToArray();
        Assert.True(unexpected.Length == 0, GeneratorRun.Format(unexpected.ToImmutableArray()));
        return run.Load();
    }

    private static T Call<T>(string method, params object?[] arguments) => (T)Compiled.Value.Invoke("Opt.Driver", method, arguments)!;

    private static float[] ThirteenStart()
    {
        var random = new Random(20261202);
        return Enumerable.Range(0, 13).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    private static readonly float[] ThreeStart = [3f, -2f, 0.5f];

    /// <summary>The gradient derived by hand: 2(θᵢ − tᵢ), each in float (exact whatever the order; see the remarks).</summary>
    private static float[] HandGradient(string objective, float[] theta) => objective == "Thirteen"
        ? theta.Select((x, i) => 2 * (x - ((i - 6) * 0.25f))).ToArray()
        : [2 * (theta[0] - 1), 2 * (theta[1] + 0.5f), 2 * (theta[2] - 2)];

    private static double HandLoss(string objective, float[] theta) => objective == "Thirteen"
        ? theta.Select((x, i) => Math.Pow(x - ((i - 6) * 0.25), 2)).Sum()
        : Math.Pow(theta[0] - 1, 2) + Math.Pow(theta[1] + 0.5, 2) + Math.Pow(theta[2] - 2, 2);

    /// <summary>README, Float objectives, Clipping: clamp to ±(float)ClipValue, then scale by min(1, ClipNorm/(‖g‖₂ + 1e-6)) in double, rounded once.</summary>
    internal static void Clip(float[] gradient, double clipValue, double clipNorm)
    {
        if (clipValue != 0)
        {
            float bound = (float)clipValue;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = Math.Clamp(gradient[i], -bound, bound);
            }
        }

        if (clipNorm != 0)
        {
            double sum = gradient.Sum(x => (double)x * x);
            float factor = (float)Math.Min(1, clipNorm / (Math.Sqrt(sum) + 1e-6));
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= factor;
            }
        }
    }

    /// <summary>θ after each of <paramref name="steps"/> reference updates, with the loss before each.</summary>
    private static List<(double Loss, float[] Theta)> ReferenceRun(string objective, Case c, int row, float[] start, int steps)
    {
        var reference = c.Reference();
        var theta = (float[])start.Clone();
        var state = c.InitialState.Select(v => Enumerable.Repeat((float)v, theta.Length).ToArray()).ToArray();
        var (clipValue, clipNorm) = objective == "Three" ? ClippingOf(row) : (0, 0);
        var trace = new List<(double, float[])>();
        for (int t = 1; t <= steps; t++)
        {
            double loss = HandLoss(objective, theta);
            var gradient = HandGradient(objective, theta);
            Clip(gradient, clipValue, clipNorm);
            reference(t, theta, gradient, state);
            trace.Add((loss, (float[])theta.Clone()));
        }

        return trace;
    }

    private static string Bits(float[] values) => string.Join(" ", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8")));

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_optimizer_follows_its_float_reference_bit_for_bit(string optimizer)
    {
        int row = Array.FindIndex(Cases, c => c.Optimizer == optimizer);
        foreach (var (objective, start) in new[] { ("Thirteen", ThirteenStart()), ("Three", ThreeStart) })
        {
            int n = start.Length;
            var trace = Call<float[]>($"Steps_{objective}_{optimizer}", start, Steps);
            var expected = ReferenceRun(objective, Cases[row], row, start, Steps);
            for (int k = 0; k < Steps; k++)
            {
                var theta = trace.AsSpan(k * (n + 1) + 1, n).ToArray();
                Assert.True(Bits(expected[k].Theta) == Bits(theta), $"{objective} {optimizer}, update {k + 1}:\n reference {string.Join(", ", expected[k].Theta)}\n generated {string.Join(", ", theta)}");

                // The float loss before the update, summed in float: within a few float roundings of the double sum.
                float loss = trace[k * (n + 1)];
                Assert.True(Math.Abs(loss - expected[k].Loss) <= 1e-6 * (1 + expected[k].Loss) * n, $"{objective} {optimizer}, loss {k + 1}: {loss} vs {expected[k].Loss}");
            }

            // Not vacuous: every parameter moved.
            Assert.All(Enumerable.Range(0, n), i => Assert.NotEqual(start[i], expected[^1].Theta[i]));
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Apply_of_the_gradient_at_the_same_point_equals_Step_bit_for_bit(string optimizer)
    {
        foreach (var (objective, start) in new[] { ("Thirteen", ThirteenStart()), ("Three", ThreeStart) })
        {
            var trace = Call<float[]>($"Steps_{objective}_{optimizer}", start, Steps);
            var applied = Call<float[]>($"Applied_{objective}_{optimizer}", start, Steps);
            int n = start.Length;
            Assert.Equal(Bits(trace.AsSpan((Steps - 1) * (n + 1) + 1, n).ToArray()), Bits(applied));
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_checkpoint_continues_bit_for_bit(string optimizer)
    {
        foreach (var (objective, start) in new[] { ("Thirteen", ThirteenStart()), ("Three", ThreeStart) })
        {
            var result = Call<float[][]>($"Resumed_{objective}_{optimizer}", start, 3, 4);
            Assert.Equal(Bits(result[0]), Bits(result[1]));
            Assert.Equal([7f, 7f], result[2]);

            // And the run is the uninterrupted one.
            var trace = Call<float[]>($"Steps_{objective}_{optimizer}", start, Steps);
            int n = start.Length;
            Assert.Equal(Bits(trace.AsSpan((Steps - 1) * (n + 1) + 1, n).ToArray()), Bits(result[1]));
        }
    }

    [Fact]
    public void Minimize_converges_on_a_float_Rosenbrock_and_reports_widened_values()
    {
        var r = Call<double[]>("MinimizeRosenbrock", 20000, 1e-3);
        Assert.Equal((double)OptimizationStatus.Converged, r[3]);
        float x = (float)r[4], y = (float)r[5];
        Assert.True(Math.Abs(x - 1) < 1e-2 && Math.Abs(y - 1) < 2e-2, $"({x}, {y})");

        // The result's loss and norm are those of the float objective at the parameters held, widened: the loss is a
        // float, and the norm is the double norm of the float gradient, derived by hand here (rounded to float, it is
        // within float rounding of that).
        Assert.Equal(r[1], (double)(float)r[1]);
        float lossAtEnd = ((1 - x) * (1 - x)) + (100 * (y - (x * x)) * (y - (x * x)));
        Assert.True(Math.Abs(r[1] - lossAtEnd) <= 1e-6 * (1 + lossAtEnd), $"{r[1]} vs {lossAtEnd}");
        double dx = (-2 * (1 - x)) - (400 * x * (y - (x * x))), dy = 200 * (y - (x * x));
        Assert.True(r[2] <= 1e-3 && Math.Abs(r[2] - Math.Sqrt((dx * dx) + (dy * dy))) <= 1e-4, $"{r[2]} vs {Math.Sqrt((dx * dx) + (dy * dy))}");
        Assert.True(r[0] > 10 && r[0] < 20000, $"{r[0]} iterations");
    }

    [Fact]
    public void Minimize_follows_a_schedule_and_an_IParameterObserver_sees_the_parameters_widened()
    {
        // Three's gradient descent with momentum and weight decay turned off, ClipValue 0.75: θ ← θ − (float)(0.1/t)·clip(g).
        const int iterations = 12;
        var seen = new double[iterations * 3];
        var r = Call<double[]>("Scheduled", ThreeStart, iterations, seen);
        var theta = (float[])ThreeStart.Clone();
        for (int t = 1; t <= iterations; t++)
        {
            var g = HandGradient("Three", theta);
            Clip(g, 0.75, 0);
            for (int i = 0; i < 3; i++)
            {
                theta[i] = theta[i] - ((float)(0.1 / t) * g[i]);
            }

            for (int i = 0; i < 3; i++)
            {
                Assert.Equal((double)theta[i], seen[(t - 1) * 3 + i]);
            }
        }

        Assert.Equal(iterations, r[0]);
        Assert.Equal((double)OptimizationStatus.IterationLimit, r[3]);
        Assert.Equal(theta.Select(v => (double)v), r.Skip(4).Take(3));
        Assert.Equal(iterations, r[7]);
        var g0 = HandGradient("Three", theta);
        Assert.Equal(Math.Sqrt(g0.Sum(v => (double)v * v)), r[2]);
        // The loss is the float objective's, widened: a float, within float rounding (a few ulps of the sum) of the double loss.
        Assert.Equal(r[1], (double)(float)r[1]);
        Assert.True(Math.Abs(r[1] - HandLoss("Three", theta)) <= 4 * 6e-8 * r[1], $"{r[1]} vs {HandLoss("Three", theta)}");
    }

    [Fact]
    public void Step_and_Minimize_with_an_IParameterObserver_allocate_nothing()
    {
        var allocated = Call<long[]>("Allocated");
        Assert.Equal(0, allocated[0]);
        Assert.Equal(0, allocated[1]);
        Assert.True(allocated[2] >= 100, $"{allocated[2]} observer calls");
    }

    [Fact]
    public void Bad_arguments_throw_naming_them_and_change_nothing()
    {
        var messages = Call<string[]>("BadArguments");
        Assert.Equal("meanGradient", messages[0]);
        Assert.Equal("1 same", messages[1]);
        Assert.Equal("parameters", messages[2]);
        Assert.Equal("w", messages[3]);
        Assert.Equal("maxIterations", messages[4]);
        Assert.Equal("1 same", messages[5]);
        Assert.Equal("This ThreeAdam was not constructed: create it with new ThreeAdam(a, b, c).", messages[6]);
    }

    [Fact]
    public void A_double_checkpoint_of_the_same_name_and_parameters_is_refused()
    {
        // The same objective and optimizer in double, compiled apart: Opt.P.Three, Adam, parameters a, b, c.
        const string source = """
            using OptimDsl;

            namespace Opt;

            public static partial class P
            {
                [Objective, Adam]
                public static double Three(double a, double b, double c) => (a - 1) * (a - 1) + (b + 0.5) * (b + 0.5) + (c - 2) * (c - 2);
            }

            public static class Driver
            {
                public static byte[] DoubleCheckpoint()
                {
                    var o = new P.ThreeAdam(3, -2, 0.5);
                    var stream = new System.IO.MemoryStream();
                    o.SaveState(stream);
                    return stream.ToArray();
                }
            }
            """;
        var doubleCheckpoint = (byte[])Compile(source).Invoke("Opt.Driver", "DoubleCheckpoint")!;
        Assert.Equal("The checkpoint's parameter layout is 'a, b, c', not 'a, b, c; float'.", Call<string>("Load", doubleCheckpoint));
        Assert.Equal("loaded", Call<string>("Load", Call<byte[]>("FloatCheckpoint")));
    }
}
