using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The compiled objectives and the <c>Opt.Driver</c> of <see cref="CatalogueBehaviourTests"/>: every optimizer of
/// the catalogue on a 3-parameter bowl (no data; GradientDescent … Lion, Sgd needs data) and on a
/// 3-parameter least-squares fit with <c>[Data]</c> (all twelve), plus Nesterov variants of GradientDescent
/// and Sgd. Hand-derived gradients and the test-side reference runs live here too.
/// </summary>
internal static class Behaviour
{
    public const string Bowl = "Bowl";
    public const string Fit = "Fit";
    public const string NestBowl = "NestBowl";
    public const string NestFit = "NestFit";

    /// <summary>One optimizer: its attribute's learning rate, its settable and get-only hyperparameters, its reference.</summary>
    internal sealed record Optimizer(string Name, double LearningRate, string[] Settable, string[] GetOnly, Func<double, IReferenceOptimizer> Reference)
    {
        public override string ToString() => Name;
    }

    private static readonly string[] Common = ["LearningRate", "ClipValue", "ClipNorm"];

    public static readonly Optimizer[] All =
    [
        new("GradientDescent", 0.02, [.. Common, "Momentum", "Dampening", "WeightDecay"], ["Nesterov"], lr => new ReferenceGradientDescent(lr)),
        new("Sgd", 0.02, [.. Common, "Momentum", "Dampening", "WeightDecay"], ["Nesterov"], lr => new ReferenceGradientDescent(lr)),
        new("Adam", 0.05, [.. Common, "Beta1", "Beta2", "Epsilon", "WeightDecay"], ["AmsGrad"], lr => new ReferenceAdam(lr)),
        new("AdamW", 0.05, [.. Common, "Beta1", "Beta2", "Epsilon", "WeightDecay"], ["AmsGrad"], lr => new ReferenceAdamW(lr)),
        new("Adamax", 0.05, [.. Common, "Beta1", "Beta2", "Epsilon", "WeightDecay"], [], lr => new ReferenceAdamax(lr)),
        new("NAdam", 0.05, [.. Common, "Beta1", "Beta2", "Epsilon", "WeightDecay", "MomentumDecay"], [], lr => new ReferenceNAdam(lr)),
        new("RAdam", 0.05, [.. Common, "Beta1", "Beta2", "Epsilon", "WeightDecay"], [], lr => new ReferenceRAdam(lr)),
        new("RmsProp", 0.01, [.. Common, "Alpha", "Epsilon", "Momentum", "WeightDecay"], ["Centered"], lr => new ReferenceRmsProp(lr)),
        new("AdaGrad", 0.1, [.. Common, "LearningRateDecay", "Epsilon", "WeightDecay"], ["InitialAccumulatorValue"], lr => new ReferenceAdaGrad(lr)),
        new("AdaDelta", 1.0, [.. Common, "Rho", "Epsilon", "WeightDecay"], [], lr => new ReferenceAdaDelta(lr)),
        new("Rprop", 0.01, [.. Common, "EtaMinus", "EtaPlus", "MinStep", "MaxStep"], [], lr => new ReferenceRprop(lr)),
        new("Lion", 0.01, [.. Common, "Beta1", "Beta2", "WeightDecay"], [], lr => new ReferenceLion(lr)),
    ];

    public static Optimizer Get(string name) => All.Single(o => o.Name == name);

    /// <summary>The objective an optimizer runs on: Sgd needs data.</summary>
    public static bool HasData(string objective) => objective is Fit or NestFit;

    public static readonly double[] BowlStart = [0.3, -0.7, 1.1];
    public static readonly double[] FitStart = [0.5, -0.5, 0.1];

    public static double[] Start(string objective) => HasData(objective) ? FitStart : BowlStart;

    /// <summary>10 samples of y = 1.5·x0 − 2·x1 + 0.5 plus a deterministic wobble.</summary>
    public static double[][] Data()
    {
        var x0 = new double[10];
        var x1 = new double[10];
        var y = new double[10];
        for (var i = 0; i < 10; i++)
        {
            x0[i] = Math.Sin(i * 0.7);
            x1[i] = Math.Cos(i * 1.3) * 0.5;
            y[i] = 1.5 * x0[i] - 2 * x1[i] + 0.5 + 0.1 * Math.Sin(i * 2.9);
        }

        return [x0, x1, y];
    }

    // Hand-derived gradients (not the generator's).

