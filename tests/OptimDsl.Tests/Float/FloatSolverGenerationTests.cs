using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.LevenbergMarquardt;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: the generated <c>[Lbfgs]</c> and <c>[LevenbergMarquardt]</c> structs of float objectives,
/// with and without <c>[Data]</c>. L-BFGS follows, bit for bit, a float reference written here from torch.optim.LBFGS's
/// algorithm box in the documented float arrangement (θ, g, s, y and d floats; inner products summed in double; ρ, α, β,
/// γ and the step in double, each rounded once to float where it meets a float vector); Levenberg–Marquardt follows a
/// reference written from README's description (float θ and residuals, double normal equations) to float rounding, and
/// recovers a curve fit's parameters. Clones and checkpoints continue bit-identically, nothing is allocated per Step or
/// Minimize, and bad arguments throw and change nothing.
/// </summary>
/// <remarks>
/// The references take the objectives' gradients from the generated flat and data overloads (tested on their own in
/// <see cref="FloatGradientTests"/> and <see cref="FloatDataTests"/>): what is under test here is the solver around them.
/// </remarks>
public sealed class FloatSolverGenerationTests
{
    private const string Source = $$"""
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Lbfgs(LearningRate = 0.001, History = 3, LineSearch = LineSearch.None)]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Objective, Lbfgs(LearningRate = 0.5, History = 2, LineSearch = LineSearch.None)]
            public static float Line(float w, float b, [Data] float x, [Data] float y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            [Objective, Lbfgs]
            public static float Valley(float x, float y) => Rosenbrock(x, y);

            [Objective, Lbfgs(History = 4)]
            public static float Fit(float w, float b, [Data] float x, [Data] float y) => Line(w, b, x, y);

            [Objective, LevenbergMarquardt]
            public static float Decay(float a, float k, float c, [Data] float t, [Data] float y)
            {
                var r = a * MathF.Exp(-k * t) + c - y;
                return r * r;
            }

            [Objective, LevenbergMarquardt(InitialDamping = 0.01)]
            public static float Banana(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            // Past the 20 KB kept inline: 8mn + 16m + 20n = 60,160 bytes for L-BFGS, 24n² + 32n = 22,560 for
            // Levenberg–Marquardt (30 residuals through NormalEquations.AddResidual's float overload, past 12 parameters).
            [Objective, Lbfgs]
            public static float Wide([Length(600)] ReadOnlySpan<float> v)
            {
                var s = 0f;
                for (var i = 0; i < 600; i++)
                {
                    s += (v[i] - 0.5f) * (v[i] - 0.5f) * (1 + i % 3);
                }

                return s;
            }

            [Objective, LevenbergMarquardt]
            public static float Many([Length(30)] ReadOnlySpan<float> w)
            {
                var s = 0f;
                for (var i = 0; i < 30; i++)
                {
                    s += (w[i] * w[i] - 0.25f * (i + 1)) * (w[i] * w[i] - 0.25f * (i + 1));
                }

                return s;
            }
        }

        {{DriverSources.ParameterRecorder}}

        public static class Driver
        {
            public static float[] RosenbrockGradient(float[] p)
            {
                var g = new float[2];
                P.RosenbrockGradient(p, g);
                return g;
            }

            public static float[] LineGradient(float[] p, float[] x, float[] y)
            {
                var g = new float[2];
                P.LineGradient(p, x, y, g);
                return g;
            }

            // θ after each of `steps` Steps, then the losses Step returned.
            public static float[][] RosenbrockSteps(float[] start, int steps)
            {
                var o = new P.RosenbrockLbfgs(start);
                var path = new float[steps + 1][];
                var losses = new float[steps];
                for (int k = 0; k < steps; k++)
                {
                    losses[k] = o.Step();
                    path[k] = o.Parameters.ToArray();
                }

                path[steps] = losses;
                return path;
            }

            public static float[][] LineSteps(float[] start, float[] x, float[] y, int steps)
            {
                var o = new P.LineLbfgs(start);
                var path = new float[steps + 1][];
                var losses = new float[steps];
                for (int k = 0; k < steps; k++)
                {
                    losses[k] = o.Step(x, y);
                    path[k] = o.Parameters.ToArray();
                }

                path[steps] = losses;
                return path;
            }

            // θ after each Apply of the data overload's gradient at θ (torch's LBFGS step without a line search).
            public static float[][] LineApplied(float[] start, float[] x, float[] y, int steps)
            {
                var o = new P.LineLbfgs(start);
                var g = new float[2];
                var path = new float[steps][];
                for (int k = 0; k < steps; k++)
                {
                    P.LineGradient(o.Parameters, x, y, g);
                    o.Apply(g);
                    path[k] = o.Parameters.ToArray();
                }

                return path;
            }

            public static float[][] RosenbrockApplied(float[] start, int steps)
            {
                var o = new P.RosenbrockLbfgs(start);
                var g = new float[2];
                var path = new float[steps][];
                for (int k = 0; k < steps; k++)
                {
                    P.RosenbrockGradient(o.Parameters, g);
                    o.Apply(g);
                    path[k] = o.Parameters.ToArray();
                }

                return path;
            }

            // Strong Wolfe on the float valley: Minimize's result from (−1.2, 1), its θ and the θ an IParameterObserver saw;
            // then a loop of as many Steps from the same start: the losses they returned and θ after each.
            public static (float[] Losses, float[][] Path, double[] Result, float[] Theta, double[] Seen) Valley()
            {
                var m = new P.ValleyLbfgs(-1.2f, 1f);
                var recorder = new Recorder { Seen = new double[2 * 200] };
                var r = m.Minimize(200, 0, ref recorder);
                var o = new P.ValleyLbfgs(-1.2f, 1f);
                var losses = new float[r.Iterations];
                var path = new float[r.Iterations][];
                for (int k = 0; k < r.Iterations; k++)
                {
                    losses[k] = o.Step();
                    path[k] = o.Parameters.ToArray();
                }

                return (losses, path, new double[] { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status, recorder.Calls }, m.Parameters.ToArray(), recorder.Seen.Take(2 * recorder.Calls).ToArray());
            }

            public static (double[] Result, float[] Theta, float Step) Fit(float[] x, float[] y)
            {
                var o = new P.FitLbfgs(0f, 0f);
                var r = o.Minimize(x, y, 100, 1e-5);
                return (new double[] { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status }, o.Parameters.ToArray(), o.Step(x, y));
            }

            public static float[][] DecaySteps(float[] start, float[] t, float[] y, int steps)
            {
                var o = new P.DecayLevenbergMarquardt(start);
                var path = new float[steps + 1][];
                var losses = new float[steps];
                for (int k = 0; k < steps; k++)
                {
                    losses[k] = o.Step(t, y);
                    path[k] = o.Parameters.ToArray();
                }

                path[steps] = losses;
                return path;
            }

            public static float[][] BananaSteps(float[] start, int steps)
            {
                var o = new P.BananaLevenbergMarquardt(start);
                var path = new float[steps + 1][];
                var losses = new float[steps];
                for (int k = 0; k < steps; k++)
                {
                    losses[k] = o.Step();
                    path[k] = o.Parameters.ToArray();
                }

                path[steps] = losses;
                return path;
            }

            public static (double[] Result, float[] Theta, double[] Seen, int Calls) DecayFit(float[] t, float[] y, int maxDegree)
            {
                var o = new P.DecayLevenbergMarquardt(1f, 1f, 0f);
                o.MaxDegreeOfParallelism = maxDegree;
                var recorder = new Recorder { Seen = new double[3 * 100] };
                var r = o.Minimize(t, y, 100, 0, ref recorder);
                return (new double[] { r.Iterations, r.Loss, r.GradientNorm, (double)r.Status }, o.Parameters.ToArray(), recorder.Seen.Take(3 * recorder.Calls).ToArray(), recorder.Calls);
            }

            // Three runs continuing from one point: the optimizer itself, its Clone, and a LoadState of its checkpoint;
            // then the original optimizer after the clone moved (a clone shares nothing).
            public static float[][] Continued(string which, float[] x, float[] y)
            {
                switch (which)
                {
                    case "Valley":
                    {
                        var o = new P.ValleyLbfgs(-1.2f, 1f);
                        for (int k = 0; k < 4; k++) o.Step();
                        var clone = o.Clone();
                        var loaded = P.ValleyLbfgs.LoadState(Saved(s => o.SaveState(s)));
                        var at = o.Parameters.ToArray();
                        for (int k = 0; k < 5; k++) clone.Step();
                        var unmoved = o.Parameters.ToArray();
                        for (int k = 0; k < 5; k++) { o.Step(); loaded.Step(); }
                        return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), at, unmoved, new float[] { o.Iteration, clone.Iteration, loaded.Iteration } };
                    }

                    case "Fit":
                    {
                        var o = new P.FitLbfgs(0f, 0f);
                        for (int k = 0; k < 3; k++) o.Step(x, y);
                        var clone = o.Clone();
                        var loaded = P.FitLbfgs.LoadState(Saved(s => o.SaveState(s)));
                        var at = o.Parameters.ToArray();
                        for (int k = 0; k < 3; k++) clone.Step(x, y);
                        var unmoved = o.Parameters.ToArray();
                        for (int k = 0; k < 3; k++) { o.Step(x, y); loaded.Step(x, y); }
                        return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), at, unmoved, new float[] { o.Iteration, clone.Iteration, loaded.Iteration } };
                    }

                    case "Decay":
                    {
                        var o = new P.DecayLevenbergMarquardt(1f, 1f, 0f);
                        for (int k = 0; k < 2; k++) o.Step(x, y);
                        var clone = o.Clone();
                        var loaded = P.DecayLevenbergMarquardt.LoadState(Saved(s => o.SaveState(s)));
                        var at = o.Parameters.ToArray();
                        for (int k = 0; k < 3; k++) clone.Step(x, y);
                        var unmoved = o.Parameters.ToArray();
                        for (int k = 0; k < 3; k++) { o.Step(x, y); loaded.Step(x, y); }
                        return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), at, unmoved, new float[] { o.Iteration, clone.Iteration, loaded.Iteration } };
                    }

                    default:
                    {
                        var o = new P.BananaLevenbergMarquardt(-1.2f, 1f);
                        for (int k = 0; k < 3; k++) o.Step();
                        var clone = o.Clone();
                        var loaded = P.BananaLevenbergMarquardt.LoadState(Saved(s => o.SaveState(s)));
                        var at = o.Parameters.ToArray();
                        for (int k = 0; k < 4; k++) clone.Step();
                        var unmoved = o.Parameters.ToArray();
                        for (int k = 0; k < 4; k++) { o.Step(); loaded.Step(); }
                        return new[] { o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), at, unmoved, new float[] { o.Iteration, clone.Iteration, loaded.Iteration } };
                    }
                }
            }

            // The heap layouts: Minimize from all ones, then a Clone and a checkpoint stepped on from there, the original
            // after its clone moved, and the bytes 20 Steps and a Minimize allocate.
            public static float[][] Heap(string which)
            {
                if (which == "Wide")
                {
                    var o = new P.WideLbfgs(Enumerable.Repeat(1f, 600).ToArray());
                    var r = o.Minimize(100, 1e-4f);
                    var clone = o.Clone();
                    var loaded = P.WideLbfgs.LoadState(Saved(s => o.SaveState(s)));
                    o.Parameters[0] = 3; // through the span: the clone and the loaded copy must not see it
                    var seen = new[] { clone.Parameters[0], loaded.Parameters[0] };
                    o.Parameters[0] = clone.Parameters[0];
                    var recorder = new Recorder();
                    o.Minimize(2, 0, ref recorder);
                    clone.Minimize(2, 0, ref recorder);
                    for (int k = 0; k < 20; k++) o.Step();
                    o.Minimize(5, 0, ref recorder);
                    long bytes = Allocated(() => { for (int k = 0; k < 20; k++) clone.Step(); clone.Minimize(5, 0, ref recorder); });
                    loaded.Minimize(2, 0, ref recorder);
                    bytes = Math.Min(bytes, Allocated(() => { for (int k = 0; k < 20; k++) loaded.Step(); loaded.Minimize(5, 0, ref recorder); }));
                    return new[] { new float[] { (float)r.Status, (float)r.Iterations, bytes }, seen, o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), new float[0] };
                }
                else
                {
                    var o = new P.ManyLevenbergMarquardt(Enumerable.Repeat(1f, 30).ToArray());
                    var r = o.Minimize(100, 0);
                    var clone = o.Clone();
                    var loaded = P.ManyLevenbergMarquardt.LoadState(Saved(s => o.SaveState(s)));
                    var theta = o.Parameters.ToArray();
                    o.Parameters[0] = 3;
                    var seen = new[] { clone.Parameters[0], loaded.Parameters[0] };
                    o.Parameters[0] = theta[0];
                    o.Parameters.CopyTo(theta);
                    var recorder = new Recorder();
                    o.Minimize(2, 0, ref recorder);
                    for (int k = 0; k < 20; k++) o.Step();
                    o.Minimize(5, 0, ref recorder);
                    clone.Minimize(2, 0, ref recorder);
                    long bytes = Allocated(() => { for (int k = 0; k < 20; k++) clone.Step(); clone.Minimize(5, 0, ref recorder); });
                    loaded.Minimize(2, 0, ref recorder);
                    bytes = Math.Min(bytes, Allocated(() => { for (int k = 0; k < 20; k++) loaded.Step(); loaded.Minimize(5, 0, ref recorder); }));
                    return new[] { new float[] { (float)r.Status, (float)r.Iterations, bytes }, seen, o.Parameters.ToArray(), clone.Parameters.ToArray(), loaded.Parameters.ToArray(), theta };
                }
            }

            // The bytes that run allocates; the callers pass 20 Steps and a Minimize(5) on an optimizer whose methods already
            // ran the same calls on another copy, so that no first call's compilation falls in the window.
            private static long Allocated(Action run)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                run();
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            private static System.IO.MemoryStream Saved(Action<System.IO.Stream> save)
            {
                var stream = new System.IO.MemoryStream();
                save(stream);
                stream.Position = 0;
                return stream;
            }

            // Bytes allocated by 50 Steps, then by Minimize with an IParameterObserver, after one warm-up of each, per optimizer.
            public static long[] Allocations(float[] x, float[] y, float[] t, float[] z)
            {
                var recorder = new Recorder();
                var valley = new P.ValleyLbfgs(-1.2f, 1f);
                var fit = new P.FitLbfgs(0f, 0f);
                var decay = new P.DecayLevenbergMarquardt(1f, 1f, 0f);
                var banana = new P.BananaLevenbergMarquardt(-1.2f, 1f);
                valley.Step(); valley.Minimize(2, 0, ref recorder);
                fit.Step(x, y); fit.Minimize(x, y, 2, 0, ref recorder);
                decay.Step(t, z); decay.Minimize(t, z, 2, 0, ref recorder);
                banana.Step(); banana.Minimize(2, 0, ref recorder);
                var bytes = new long[8];
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 50; k++) valley.Step();
                bytes[0] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                valley.Minimize(50, 0, ref recorder);
                bytes[1] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 50; k++) fit.Step(x, y);
                bytes[2] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                fit.Minimize(x, y, 50, 0, ref recorder);
                bytes[3] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 50; k++) decay.Step(t, z);
                bytes[4] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                decay.Minimize(t, z, 50, 0, ref recorder);
                bytes[5] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 50; k++) banana.Step();
                bytes[6] = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                banana.Minimize(50, 0, ref recorder);
                bytes[7] = GC.GetAllocatedBytesForCurrentThread() - before;
                return bytes;
            }

            public static string[] BadArguments(float[] x, float[] y)
            {
                var messages = new System.Collections.Generic.List<string>();
                var o = new P.FitLbfgs(0.5f, -0.5f);
                o.Step(x, y);
                var before = o.Parameters.ToArray();
                long iteration = o.Iteration;
                string Same() => o.Iteration == iteration && o.Parameters.SequenceEqual(before) ? "same" : "changed";
                try { o.Apply(new float[3]); } catch (ArgumentException e) { messages.Add(e.ParamName + " " + Same()); }
                try { o.Apply(new[] { float.NaN, 0f }); } catch (ArgumentException e) { messages.Add(e.ParamName + " " + Same()); }
                try { o.Step(x, y.AsSpan(1)); } catch (ArgumentException e) { messages.Add(e.ParamName + " " + Same()); }
                try { o.Minimize(x, y, 0); } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName + " " + Same()); }
                try { o.Minimize(x, y, 10, float.NaN); } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName + " " + Same()); }
                try { o.History = 5; } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName + " " + Same()); }
                try { new P.FitLbfgs(new float[3]); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                var d = new P.DecayLevenbergMarquardt(1f, 1f, 0f);
                try { d.Step(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty); } catch (ArgumentException e) { messages.Add(e.ParamName ?? "(none)"); }
                try { d.InitialDamping = 0; } catch (ArgumentOutOfRangeException e) { messages.Add(e.ParamName ?? "(none)"); }
                try { default(P.ValleyLbfgs).Step(); } catch (InvalidOperationException) { messages.Add("default Lbfgs"); }
                try { default(P.BananaLevenbergMarquardt).Step(); } catch (InvalidOperationException) { messages.Add("default LevenbergMarquardt"); }
                return messages.ToArray();
            }

            // The search's trials against runs made by hand: Minimize(20, 0) at each grid point from the start.
            public static (double[] Scores, double[] ByHand, double Best) Search(float[] t, float[] y)
            {
                var start = new P.DecayLevenbergMarquardt(1f, 1f, 0f);
                var space = new P.DecayLevenbergMarquardt.SearchSpace { InitialDamping = SearchRange.Grid(1e-3, 1, 100) };
                var result = P.DecayLevenbergMarquardt.Search(start, t, y, space, new SearchOptions { MaxIterations = 3, Tolerance = 0, MaxDegreeOfParallelism = 2 });
                var byHand = new[] { 1e-3, 1, 100 }.Select(damping =>
                {
                    var o = start.Clone();
                    o.InitialDamping = damping;
                    return o.Minimize(t, y, 3, 0).Loss;
                }).ToArray();
                return (result.Trials.Select(r => r.Score).ToArray(), byHand, result.BestHyperparameters.InitialDamping);
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    private static T Call<T>(string method, params object?[] arguments) => Driver.Value.Call<T>(method, arguments);

    /// <summary>Eleven points near the line y = 2x + 1, in float.</summary>
    private static readonly float[] X = [.. Enumerable.Range(0, 11).Select(i => (float)((0.3 * i) - 1))];
    private static readonly float[] Y = [.. Enumerable.Range(0, 11).Select(i => (float)((2 * ((0.3 * i) - 1)) + 1 + (0.1 * Math.Sin(i))))];

    /// <summary>
    /// 203 points of the decay y = 2.5·e^(−1.3 t) + 0.5 at t = i/40, computed in double and rounded to float: 25 steps of
    /// Levenberg–Marquardt's eight float lanes and a tail of three samples.
    /// </summary>
    private static readonly float[] T = [.. Enumerable.Range(0, 203).Select(i => (float)(i / 40.0))];
    private static readonly float[] Z = [.. T.Select(t => (float)((2.5 * Math.Exp(-1.3 * t)) + 0.5))];

    // ---- L-BFGS -------------------------------------------------------------------------------------------------

    /// <summary>Σ xᵢyᵢ of two float vectors, in double, in index order: each product of widened floats is exact.</summary>
    private static double Dot(float[] x, float[] y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return sum;
    }

    /// <summary>One curvature pair of the float reference: s and y in float, ρ = 1 / yᵀs in double.</summary>
    private sealed record Pair(float[] S, float[] Y, double Rho);

    /// <summary>
    /// torch.optim.LBFGS's direction, in float: q = −g; for the pairs from newest to oldest, αᵢ = ρᵢ sᵢᵀq and q ← q − αᵢ yᵢ;
    /// d = q·H_diag with H_diag = yᵀs / yᵀy of the newest pair (1 without pairs); from oldest to newest, βᵢ = ρᵢ yᵢᵀd and
    /// d ← d + (αᵢ − βᵢ) sᵢ. Each scalar is a double (the dots summed in double) rounded once to float where it multiplies a
    /// float vector; each vector operation is a float one. README [Lbfgs] adds: when gᵀd ≥ 0 the history is emptied and d = −g.
    /// </summary>
    private static float[] TorchDirection(float[] g, List<Pair> pairs)
    {
        float[] q = [.. g.Select(v => -v)];
        var al = new double[pairs.Count];
        for (int i = pairs.Count - 1; i >= 0; i--)
        {
            al[i] = Dot(pairs[i].S, q) * pairs[i].Rho;
            float factor = (float)al[i];
            for (int k = 0; k < q.Length; k++)
            {
                q[k] -= factor * pairs[i].Y[k];
            }
        }

        float hDiag = pairs.Count == 0 ? 1f : (float)(Dot(pairs[^1].Y, pairs[^1].S) / Dot(pairs[^1].Y, pairs[^1].Y));
        float[] d = [.. q.Select(v => v * hDiag)];
        for (int i = 0; i < pairs.Count; i++)
        {
            double be = Dot(pairs[i].Y, d) * pairs[i].Rho;
            float factor = (float)(al[i] - be);
            for (int k = 0; k < d.Length; k++)
            {
                d[k] += factor * pairs[i].S[k];
            }
        }

        if (Dot(g, d) >= 0)
        {
            pairs.Clear();
            d = [.. g.Select(v => -v)];
        }

        return d;
    }

    /// <summary>Keeps (s, y) when yᵀs &gt; 1e-10, dropping the oldest pair past <paramref name="history"/>.</summary>
    private static void Keep(List<Pair> pairs, float[] s, float[] y, int history)
    {
        double ys = Dot(s, y);
        if (ys > 1e-10)
        {
            pairs.Add(new Pair(s, y, 1 / ys));
            if (pairs.Count > history)
            {
                pairs.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// README [Lbfgs] with <c>LineSearch.None</c>, in float: each Step moves θ to θ + (float)η·d (torch's direction above,
    /// no first-step scaling without a line search) and stores s = θₖ₊₁ − θₖ, y = gₖ₊₁ − gₖ (float differences). Returns θ
    /// after each step and the loss before it.
    /// </summary>
    private static (List<float[]> Path, List<float> Losses) FloatLbfgsSteps(float[] start, Func<float[], (float Loss, float[] Gradient)> evaluate, double rate, int history, int steps)
    {
        var pairs = new List<Pair>();
        float[] theta = start;
        var (loss, g) = evaluate(theta);
        var path = new List<float[]>();
        var losses = new List<float>();
        for (int k = 0; k < steps; k++)
        {
            // The direction over the pairs as they are; a check of the reference: it is the double two-loop recursion's
            // over the same float pairs to float rounding (64 ulps of its largest component).
            var expected = Lbfgs.LbfgsSolverTests.ReferenceDirection(
                [.. g.Select(v => (double)v)], [.. pairs.Select(p => (p.S.Select(v => (double)v).ToArray(), p.Y.Select(v => (double)v).ToArray()))], history);
            float[] d = TorchDirection(g, pairs);
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < d.Length; i++)
            {
                Assert.True(Math.Abs(d[i] - expected[i]) <= 64 * Math.Pow(2, -24) * scale, $"reference step {k + 1}: d[{i}] = {d[i]:R}, double recursion {expected[i]:R}");
            }

            float eta = (float)rate;
            float[] next = [.. theta.Select((v, i) => v + (eta * d[i]))];
            var (nextLoss, nextGradient) = evaluate(next);
            Keep(pairs, [.. next.Select((v, i) => v - theta[i])], [.. nextGradient.Select((v, i) => v - g[i])], history);
            losses.Add(loss);
            (theta, loss, g) = (next, nextLoss, nextGradient);
            path.Add(theta);
        }

        return (path, losses);
    }

    /// <summary>
    /// torch.optim.LBFGS(lr, history_size, line_search_fn=None, max_iter=1), one <c>step</c> per gradient, in float: from the
    /// second call, y = g − g_prev and s = (float)t·d_prev enter the history when yᵀs &gt; 1e-10; t = lr·min(1, 1/‖g‖₁) on the
    /// first call (‖g‖₁ in double) and lr after; θ ← θ + (float)t·d.
    /// </summary>
    private static List<float[]> TorchLbfgsApplied(float[] start, Func<float[], float[]> gradient, double lr, int history, int steps)
    {
        var pairs = new List<Pair>();
        float[] theta = start, d = [], previous = [];
        double t = 0;
        var path = new List<float[]>();
        for (int n = 1; n <= steps; n++)
        {
            float[] g = gradient(theta);
            if (n > 1)
            {
                float step = (float)t;
                Keep(pairs, [.. d.Select(v => step * v)], [.. g.Select((v, i) => v - previous[i])], history);
            }

            d = TorchDirection(g, pairs);
            previous = g;
            t = n == 1 ? Math.Min(1, 1 / g.Sum(v => Math.Abs((double)v))) * lr : lr;
            float length = (float)t;
            theta = [.. theta.Select((v, i) => v + (length * d[i]))];
            path.Add(theta);
        }

        return path;
    }

    private static (float, float[]) Rosenbrock(float[] p)
    {
        float[] g = Call<float[]>("RosenbrockGradient", p);
        float a = 1 - p[0], b = p[1] - (p[0] * p[0]);
        return ((a * a) + (100 * b * b), g);
    }

    /// <summary>The mean loss of the line at p (the loss is compared bit for bit only through the path: Step returns the generated one).</summary>
    private static (float, float[]) Line(float[] p) => (float.NaN, Call<float[]>("LineGradient", p, X, Y));

    private static void AssertBits(float[] expected, float[] actual, string what)
        => Assert.True(expected.SequenceEqual(actual), $"{what}: [{string.Join(", ", actual.Select(v => v.ToString("R")))}], reference [{string.Join(", ", expected.Select(v => v.ToString("R")))}]");

    [Fact]
    public void Lbfgs_without_a_line_search_follows_the_float_reference_bit_for_bit_on_Rosenbrock()
    {
        const int steps = 25;
        var actual = Call<float[][]>("RosenbrockSteps", new[] { -1.2f, 1f }, steps);
        var (path, _) = FloatLbfgsSteps([-1.2f, 1f], Rosenbrock, 0.001, 3, steps);
        for (int k = 0; k < steps; k++)
        {
            AssertBits(path[k], actual[k], $"θ after step {k + 1}");
        }

        // Step returns the float loss at θ before it: the generated value at the reference's θ (exact data).
        Assert.Equal(Call<float[][]>("RosenbrockSteps", path[steps - 2], 1)[1][0], actual[steps][steps - 1]);
        Assert.True(actual[steps][steps - 1] < actual[steps][0], "the loss fell");
    }

    [Fact]
    public void Lbfgs_without_a_line_search_follows_the_float_reference_bit_for_bit_on_a_data_objective()
    {
        const int steps = 12;
        var actual = Call<float[][]>("LineSteps", new[] { 0.5f, -0.5f }, X, Y, steps);
        var (path, _) = FloatLbfgsSteps([0.5f, -0.5f], Line, 0.5, 2, steps);
        for (int k = 0; k < steps; k++)
        {
            AssertBits(path[k], actual[k], $"θ after step {k + 1}");
        }
    }

    [Fact]
    public void Apply_follows_torch_LBFGS_in_float_bit_for_bit()
    {
        var line = Call<float[][]>("LineApplied", new[] { 0.5f, -0.5f }, X, Y, 10);
        var lineReference = TorchLbfgsApplied([0.5f, -0.5f], p => Call<float[]>("LineGradient", p, X, Y), 0.5, 2, 10);
        var rosenbrock = Call<float[][]>("RosenbrockApplied", new[] { -1.2f, 1f }, 12);
        var rosenbrockReference = TorchLbfgsApplied([-1.2f, 1f], p => Call<float[]>("RosenbrockGradient", p), 0.001, 3, 12);
        for (int k = 0; k < 10; k++)
        {
            AssertBits(lineReference[k], line[k], $"line, θ after Apply {k + 1}");
        }

        for (int k = 0; k < 12; k++)
        {
            AssertBits(rosenbrockReference[k], rosenbrock[k], $"Rosenbrock, θ after Apply {k + 1}");
        }
    }

    /// <summary>
    /// Strong Wolfe in float on Rosenbrock from (−1.2, 1): every accepted point's loss is at most the last (sufficient
    /// decrease along a descent direction), the run ends within 1e-3 of (1, 1) (the valley's floor is flat: f below
    /// float's resolution near 0 leaves θ about √ε_float ≈ 3e-4 from it), and a loop of as many Steps as Minimize made
    /// makes its iterations, bit for bit; its IParameterObserver saw each iteration's θ widened, its result holds the float
    /// loss widened.
    /// </summary>
    [Fact]
    public void Strong_Wolfe_reaches_the_Rosenbrock_minimiser_and_Minimize_makes_the_iterations_of_Step()
    {
        var (losses, path, result, theta, seen) = Call<(float[], float[][], double[], float[], double[])>("Valley");
        for (int k = 1; k < losses.Length; k++)
        {
            Assert.True(losses[k] <= losses[k - 1], $"iteration {k + 1}: {losses[k]:R} after {losses[k - 1]:R}");
        }

        var last = path[^1];
        Assert.True(Math.Abs(last[0] - 1) <= 1e-3 && Math.Abs(last[1] - 1) <= 1e-3, $"θ = ({last[0]:R}, {last[1]:R})");
        // With tolerance 0 the run ends where an iteration cannot move, or where the float gradient is exactly 0.
        Assert.True(result[3] == (double)OptimizationStatus.Stalled || (result[3] == (double)OptimizationStatus.Converged && result[2] == 0), $"status {result[3]}, ‖g‖ {result[2]:R}");
        AssertBits(last, theta, "Minimize's θ against the Steps'");
        Assert.Equal(path.Length, (int)result[4]);
        Assert.Equal(path.SelectMany(p => p.Select(v => (double)v)).ToArray(), seen);
        // The result's loss is the float loss at the last θ, widened (Valley inlines Rosenbrock: the same float code).
        Assert.Equal((double)Call<float[][]>("RosenbrockSteps", last, 1)[1][0], result[1]);
        Assert.True(result[1] <= 1e-6, $"f = {result[1]:R}");
    }

    /// <summary>
    /// Strong Wolfe on the float line fit (the data overload's gradient): Minimize to ‖g‖ ≤ 1e-5 converges to the least
    /// squares line computed in double from the same float points, within 1e-5 (its conditioning here is about 10, the
    /// float gradient's rounding about 1e-7 of its terms).
    /// </summary>
    [Fact]
    public void Strong_Wolfe_with_data_converges_to_the_least_squares_line()
    {
        var (result, theta, _) = Call<(double[], float[], float)>("Fit", X, Y);
        double n = X.Length, sx = X.Sum(v => (double)v), sy = Y.Sum(v => (double)v);
        double sxx = X.Sum(v => (double)v * v), sxy = X.Zip(Y, (a, b) => (double)a * b).Sum();
        double w = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        double b = (sy - (w * sx)) / n;
        Assert.Equal((double)OptimizationStatus.Converged, result[3]);
        Assert.True(result[2] <= 1e-5);
        Assert.True(Math.Abs(theta[0] - w) <= 1e-5 && Math.Abs(theta[1] - b) <= 1e-5, $"θ = ({theta[0]:R}, {theta[1]:R}), least squares ({w:R}, {b:R})");
    }

    // ---- Levenberg–Marquardt ----------------------------------------------------------------------------------

    /// <summary>A residual problem of the reference: per sample, the float residuals with their weights and float Jacobian rows.</summary>
    private delegate void FloatResiduals(float[] theta, int sample, List<(double Weight, float R, float[] Row)> residuals);

    /// <summary>README [LevenbergMarquardt]: f = (1/N) Σ c r², g = (2/N) Σ c r ∇r, H = (2/N) Σ c ∇r∇rᵀ, in double from the float r and ∇r.</summary>
    private static (double F, double[] G, double[,] H) NormalEquations(float[] theta, int samples, FloatResiduals residuals)
    {
        int n = theta.Length;
        double f = 0;
        var g = new double[n];
        var h = new double[n, n];
        var terms = new List<(double Weight, float R, float[] Row)>();
        for (int s = 0; s < samples; s++)
        {
            terms.Clear();
            residuals(theta, s, terms);
            foreach (var (c, r, row) in terms)
            {
                f += c * r * r;
                for (int i = 0; i < n; i++)
                {
                    g[i] += c * r * row[i];
                    for (int j = 0; j < n; j++)
                    {
                        h[i, j] += c * row[i] * (double)row[j];
                    }
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            g[i] *= 2.0 / samples;
            for (int j = 0; j < n; j++)
            {
                h[i, j] *= 2.0 / samples;
            }
        }

        return (f / samples, g, h);
    }

    /// <summary>
    /// README [LevenbergMarquardt], one Step after another from λ = InitialDamping: solve (H + λD) δ = −g (D = diag(H), a
    /// diagonal element below 1e-12 of the largest raised to it), trial θ + δ with δ rounded to float; when the loss
    /// strictly falls take it and λ ← λ / 10, else λ ← λ · 10 and solve again. Returns θ after each step and the loss before.
    /// </summary>
    private static (List<float[]> Path, List<double> Losses) ReferenceLevenbergMarquardt(float[] start, int samples, FloatResiduals residuals, double damping, int steps)
    {
        var path = new List<float[]>();
        var losses = new List<double>();
        float[] theta = start;
        int n = theta.Length;
        for (int k = 0; k < steps; k++)
        {
            var (f, g, h) = NormalEquations(theta, samples, residuals);
            losses.Add(f);
            double largest = Enumerable.Range(0, n).Max(i => h[i, i]);
            for (int trial = 0; trial < 100; trial++)
            {
                var a = (double[,])h.Clone();
                for (int i = 0; i < n; i++)
                {
                    a[i, i] += damping * Math.Max(h[i, i], 1e-12 * largest);
                }

                double[] delta = Dense.Solve(a, [.. g.Select(v => -v)]);
                float[] point = [.. theta.Select((v, i) => v + (float)delta[i])];
                if (NormalEquations(point, samples, residuals).F < f)
                {
                    theta = point;
                    damping = Math.Max(damping / 10, 1e-12);
                    break;
                }

                damping *= 10;
            }

            path.Add(theta);
        }

        return (path, losses);
    }

    private static void DecayResiduals(float[] p, int i, List<(double, float, float[])> terms)
    {
        float e = MathF.Exp(-(p[1] * T[i]));
        terms.Add((1, (p[0] * e) + p[2] - Z[i], [e, -(T[i] * (p[0] * e)), 1]));
    }

    private static void BananaResiduals(float[] p, int i, List<(double, float, float[])> terms)
    {
        terms.Add((1, 1 - p[0], [-1, 0]));
        terms.Add((100, p[1] - (p[0] * p[0]), [-(p[0] + p[0]), 1]));
    }

    /// <summary>
    /// The generated trajectories stay within float rounding of the reference's: 1e-5 relative to max(1, |θ|) per
    /// component after each step (the reference solves by elimination rather than Cholesky, and its float residuals
    /// may round differently in their last bit, so its δ differs from the generated one by a few ulps of float), and the
    /// losses Step returns within 1e-5 relative, or 1e-12 at the optimum, where the loss is the float residuals' rounding
    /// (residuals of about 2⁻²⁴ of values near 1 square to about 1e-14 each).
    /// </summary>
    [Theory]
    [InlineData("Decay")]
    [InlineData("Banana")]
    public void Levenberg_Marquardt_follows_the_README_reference_to_float_rounding(string objective)
    {
        const int steps = 8;
        var (actual, (path, losses)) = objective == "Decay"
            ? (Call<float[][]>("DecaySteps", new[] { 1f, 1f, 0f }, T, Z, steps), ReferenceLevenbergMarquardt([1f, 1f, 0f], T.Length, DecayResiduals, 1e-3, steps))
            : (Call<float[][]>("BananaSteps", new[] { -1.2f, 1f }, steps), ReferenceLevenbergMarquardt([-1.2f, 1f], 1, BananaResiduals, 0.01, steps));
        for (int k = 0; k < steps; k++)
        {
            for (int i = 0; i < path[k].Length; i++)
            {
                Assert.True(Math.Abs(actual[k][i] - path[k][i]) <= 1e-5 * Math.Max(1, Math.Abs(path[k][i])), $"step {k + 1}, θ[{i}] = {actual[k][i]:R}, reference {path[k][i]:R}");
            }

            Assert.True(Math.Abs(actual[steps][k] - losses[k]) <= (1e-5 * Math.Abs(losses[k])) + 1e-12, $"step {k + 1}: loss {actual[steps][k]:R}, reference {losses[k]:R}");
        }

        Assert.True(losses[^1] < losses[0] / 2, $"the reference moved towards the optimum: {losses[0]:R} to {losses[^1]:R}");
    }

    /// <summary>
    /// The float decay fit recovers a = 2.5, k = 1.3, c = 0.5 from float data to float precision: each within one float ulp
    /// of its value (2⁻²³ relative; the nearest floats, 1.3 itself having no float), at a loss below 1e-12, and ends Stalled
    /// with tolerance 0 at the optimum, as README's [LevenbergMarquardt] says. The run is the same at degrees 1 and 2; the
    /// observer saw θ widened after each iteration.
    /// </summary>
    [Fact]
    public void Levenberg_Marquardt_recovers_the_decay_parameters_to_float_precision()
    {
        var (result, theta, seen, calls) = Call<(double[], float[], double[], int)>("DecayFit", T, Z, 1);
        var (result2, theta2, _, _) = Call<(double[], float[], double[], int)>("DecayFit", T, Z, 2);
        double[] known = [2.5, 1.3, 0.5];
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(theta[i] - known[i]) <= Math.Pow(2, -23) * known[i], $"θ[{i}] = {theta[i]:R}");
        }

        Assert.Equal((double)OptimizationStatus.Stalled, result[3]);
        Assert.Equal(result, result2);
        AssertBits(theta, theta2, "degree 2 against 1");
        Assert.Equal((int)result[0], calls);
        Assert.Equal(theta.Select(v => (double)v), seen.Skip(seen.Length - 3));
        Assert.True(result[1] <= 1e-12, $"loss {result[1]:R}");
    }

    // ---- Both ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("Valley")]
    [InlineData("Fit")]
    [InlineData("Decay")]
    [InlineData("Banana")]
    public void Clone_and_checkpoint_continue_bit_identically_and_a_clone_shares_nothing(string which)
    {
        var data = which == "Fit" ? (X, Y) : (T, Z);
        var r = Call<float[][]>("Continued", which, data.Item1, data.Item2);
        AssertBits(r[0], r[1], "clone");
        AssertBits(r[0], r[2], "loaded");
        AssertBits(r[3], r[4], "the original after its clone moved");
        Assert.False(r[0].SequenceEqual(r[3]), "the runs moved");
        Assert.Equal(r[5][0], r[5][1]);
        Assert.Equal(r[5][0], r[5][2]);
    }

    /// <summary>
    /// Past 20 KB the float solvers' state is on the heap (README, Float objectives): L-BFGS over 600 floats converges to
    /// ‖g‖ ≤ 1e-4 at vᵢ = ½ within 1e-4 (the Hessian's eigenvalues are 2 to 6), Levenberg–Marquardt over 30 floats reaches
    /// wᵢ = √(0.25 (i + 1)) to within 2 ulps of float; a clone and a loaded checkpoint share nothing with the original and
    /// continue bit-identically; 20 Steps and a Minimize allocate nothing.
    /// </summary>
    [Theory]
    [InlineData("Wide")]
    [InlineData("Many")]
    public void Heap_state_converges_clones_and_resumes_bit_identically_without_allocating(string which)
    {
        var r = Call<float[][]>("Heap", which);
        if (which == "Wide")
        {
            Assert.Equal((float)OptimizationStatus.Converged, r[0][0]);
            Assert.All(r[2], v => Assert.True(Math.Abs(v - 0.5) <= 1e-4, $"{v:R}"));
        }
        else
        {
            Assert.Equal((float)OptimizationStatus.Stalled, r[0][0]);
            for (int i = 0; i < 30; i++)
            {
                double root = Math.Sqrt(0.25 * (i + 1));
                Assert.True(Math.Abs(r[5][i] - root) <= 2 * Math.Pow(2, -23) * root, $"w[{i}] = {r[5][i]:R}, √ = {root:R}");
            }
        }

        Assert.NotEqual(3f, r[1][0]);
        Assert.NotEqual(3f, r[1][1]);
        Assert.Equal(0f, r[0][2]);
        AssertBits(r[2], r[3], "clone");
        AssertBits(r[2], r[4], "loaded");
    }

    /// <summary>
    /// Residuals of other shapes compile and fall: a rolled loop of 64 iterations inside a float residual over data (the
    /// rolled per-sample core, one sample at a time), a data row and several residuals over vector parameters without data,
    /// and L-BFGS over a rolled data objective; each Minimize lowers the loss it started from.
    /// </summary>
    [Fact]
    public void Rolled_vector_and_row_residuals_compile_and_their_runs_lower_the_loss()
    {
        var driver = CompiledDriver.Compile("""
            using System;
            using System.Linq;
            using OptimDsl;

