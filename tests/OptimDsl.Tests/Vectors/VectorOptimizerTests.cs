using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// Every optimizer of the catalogue (README, Optimizers) on objectives with vector parameters (SPEC §8): a
/// 5-vector plus a scalar without data, and a 3-vector plus a bias fitted to <c>[Data, Length(3)]</c> rows, full
/// batch and on minibatches. Each trajectory is checked against the test-side reference implementations
/// (Optimizers/Reference/TorchOptimizers.cs) run on gradients derived by hand in this file; then schedules through
/// <c>Minimize</c>, clipping, a 4-feature linear regression against the normal equations solved here, the
/// <c>W</c> and <c>Parameters</c> views, <c>Clone()</c>, the flat constructor, the argument checks (and that a
/// refused call changes nothing), an 18 + 1 value objective past the unrolled update, and the allocation of
/// <c>Step</c> and <c>Minimize</c>.
/// </summary>
public sealed class VectorOptimizerTests
{
    private const int Steps = 30;

    /// <summary>Relative tolerance of a trajectory against its reference.</summary>
    private const double Tolerance = 1e-12;

    private const string Bowl = "Bowl";
    private const string Line = "Line";

    // ---- the objectives and their hand-derived gradients (not the generator's) ----

    /// <summary>Length of the Bowl's trained vector w; the Bowl's θ is [w0 … w4, c].</summary>
    private const int BowlLength = 5;

    /// <summary>Features of a Line row; the Line's θ is [w0, w1, w2, b].</summary>
    private const int LineFeatures = 3;

    private const int LineSamples = 11;

    private static readonly double[] BowlStart = [0.3, -0.7, 1.1, 2.0, -0.4, 0.8];
    private static readonly double[] LineStart = [0.5, -0.5, 0.25, 0.1];

    /// <summary>The centre of w_k in the Bowl.</summary>
    private static double Centre(int k) => 0.5 * k - 1;

    /// <summary>
    /// 3(c − 0.25)² + w0·c + Σ_k (k + 1)(w_k − (0.5k − 1))²: ∂w_k = 2(k + 1)(w_k − (0.5k − 1)), plus c for k = 0;
    /// ∂c = 6(c − 0.25) + w0.
    /// </summary>
    /// <remarks>The vector's length is θ's length − 1: the Wide objective is the same bowl with 18 values.</remarks>
    private static double BowlGradient(double[] t, double[] g)
    {
        var n = t.Length - 1;
        var c = t[n];
        var loss = 3 * (c - 0.25) * (c - 0.25) + t[0] * c;
        for (var k = 0; k < n; k++)
        {
            var d = t[k] - Centre(k);
            loss += (k + 1) * d * d;
            g[k] = 2 * (k + 1) * d;
        }

        g[0] += c;
        g[n] = 6 * (c - 0.25) + t[0];
        return loss;
    }

    private const string BowlBody = """
        {
            double loss = 3 * (c - 0.25) * (c - 0.25) + w[0] * c;
            for (int i = 0; i < w.Length; i++)
                loss += (i + 1) * (w[i] - (0.5 * i - 1)) * (w[i] - (0.5 * i - 1));
            return loss;
        }
        """;

    private const string LineBody = """
        {
            double prediction = b;
            for (int k = 0; k < w.Length; k++)
                prediction += w[k] * x[k];
            double r = prediction - y;
            return r * r;
        }
        """;

    /// <summary>11 rows of 3 features back to back, and y = 1.5 x0 − 2 x1 + 0.7 x2 + 0.5 plus a deterministic wobble.</summary>
    private static readonly (double[] X, double[] Y) LineData = MakeLineData();

    private static (double[] X, double[] Y) MakeLineData()
    {
        var x = new double[LineSamples * LineFeatures];
        var y = new double[LineSamples];
        for (var i = 0; i < LineSamples; i++)
        {
            for (var k = 0; k < LineFeatures; k++)
            {
                x[LineFeatures * i + k] = Math.Sin(i * 0.7 + 1.1 * k) * (1 - 0.2 * k);
            }

            y[i] = 1.5 * x[3 * i] - 2 * x[3 * i + 1] + 0.7 * x[3 * i + 2] + 0.5 + 0.1 * Math.Sin(i * 2.9);
        }

        return (x, y);
    }

    /// <summary>r = b + Σ w_k x_ik − y_i; loss r².</summary>
    private static double LineResidual(double[] t, int i)
    {
        var (x, y) = LineData;
        var prediction = t[LineFeatures];
        for (var k = 0; k < LineFeatures; k++)
        {
            prediction += t[k] * x[LineFeatures * i + k];
        }

        return prediction - y[i];
    }

    private static double LineSampleLoss(double[] t, int i)
    {
        var r = LineResidual(t, i);
        return r * r;
    }

    /// <summary>∂w_k = 2 r x_ik, ∂b = 2 r.</summary>
    private static void LineSampleGradient(double[] t, int i, double[] g)
    {
        var r = LineResidual(t, i);
        for (var k = 0; k < LineFeatures; k++)
        {
            g[k] = 2 * r * LineData.X[LineFeatures * i + k];
        }

        g[LineFeatures] = 2 * r;
    }

    /// <summary>The full-batch mean loss; writes the mean gradient (samples in index order).</summary>
    private static double LineGradient(double[] t, double[] g)
        => new ReferenceMinibatches(LineSamples, 1, 0, LineSampleLoss, LineSampleGradient).FullBatch(t, g);

    private static ReferenceMinibatches LineBatches(int batchSize, int seed)
        => new(LineSamples, batchSize, seed, LineSampleLoss, LineSampleGradient);

    private static double[] Start(string objective) => objective == Bowl ? BowlStart : LineStart;

