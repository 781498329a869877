using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Optimizers;
using OptimDsl.Tests.Rules;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: the first-order optimizers of a float objective with [Data] parameters. Sgd (momentum, weight
/// decay, always minibatches), Adam (weight decay, ClipNorm) and RmsProp (centered, momentum, ClipValue), on scalar
/// parameters with scalar data and on a [Length(3)] vector with [Data, Length(3)] rows, follow float references written
/// here step by step, bit for bit: on the full batch, the gradient of the float data overload; on minibatches, the
/// README's epoch order, each sample's float gradient derived by hand, summed in double, the mean rounded once; then the
/// clipping as README states it and the rule's torch box in float (<see cref="FloatRuleTests"/>' references).
/// </summary>
/// <remarks>
/// <para>
/// The objectives are squared residuals r² with r = (a·x + b) − y (scalar) and r = (((b + w₀x₀) + w₁x₁) + w₂x₂) − y (rows),
/// each operation rounded to float in the body's order. Their gradients 2r·x and 2r are one product of r with x, doubled
/// exactly, so a sample's float gradient has the same bits whatever order the generated code multiplies in; the loss r·r
/// too. A minibatch's reference is therefore exact, and every difference in θ would come from the optimizer.
/// </para>
/// <para>
/// The full batch's gradient is, by README, the data overload's (its float sums, checked against their own reference in
/// <see cref="FloatDataTests"/>, do not follow one order that a test could restate in a line): the full-batch reference
/// calls <c>MGradient(parameters, x, y, gradient)</c> at each θ and runs the torch box on it.
/// </para>
/// </remarks>
public sealed class FloatDataOptimizerTests
{
    private const int Steps = 12;

    /// <summary>One optimizer: its attribute's arguments, its reference at a learning rate, its number of state vectors, its clipping.</summary>
    private sealed record Case(string Optimizer, string Arguments, Func<double, FloatRuleTests.Reference> Reference, double LearningRate, int States, double ClipValue, double ClipNorm);

    private static readonly Case[] Cases =
    [
        new("Sgd", "LearningRate = 0.02, Momentum = 0.9, WeightDecay = 0.01, BatchSize = 3, Seed = 5", lr => FloatRuleTests.SgdReference(lr, 0.9, 0, false, 0.01), 0.02, 1, 0, 0),
        new("Adam", "LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, WeightDecay = 0.01, ClipNorm = 1.5", lr => FloatRuleTests.AdamReference(lr, 0.8, 0.99, 1e-8, 0.01, false, false), 0.02, 3, 0, 1.5),
        new("RmsProp", "LearningRate = 0.01, Alpha = 0.9, Momentum = 0.5, Centered = true, ClipValue = 0.5", lr => FloatRuleTests.RmsPropReference(lr, 0.9, 1e-8, 0.5, true, 0), 0.01, 3, 0.5, 0),
    ];

    /// <summary>The two objectives: name, trained values, values of x per sample.</summary>
    private static readonly (string Name, int Count, int Row)[] Objectives = [("Line", 2, 1), ("Linear", 4, 3)];

    public static TheoryData<string, string> ObjectivesAndOptimizers()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _, _) in Objectives)
        {
            foreach (var c in Cases)
            {
                data.Add(name, c.Optimizer);
            }
        }

        return data;
    }

    private static string Attributes => string.Join(", ", Cases.Select(c => $"{c.Optimizer}({c.Arguments})"));

    private static string Source() => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using OptimDsl;

        namespace OptData;

        public static partial class P
        {
            [Objective, {{Attributes}}]
            public static float Line(float a, float b, [Data] float x, [Data] float y) => (a * x + b - y) * (a * x + b - y);

            [Objective, {{Attributes}}]
            public static float Linear([Length(3)] ReadOnlySpan<float> w, float b, [Data, Length(3)] ReadOnlySpan<float> x, [Data] float y)
            {
                var z = b;
                for (var k = 0; k < 3; k++)
                {
                    z += w[k] * x[k];
                }

                return (z - y) * (z - y);
            }

            // 1,100 floats a vector: past the 4 KB kept inline, so θ, the state and the observer's buffer are on the heap;
            // the loop is rolled (64 iterations or more).
            [Objective, Adam(LearningRate = 0.01, Beta1 = 0.8)]
            public static float Wide([Length(1100)] ReadOnlySpan<float> w, [Data, Length(1100)] ReadOnlySpan<float> x)
            {
                var s = 0f;
                for (var k = 0; k < 1100; k++)
                {
                    s += (w[k] - x[k]) * (w[k] - x[k]);
                }

                return s;
            }
        }

        {{DriverSources.ParameterRecorder}}

        /// <summary>η_t = Rate / t.</summary>
        public struct Harmonic : ILearningRateSchedule
        {
            public double Rate;

            public double LearningRate(long iteration, double loss) => Rate / iteration;
        }

        /// <summary>η_t = Rate · Factor^t.</summary>
        public struct Geometric : ILearningRateSchedule
        {
            public double Rate, Factor;

            public double LearningRate(long iteration, double loss) => Rate * Math.Pow(Factor, iteration);
        }

        public static class Driver
        {
            public static float[] Gradient_Line(float[] theta, float[] x, float[] y)
            {
                var g = new float[2];
                float loss = P.LineGradient(theta, x, y, g);
                return new[] { loss, g[0], g[1] };
            }

            public static float[] Gradient_Linear(float[] theta, float[] x, float[] y)
            {
                var g = new float[4];
                float loss = P.LinearGradient(theta, x, y, g);
                return new[] { loss, g[0], g[1], g[2], g[3] };
            }
            public static float[] Wide_Steps(float[] start, float[] x, int batchSize, int steps)
            {
                var o = new P.WideAdam(start);
                o.BatchSize = batchSize;
                o.Seed = 4;
                var trace = new float[steps * 1101];
                for (int k = 0; k < steps; k++)
                {
                    trace[k * 1101] = o.Step(x);
                    o.Parameters.CopyTo(trace.AsSpan(k * 1101 + 1, 1100));
                }

                return trace;
            }

            // A clone after three steps, then two steps of the original: the clone is unchanged by them, then continues as it did.
            public static float[][] Wide_Clone(float[] start, float[] x, int batchSize)
            {
                var o = new P.WideAdam(start);
                o.BatchSize = batchSize;
                o.Seed = 4;
                for (int k = 0; k < 3; k++) o.Step(x);
                var clone = o.Clone();
                var atThree = o.Parameters.ToArray();
                o.Step(x);
                o.Step(x);
                var cloneBefore = clone.Parameters.ToArray();
                clone.Step(x);
                clone.Step(x);
                return new[] { atThree, cloneBefore, o.Parameters.ToArray(), clone.Parameters.ToArray() };
            }

            public static long[] Wide_Allocated(float[] start, float[] x, int batchSize)
            {
                var o = new P.WideAdam(start);
                o.BatchSize = batchSize;
                var recorder = new Recorder();
                o.Step(x);
                o.Minimize(x, 3, 0, ref recorder);
                var g = new float[1100];
                P.WideGradient(o.Parameters, x, g);
                long data = GC.GetAllocatedBytesForCurrentThread();
                P.WideGradient(o.Parameters, x, g);
                data = GC.GetAllocatedBytesForCurrentThread() - data;
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 20; k++) o.Step(x);
                long steps = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                o.Minimize(x, 20, 0, ref recorder);
                long minimize = GC.GetAllocatedBytesForCurrentThread() - before;
                return new[] { steps, minimize, recorder.Calls, data };
            }

            public static byte[] LineCheckpoint()
            {
                var o = new P.LineAdam(0.25f, 0.75f);
                var stream = new System.IO.MemoryStream();
                o.SaveState(stream);
                return stream.ToArray();
            }

            public static string LoadLine(byte[] checkpoint)
            {
                try { P.LineAdam.LoadState(new System.IO.MemoryStream(checkpoint)); return "loaded"; }
                catch (System.IO.InvalidDataException e) { return e.Message; }
            }

            public static float[] Wide_Gradient(float[] theta, float[] x)
            {
                var g = new float[1100];
                float loss = P.WideGradient(theta, x, g);
                return new[] { loss }.Concat(g).ToArray();
            }
        {{Drivers()}}
        }
        """;

    /// <summary>Per objective and optimizer: Step's trace, Apply's θ, Minimize, a resumed run, Search and FindLearningRate.</summary>
    private static string Drivers()
    {
        var text = new StringBuilder();
        foreach (var (objective, count, _) in Objectives)
        {
            foreach (var c in Cases)
            {
                var type = $"P.{objective}{c.Optimizer}";
                var name = $"{objective}_{c.Optimizer}";
                text.Append($$"""

                    // batchSize < 0 keeps the attribute's BatchSize and Seed.
                    private static {{type}} New_{{name}}(float[] start, int batchSize, int seed, int degree)
                    {
                        var o = new {{type}}(start);
                        if (batchSize >= 0) { o.BatchSize = batchSize; o.Seed = seed; }
                        o.MaxDegreeOfParallelism = degree;
                        return o;
                    }

                    public static float[] Steps_{{name}}(float[] start, float[] x, float[] y, int batchSize, int seed, int steps, int degree)
                    {
                        var o = New_{{name}}(start, batchSize, seed, degree);
                        var trace = new float[steps * {{count + 1}}];
                        for (int k = 0; k < steps; k++)
                        {
                            trace[k * {{count + 1}}] = o.Step(x, y);
                            o.Parameters.CopyTo(trace.AsSpan(k * {{count + 1}} + 1, {{count}}));
                        }

                        return trace;
                    }

                    public static float[] Applied_{{name}}(float[] start, float[] x, float[] y, int steps)
                    {
                        var o = new {{type}}(start);
                        var g = new float[{{count}}];
                        for (int k = 0; k < steps; k++)
                        {
                            P.{{objective}}Gradient(o.Parameters, x, y, g);
                            o.Apply(g);
                        }

                        return o.Parameters.ToArray();
                    }

                    public static float[][] Resumed_{{name}}(float[] start, float[] x, float[] y, int batchSize, int seed, int before, int after)
                    {
                        var o = New_{{name}}(start, batchSize, seed, 1);
                        for (int k = 0; k < before; k++) o.Step(x, y);
                        var clone = o.Clone();
                        var stream = new System.IO.MemoryStream();
                        o.SaveState(stream);
                        stream.Position = 0;
                        var loaded = {{type}}.LoadState(stream);
                        for (int k = 0; k < after; k++) { o.Step(x, y); clone.Step(x, y); loaded.Step(x, y); }
                        return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), new float[] { o.Iteration, clone.Iteration, loaded.Iteration } };
                    }

                    public static double[] Minimize_{{name}}(float[] start, float[] x, float[] y, int batchSize, int seed, int maxIterations, double tolerance, int degree, double[] seen)
                    {
                        var o = New_{{name}}(start, batchSize, seed, degree);
                        var recorder = new Recorder { Seen = seen };
                        var r = seen == null ? o.Minimize(x, y, maxIterations, tolerance) : o.Minimize(x, y, maxIterations, tolerance, ref recorder);
                        var output = new List<double> { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, o.Iteration, recorder.Calls };
                        foreach (var p in o.Parameters) output.Add(p);
                        return output.ToArray();
                    }

                    public static double[] Scheduled_{{name}}(float[] start, float[] x, float[] y, int batchSize, int seed, int maxIterations, double rate, double[] seen)
                    {
                        var o = New_{{name}}(start, batchSize, seed, 1);
                        var recorder = new Recorder { Seen = seen };
                        var schedule = new Harmonic { Rate = rate };
                        var r = o.Minimize(x, y, maxIterations, 0, ref recorder, ref schedule);
                        var output = new List<double> { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, recorder.Calls };
                        foreach (var p in o.Parameters) output.Add(p);
                        return output.ToArray();
                    }

                    public static double[] Diverging_{{name}}(float[] start, float[] x, float[] y, int batchSize, int seed, double learningRate, int maxIterations)
                    {
                        var o = New_{{name}}(start, batchSize, seed, 1);
                        o.LearningRate = learningRate;
                        var r = o.Minimize(x, y, maxIterations, 0);
                        var output = new List<double> { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status };
                        foreach (var p in o.Parameters) output.Add(p);
                        return output.ToArray();
                    }

                    public static double[] Growing_{{name}}(float[] start, float[] x, float[] y, double rate, double factor, int maxIterations)
                    {
                        var o = New_{{name}}(start, 0, 0, 1);
                        var observer = new Recorder();
                        var schedule = new Geometric { Rate = rate, Factor = factor };
                        var r = o.Minimize(x, y, maxIterations, 0, ref observer, ref schedule);
                        var output = new List<double> { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status };
                        foreach (var p in o.Parameters) output.Add(p);
                        return output.ToArray();
                    }

                    public static long[] Allocated_{{name}}(float[] start, float[] x, float[] y, int batchSize)
                    {
                        var o = New_{{name}}(start, batchSize, 3, 1);
                        var recorder = new Recorder();
                        var schedule = new Harmonic { Rate = 0.001 };
                        o.Step(x, y);
                        o.Minimize(x, y, 3, 0, ref recorder, ref schedule);
                        o.Minimize(x, y, 3, 0, ref recorder);
                        o.Minimize(x, y, 3, 0);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int k = 0; k < 100; k++) o.Step(x, y);
                        long steps = GC.GetAllocatedBytesForCurrentThread() - before;
                        before = GC.GetAllocatedBytesForCurrentThread();
                        o.Minimize(x, y, 50, 0, ref recorder, ref schedule);
                        o.Minimize(x, y, 50, 0, ref recorder);
                        o.Minimize(x, y, 50, 0);
                        long minimize = GC.GetAllocatedBytesForCurrentThread() - before;
                        return new[] { steps, minimize, recorder.Calls };
                    }

                    public static string[] BadArguments_{{name}}(float[] start, float[] x, float[] y, int batchSize)
                    {
                        var messages = new List<string>();
                        var o = New_{{name}}(start, batchSize, 3, 1);
                        o.Step(x, y);
                        var before = o.Parameters.ToArray();
                        var shorter = y.AsSpan(1).ToArray();
                        var ragged = x.AsSpan(1).ToArray();
                        string state() => o.Iteration + " " + (o.Parameters.SequenceEqual(before) ? "same" : "changed");
                        try { o.Step(x, shorter); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.Step(ragged, y); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.Step(Array.Empty<float>(), Array.Empty<float>()); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.Minimize(x, shorter, 10); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.Apply(new float[{{count + 1}}]); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.MaxDegreeOfParallelism = 0; } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName ?? "(none)"); }
                        try { o.Minimize(x, y, 0); } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName ?? "(none)"); }
                        messages.Add(state() + " " + o.MaxDegreeOfParallelism);
                        var fresh = New_{{name}}(start, batchSize, 3, 1);
                        fresh.Step(x, y);
                        fresh.Step(x, y);
                        o.Step(x, y);
                        messages.Add(o.Parameters.SequenceEqual(fresh.Parameters) ? "continues" : "differs");
                        try { default({{type}}).Step(x, y); } catch (InvalidOperationException e) { messages.Add(e.Message); }
                        return messages.ToArray();
                    }

                    public static double[] Search_{{name}}(float[] start, float[] x, float[] y, float[] vx, float[] vy, int batchSize)
                    {
                        var space = new {{type}}.SearchSpace { LearningRate = SearchRange.Grid(0.005, 0.02, 0.05) };
                        var options = new SearchOptions { MaxIterations = 40, MaxDegreeOfParallelism = 2 };
                        var result = {{type}}.Search(New_{{name}}(start, batchSize, 3, 1), x, y, space, options);
                        var validated = {{type}}.Search(New_{{name}}(start, batchSize, 3, 1), x, y, vx, vy, space, options);
                        var output = new List<double> { result.BestScore, result.BestHyperparameters.LearningRate, validated.BestScore, validated.BestHyperparameters.LearningRate };
                        foreach (var t in result.Trials) { output.Add(t.Hyperparameters.LearningRate); output.Add(t.Score); }
                        foreach (var t in validated.Trials) { output.Add(t.Hyperparameters.LearningRate); output.Add(t.Score); }
                        foreach (var p in result.Best.Parameters) output.Add(p);
                        foreach (var p in validated.Best.Parameters) output.Add(p);
                        // By hand: Minimize from a fresh copy at each rate, its loss and the validation data's mean loss after it.
                        var g = new float[{{count}}];
                        foreach (var rate in new[] { 0.005, 0.02, 0.05 })
                        {
                            var o = New_{{name}}(start, batchSize, 3, 1);
                            o.LearningRate = rate;
                            output.Add(o.Minimize(x, y, 40, 1e-8).Loss);
                            output.Add(P.{{objective}}Gradient(o.Parameters, vx, vy, g));
                        }

                        return output.ToArray();
                    }

                    public static double[][] FindLearningRate_{{name}}(float[] start, float[] x, float[] y, int batchSize)
                    {
                        var r = {{type}}.FindLearningRate(New_{{name}}(start, batchSize, 3, 1), x, y, 1e-4, 1, 20);
                        var byHand = New_{{name}}(start, batchSize, 3, 1);
                        var losses = new List<double>();
                        foreach (var rate in r.Rates) { byHand.LearningRate = rate; losses.Add(byHand.Step(x, y)); }
                        return new[] { r.Rates.ToArray(), r.Losses.ToArray(), losses.ToArray() };
                    }

                    """);
            }
        }

        return text.ToString();
    }

    private static readonly Lazy<LoadedAssembly> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), Source());
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return run.Load();
    });

    private static T Call<T>(string method, params object?[] arguments) => (T)Compiled.Value.Invoke("OptData.Driver", method, arguments)!;

    private static int CountOf(string objective) => Objectives.Single(o => o.Name == objective).Count;

    private static int RowOf(string objective) => Objectives.Single(o => o.Name == objective).Row;

    private static Case CaseOf(string optimizer) => Cases.Single(c => c.Optimizer == optimizer);

    /// <summary>A data set of <paramref name="samples"/> samples near the model w = (1.5, −0.5, 0.75), b = −0.5, with noise; floats.</summary>
    private static (float[] X, float[] Y) Data(string objective, int samples, int seed)
    {
        var random = new Random(seed);
        int row = RowOf(objective);
        double[] w = [1.5, -0.5, 0.75];
        var x = new float[samples * row];
        var y = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            double z = -0.5;
            for (int k = 0; k < row; k++)
            {
                x[i * row + k] = (float)(random.NextDouble() * 4 - 2);
                z += w[k] * x[i * row + k];
            }

            y[i] = (float)(z + 0.1 * (random.NextDouble() - 0.5));
        }

        return (x, y);
    }

    private static float[] Start(string objective) => objective == "Line" ? [0.25f, 0.75f] : [0.25f, 0.5f, -0.25f, 0.75f];

    /// <summary>
    /// Sample i's float residual r and its loss and gradient derived by hand: r·r, and 2r·x per weight and 2r for b, each
    /// operation in float in the body's order (exact whatever order the generated code multiplies in; see the remarks).
    /// </summary>
    private static float SampleGradient(string objective, float[] theta, float[] x, float[] y, int i, float[] gradient)
    {
        int row = RowOf(objective);
        float r;
        if (objective == "Line")
        {
            r = theta[0] * x[i] + theta[1] - y[i];
        }
        else
        {
            float z = theta[3];
            for (int k = 0; k < row; k++)
            {
                z = z + theta[k] * x[i * row + k];
            }

            r = z - y[i];
        }

        for (int k = 0; k < row; k++)
        {
            gradient[k] = 2 * (r * x[i * row + k]);
        }

        gradient[row] = 2 * r;
        return r * r;
    }

    /// <summary>
    /// A minibatch's mean in the README's arrangement: each sample's float loss and gradient, summed in double in visiting
    /// order, the mean rounded to float once.
    /// </summary>
    private static float MinibatchMean(string objective, float[] theta, float[] x, float[] y, int[] batch, float[] gradient)
    {
        var sums = new double[theta.Length];
        var sample = new float[theta.Length];
        double loss = 0;
        foreach (var i in batch)
        {
            loss += SampleGradient(objective, theta, x, y, i, sample);
            for (int k = 0; k < sums.Length; k++)
            {
                sums[k] += sample[k];
            }
        }

        for (int k = 0; k < sums.Length; k++)
        {
            gradient[k] = (float)(sums[k] / batch.Length);
        }

        return (float)(loss / batch.Length);
    }

    private static float FullBatch(string objective, float[] theta, float[] x, float[] y, float[] gradient)
    {
        var result = Call<float[]>($"Gradient_{objective}", theta, x, y);
        result.AsSpan(1).CopyTo(gradient);
        return result[0];
    }

    /// <summary>
    /// The reference run: per update the loss and gradient (the full batch's when <paramref name="batchSize"/> is 0, else
    /// the next minibatch's of the README's epoch order), the clipping, the rule at <paramref name="learningRate"/> (the
    /// attribute's by default); with <paramref name="rate"/>, at rate(t) at update t (a new reference each update: only for
    /// a rule whose reference keeps no state of its own, RmsProp's).
    /// </summary>
    private static List<(float Loss, float[] Theta)> ReferenceRun(string objective, Case c, float[] x, float[] y, int batchSize, int seed, int steps, Func<long, double>? rate = null, double? learningRate = null)
    {
        var theta = Start(objective);
        var state = Enumerable.Range(0, c.States).Select(_ => new float[theta.Length]).ToArray();
        var reference = c.Reference(learningRate ?? c.LearningRate);
        var batches = batchSize == 0 ? null : new ReferenceMinibatches(y.Length, batchSize, seed, (_, _) => 0, (_, _, _) => { });
        var trace = new List<(float, float[])>();
        var gradient = new float[theta.Length];
        for (int t = 1; t <= steps; t++)
        {
            float loss = batches is null
                ? FullBatch(objective, theta, x, y, gradient)
                : MinibatchMean(objective, theta, x, y, batches.NextBatch(), gradient);
            FloatOptimizerTests.Clip(gradient, c.ClipValue, c.ClipNorm);
            (rate is null ? reference : c.Reference(rate(t)))(t, theta, gradient, state);
            trace.Add((loss, (float[])theta.Clone()));
        }

        return trace;
    }

    /// <summary>The attribute's BatchSize and Seed for Sgd (3, 5); for the others, full batch (0) or 4 with Seed 9.</summary>
    private static (int BatchSize, int Seed, int Argument) Batching(Case c, bool minibatches)
        => c.Optimizer == "Sgd" ? (3, 5, -1) : minibatches ? (4, 9, 4) : (0, 0, 0);

    private static string Bits(IEnumerable<float> values) => string.Join(" ", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8")));

    private static float[] Row(float[] trace, int k, int count) => trace.AsSpan(k * (count + 1) + 1, count).ToArray();

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Step_follows_the_float_reference_bit_for_bit_on_the_full_batch_and_on_minibatches(string objective, string optimizer)
    {
        var c = CaseOf(optimizer);
        int n = CountOf(objective);
        var (x, y) = Data(objective, 13, 1);
        foreach (var minibatches in c.Optimizer == "Sgd" ? new[] { true } : new[] { false, true })
        {
            var (batchSize, seed, argument) = Batching(c, minibatches);
            var trace = Call<float[]>($"Steps_{objective}_{optimizer}", Start(objective), x, y, argument, seed, Steps, 1);
            var expected = ReferenceRun(objective, c, x, y, batchSize, seed, Steps);
            for (int k = 0; k < Steps; k++)
            {
                var what = $"{objective} {optimizer} BatchSize {batchSize}, update {k + 1}";
                Assert.True(Bits(expected[k].Theta) == Bits(Row(trace, k, n)), $"{what}:\n reference {string.Join(", ", expected[k].Theta)}\n generated {string.Join(", ", Row(trace, k, n))}");
                Assert.True(BitConverter.SingleToInt32Bits(expected[k].Loss) == BitConverter.SingleToInt32Bits(trace[k * (n + 1)]), $"{what}: loss {trace[k * (n + 1)]} vs {expected[k].Loss}");
            }

            Assert.All(Enumerable.Range(0, n), i => Assert.NotEqual(Start(objective)[i], expected[^1].Theta[i]));
        }
    }

    [Fact]
    public void The_clipping_acts_in_these_runs()
    {
        // Not vacuous: Adam's full-batch gradient starts above ClipNorm, RmsProp's has a component beyond ClipValue.
        foreach (var (objective, _, _) in Objectives)
        {
            var (x, y) = Data(objective, 13, 1);
            var g = Call<float[]>($"Gradient_{objective}", Start(objective), x, y).AsSpan(1).ToArray();
            Assert.True(Math.Sqrt(g.Sum(v => (double)v * v)) > 1.5, $"{objective}: ‖g‖ {Math.Sqrt(g.Sum(v => (double)v * v))}");
            Assert.Contains(g, v => Math.Abs(v) > 0.5);
        }
    }

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Apply_of_the_data_overloads_gradient_equals_Step_bit_for_bit(string objective, string optimizer)
    {
        if (optimizer == "Sgd")
        {
            return; // always minibatches: its Step's gradient is not the full batch's
        }

        var (x, y) = Data(objective, 13, 1);
        var trace = Call<float[]>($"Steps_{objective}_{optimizer}", Start(objective), x, y, 0, 0, Steps, 1);
        var applied = Call<float[]>($"Applied_{objective}_{optimizer}", Start(objective), x, y, Steps);
        Assert.Equal(Bits(Row(trace, Steps - 1, CountOf(objective))), Bits(applied));
    }

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Every_degree_of_parallelism_gives_the_same_bits(string objective, string optimizer)
    {
        var c = CaseOf(optimizer);
        int n = CountOf(objective);
        // 12,295 samples: three shards of unequal length, each with a tail of n mod 8 samples; 13: one shard.
        foreach (var samples in new[] { 13, 12295 })
        {
            var (x, y) = Data(objective, samples, 2);
            foreach (var minibatches in new[] { false, true })
            {
                var (_, seed, argument) = Batching(c, minibatches);
                var one = Call<float[]>($"Steps_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 6, 1);
                var minimizeOne = Call<double[]>($"Minimize_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 40, 0.0, 1, null);
                foreach (var degree in new[] { 2, 4 })
                {
                    Assert.Equal(Bits(one), Bits(Call<float[]>($"Steps_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 6, degree)));
                    var minimize = Call<double[]>($"Minimize_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 40, 0.0, degree, null);
                    Assert.Equal(minimizeOne.Select(BitConverter.DoubleToInt64Bits), minimize.Select(BitConverter.DoubleToInt64Bits));
                }

                Assert.Equal(40, minimizeOne[0]);
                Assert.NotEqual(Bits(Start(objective)), Bits(Row(one, 5, n)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Clone_and_a_checkpoint_continue_bit_for_bit_mid_epoch(string objective, string optimizer)
    {
        var c = CaseOf(optimizer);
        int n = CountOf(objective);
        var (x, y) = Data(objective, 13, 1);
        foreach (var minibatches in new[] { false, true })
        {
            // Five updates: mid-epoch for minibatches of 3 (5 a epoch) and of 4 (4 a epoch).
            var (_, seed, argument) = Batching(c, minibatches);
            var result = Call<float[][]>($"Resumed_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 5, 6);
            var uninterrupted = Row(Call<float[]>($"Steps_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 11, 1), 10, n);
            Assert.Equal(Bits(uninterrupted), Bits(result[0]));
            Assert.Equal(Bits(uninterrupted), Bits(result[1]));
            Assert.Equal(Bits(uninterrupted), Bits(result[2]));
            Assert.Equal([11f, 11f, 11f], result[3]);
        }
    }

    [Fact]
    public void The_checkpoint_layout_names_the_data_and_float_and_refuses_a_double_one()
    {
        // The same objective and optimizer in double, compiled apart: OptData.P.Line, Adam, a, b; data x, y.
        const string source = """
            using OptimDsl;

            namespace OptData;

            public static partial class P
            {
                [Objective, Adam]
                public static double Line(double a, double b, [Data] double x, [Data] double y) => (a * x + b - y) * (a * x + b - y);
            }

            public static class Driver
            {
                public static byte[] DoubleCheckpoint()
                {
                    var o = new P.LineAdam(0.25, 0.75);
                    var stream = new System.IO.MemoryStream();
                    o.SaveState(stream);
                    return stream.ToArray();
                }
            }
            """;
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        var doubleCheckpoint = (byte[])run.Load().Invoke("OptData.Driver", "DoubleCheckpoint")!;
        Assert.Equal("The checkpoint's parameter layout is 'a, b; data x, y', not 'a, b; data x, y; float'.", Call<string>("LoadLine", doubleCheckpoint));
        Assert.Equal("loaded", Call<string>("LoadLine", Call<byte[]>("LineCheckpoint")));
    }

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Minimize_feeds_an_IParameterObserver_the_steps_widened_and_converges_only_at_epoch_ends(string objective, string optimizer)
    {
        var c = CaseOf(optimizer);
        int n = CountOf(objective);
        var (x, y) = Data(objective, 13, 1);
        foreach (var minibatches in c.Optimizer == "Sgd" ? new[] { true } : new[] { false, true })
        {
            var (batchSize, seed, argument) = Batching(c, minibatches);
            const int iterations = 10;
            var seen = new double[iterations * n];
            var r = Call<double[]>($"Minimize_{objective}_{optimizer}", Start(objective), x, y, argument, seed, iterations, 0.0, 1, seen);
            var expected = ReferenceRun(objective, c, x, y, batchSize, seed, iterations);
            for (int t = 0; t < iterations; t++)
            {
                Assert.Equal(expected[t].Theta.Select(v => (double)v), seen.Skip(t * n).Take(n));
            }

            Assert.Equal(new double[] { iterations, iterations, iterations }, new[] { r[0], r[4], r[5] });
            Assert.Equal((double)OptimizationStatus.IterationLimit, r[3]);
            Assert.Equal(expected[^1].Theta.Select(v => (double)v), r.Skip(6));

            // The result's loss and norm: the full batch's at the parameters held, the float loss widened and the
            // double norm of the float gradient.
            var g = new float[n];
            float loss = FullBatch(objective, expected[^1].Theta, x, y, g);
            Assert.Equal((double)loss, r[1]);
            Assert.Equal(Math.Sqrt(g.Sum(v => (double)v * v)), r[2]);

            // With a tolerance: convergence is tested after every full-batch update, and on minibatches at epoch ends only.
            double tolerance = r[2] * 0.8;
            var converged = Call<double[]>($"Minimize_{objective}_{optimizer}", Start(objective), x, y, argument, seed, 100_000, tolerance, 1, null);
            Assert.Equal((double)OptimizationStatus.Converged, converged[3]);
            Assert.True(converged[2] <= tolerance);
            int batchesPerEpoch = batchSize == 0 ? 1 : (13 + batchSize - 1) / batchSize;
            Assert.Equal(0, converged[0] % batchesPerEpoch);
            var run = ReferenceRun(objective, c, x, y, batchSize, seed, (int)converged[0]);
            Assert.Equal(run[^1].Theta.Select(v => (double)v), converged.Skip(6));
        }
    }

    [Fact]
    public void Minimize_follows_a_schedule_on_the_full_batch_and_on_minibatches()
    {
        var c = CaseOf("RmsProp");
        foreach (var (objective, n, _) in Objectives)
        {
            var (x, y) = Data(objective, 13, 1);
            foreach (var minibatches in new[] { false, true })
            {
                var (batchSize, seed, argument) = Batching(c, minibatches);
                const int iterations = 9;
                var seen = new double[iterations * n];
                var r = Call<double[]>($"Scheduled_{objective}_RmsProp", Start(objective), x, y, argument, seed, iterations, 0.05, seen);
                var expected = ReferenceRun(objective, c, x, y, batchSize, seed, iterations, t => 0.05 / t);
                for (int t = 0; t < iterations; t++)
                {
                    Assert.Equal(expected[t].Theta.Select(v => (double)v), seen.Skip(t * n).Take(n));
                }

                Assert.Equal(expected[^1].Theta.Select(v => (double)v), r.Skip(5));
                Assert.Equal(new double[] { iterations, (double)OptimizationStatus.IterationLimit, iterations }, new[] { r[0], r[3], r[4] });
            }
        }
    }

    [Theory]
    [InlineData("Line")]
    [InlineData("Linear")]
    public void A_diverging_run_returns_to_the_last_finite_step(string objective)
    {
        // RmsProp on the full batch at η_t = 0.01·4^t: θ grows until r·r overflows float (|r| above 1.8·10¹⁹) while θ is
        // still finite. The loss after update j is the one update j + 1 starts at.
        var (x, y) = Data(objective, 13, 1);
        var c = CaseOf("RmsProp");
        var start = Start(objective);
        var r = Call<double[]>($"Growing_{objective}_RmsProp", start, x, y, 0.01, 4.0, 1000);
        var expected = ReferenceRun(objective, c, x, y, 0, 0, 60, rate: t => 0.01 * Math.Pow(4.0, t));
        int j = Enumerable.Range(1, expected.Count - 1).First(k => !float.IsFinite(expected[k].Loss));
        Assert.True(j >= 10, $"diverged at update {j}");
        Assert.All(expected[j - 1].Theta, v => Assert.True(float.IsFinite(v)));
        Assert.Equal((double)OptimizationStatus.Diverged, r[3]);
        Assert.Equal(j - 1, r[0]);
        Assert.Equal((double)expected[j - 1].Loss, r[1]);
        Assert.Equal(expected[j - 2].Theta.Select(v => (double)v), r.Skip(4));

        // On minibatches (Sgd at η = 10⁴): the run stops with finite parameters at a state the same run passes through.
        var sgd = CaseOf("Sgd");
        var m = Call<double[]>($"Diverging_{objective}_Sgd", start, x, y, -1, 0, 1e4, 1000);
        Assert.Equal((double)OptimizationStatus.Diverged, m[3]);
        Assert.All(m.Skip(4), v => Assert.True(double.IsFinite(v)));
        var iterations = (int)m[0];
        var passed = iterations == 0 ? start : ReferenceRun(objective, sgd, x, y, 3, 5, iterations, learningRate: 1e4)[^1].Theta;
        Assert.Equal(passed.Select(v => (double)v), m.Skip(4));
    }

    /// <summary>Wide's θ at the start: 1,100 values in [−2, 2).</summary>
    private static float[] WideStart() => Enumerable.Range(0, 1100).Select(k => (float)Math.Sin(0.7 * k) * 2).ToArray();

    private static float[] WideData(int samples) => Enumerable.Range(0, samples * 1100).Select(i => (float)Math.Cos(0.3 * i)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void An_optimizer_on_the_heap_with_a_rolled_loop_follows_its_reference_and_clones(int batchSize)
    {
        // Wide's sample gradient 2(w_k − x_k) is one rounding, doubled: exact in any order, as in the remarks; its loss is
        // a float sum in the rolled loop's lanes, checked within float rounding of the double sum.
        const int samples = 10, steps = 8;
        var start = WideStart();
        var x = WideData(samples);
        var trace = Call<float[]>("Wide_Steps", start, x, batchSize, steps);
        var theta = (float[])start.Clone();
        var state = Enumerable.Range(0, 3).Select(_ => new float[1100]).ToArray();
        var reference = FloatRuleTests.AdamReference(0.01, 0.8, 0.999, 1e-8, 0, false, false);
        var batches = batchSize == 0 ? null : new ReferenceMinibatches(samples, batchSize, 4, (_, _) => 0, (_, _, _) => { });
        var gradient = new float[1100];
        for (int t = 1; t <= steps; t++)
        {
            double loss;
            if (batches is null)
            {
                var full = Call<float[]>("Wide_Gradient", theta, x);
                full.AsSpan(1).CopyTo(gradient);
                loss = full[0];
            }
            else
            {
                var batch = batches.NextBatch();
                var sums = new double[1100];
                loss = 0;
                foreach (var i in batch)
                {
                    for (int k = 0; k < 1100; k++)
                    {
                        float d = theta[k] - x[i * 1100 + k];
                        sums[k] += 2 * d;
                        loss += (double)d * d;
                    }
                }

                for (int k = 0; k < 1100; k++)
                {
                    gradient[k] = (float)(sums[k] / batch.Length);
                }

                loss /= batch.Length;
            }

            float stepLoss = trace[(t - 1) * 1101];
            Assert.True(Math.Abs(stepLoss - loss) <= 1e-5 * loss, $"update {t}: loss {stepLoss} vs {loss}");
            reference(t, theta, gradient, state);
            Assert.True(Bits(theta) == Bits(Row(trace, t - 1, 1100)), $"BatchSize {batchSize}, update {t}: θ differs");
        }

        var clone = Call<float[][]>("Wide_Clone", start, x, batchSize);
        Assert.Equal(Bits(clone[0]), Bits(clone[1]));
        Assert.Equal(Bits(Row(trace, 4, 1100)), Bits(clone[2]));
        Assert.Equal(Bits(clone[2]), Bits(clone[3]));

        var allocated = Call<long[]>("Wide_Allocated", start, x, batchSize);
        Assert.Equal(0, allocated[0]);
        Assert.Equal(0, allocated[1]);
        Assert.True(allocated[2] >= 20, $"{allocated[2]} observer calls");
        Assert.Equal(0, allocated[3]); // the data overload itself, past 1,024 trained values
    }

    [Theory]
    [InlineData("Line", "Adam", 0)]
    [InlineData("Linear", "Adam", 4)]
    [InlineData("Line", "Sgd", -1)]
    [InlineData("Linear", "RmsProp", 4)]
    public void Step_and_Minimize_allocate_nothing_at_degree_1(string objective, string optimizer, int batchSize)
    {
        var (x, y) = Data(objective, 1001, 3);
        var allocated = Call<long[]>($"Allocated_{objective}_{optimizer}", Start(objective), x, y, batchSize);
        Assert.Equal(0, allocated[0]);
        Assert.Equal(0, allocated[1]);
        Assert.True(allocated[2] >= 100, $"{allocated[2]} observer calls");
    }

    [Theory]
    [InlineData("Line", "Adam", 0)]
    [InlineData("Linear", "Adam", 4)]
    [InlineData("Linear", "Sgd", -1)]
    public void Bad_arguments_throw_naming_them_and_change_nothing(string objective, string optimizer, int batchSize)
    {
        var (x, y) = Data(objective, 13, 1);
        var messages = Call<string[]>($"BadArguments_{objective}_{optimizer}", Start(objective), x, y, batchSize);
        var constructor = objective == "Line" ? "a, b" : "w, b";
        Assert.Equal(
            [
                "y", // fewer values of y than samples of x
                objective == "Line" ? "y" : "x", // Line: x is one value shorter than y; Linear: x is not whole rows of 3
                "x", // no samples
                "y",
                "meanGradient",
                "MaxDegreeOfParallelism",
                "maxIterations",
                "1 same 1",
                "continues",
                $"This {objective}{optimizer} was not constructed: create it with new {objective}{optimizer}({constructor}).",
            ],
            messages);
    }

    [Theory]
    [MemberData(nameof(ObjectivesAndOptimizers))]
    public void Search_with_data_returns_a_deterministic_result_scored_as_README_says(string objective, string optimizer)
    {
        var c = CaseOf(optimizer);
        int n = CountOf(objective);
        var (x, y) = Data(objective, 40, 4);
        var (vx, vy) = Data(objective, 11, 5);
        var (_, _, argument) = Batching(c, minibatches: true);
        var first = Call<double[]>($"Search_{objective}_{optimizer}", Start(objective), x, y, vx, vy, argument);
        var second = Call<double[]>($"Search_{objective}_{optimizer}", Start(objective), x, y, vx, vy, argument);
        Assert.Equal(first.Select(BitConverter.DoubleToInt64Bits), second.Select(BitConverter.DoubleToInt64Bits));

        // Three trials each; the best has the lowest score, and is one of the grid's rates.
        var trials = first.Skip(4).Take(6).Chunk(2).ToArray();
        var validated = first.Skip(10).Take(6).Chunk(2).ToArray();
        Assert.Equal([0.005, 0.02, 0.05], trials.Select(t => t[0]).Order());
        Assert.Equal(trials.Min(t => t[1]), first[0]);
        Assert.Equal(trials.First(t => t[1] == first[0])[0], first[1]);
        Assert.Equal(validated.Min(t => t[1]), first[2]);

        // The training score is the loss Minimize returns; the validation score the mean loss of the validation data at
        // the trial's parameters (the data overload's, widened).
        var byHand = first.Skip(16 + 2 * n).Chunk(2).ToArray();
        Assert.Equal(byHand.Select(h => h[0]), trials.Select(t => t[1]));
        Assert.Equal(byHand.Select(h => h[1]), validated.Select(t => t[1]));
        Assert.All(trials, t => Assert.True(double.IsFinite(t[1]) && t[1] == (float)t[1], $"score {t[1]}"));

        var best = first.Skip(16 + n).Take(n).Select(v => (float)v).ToArray();
        Assert.Equal((double)Call<float[]>($"Gradient_{objective}", best, vx, vy)[0], first[2]);
    }

    [Theory]
    [InlineData("Line", "Adam", 0)]
    [InlineData("Linear", "Sgd", -1)]
    public void FindLearningRate_with_data_records_the_losses_of_Step(string objective, string optimizer, int batchSize)
    {
        var (x, y) = Data(objective, 40, 4);
        var r = Call<double[][]>($"FindLearningRate_{objective}_{optimizer}", Start(objective), x, y, batchSize);
        Assert.NotEmpty(r[0]);
        Assert.Equal(r[1].Length, r[0].Length);
        Assert.Equal(r[2].Take(r[1].Length), r[1]);
        Assert.All(r[1], loss => Assert.Equal(loss, (double)(float)loss));
    }
}