            namespace Opt;

            public static partial class P
            {
                [Objective, LevenbergMarquardt, Lbfgs]
                public static float Rolled([Length(64)] ReadOnlySpan<float> w, float b, [Data] float x, [Data] float y)
                {
                    var p = b;
                    for (var i = 0; i < 64; i++)
                    {
                        p += w[i] * MathF.Exp(-0.05f * i * x);
                    }

                    var r = p - y;
                    return r * r;
                }

                [Objective, LevenbergMarquardt]
                public static float Rows([Length(3)] ReadOnlySpan<float> w, [Data, Length(3)] ReadOnlySpan<float> x, [Data] float y)
                {
                    var r = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] - y;
                    return r * r + 0.01f * w[0] * w[0];
                }

                [Objective, LevenbergMarquardt]
                public static float Pairs([Length(2)] ReadOnlySpan<float> u, [Length(2)] ReadOnlySpan<float> v) => (u[0] - v[1]) * (u[0] - v[1]) + 2 * (u[1] + v[0] - 1) * (u[1] + v[0] - 1) + (v[0] - 0.5f) * (v[0] - 0.5f) / 4;
            }

            public static class Driver
            {
                public static double[] Run(float[] x, float[] y, float[] rows)
                {
                    var lm = new P.RolledLevenbergMarquardt(new float[65]);
                    var lbfgs = new P.RolledLbfgs(new float[65]);
                    var fit = new P.RowsLevenbergMarquardt(new float[3]);
                    var pairs = new P.PairsLevenbergMarquardt(new float[] { 1, 1 }, new float[] { 1, 1 });
                    float l0 = lm.Step(x, y), b0 = lbfgs.Step(x, y), f0 = fit.Step(rows, y), p0 = pairs.Step();
                    var results = new[] { lm.Minimize(x, y, 20, 0), lbfgs.Minimize(x, y, 20, 0), fit.Minimize(rows, y, 20, 0), pairs.Minimize(20, 0) };
                    return new double[] { l0, results[0].Loss, b0, results[1].Loss, f0, results[2].Loss, p0, results[3].Loss };
                }
            }
            """);
        float[] x = [.. Enumerable.Range(0, 40).Select(i => i / 8f)];
        float[] y = [.. x.Select(v => MathF.Exp(-v) + 0.5f)];
        float[] rows = [.. Enumerable.Range(0, 120).Select(i => MathF.Sin(i * 0.7f))];
        var losses = driver.Call<double[]>("Run", x, y, rows);
        for (int k = 0; k < losses.Length; k += 2)
        {
            Assert.True(losses[k + 1] < losses[k], $"run {k / 2}: {losses[k]:R} to {losses[k + 1]:R}");
        }
    }

    [Fact]
    public void Step_and_Minimize_allocate_nothing()
        => Assert.Equal(new long[8], Call<long[]>("Allocations", X, Y, T, Z));

    [Fact]
    public void Bad_arguments_throw_naming_them_and_change_nothing()
        => Assert.Equal(
            [
                "meanGradient same", "meanGradient same", "y same", "maxIterations same", "tolerance same", "History same",
                "parameters", "t", "InitialDamping", "default Lbfgs", "default LevenbergMarquardt",
            ],
            Call<string[]>("BadArguments", X, Y));

    [Fact]
    public void Search_trials_are_the_runs_made_by_hand()
    {
        var (scores, byHand, best) = Call<(double[], double[], double)>("Search", T, Z);
        Assert.Equal(byHand, scores);
        Assert.Equal(new[] { 1e-3, 1, 100 }[Array.IndexOf(scores, scores.Min())], best);
    }
}