    /// <summary>(a − 1)² + 2(b + 2)² + 3(c − 0.5)² + a·c.</summary>
    public static double BowlGradient(double[] t, double[] g)
    {
        double a = t[0], b = t[1], c = t[2];
        g[0] = 2 * (a - 1) + c;
        g[1] = 4 * (b + 2);
        g[2] = 6 * (c - 0.5) + a;
        return (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + a * c;
    }

    public static double SampleLoss(double[] t, int i, double[][] d)
    {
        var r = t[0] * d[0][i] + t[1] * d[1][i] + t[2] - d[2][i];
        return r * r;
    }

    public static void SampleGradient(double[] t, int i, double[][] d, double[] g)
    {
        var r = t[0] * d[0][i] + t[1] * d[1][i] + t[2] - d[2][i];
        g[0] = 2 * r * d[0][i];
        g[1] = 2 * r * d[1][i];
        g[2] = 2 * r;
    }

    /// <summary>The full-batch mean loss at θ; writes the mean gradient (samples in index order).</summary>
    public static double FullBatch(string objective, double[] theta, double[][] data, double[] gradient)
    {
        if (!HasData(objective))
        {
            return BowlGradient(theta, gradient);
        }

        var n = data[0].Length;
        var g = new double[3];
        Array.Clear(gradient);
        double loss = 0;
        for (var i = 0; i < n; i++)
        {
            loss += SampleLoss(theta, i, data);
            SampleGradient(theta, i, data, g);
            for (var k = 0; k < 3; k++)
            {
                gradient[k] += g[k];
            }
        }

        for (var k = 0; k < 3; k++)
        {
            gradient[k] /= n;
        }

        return loss / n;
    }

    public static double FullBatchNorm(string objective, double[] theta, double[][] data)
    {
        var g = new double[3];
        FullBatch(objective, theta, data, g);
        return Math.Sqrt(g.Sum(x => x * x));
    }

    /// <summary>A reference run's rows: [loss the update saw, θ after it…].</summary>
    /// <param name="rates">
    /// The rate set before each update when it differs from the current one (null: keep the reference's own):
    /// Minimize with a schedule sets a new rate as the LearningRate setter does, which for Rprop restarts the step sizes.
    /// </param>
    /// <param name="restartAt">Before update restartAt (from 1), a fresh minibatch sequence with <paramref name="restartSeed"/>.</param>
    public static double[][] ReferenceRun(
        Optimizer optimizer, string objective, double[] init, int steps, double[][] data, int batchSize = 0, int seed = 0,
        double[]? rates = null, double clipValue = 0, double clipNorm = 0, int restartAt = 0, int restartSeed = 0,
        Action<IReferenceOptimizer, int>? before = null)
    {
        var reference = objective is NestBowl or NestFit
            ? new ReferenceGradientDescent(optimizer.LearningRate, momentum: 0.9, nesterov: true)
            : optimizer.Reference(optimizer.LearningRate);
        var clipped = (ReferenceOptimizer)reference;
        clipped.ClipValue = clipValue;
        clipped.ClipNorm = clipNorm;
        var theta = (double[])init.Clone();
        var batches = HasData(objective) && batchSize > 0 ? Batches(batchSize, seed, data) : null;
        var rows = new double[steps][];
        for (var t = 1; t <= steps; t++)
        {
            if (rates is not null && rates[t - 1] != reference.LearningRate)
            {
                reference.LearningRate = rates[t - 1];
            }

            before?.Invoke(reference, t);
            if (t == restartAt && batches is not null)
            {
                batches = Batches(batchSize, restartSeed, data);
            }

            double loss;
            if (batches is null)
            {
                var g = new double[3];
                loss = FullBatch(objective, theta, data, g);
                reference.Step(theta, g);
            }
            else
            {
                loss = batches.Step(reference, theta);
            }

            rows[t - 1] = [loss, .. theta];
        }

        return rows;
    }

    private static ReferenceMinibatches Batches(int batchSize, int seed, double[][] data) =>
        new(data[0].Length, batchSize, seed, (t, i) => SampleLoss(t, i, data), (t, i, g) => SampleGradient(t, i, data, g));

    /// <summary>The generated type's name, e.g. FitAdam.</summary>
    public static string Key(string objective, string optimizer) => objective + optimizer;

    /// <summary>Every (objective, optimizer) pair the driver has methods for.</summary>
    public static IEnumerable<(string Objective, Optimizer Optimizer)> Pairs()
    {
        foreach (var optimizer in All)
        {
            if (optimizer.Name != "Sgd")
            {
                yield return (Bowl, optimizer);
            }

            yield return (Fit, optimizer);
        }

        yield return (NestBowl, Get("GradientDescent"));
        yield return (NestFit, Get("Sgd"));
    }

    private static readonly Lazy<CompiledDriver> Compiled = new(() => CompiledDriver.Compile(Source()));

    public static CompiledDriver Driver => Compiled.Value;

    private static string Attribute(string objective, Optimizer optimizer)
    {
        var lr = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        return objective switch
        {
            NestBowl or NestFit => $"{optimizer.Name}(LearningRate = {lr}, Momentum = 0.9, Nesterov = true)",
            _ => $"{optimizer.Name}(LearningRate = {lr})",
        };
    }

    private static string Source()
    {
        var problems = new StringBuilder();
        foreach (var objective in new[] { Bowl, Fit, NestBowl, NestFit })
        {
            var attributes = string.Join(", ", Pairs().Where(p => p.Objective == objective).Select(p => Attribute(objective, p.Optimizer)));
            problems.AppendLine(HasData(objective)
                ? $"    [Objective, {attributes}] public static double {objective}(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double y) {{ var r = w0 * x0 + w1 * x1 + b - y; return r * r; }}"
                : $"    [Objective, {attributes}] public static double {objective}(double a, double b, double c) => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + a * c;");
        }

        var driver = new StringBuilder();
        var types = new List<string>();
        foreach (var (objective, optimizer) in Pairs())
        {
            var key = Key(objective, optimizer.Name);
            types.Add($"typeof(P.{key})");
            driver.AppendLine(Methods(objective, optimizer, key));
        }

        return $$"""
            using System;
            using OptimDsl;

            namespace Opt;

            public static partial class P
            {
            {{problems}}
            }

            /// <summary>Logs [iteration, loss, gradient norm] per call into an array allocated before the run.</summary>
            public struct Log3 : IOptimizationObserver
            {
                public double[] Log;
                public int Count;

                public bool OnStep(long iteration, double loss, double gradientNorm)
                {
                    if (3 * Count + 2 < Log.Length)
                    {
                        Log[3 * Count] = iteration;
                        Log[3 * Count + 1] = loss;
                        Log[3 * Count + 2] = gradientNorm;
                    }

                    Count++;
                    return true;
                }
            }

            /// <summary>Counts calls; allocation-free.</summary>
            public struct Calls : IOptimizationObserver
            {
                public long Count;

                public bool OnStep(long iteration, double loss, double gradientNorm)
                {
                    Count++;
                    return true;
                }
            }

            /// <summary>Rates[t − 1] at update t (the last one past the end).</summary>
            public struct Table : ILearningRateSchedule
            {
                public double[] Rates;

                public double LearningRate(long iteration, double loss) => Rates[Math.Min(iteration, Rates.Length) - 1];
            }

            /// <summary>Wraps a schedule and logs [t, loss, rate] per call into an array allocated before the run.</summary>
            public struct Recording<TSchedule> : ILearningRateSchedule
                where TSchedule : ILearningRateSchedule
            {
                public TSchedule Inner;
                public double[] Log;
                public int Count;

                public double LearningRate(long iteration, double loss)
                {
                    double rate = Inner.LearningRate(iteration, loss);
                    if (3 * Count + 2 < Log.Length)
                    {
                        Log[3 * Count] = iteration;
                        Log[3 * Count + 1] = loss;
                        Log[3 * Count + 2] = rate;
                    }

                    Count++;
                    return rate;
                }
            }

            public static class Driver
            {
                private static double _sink;

                public static Type[] Types() => new Type[] { {{string.Join(", ", types)}} };

            {{driver}}
            }
            """;
    }

    private static string Methods(string objective, Optimizer optimizer, string key)
    {
        var data = HasData(objective);
        var dataArgs = data ? "data[0], data[1], data[2]" : "";
        var dataComma = data ? "data[0], data[1], data[2], " : "";
        var parameters = data ? "o.W0, o.W1, o.B" : "o.A, o.B, o.C";
        var batches = data ? "o.BatchSize = batchSize; o.Seed = seed;" : "";
        var settable = optimizer.Settable.Concat(data ? new[] { "BatchSize", "Seed" } : []).ToArray();
        var sets = string.Join(" ", settable.Select(p => p is "BatchSize" or "Seed"
            ? $"case \"{p}\": o.{p} = (int)value; break;"
            : $"case \"{p}\": o.{p} = value; break;"));
        var reads = string.Join(" ", settable.Select(p => $"case \"{p}\": return o.{p};"));
        var construct = $"new P.{key}(init[0], init[1], init[2])";
        return $$"""
                // ---- {{key}} ----

                public static long[] Alloc_{{key}}(int batchSize, double[][] data)
                {
                    var result = new long[6];
                    for (int kind = 0; kind < 6; kind++)
                    {
                        long least = long.MaxValue;
                        for (int attempt = 0; attempt < 3; attempt++)
                        {
                            AllocRun_{{key}}(kind, batchSize, data);
                            long before = GC.GetAllocatedBytesForCurrentThread();
                            AllocRun_{{key}}(kind, batchSize, data);
                            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                        }

                        result[kind] = least;
                    }

                    return result;
                }

                private static void AllocRun_{{key}}(int kind, int batchSize, double[][] data)
                {
                    int seed = 3;
                    _sink += seed;
                    var o = new P.{{key}}(0.3, -0.2, 0.1);
                    {{batches}}
                    switch (kind)
                    {
                        case 0:
                            for (int s = 0; s < 7; s++) _sink += o.Step({{dataArgs}});
                            break;
                        case 1:
                            _sink += o.Minimize({{dataComma}}20, 1e-12).Loss;
                            break;
                        case 2:
                        {
                            var c = new Calls();
                            _sink += o.Minimize({{dataComma}}20, 1e-12, ref c).Loss + c.Count;
                            break;
                        }
                        case 3:
                        {
                            var c = new Calls();
                            var s = new CosineDecaySchedule(o.LearningRate, 10, o.LearningRate / 10);
                            _sink += o.Minimize({{dataComma}}20, 1e-12, ref c, ref s).Loss + c.Count;
                            break;
                        }
                        case 5:
                        {
                            var control = new double[4]; // the measurement's control: this allocates
                            _sink += control.Length + o.Step({{dataArgs}});
                            break;
                        }
                        default:
                        {
                            var c = new Calls();
                            var s = new ReduceOnPlateauSchedule(o.LearningRate, 0.5, 2, 0.5);
                            _sink += o.Minimize({{dataComma}}20, 1e-12, ref c, ref s).Loss + c.Count;
                            break;
                        }
                    }
                }

                /// <summary>
                /// Minimize calls of lengths[i] updates each (tolerance as given), with a recorded schedule of the given
                /// kind (-1: none), after stepsBefore Steps, then stepsAfter Steps. Snapshots per call: [Iteration, LearningRate, result.Iterations,
                /// result.Loss, result.GradientNorm, status, θ…]; after: [Step's loss, Iteration, LearningRate, θ…].
                /// </summary>
                public static (double[] Snapshots, double[] Observed, double[] Scheduled, double[] After, string? Error) Run_{{key}}(
                    double[] init, int batchSize, int seed, int kind, double[] sp, int[] lengths, double tolerance, double clipValue, double clipNorm, int stepsAfter, int stepsBefore, double[][] data)
                {
                    switch (kind)
                    {
                        case 0: return RunWith_{{key}}(new Table { Rates = sp }, init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 1: return RunWith_{{key}}(new ConstantSchedule(sp[0]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 2: return RunWith_{{key}}(new StepDecaySchedule(sp[0], (long)sp[1], sp[2]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 3: return RunWith_{{key}}(new ExponentialDecaySchedule(sp[0], sp[1]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 4: return RunWith_{{key}}(new CosineDecaySchedule(sp[0], (long)sp[1], sp[2]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 5: return RunWith_{{key}}(new WarmupCosineSchedule(sp[0], (long)sp[1], (long)sp[2], sp[3], sp[4]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 6: return RunWith_{{key}}(new OneCycleSchedule(sp[0], (long)sp[1], sp[2], sp[3], sp[4]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        case 7: return RunWith_{{key}}(new ReduceOnPlateauSchedule(sp[0], sp[1], (int)sp[2], sp[3], sp[4]), init, batchSize, seed, kind, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                        default: return RunWith_{{key}}(new ConstantSchedule(1), init, batchSize, seed, -1, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, data);
                    }
                }

                private static (double[] Snapshots, double[] Observed, double[] Scheduled, double[] After, string? Error) RunWith_{{key}}<TSchedule>(
                    TSchedule inner, double[] init, int batchSize, int seed, int kind, int[] lengths, double tolerance, double clipValue, double clipNorm, int stepsAfter, int stepsBefore, double[][] data)
                    where TSchedule : ILearningRateSchedule
                {
                    var o = {{construct}};
                    {{batches}}
                    o.ClipValue = clipValue;
                    o.ClipNorm = clipNorm;
                    var observer = new Log3 { Log = new double[3 * 1000] };
                    var schedule = new Recording<TSchedule> { Inner = inner, Log = new double[3 * 1000] };
                    var snapshots = new System.Collections.Generic.List<double>();
                    string? error = null;
                    for (int s = 0; s < stepsBefore; s++) _sink += o.Step({{dataArgs}});
                    foreach (int length in lengths)
                    {
                        OptimizationResult result;
                        try
                        {
                            result = kind < 0
                                ? o.Minimize({{dataComma}}length, tolerance, ref observer)
                                : o.Minimize({{dataComma}}length, tolerance, ref observer, ref schedule);
                        }
                        catch (ArgumentOutOfRangeException e)
                        {
                            error = "ArgumentOutOfRangeException:" + e.ParamName;
                            snapshots.AddRange(new double[] { o.Iteration, o.LearningRate, double.NaN, double.NaN, double.NaN, double.NaN, {{parameters}} });
                            break;
                        }

                        snapshots.AddRange(new double[] { o.Iteration, o.LearningRate, result.Iterations, result.Loss, result.GradientNorm, (double)result.Status, {{parameters}} });
                    }

                    var after = new System.Collections.Generic.List<double>();
                    for (int s = 0; s < stepsAfter; s++)
                    {
                        double loss = o.Step({{dataArgs}});
                        after.AddRange(new double[] { loss, o.Iteration, o.LearningRate, {{parameters}} });
                    }

                    return (snapshots.ToArray(), observer.Log[..(3 * Math.Min(observer.Count, 1000))], schedule.Log[..(3 * Math.Min(schedule.Count, 1000))], after.ToArray(), error);
                }

                /// <summary>steps Steps, setting LearningRate = rates[t − 1] before update t when rates is not null and the rate changes; rows [loss, Iteration, LearningRate, θ…].</summary>
                public static double[] Manual_{{key}}(double[] init, int batchSize, int seed, double[]? rates, int steps, double clipValue, double clipNorm, double[][] data)
                {
                    var o = {{construct}};
                    {{batches}}
                    o.ClipValue = clipValue;
                    o.ClipNorm = clipNorm;
                    var rows = new System.Collections.Generic.List<double>();
                    for (int t = 1; t <= steps; t++)
                    {
                        if (rates != null && rates[t - 1] != o.LearningRate) o.LearningRate = rates[t - 1];
                        double loss = o.Step({{dataArgs}});
                        rows.AddRange(new double[] { loss, o.Iteration, o.LearningRate, {{parameters}} });
                    }

                    return rows.ToArray();
                }

                /// <summary>
                /// stepsBefore Steps, then property = value (caught: its ParamName), then the property's value, then
                /// stepsAfter Steps; rows [loss, Iteration, θ…] of all the Steps.
                /// </summary>
                public static (string? ParamName, double ReadBefore, double ReadBack, double[] Rows) Set_{{key}}(double[] init, int batchSize, int seed, int stepsBefore, string property, double value, int stepsAfter, double[][] data)
                {
                    var o = {{construct}};
                    {{batches}}
                    var rows = new System.Collections.Generic.List<double>();
                    for (int s = 0; s < stepsBefore; s++)
                    {
                        double loss = o.Step({{dataArgs}});
                        rows.AddRange(new double[] { loss, o.Iteration, {{parameters}} });
                    }

                    string? paramName = null;
                    double readBefore = Read_{{key}}(ref o, property);
                    try
                    {
                        switch (property)
                        {
                            case "": break;
                            {{sets}}
                            default: throw new InvalidOperationException("no property " + property);
                        }
                    }
                    catch (ArgumentOutOfRangeException e)
                    {
                        paramName = e.ParamName ?? "(null)";
                    }

                    double readBack = Read_{{key}}(ref o, property);
                    for (int s = 0; s < stepsAfter; s++)
                    {
                        double loss = o.Step({{dataArgs}});
                        rows.AddRange(new double[] { loss, o.Iteration, {{parameters}} });
                    }

                    return (paramName, readBefore, readBack, rows.ToArray());
                }

                private static double Read_{{key}}(ref P.{{key}} o, string property)
                {
                    switch (property)
                    {
                        {{reads}}
                        default: return double.NaN;
                    }
                }

            """;
    }
}