    /// <summary>
    /// A reference run: rows [loss the update saw, θ after it…]. <paramref name="rates"/>[t − 1] is set before update t when
    /// it differs from the current rate (as Minimize with a schedule does); <paramref name="after"/> runs after update t's row.
    /// </summary>
    private static double[][] ReferenceRun(
        IReferenceOptimizer reference, string objective, double[] init, int steps, int batchSize = 0, int seed = 0,
        double[]? rates = null, Action<int, double[]>? after = null)
    {
        var theta = (double[])init.Clone();
        var batches = objective == Line && batchSize > 0 ? LineBatches(batchSize, seed) : null;
        var rows = new double[steps][];
        for (var t = 1; t <= steps; t++)
        {
            if (rates is not null && rates[t - 1] != reference.LearningRate)
            {
                reference.LearningRate = rates[t - 1];
            }

            double loss;
            if (batches is not null)
            {
                loss = batches.Step(reference, theta);
            }
            else
            {
                var g = new double[theta.Length];
                loss = objective == Bowl ? BowlGradient(theta, g) : LineGradient(theta, g);
                reference.Step(theta, g);
            }

            rows[t - 1] = [loss, .. theta];
            after?.Invoke(t, theta);
        }

        return rows;
    }

    private static void AssertRows(double[][] expected, double[][] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var s = 0; s < expected.Length; s++)
        {
            Assert.Equal(expected[s].Length, actual[s].Length);

            // A parameter is compared relative to the row's largest parameter: one passing near 0 (w2's centre is 0)
            // is the difference of values of that size, and keeps their absolute rounding, not a relative one.
            var size = expected[s].Skip(1).Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (var k = 0; k < expected[s].Length; k++)
            {
                var e = expected[s][k];
                var a = actual[s][k];
                var scale = Math.Max(1e-12, k == 0 ? Math.Abs(e) : Math.Max(Math.Abs(e), size));
                Assert.True(Math.Abs(a - e) <= tolerance * scale,
                    $"{what}: row {s + 1}, {(k == 0 ? "loss" : "θ" + (k - 1))}: expected {e:R}, got {a:R} (relative {Math.Abs(a - e) / scale:E2})");
            }
        }
    }

    private static void AssertIdentical(double[][] expected, double[][] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var s = 0; s < expected.Length; s++)
        {
            Assert.True(expected[s].AsSpan().SequenceEqual(actual[s]),
                $"{what}: row {s + 1} differs: [{string.Join(", ", expected[s].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}] vs [{string.Join(", ", actual[s].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]");
        }
    }

    [Fact]
    public void Hand_derived_gradients_match_central_differences()
    {
        static void Check(Func<double[], double[], double> gradient, double[] at)
        {
            var g = new double[at.Length];
            gradient(at, g);
            for (var k = 0; k < at.Length; k++)
            {
                var plus = (double[])at.Clone();
                var minus = (double[])at.Clone();
                const double h = 1e-6;
                plus[k] += h;
                minus[k] -= h;
                var fd = (gradient(plus, new double[at.Length]) - gradient(minus, new double[at.Length])) / (2 * h);
                Assert.True(Math.Abs(fd - g[k]) <= 1e-6 * Math.Max(1, Math.Abs(g[k])), $"component {k}: hand {g[k]:R}, differences {fd:R}");
            }
        }

        Check(BowlGradient, BowlStart);
        Check(BowlGradient, [1.5, 0.2, -0.3, 0.9, 2.2, -1.1]);
        Check(BowlGradient, WideStart);
        Check(LineGradient, LineStart);
        Check(LineGradient, [-1.0, 2.0, 0.3, 0.7]);
    }

    /// <summary>
    /// Every optimizer and flag of the catalogue's trajectory tests, step by step against the reference: on a Bowl of its
    /// own per configuration and on a Line of its own, full batch and on minibatches. A class of its own, so that xUnit
    /// compiles its objectives in parallel with the other tests'.
    /// </summary>
    public sealed class Trajectories
    {
        /// <summary>One optimizer configuration: its attribute and the reference that follows the same box.</summary>
        internal sealed record Case(string Attribute, Func<IReferenceOptimizer> Reference)
        {
            public string Name => Attribute[..Attribute.IndexOf('(', StringComparison.Ordinal)];

            /// <summary>Sgd needs data (OPTDSL005 without): it runs on the Line only.</summary>
            public bool DataOnly => Name == "Sgd";

            public override string ToString() => Attribute;
        }

        private static readonly Case[] Cases =
        [
            new("GradientDescent(LearningRate = 0.01)", () => new ReferenceGradientDescent(0.01)),
            new("GradientDescent(LearningRate = 0.01, Momentum = 0.9)", () => new ReferenceGradientDescent(0.01, momentum: 0.9)),
            new("GradientDescent(LearningRate = 0.01, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.05)", () => new ReferenceGradientDescent(0.01, momentum: 0.8, dampening: 0.3, weightDecay: 0.05)),
            new("GradientDescent(LearningRate = 0.01, Momentum = 0.9, Nesterov = true)", () => new ReferenceGradientDescent(0.01, momentum: 0.9, nesterov: true)),
            new("GradientDescent(LearningRate = 0.01, ClipValue = 2)", () => new ReferenceGradientDescent(0.01, clipValue: 2)),
            new("GradientDescent(LearningRate = 0.01, ClipNorm = 1.5, ClipValue = 50)", () => new ReferenceGradientDescent(0.01, clipValue: 50, clipNorm: 1.5)),
            new("Sgd(LearningRate = 0.02)", () => new ReferenceGradientDescent(0.02)),
            new("Sgd(LearningRate = 0.02, Momentum = 0.9, Nesterov = true)", () => new ReferenceGradientDescent(0.02, momentum: 0.9, nesterov: true)),
            new("Sgd(LearningRate = 0.02, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.05, ClipNorm = 0.5)", () => new ReferenceGradientDescent(0.02, momentum: 0.8, dampening: 0.3, weightDecay: 0.05, clipNorm: 0.5)),
            new("Adam(LearningRate = 0.02)", () => new ReferenceAdam(0.02)),
            new("Adam(LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6, WeightDecay = 0.1)", () => new ReferenceAdam(0.02, 0.8, 0.99, 1e-6, weightDecay: 0.1)),
            new("Adam(LearningRate = 0.02, AmsGrad = true)", () => new ReferenceAdam(0.02, amsGrad: true)),
            new("Adam(LearningRate = 0.02, ClipNorm = 0.5)", () => new ReferenceAdam(0.02, clipNorm: 0.5)),
            new("AdamW(LearningRate = 0.02)", () => new ReferenceAdamW(0.02)),
            new("AdamW(LearningRate = 0.02, WeightDecay = 0.3, AmsGrad = true)", () => new ReferenceAdamW(0.02, weightDecay: 0.3, amsGrad: true)),
            new("Adamax(LearningRate = 0.02)", () => new ReferenceAdamax(0.02)),
            new("Adamax(LearningRate = 0.02, Beta1 = 0.7, WeightDecay = 0.1)", () => new ReferenceAdamax(0.02, beta1: 0.7, weightDecay: 0.1)),
            new("NAdam(LearningRate = 0.02)", () => new ReferenceNAdam(0.02)),
            new("NAdam(LearningRate = 0.02, MomentumDecay = 0.04, WeightDecay = 0.1)", () => new ReferenceNAdam(0.02, weightDecay: 0.1, momentumDecay: 0.04)),
            new("RAdam(LearningRate = 0.02)", () => new ReferenceRAdam(0.02)),
            new("RAdam(LearningRate = 0.02, Beta2 = 0.9, WeightDecay = 0.1)", () => new ReferenceRAdam(0.02, beta2: 0.9, weightDecay: 0.1)),
            new("RmsProp(LearningRate = 0.005)", () => new ReferenceRmsProp(0.005)),
            new("RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true, WeightDecay = 0.1)", () => new ReferenceRmsProp(0.005, momentum: 0.5, centered: true, weightDecay: 0.1)),
            new("RmsProp(LearningRate = 0.005, Momentum = 0.7)", () => new ReferenceRmsProp(0.005, momentum: 0.7)),
            new("AdaGrad(LearningRate = 0.1)", () => new ReferenceAdaGrad(0.1)),
            new("AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.05, InitialAccumulatorValue = 0.5, WeightDecay = 0.1)", () => new ReferenceAdaGrad(0.1, learningRateDecay: 0.05, initialAccumulatorValue: 0.5, weightDecay: 0.1)),
            new("AdaDelta(LearningRate = 1.0)", () => new ReferenceAdaDelta(1.0)),
            new("AdaDelta(LearningRate = 0.5, Rho = 0.8, Epsilon = 1e-4, WeightDecay = 0.1)", () => new ReferenceAdaDelta(0.5, rho: 0.8, epsilon: 1e-4, weightDecay: 0.1)),
            new("Rprop(LearningRate = 0.01)", () => new ReferenceRprop(0.01)),
            new("Rprop(LearningRate = 0.05, EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 0.001, MaxStep = 0.2)", () => new ReferenceRprop(0.05, etaMinus: 0.3, etaPlus: 1.5, minStep: 0.001, maxStep: 0.2)),
            new("Lion(LearningRate = 0.001)", () => new ReferenceLion(0.001)),
            new("Lion(LearningRate = 0.001, Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.5)", () => new ReferenceLion(0.001, beta1: 0.8, beta2: 0.95, weightDecay: 0.5)),
        ];

        /// <summary>
        /// The data variants per case: m = 0 the attribute's own batching (full batch; Sgd's default BatchSize 1, Seed 0),
        /// m = 1 BatchSize = 3, Seed = 7 set on the struct (11 samples: the last minibatch of each epoch has 2). The
        /// general tests' Line has them in its attributes instead.
        /// </summary>
        private static (int BatchSize, int Seed) Batching(Case c, int m) => m == 1 ? (3, 7) : (c.DataOnly ? 1 : 0, 0);

        private static readonly Lazy<CompiledDriver> Compiled = new(() => CompiledDriver.Compile(TrajectorySource()));

        public static TheoryData<int> AllCases => new(Enumerable.Range(0, Cases.Length));

        public static TheoryData<int> CasesWithoutData => new(Enumerable.Range(0, Cases.Length).Where(i => !Cases[i].DataOnly));

        [Theory]
        [MemberData(nameof(CasesWithoutData))]
        public void A_vector_and_a_scalar_without_data_follow_the_reference(int index)
        {
            var actual = Compiled.Value.Call<double[][]>($"Bowl{index}", BowlStart, Steps);
            var expected = ReferenceRun(Cases[index].Reference(), Bowl, BowlStart, Steps);
            AssertRows(expected, actual, $"Bowl, [{Cases[index]}]");
        }

        [Theory]
        [MemberData(nameof(AllCases))]
        public void Data_rows_follow_the_reference_full_batch_and_on_minibatches(int index)
        {
            var (x, y) = LineData;
            for (var m = 0; m < 2; m++)
            {
                var (batchSize, seed) = Batching(Cases[index], m);
                var actual = Compiled.Value.Call<double[][]>($"Line{index}", LineStart, Steps, batchSize, seed, x, y);
                var expected = ReferenceRun(Cases[index].Reference(), Line, LineStart, Steps, batchSize, seed);
                AssertRows(expected, actual, $"Line, BatchSize {batchSize}, Seed {seed}, [{Cases[index]}]");
            }
        }

        private static string TrajectorySource()
        {
            var problems = new StringBuilder();
            var driver = new StringBuilder();
            for (var i = 0; i < Cases.Length; i++)
            {
                var c = Cases[i];
                if (!c.DataOnly)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {c.Attribute}] public static double Bowl{i}([Length({BowlLength})] ReadOnlySpan<double> w, double c)");
                    problems.AppendLine(BowlBody);
                    driver.AppendLine(CultureInfo.InvariantCulture, $$"""
                            public static double[][] Bowl{{i}}(double[] init, int steps)
                            {
                                var o = new P.Bowl{{i}}{{c.Name}}(init.AsSpan(0, {{BowlLength}}), init[{{BowlLength}}]);
                                var rows = new double[steps][];
                                for (int s = 0; s < steps; s++) { double loss = o.Step(); rows[s] = Rows.Of(loss, o.W, o.C); }
                                return rows;
                            }
                        """);
                }

                problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {c.Attribute}] public static double Line{i}([Length({LineFeatures})] ReadOnlySpan<double> w, double b, [Data, Length({LineFeatures})] ReadOnlySpan<double> x, [Data] double y)");
                problems.AppendLine(LineBody);
                driver.AppendLine(CultureInfo.InvariantCulture, $$"""
                        public static double[][] Line{{i}}(double[] init, int steps, int batchSize, int seed, double[] x, double[] y)
                        {
                            var o = new P.Line{{i}}{{c.Name}}(init.AsSpan(0, {{LineFeatures}}), init[{{LineFeatures}}]);
                            if (batchSize != o.BatchSize) o.BatchSize = batchSize;
                            if (seed != o.Seed) o.Seed = seed;
                            var rows = new double[steps][];
                            for (int s = 0; s < steps; s++) { double loss = o.Step(x, y); rows[s] = Rows.Of(loss, o.W, o.B); }
                            return rows;
                        }
                    """);
            }

            return $$"""
                using System;
                using OptimDsl;

                namespace Opt;

                public static partial class P
                {
                {{problems}}
                }

                {{RowsClass}}

                public static class Driver
                {
                {{driver}}
                }
                """;
        }
    }

    private const string RowsClass = """
        public static class Rows
        {
            /// <summary>[loss, v…, scalar].</summary>
            public static double[] Of(double loss, ReadOnlySpan<double> v, double scalar)
            {
                var row = new double[v.Length + 2];
                row[0] = loss;
                v.CopyTo(row.AsSpan(1));
                row[v.Length + 1] = scalar;
                return row;
            }

            public static double[] Concat(double[] a, ReadOnlySpan<double> b)
            {
                var row = new double[a.Length + b.Length];
                a.CopyTo(row, 0);
                b.CopyTo(row.AsSpan(a.Length));
                return row;
            }
        }
        """;

    // ---- schedules, clipping, views, Clone, errors and allocation: every optimizer on one Bowl and one Line ----

    private static readonly Lazy<CompiledDriver> General = new(() => CompiledDriver.Compile(GeneralSource()));

    /// <summary>
    /// (objective, optimizer, BatchSize): the Bowl with the eleven optimizers that take no data, the Line with all twelve on
    /// minibatches of 3 (Seed 7, from the attribute) and the eleven full batch (BatchSize set to 0 on the struct).
    /// </summary>
    private static IEnumerable<(string Objective, string Optimizer, int BatchSize)> RunList()
    {
        foreach (var o in Behaviour.All)
        {
            if (o.Name != "Sgd")
            {
                yield return (Bowl, o.Name, 0);
                yield return (Line, o.Name, 0);
            }

            yield return (Line, o.Name, 3);
        }
    }

    public static TheoryData<string, string, int> Runs()
    {
        var runs = new TheoryData<string, string, int>();
        foreach (var (objective, optimizer, batchSize) in RunList())
        {
            runs.Add(objective, optimizer, batchSize);
        }

        return runs;
    }

    private const int Seed = 7;

    private static IReferenceOptimizer Reference(string optimizer) => Behaviour.Get(optimizer).Reference(Behaviour.Get(optimizer).LearningRate);

    public static TheoryData<string, string, int, int> ScheduledRuns()
    {
        var runs = new TheoryData<string, string, int, int>();
        foreach (var (objective, optimizer, batchSize) in RunList())
        {
            for (var kind = 0; kind < 3; kind++)
            {
                runs.Add(objective, optimizer, batchSize, kind);
            }
        }

        return runs;
    }

    private const int ScheduledSteps = 15;

    /// <summary>Kind 0: ExponentialDecaySchedule(η, 0.9); 1: CosineDecaySchedule(η, 10, η/10); 2: StepDecaySchedule(η, 4, 0.5). The rates of updates 1 … n by the README's formulas.</summary>
    private static (double[] Arguments, double[] Rates) Schedule(int kind, double rate, int steps)
    {
        var rates = new double[steps];
        for (var t = 1; t <= steps; t++)
        {
            rates[t - 1] = kind switch
            {
                0 => rate * Math.Pow(0.9, t - 1),
                1 => t <= 10 ? rate / 10 + (rate - rate / 10) * (1 + Math.Cos(Math.PI * (t - 1) / 10)) / 2 : rate / 10,
                _ => rate * Math.Pow(0.5, (t - 1) / 4),
            };
        }

        double[] arguments = kind switch
        {
            0 => [rate, 0.9],
            1 => [rate, 10, rate / 10],
            _ => [rate, 4, 0.5],
        };
        return (arguments, rates);
    }

    [Theory]
    [MemberData(nameof(ScheduledRuns))]
    public void Minimize_with_a_schedule_follows_the_reference(string objective, string optimizer, int batchSize, int kind)
    {
        var (x, y) = LineData;
        var (arguments, rates) = Schedule(kind, Behaviour.Get(optimizer).LearningRate, ScheduledSteps);
        var (losses, used, theta, info) = General.Value.Call<(double[], double[], double[], double[])>(
            $"Scheduled_{objective}{optimizer}", Start(objective), batchSize, Seed, kind, arguments, ScheduledSteps, x, y);
        var expected = ReferenceRun(Reference(optimizer), objective, Start(objective), ScheduledSteps, batchSize, Seed, rates);
        var what = $"{objective}{optimizer}, BatchSize {batchSize}, schedule {kind}";

        Assert.Equal(ScheduledSteps, used.Length);
        for (var t = 0; t < ScheduledSteps; t++)
        {
            Assert.True(Math.Abs(used[t] - rates[t]) <= 1e-14 * rates[t], $"{what}: rate of update {t + 1}: expected {rates[t]:R}, got {used[t]:R}");
        }

        AssertRows(expected.Select(r => new[] { r[0] }).ToArray(), losses.Select(l => new[] { l }).ToArray(), what + ", observed losses");
        AssertRows([[0, .. expected[^1][1..]]], [[0, .. theta]], what + ", final θ");
        Assert.Equal(new double[] { ScheduledSteps, (double)OptimizationStatus.IterationLimit, ScheduledSteps }, info[..3]);
        Assert.Equal(used[^1], info[3]);
    }

    public static TheoryData<string, string, int, double, double> ClippedRuns()
    {
        var runs = new TheoryData<string, string, int, double, double>();
        foreach (var (objective, optimizer, batchSize) in RunList())
        {
            runs.Add(objective, optimizer, batchSize, 0.2, 0);
            runs.Add(objective, optimizer, batchSize, 0, 0.4);
            runs.Add(objective, optimizer, batchSize, 0.5, 0.3);
        }

        return runs;
    }

    [Theory]
    [MemberData(nameof(ClippedRuns))]
    public void ClipValue_and_ClipNorm_follow_the_reference(string objective, string optimizer, int batchSize, double clipValue, double clipNorm)
    {
        var (x, y) = LineData;
        var actual = General.Value.Call<double[][]>($"Steps_{objective}{optimizer}", Start(objective), batchSize, Seed, clipValue, clipNorm, Steps, x, y);
        var reference = (ReferenceOptimizer)Reference(optimizer);
        reference.ClipValue = clipValue;
        reference.ClipNorm = clipNorm;
        var expected = ReferenceRun(reference, objective, Start(objective), Steps, batchSize, Seed);
        AssertRows(expected, actual, $"{objective}{optimizer}, BatchSize {batchSize}, ClipValue {clipValue}, ClipNorm {clipNorm}");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void W_and_Parameters_see_every_Step_and_writes_through_W_change_the_next(string objective, string optimizer, int batchSize)
    {
        var (x, y) = LineData;
        const int writeAfter = 4;
        const double written = 0.7;
        const double writtenScalar = -0.3;
        var actual = General.Value.Call<double[][]>($"Views_{objective}{optimizer}", Start(objective), batchSize, Seed, Steps, writeAfter, written, writtenScalar, x, y);
        var expected = ReferenceRun(Reference(optimizer), objective, Start(objective), Steps, batchSize, Seed, after: (t, theta) =>
        {
            if (t == writeAfter)
            {
                theta[1] = written;
                theta[^1] = writtenScalar;
            }
        });

        // Each row: [loss, the view W taken before the first Step…, the scalar property, the view Parameters taken before it…].
        var n = Start(objective).Length;
        AssertRows(expected, actual.Select(r => r[..(n + 1)]).ToArray(), $"{objective}{optimizer}, W");
        AssertRows(expected, actual.Select(r => (double[])[r[0], .. r[(n + 1)..]]).ToArray(), $"{objective}{optimizer}, Parameters");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Clone_continues_bit_identically_and_is_independent(string objective, string optimizer, int batchSize)
    {
        var (x, y) = LineData;
        const int before = 2; // mid-epoch with minibatches of 3 of 11 samples
        const int steps = 8;
        var (original, copy, after) = General.Value.Call<(double[][], double[][], double[][])>(
            $"Clone_{objective}{optimizer}", Start(objective), batchSize, Seed, before, steps, x, y);
        var expected = ReferenceRun(Reference(optimizer), objective, Start(objective), before + steps + 2, batchSize, Seed);
        var what = $"{objective}{optimizer}, BatchSize {batchSize}";
        AssertRows(expected[before..(before + steps)], original, what + ", the original after the Clone");
        AssertIdentical(original, copy, what + ", the clone against the original");
        AssertRows(expected[(before + steps)..], after, what + ", the original after the clone was changed and stepped");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void The_flat_constructor_equals_the_span_constructor(string objective, string optimizer, int batchSize)
    {
        var (x, y) = LineData;
        var (named, flat) = General.Value.Call<(double[][], double[][])>($"Flat_{objective}{optimizer}", Start(objective), batchSize, Seed, 10, x, y);
        Assert.Equal(Start(objective), named[0]); // row 0: the parameters as constructed
        AssertIdentical(named, flat, $"{objective}{optimizer}, BatchSize {batchSize}");
    }

    /// <summary>18 + 1 trained values: past the 16 the update unrolls (README, Performance), it runs in the generated loop over chunks of 4.</summary>
    private const int WideLength = 18;

    private static readonly double[] WideStart = [.. Enumerable.Range(0, WideLength + 1).Select(k => 0.05 * k * k - 0.3 * k + 0.7)];

    public static TheoryData<string> OptimizersWithoutData => new(Behaviour.All.Where(o => o.Name != "Sgd").Select(o => o.Name));

    [Theory]
    [MemberData(nameof(OptimizersWithoutData))]
    public void A_vector_past_the_unrolled_update_follows_the_reference(string optimizer)
    {
        var actual = General.Value.Call<double[][]>($"Wide_{optimizer}", WideStart, Steps);
        var expected = ReferenceRun(Reference(optimizer), Bowl, WideStart, Steps);
        AssertRows(expected, actual, $"Wide{optimizer}");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Wrong_lengths_and_arguments_throw_naming_the_argument_and_change_nothing(string objective, string optimizer, int batchSize)
    {
        var (x, y) = LineData;
        var results = General.Value.Call<string[]>($"Errors_{objective}{optimizer}", Start(objective), batchSize, Seed, x, y);
        string[] constructors = ["ArgumentException:w", "ArgumentException:w", "ArgumentException:parameters", "ArgumentException:parameters"];
        string[] calls = objective == Bowl
            ? ["ArgumentOutOfRangeException:maxIterations", "ArgumentOutOfRangeException:tolerance", "ArgumentOutOfRangeException:tolerance"]
            :
            [
                "ArgumentException:x", "ArgumentException:y", "ArgumentException:y", "ArgumentException:x", // Step
                "ArgumentException:x", "ArgumentException:y", "ArgumentException:x", "ArgumentException:x", // Minimize
                "ArgumentException:x", "ArgumentException:y", // Minimize with an observer and a schedule
                "ArgumentOutOfRangeException:maxIterations", "ArgumentOutOfRangeException:tolerance",
            ];
        var expected = constructors.Concat(calls.SelectMany(c => new[] { c, "unchanged" })).Append("continues").ToArray();
        Assert.Equal(expected, results);
    }

    public static TheoryData<string, string, int> Allocating => new()
    {
        { Line, "Adam", 3 },
        { Line, "Rprop", 0 },
        { Line, "Sgd", 3 },
        { Bowl, "Lion", 0 },
        { Bowl, "NAdam", 0 },
    };

    [Theory]
    [MemberData(nameof(Allocating))]
    public void Step_and_Minimize_allocate_nothing_after_the_first_call(string objective, string optimizer, int batchSize)
    {
        var (x, y) = LineData;
        var bytes = General.Value.Call<long[]>($"Alloc_{objective}{optimizer}", Start(objective), batchSize, Seed, x, y);
        Assert.True(bytes[3] > 0, "the control allocation was not measured");
        Assert.Equal(new long[] { 0, 0, 0 }, bytes[..3]);
    }

    // ---- linear regression: 4 features, the normal equations solved here ----

    private const int RegressionFeatures = 4;

    /// <summary>60 rows of 4 features of full rank, y a line in them plus a deterministic wobble (so the solution is not the line's).</summary>
    private static (double[] X, double[] Y) RegressionData()
    {
        const int samples = 60;
        var random = new Random(2026);
        var x = new double[samples * RegressionFeatures];
        var y = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            for (var k = 0; k < RegressionFeatures; k++)
            {
                x[RegressionFeatures * i + k] = random.NextDouble() * 2 - 1;
            }

            var row = x.AsSpan(RegressionFeatures * i, RegressionFeatures);
            y[i] = 1.2 * row[0] - 0.7 * row[1] + 2.5 * row[2] - 0.3 * row[3] + 0.4 + 0.2 * Math.Sin(1.7 * i + 0.3);
        }

        return (x, y);
    }

    /// <summary>Solves A·β = r by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] r)
    {
        var n = r.Length;
        var m = (double[,])a.Clone();
        var v = (double[])r.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            Assert.True(Math.Abs(m[pivot, col]) > 1e-9, "the normal equations are singular");
            for (var k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }

            (v[col], v[pivot]) = (v[pivot], v[col]);
            for (var row = col + 1; row < n; row++)
            {
                var f = m[row, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[row, k] -= f * m[col, k];
                }

                v[row] -= f * v[col];
            }
        }

        var beta = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var s = v[row];
            for (var k = row + 1; k < n; k++)
            {
                s -= m[row, k] * beta[k];
            }

            beta[row] = s / m[row, row];
        }

        return beta;
    }

    /// <summary>The least-squares [w0 … w3, b]: (ZᵀZ)β = Zᵀy with z = [x, 1].</summary>
    private static double[] NormalEquations(double[] x, double[] y)
    {
        const int n = RegressionFeatures + 1;
        var a = new double[n, n];
        var r = new double[n];
        for (var i = 0; i < y.Length; i++)
        {
            var z = new double[n];
            x.AsSpan(RegressionFeatures * i, RegressionFeatures).CopyTo(z);
            z[RegressionFeatures] = 1;
            for (var j = 0; j < n; j++)
            {
                r[j] += z[j] * y[i];
                for (var k = 0; k < n; k++)
                {
                    a[j, k] += z[j] * z[k];
                }
            }
        }

        var beta = Solve(a, r);

        // The solver's own check: the residual of the system.
        for (var j = 0; j < n; j++)
        {
            var s = -r[j];
            for (var k = 0; k < n; k++)
            {
                s += a[j, k] * beta[k];
            }

            Assert.True(Math.Abs(s) < 1e-10, $"normal equation {j} has residual {s:R}");
        }

        return beta;
    }

    [Theory]
    [InlineData("GradientDescent")]
    [InlineData("Adam")]
    public void Linear_regression_recovers_the_normal_equations_solution(string optimizer)
    {
        var (x, y) = RegressionData();
        var beta = NormalEquations(x, y);
        Assert.True(Math.Abs(beta[2] - 2.5) > 1e-4 || Math.Abs(beta[4] - 0.4) > 1e-4, "the wobble should move the solution off the generating line");
        var r = General.Value.Call<double[]>($"Regress_{optimizer}", x, y, 50_000, 1e-10);
        Assert.True(r[5] == 1, $"{optimizer}: not converged after {r[6]} updates, gradient norm {r[7]:E2}");
        for (var k = 0; k <= RegressionFeatures; k++)
        {
            Assert.True(Math.Abs(r[k] - beta[k]) <= 1e-6, $"{optimizer}: θ{k} = {r[k]:R}, normal equations {beta[k]:R}");
        }
    }

    private static string Attribute(Behaviour.Optimizer o) => $"{o.Name}(LearningRate = {o.LearningRate.ToString("R", CultureInfo.InvariantCulture)})";

    private static string GeneralSource()
    {
        var bowlAttributes = string.Join(", ", Behaviour.All.Where(o => o.Name != "Sgd").Select(Attribute));
        var lineAttributes = string.Join(", ", Behaviour.All.Select(o => Attribute(o).Replace(")", $", BatchSize = 3, Seed = {Seed})", StringComparison.Ordinal)));
        var methods = new StringBuilder();
        foreach (var o in Behaviour.All)
        {
            if (o.Name != "Sgd")
            {
                methods.AppendLine(Methods(Bowl, o.Name));
            }

            methods.AppendLine(Methods(Line, o.Name));
        }

        foreach (var o in Behaviour.All.Where(o => o.Name != "Sgd"))
        {
            methods.AppendLine($$"""
                    public static double[][] Wide_{{o.Name}}(double[] init, int steps)
                    {
                        var o = new P.Wide{{o.Name}}(init.AsSpan(0, {{WideLength}}), init[{{WideLength}}]);
                        var rows = new double[steps][];
                        for (int s = 0; s < steps; s++) { double loss = o.Step(); rows[s] = Rows.Of(loss, o.W, o.C); }
                        return rows;
                    }
                """);
        }

        foreach (var name in new[] { "GradientDescent", "Adam" })
        {
            methods.AppendLine($$"""
                    public static double[] Regress_{{name}}(double[] x, double[] y, int maxIterations, double tolerance)
                    {
                        var o = new P.Regression{{name}}(new double[{{RegressionFeatures}}], 0);
                        var r = o.Minimize(x, y, maxIterations, tolerance);
                        return new double[] { o.W[0], o.W[1], o.W[2], o.W[3], o.B, r.Status == OptimizationStatus.Converged ? 1 : 0, r.Iterations, r.GradientNorm };
                    }
                """);
        }

        return $$"""
            using System;
            using OptimDsl;

            namespace Opt;

            public static partial class P
            {
                [Objective, {{bowlAttributes}}]
                public static double Bowl([Length({{BowlLength}})] ReadOnlySpan<double> w, double c)
            {{BowlBody}}

                [Objective, {{bowlAttributes}}]
                public static double Wide([Length({{WideLength}})] ReadOnlySpan<double> w, double c)
            {{BowlBody}}

                [Objective, {{lineAttributes}}]
                public static double Line([Length({{LineFeatures}})] ReadOnlySpan<double> w, double b, [Data, Length({{LineFeatures}})] ReadOnlySpan<double> x, [Data] double y)
            {{LineBody}}

                [Objective, GradientDescent(LearningRate = 0.2), Adam(LearningRate = 0.01)]
                public static double Regression([Length({{RegressionFeatures}})] ReadOnlySpan<double> w, double b, [Data, Length({{RegressionFeatures}})] ReadOnlySpan<double> x, [Data] double y)
            {{LineBody}}
            }

            {{RowsClass}}

            /// <summary>Logs the loss of each update into an array allocated before the run.</summary>
            public struct Losses : IOptimizationObserver
            {
                public double[] Log;
                public int Count;

                public bool OnStep(long iteration, double loss, double gradientNorm)
                {
                    if (Count < Log.Length) Log[Count] = loss;
                    Count++;
                    return true;
                }
            }

            /// <summary>Wraps a schedule and logs the rate of each update into an array allocated before the run.</summary>
            public struct Recording<TSchedule> : ILearningRateSchedule
                where TSchedule : ILearningRateSchedule
            {
                public TSchedule Inner;
                public double[] Log;
                public int Count;

                public double LearningRate(long iteration, double loss)
                {
                    double rate = Inner.LearningRate(iteration, loss);
                    if (Count < Log.Length) Log[Count] = rate;
                    Count++;
                    return rate;
                }
            }

            public static class Driver
            {
                private static double _sink;
                private static double[] _kept = new double[0];

                private static string Describe(ArgumentException e) => e.GetType().Name + ":" + e.ParamName;

            {{methods}}
            }
            """;
    }

    /// <summary>The driver's methods for one optimizer of the Bowl or the Line.</summary>
    private static string Methods(string objective, string optimizer)
    {
        var key = objective + optimizer;
        var type = $"P.{key}";
        var bowl = objective == Bowl;
        var length = bowl ? BowlLength : LineFeatures;
        var scalar = bowl ? "C" : "B";
        var construct = $"new {type}(init.AsSpan(0, {length}), init[{length}])";
        var constructFlat = $"new {type}(init)";
        string Step(string v) => bowl ? $"{v}.Step()" : $"{v}.Step(x, y)";
        string Row(string v) => $"Rows.Of(loss, {v}.W, {v}.{scalar})";
        string Batches(string v) => bowl ? "" : $"if (batchSize != {v}.BatchSize) {v}.BatchSize = batchSize; if (seed != {v}.Seed) {v}.Seed = seed;";
        var data = bowl ? "" : "x, y, ";
        string Try(string call) => $$"""
                    try { {{call}}; list.Add("no exception"); } catch (ArgumentException e) { list.Add(Describe(e)); }
                    list.Add(o.Iteration == snap.Iteration && o.Parameters.SequenceEqual(snap.Parameters) ? "unchanged" : "changed");
            """;
        var badCalls = bowl
            ? string.Join("\n", new[]
            {
                "o.Minimize(0, 1e-8)",
                "o.Minimize(10, -1.0)",
                "o.Minimize(10, double.NaN)",
            }.Select(Try))
            : string.Join("\n", new[]
            {
                "o.Step(x.AsSpan(0, x.Length - 1), y)",
                "o.Step(x, y.AsSpan(0, y.Length - 1))",
                "o.Step(x.AsSpan(0, x.Length - 3), y)",
                "o.Step(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty)",
                "o.Minimize(x.AsSpan(0, x.Length - 1), y, 10, 1e-8)",
                "o.Minimize(x, y.AsSpan(1), 10, 1e-8)",
                "o.Minimize(x.AsSpan(0, 4), y, 10, 1e-8)",
                "o.Minimize(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, 10, 1e-8)",
                "o.Minimize(x.AsSpan(0, x.Length - 2), y, 10, 1e-8, ref observer, ref schedule)",
                "o.Minimize(x, y.AsSpan(0, 5), 10, 1e-8, ref observer, ref schedule)",
                "o.Minimize(x, y, 0, 1e-8)",
                "o.Minimize(x, y, 10, -1.0)",
            }.Select(Try));
        return $$"""
                // ---- {{key}} ----

                /// <summary>steps Steps with the given clipping; rows [loss, W…, scalar].</summary>
                public static double[][] Steps_{{key}}(double[] init, int batchSize, int seed, double clipValue, double clipNorm, int steps, double[] x, double[] y)
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    o.ClipValue = clipValue;
                    o.ClipNorm = clipNorm;
                    var rows = new double[steps][];
                    for (int s = 0; s < steps; s++) { double loss = {{Step("o")}}; rows[s] = {{Row("o")}}; }
                    return rows;
                }

                /// <summary>One Minimize of steps updates (tolerance 0) with a recorded schedule: the observed losses, the rates, θ, [Iterations, Status, Iteration, LearningRate].</summary>
                public static (double[], double[], double[], double[]) Scheduled_{{key}}(double[] init, int batchSize, int seed, int kind, double[] sp, int steps, double[] x, double[] y)
                {
                    switch (kind)
                    {
                        case 0: return ScheduledWith_{{key}}(new ExponentialDecaySchedule(sp[0], sp[1]), init, batchSize, seed, steps, x, y);
                        case 1: return ScheduledWith_{{key}}(new CosineDecaySchedule(sp[0], (long)sp[1], sp[2]), init, batchSize, seed, steps, x, y);
                        default: return ScheduledWith_{{key}}(new StepDecaySchedule(sp[0], (long)sp[1], sp[2]), init, batchSize, seed, steps, x, y);
                    }
                }

                private static (double[], double[], double[], double[]) ScheduledWith_{{key}}<TSchedule>(TSchedule inner, double[] init, int batchSize, int seed, int steps, double[] x, double[] y)
                    where TSchedule : ILearningRateSchedule
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    var observer = new Losses { Log = new double[steps] };
                    var schedule = new Recording<TSchedule> { Inner = inner, Log = new double[steps] };
                    var r = o.Minimize({{data}}steps, 0.0, ref observer, ref schedule);
                    var theta = Rows.Of(0, o.W, o.{{scalar}})[1..];
                    return (observer.Log[..Math.Min(observer.Count, steps)], schedule.Log[..Math.Min(schedule.Count, steps)], theta, new double[] { r.Iterations, (double)r.Status, o.Iteration, o.LearningRate });
                }

                /// <summary>Rows [loss, the view W taken before the first Step…, scalar, the view Parameters taken before it…]; after Step writeAfter, W[1] and the scalar are written.</summary>
                public static double[][] Views_{{key}}(double[] init, int batchSize, int seed, int steps, int writeAfter, double written, double writtenScalar, double[] x, double[] y)
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    Span<double> w = o.W;
                    Span<double> all = o.Parameters;
                    var rows = new double[steps][];
                    for (int s = 0; s < steps; s++)
                    {
                        double loss = {{Step("o")}};
                        rows[s] = Rows.Concat(Rows.Of(loss, w, o.{{scalar}}), all);
                        if (s + 1 == writeAfter) { w[1] = written; o.{{scalar}} = writtenScalar; }
                    }

                    return rows;
                }

                /// <summary>before Steps, then a Clone; steps Steps of the original, then of the clone; then the clone is changed and stepped, and the original makes 2 more Steps.</summary>
                public static (double[][], double[][], double[][]) Clone_{{key}}(double[] init, int batchSize, int seed, int before, int steps, double[] x, double[] y)
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    for (int s = 0; s < before; s++) _sink += {{Step("o")}};
                    var c = o.Clone();
                    var original = new double[steps][];
                    var copy = new double[steps][];
                    for (int s = 0; s < steps; s++) { double loss = {{Step("o")}}; original[s] = {{Row("o")}}; }
                    for (int s = 0; s < steps; s++) { double loss = {{Step("c")}}; copy[s] = {{Row("c")}}; }
                    c.W[0] = 100;
                    c.{{scalar}} = -50;
                    c.LearningRate = c.LearningRate * 3;
                    for (int s = 0; s < 2; s++) _sink += {{Step("c")}};
                    var after = new double[2][];
                    for (int s = 0; s < 2; s++) { double loss = {{Step("o")}}; after[s] = {{Row("o")}}; }
                    return (original, copy, after);
                }

                /// <summary>The span and the flat constructor side by side: row 0 the parameters as constructed, then steps Steps.</summary>
                public static (double[][], double[][]) Flat_{{key}}(double[] init, int batchSize, int seed, int steps, double[] x, double[] y)
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    var f = {{constructFlat}};
                    {{Batches("f")}}
                    var named = new double[steps + 1][];
                    var flat = new double[steps + 1][];
                    named[0] = o.Parameters.ToArray();
                    flat[0] = f.Parameters.ToArray();
                    for (int s = 1; s <= steps; s++)
                    {
                        double loss = {{Step("o")}};
                        named[s] = {{Row("o")}};
                        loss = {{Step("f")}};
                        flat[s] = {{Row("f")}};
                    }

                    return (named, flat);
                }

                /// <summary>Constructors and calls with wrong arguments: the exception's type and ParamName, then whether the optimizer is unchanged; last, whether it continues as a clone taken before them.</summary>
                public static string[] Errors_{{key}}(double[] init, int batchSize, int seed, double[] x, double[] y)
                {
                    var list = new System.Collections.Generic.List<string>();
                    try { _ = new {{type}}(init.AsSpan(0, {{length - 1}}), init[{{length}}]); list.Add("no exception"); } catch (ArgumentException e) { list.Add(Describe(e)); }
                    try { _ = new {{type}}(new double[{{length + 1}}], 0); list.Add("no exception"); } catch (ArgumentException e) { list.Add(Describe(e)); }
                    try { _ = new {{type}}(init.AsSpan(0, init.Length - 1)); list.Add("no exception"); } catch (ArgumentException e) { list.Add(Describe(e)); }
                    try { _ = new {{type}}(new double[init.Length + 1]); list.Add("no exception"); } catch (ArgumentException e) { list.Add(Describe(e)); }
                    var o = {{construct}};
                    {{Batches("o")}}
                    for (int s = 0; s < 2; s++) _sink += {{Step("o")}};
                    var snap = o.Clone();
                    var observer = new NoObserver();
                    var schedule = new ExponentialDecaySchedule(o.LearningRate, 0.9);
                    _sink += schedule.LearningRate(1, 0) + (observer.OnStep(1, 0, 0) ? 1 : 0);
            {{badCalls}}
                    bool same = true;
                    for (int s = 0; s < 3; s++)
                    {
                        double a = {{Step("o")}};
                        double b = {{Step("snap")}};
                        same &= a.Equals(b) && o.Parameters.SequenceEqual(snap.Parameters) && o.Iteration == snap.Iteration;
                    }

                    list.Add(same ? "continues" : "differs");
                    return list.ToArray();
                }

                /// <summary>Bytes allocated (fewest of 3 attempts) by 10 Steps, a Minimize, a Minimize with an observer and a schedule, and a control that allocates; after a first call of each.</summary>
                public static long[] Alloc_{{key}}(double[] init, int batchSize, int seed, double[] x, double[] y)
                {
                    var o = {{construct}};
                    {{Batches("o")}}
                    var observer = new NoObserver();
                    var schedule = new ExponentialDecaySchedule(o.LearningRate, 0.999);
                    _sink += {{Step("o")}};
                    _sink += o.Minimize({{data}}5, 0.0).Loss;
                    _sink += o.Minimize({{data}}5, 0.0, ref observer, ref schedule).Loss;
                    var result = new long[] { long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue };
                    for (int attempt = 0; attempt < 3; attempt++)
                    {
                        long start = GC.GetAllocatedBytesForCurrentThread();
                        for (int s = 0; s < 10; s++) _sink += {{Step("o")}};
                        result[0] = Math.Min(result[0], GC.GetAllocatedBytesForCurrentThread() - start);
                        start = GC.GetAllocatedBytesForCurrentThread();
                        _sink += o.Minimize({{data}}20, 0.0).Loss;
                        result[1] = Math.Min(result[1], GC.GetAllocatedBytesForCurrentThread() - start);
                        start = GC.GetAllocatedBytesForCurrentThread();
                        _sink += o.Minimize({{data}}20, 0.0, ref observer, ref schedule).Loss;
                        result[2] = Math.Min(result[2], GC.GetAllocatedBytesForCurrentThread() - start);
                        start = GC.GetAllocatedBytesForCurrentThread();
                        _kept = new double[4]; // the measurement's control: this allocates
                        result[3] = Math.Min(result[3], GC.GetAllocatedBytesForCurrentThread() - start);
                    }

                    return result;
                }

            """;
    }
}
