using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;
using static OptimDsl.Tests.Optimizers.Behaviour;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The behaviour around the rules of every catalogue optimizer (README, Optimizers, Minimize, Schedules,
/// Clipping, Minibatches): no allocation, schedules inside Minimize, run-time validation of every
/// hyperparameter, clipping inside the generated optimizers and minibatches for an optimizer other than
/// Sgd. Expected values come from the test-side references (Reference/TorchOptimizers.cs), from hand-derived
/// gradients, from the schedule structs' own values, or from a manual Step loop of the same optimizer
/// where the README defines Minimize by it.
/// </summary>
public sealed class CatalogueBehaviourTests
{
    private const double Relative = 1e-9;
    private static readonly double[][] D = Data();

    /// <summary>(key, objective, optimizer, batch size): Bowl full batch; Fit full batch and batches of 3 (Sgd: batches only).</summary>
    public static TheoryData<string, string, string, int> Modes
    {
        get
        {
            var data = new TheoryData<string, string, string, int>();
            foreach (var (objective, optimizer) in Pairs())
            {
                foreach (var batchSize in BatchSizes(objective, optimizer))
                {
                    data.Add(Key(objective, optimizer.Name), objective, optimizer.Name, batchSize);
                }
            }

            return data;
        }
    }

    private static int[] BatchSizes(string objective, Optimizer optimizer) =>
        !HasData(objective) ? [0] : optimizer.Name == "Sgd" ? [3] : [0, 3];

    // ---------------------------------------------------------------- 1. Allocation

    [Theory]
    [MemberData(nameof(Modes))]
    public void Step_and_every_Minimize_overload_allocate_nothing(string key, string objective, string optimizer, int batchSize)
    {
        _ = objective;
        _ = optimizer;
        var bytes = Driver.Call<long[]>("Alloc_" + key, batchSize, D);
        string[] what = ["Step", "Minimize", "Minimize(ref observer)", "Minimize(ref observer, ref CosineDecaySchedule)", "Minimize(ref observer, ref ReduceOnPlateauSchedule)"];
        for (var i = 0; i < what.Length; i++)
        {
            Assert.True(bytes[i] == 0, $"{key}, BatchSize {batchSize}, {what[i]}: {bytes[i]} bytes");
        }

        Assert.True(bytes[5] >= 4 * sizeof(double), $"{key}: the control (new double[4] beside a Step) shows only {bytes[5]} bytes");
    }

    // ---------------------------------------------------------------- 2. Schedules inside Minimize

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_update_uses_the_schedule_s_rate_at_t_and_a_second_Minimize_continues_the_count(string key, string objective, string optimizerName, int batchSize)
    {
        var optimizer = Get(optimizerName);
        var r = optimizer.LearningRate;
        double[] rates = [r, 0.5 * r, 1.5 * r, 0.8 * r, 0.3 * r, 1.2 * r, r, 0.7 * r, 0.9 * r, 0.4 * r, 1.1 * r, 0.6 * r];
        int[] lengths = [5, 1, 6];
        var init = Start(objective);
        var run = Run(key, init, batchSize, 5, 0, rates, lengths);
        Assert.Null(run.Error);

        // The Step loop sets LearningRate when the rate changes (for Rprop that restarts every step size).
        var manual = Manual(key, init, batchSize, 5, rates, rates.Length);
        var reference = ReferenceRun(optimizer, objective, init, rates.Length, D, batchSize, 5, rates);

        // The schedule is asked once per update, with t = 1 … 12 across the three calls and the loss that update sees.
        Assert.Equal(3 * rates.Length, run.Scheduled.Length);
        for (var t = 1; t <= rates.Length; t++)
        {
            Assert.Equal(t, run.Scheduled[3 * (t - 1)]);
            Compare.Bits([manual[t - 1][0]], [run.Scheduled[3 * (t - 1) + 1]], $"{key}, BatchSize {batchSize}: loss the schedule saw at t = {t} (the Step loop's)");
            Compare.Close(reference[t - 1][0], run.Scheduled[3 * (t - 1) + 1], Relative, $"{key}, BatchSize {batchSize}: loss the schedule saw at t = {t} (the reference's)");
            Assert.Equal(t, run.Observed[3 * (t - 1)]);
            Compare.Bits([manual[t - 1][0]], [run.Observed[3 * (t - 1) + 1]], $"{key}, BatchSize {batchSize}: loss the observer saw at t = {t}");
        }

        var done = 0;
        for (var call = 0; call < lengths.Length; call++)
        {
            done += lengths[call];
            var snapshot = Snapshot(run.Snapshots, call);
            Assert.Equal(done, snapshot.Iteration);
            Assert.Equal(lengths[call], snapshot.Result);
            Compare.Bits([rates[done - 1]], [snapshot.LearningRate], $"{key}: LearningRate after call {call + 1} reads the last rate used");
            Compare.Bits(manual[done - 1][3..], snapshot.Theta, $"{key}, BatchSize {batchSize}: θ after {done} updates (the Step loop's)");
            Compare.Close(reference[done - 1][1..], snapshot.Theta, Relative, $"{key}, BatchSize {batchSize}: θ after {done} updates (the reference's)");
        }
    }

    /// <summary>The modes of every optimizer but Rprop (see <see cref="A_rate_of_zero_moves_no_Rprop_parameter_either"/>).</summary>
    public static TheoryData<string, string, string, int> ModesButRprop
    {
        get
        {
            var data = new TheoryData<string, string, string, int>();
            foreach (var row in Modes.Where(m => (string)m[2] != "Rprop"))
            {
                data.Add((string)row[0], (string)row[1], (string)row[2], (int)row[3]);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ModesButRprop))]
    public void A_rate_of_zero_counts_the_update_but_moves_nothing(string key, string objective, string optimizerName, int batchSize)
    {
        var optimizer = Get(optimizerName);
        var r = optimizer.LearningRate;
        double[] rates = [r, 0.5 * r, 0, r, 0, 0, 0.7 * r, 0];
        var init = Start(objective);
        var run = Run(key, init, batchSize, 2, 0, rates, [.. Enumerable.Repeat(1, rates.Length)]);
        Assert.Null(run.Error);
        var reference = ReferenceRun(optimizer, objective, init, rates.Length, D, batchSize, 2, rates);
        var previous = init;
        for (var t = 1; t <= rates.Length; t++)
        {
            var snapshot = Snapshot(run.Snapshots, t - 1);
            Assert.Equal(t, snapshot.Iteration);
            Compare.Bits([rates[t - 1]], [snapshot.LearningRate], $"{key}: LearningRate after update {t}");
            if (rates[t - 1] == 0)
            {
                Compare.Bits(previous, snapshot.Theta, $"{key}, BatchSize {batchSize}: θ after the update {t} of rate 0");
            }

            Compare.Close(reference[t - 1][1..], snapshot.Theta, Relative, $"{key}, BatchSize {batchSize}: θ after update {t}");
            previous = snapshot.Theta;
        }
    }

    /// <summary>
    /// README, Learning-rate schedules: a rate of 0 "counts but moves nothing", Rprop included: the scheduled
    /// rate restarts every step size (as setting LearningRate does), but a step size of 0 must not be clamped
    /// up to MinStep (1e-6) and move θ by sign(g)·MinStep.
    /// </summary>
    [Theory]
    [MemberData(nameof(RpropModes))]
    public void A_rate_of_zero_moves_no_Rprop_parameter_either(string objective, int batchSize)
    {
        var r = Get("Rprop").LearningRate;
        double[] rates = [r, 0, r];
        var key = Key(objective, "Rprop");
        var run = Run(key, Start(objective), batchSize, 2, 0, rates, [1, 1, 1]);
        Assert.Null(run.Error);
        Assert.Equal(2, Snapshot(run.Snapshots, 1).Iteration);
        Compare.Bits(Snapshot(run.Snapshots, 0).Theta, Snapshot(run.Snapshots, 1).Theta, $"{key}, BatchSize {batchSize}: θ after the update of rate 0");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void After_Steps_the_schedule_s_count_goes_on_from_Iteration(string key, string objective, string optimizerName, int batchSize)
    {
        var optimizer = Get(optimizerName);
        var r = optimizer.LearningRate;
        double[] rates = [r, r, r, 0.5 * r, 1.5 * r, 0.8 * r, 0.6 * r];
        var init = Start(objective);
        var run = Run(key, init, batchSize, 8, 0, rates, [4], stepsBefore: 3);
        Assert.Null(run.Error);
        Assert.Equal([4.0, 5, 6, 7], Enumerable.Range(0, 4).Select(i => run.Scheduled[3 * i]));
        var manual = Manual(key, init, batchSize, 8, rates, rates.Length);
        var snapshot = Snapshot(run.Snapshots, 0);
        Assert.Equal(7, snapshot.Iteration);
        Assert.Equal(4, snapshot.Result);
        Compare.Bits(manual[^1][3..], snapshot.Theta, $"{key}, BatchSize {batchSize}: θ after 3 Steps and 4 scheduled updates");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_run_converged_at_its_start_asks_the_schedule_nothing(string key, string objective, string optimizerName, int batchSize)
    {
        var r = Get(optimizerName).LearningRate;
        var init = Start(objective);
        var run = Run(key, init, batchSize, 8, 0, [0.5 * r], [5], tolerance: 1e9);
        Assert.Null(run.Error);
        Assert.Empty(run.Scheduled);
        Assert.Empty(run.Observed);
        var snapshot = Snapshot(run.Snapshots, 0);
        Assert.Equal(0, snapshot.Iteration);
        Assert.Equal((double)OptimizationStatus.Converged, snapshot.Status);
        Compare.Bits([r], [snapshot.LearningRate], $"{key}: LearningRate");
        Compare.Bits(init, snapshot.Theta, $"{key}: θ");
    }

    public static TheoryData<string, string, string, int, double, int> BadRates
    {
        get
        {
            var data = new TheoryData<string, string, string, int, double, int>();
            foreach (var (key, objective, optimizer, batchSize) in Modes.Select(m => ((string)m[0], (string)m[1], (string)m[2], (int)m[3])))
            {
                foreach (var bad in new[] { -1e-3, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                {
                    data.Add(key, objective, optimizer, batchSize, bad, 4);
                }

                data.Add(key, objective, optimizer, batchSize, double.NaN, 1);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadRates))]
    public void A_negative_NaN_or_infinite_rate_throws_and_leaves_the_optimizer_as_before_that_update(string key, string objective, string optimizerName, int batchSize, double bad, int at)
    {
        var optimizer = Get(optimizerName);
        var r = optimizer.LearningRate;
        var rates = new[] { r, 0.5 * r, 1.5 * r, 0.8 * r, 0.6 * r, 0.9 * r };
        rates[at - 1] = bad;
        var init = Start(objective);
        const int after = 3;
        var run = Run(key, init, batchSize, 4, 0, rates, at > 2 ? [2, 5] : [5], stepsAfter: after);
        Assert.Equal("ArgumentOutOfRangeException:schedule", run.Error);

        // Before the throw: at − 1 updates; the optimizer then steps on with the last rate it used.
        var rateBefore = at == 1 ? r : rates[at - 2];
        var continued = new double[at - 1 + after];
        for (var t = 1; t <= continued.Length; t++)
        {
            continued[t - 1] = t < at ? rates[t - 1] : rateBefore;
        }

        var manual = Manual(key, init, batchSize, 4, continued, continued.Length);
        var thrown = Snapshot(run.Snapshots, run.Snapshots.Length / SnapshotWidth - 1);
        Assert.Equal(at - 1, thrown.Iteration);
        Compare.Bits([rateBefore], [thrown.LearningRate], $"{key}: LearningRate after the refused rate");
        Compare.Bits(at == 1 ? init : manual[at - 2][3..], thrown.Theta, $"{key}, BatchSize {batchSize}: θ after the refused rate {bad}");
        for (var s = 0; s < after; s++)
        {
            var row = run.After[(s * 6)..((s + 1) * 6)];
            var expected = manual[at - 1 + s];
            Compare.Bits([expected[0], expected[1], .. expected[3..]], [row[0], row[1], .. row[3..]], $"{key}, BatchSize {batchSize}: Step {s + 1} after the refused rate (loss, Iteration, θ)");
        }

        var reference = ReferenceRun(optimizer, objective, init, continued.Length, D, batchSize, 4, continued);
        Compare.Close(reference[^1][1..], run.After[^3..], Relative, $"{key}, BatchSize {batchSize}: θ at the end (the reference's)");
    }

    // ---------------------------------------------------------------- 3. Every schedule inside Minimize

    public static TheoryData<string, string, string, int, int> ScheduleCases
    {
        get
        {
            var data = new TheoryData<string, string, string, int, int>();
            foreach (var (key, objective, optimizer, batchSize) in Modes.Select(m => ((string)m[0], (string)m[1], (string)m[2], (int)m[3])))
            {
                for (var kind = 1; kind <= 7; kind++)
                {
                    data.Add(key, objective, optimizer, batchSize, kind);
                }
            }

            return data;
        }
    }

    /// <summary>The schedule of a kind, scaled to the optimizer's rate r, with boundaries inside 10 updates.</summary>
    private static (double[] Arguments, Func<ILearningRateSchedule> Create) Schedule(int kind, double r) => kind switch
    {
        1 => ([r], () => new ConstantSchedule(r)),
        2 => ([r, 3, 0.5], () => new StepDecaySchedule(r, 3, 0.5)),
        3 => ([r, 0.8], () => new ExponentialDecaySchedule(r, 0.8)),
        4 => ([r, 5, r / 10], () => new CosineDecaySchedule(r, 5, r / 10)),                       // decay ends at t = 5
        5 => ([r, 3, 7, r / 10, r / 20], () => new WarmupCosineSchedule(r, 3, 7, r / 10, r / 20)), // warm-up ends at 3, decay at 7
        6 => ([r, 8, 0.3, 25, 1e4], () => new OneCycleSchedule(r, 8, 0.3, 25, 1e4)),             // peak inside, final rate at 8
        _ => ([r, 0.5, 2, 0.5, 0], () => new ReduceOnPlateauSchedule(r, 0.5, 2, 0.5, 0)),        // patience 2, halving counts as progress
    };

    [Theory]
    [MemberData(nameof(ScheduleCases))]
    public void Every_schedule_gives_the_rates_the_optimizer_uses_across_its_boundaries(string key, string objective, string optimizerName, int batchSize, int kind)
    {
        const int updates = 10;
        var optimizer = Get(optimizerName);
        var (arguments, create) = Schedule(kind, optimizer.LearningRate);
        var init = Start(objective);
        var run = Run(key, init, batchSize, 6, kind, arguments, [4, 6]);
        Assert.Null(run.Error);

        // The schedule struct's own values at t with the losses Minimize gave it.
        var schedule = create();
        var rates = new double[updates];
        for (var t = 1; t <= updates; t++)
        {
            Assert.Equal(t, run.Scheduled[3 * (t - 1)]);
            rates[t - 1] = schedule.LearningRate(t, run.Scheduled[3 * (t - 1) + 1]);
            Compare.Bits([rates[t - 1]], [run.Scheduled[3 * (t - 1) + 2]], $"{key}, schedule {kind}: rate at t = {t}");
        }

        if (kind != 1)
        {
            Assert.True(rates.Distinct().Count() > 1, $"{key}, schedule {kind}: the rates never change: [{string.Join(", ", rates)}]");
        }

        var manual = Manual(key, init, batchSize, 6, rates, updates);
        for (var t = 1; t <= updates; t++)
        {
            Compare.Bits([manual[t - 1][0]], [run.Scheduled[3 * (t - 1) + 1]], $"{key}, BatchSize {batchSize}, schedule {kind}: loss seen at t = {t}");
        }

        Compare.Bits([rates[3]], [Snapshot(run.Snapshots, 0).LearningRate], $"{key}, schedule {kind}: LearningRate after 4 updates");
        Compare.Bits(manual[3][3..], Snapshot(run.Snapshots, 0).Theta, $"{key}, BatchSize {batchSize}, schedule {kind}: θ after 4 updates");
        Compare.Bits([rates[9]], [Snapshot(run.Snapshots, 1).LearningRate], $"{key}, schedule {kind}: LearningRate after 10 updates");
        Compare.Bits(manual[9][3..], Snapshot(run.Snapshots, 1).Theta, $"{key}, BatchSize {batchSize}, schedule {kind}: θ after 10 updates");
        var reference = ReferenceRun(optimizer, objective, init, updates, D, batchSize, 6, rates);
        Compare.Close(reference[9][1..], Snapshot(run.Snapshots, 1).Theta, Relative, $"{key}, BatchSize {batchSize}, schedule {kind}: θ (the reference's)");
    }

    // ---------------------------------------------------------------- 4. Run-time validation

    private static readonly double[] PositiveFiniteBad = [0, -0.0, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
    private static readonly double[] ZeroToOneBad = [-1e-3, 1, 2, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
    private static readonly double[] NonNegativeFiniteBad = [-1e-3, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    /// <summary>The values outside a hyperparameter's range (README, Optimizers).</summary>
    private static double[] Invalid(string optimizer, string property) => property switch
    {
        "LearningRate" or "Epsilon" => PositiveFiniteBad,
        "MinStep" => [.. PositiveFiniteBad, 100],             // above MaxStep (50)
        "MaxStep" => [.. PositiveFiniteBad, 1e-7],            // below MinStep (1e-6)
        "Beta1" or "Beta2" or "Alpha" or "Rho" or "Momentum" or "Dampening" => ZeroToOneBad,
        "WeightDecay" or "ClipValue" or "ClipNorm" or "MomentumDecay" or "LearningRateDecay" => NonNegativeFiniteBad,
        "EtaMinus" => [0, 1, -0.5, 1.5, double.NaN, double.PositiveInfinity],
        "EtaPlus" => [1, 0.5, 0, double.NaN, double.PositiveInfinity],
        "BatchSize" => optimizer == "Sgd" ? [-1, 0] : [-1, int.MinValue],
        "Seed" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(property), property, "no range"),
    };

    /// <summary>A value inside the range, at its edge where it has a closed one.</summary>
    private static double Valid(string property) => property switch
    {
        "LearningRate" or "Epsilon" => 1e-300,
        "MinStep" => 50,       // = MaxStep
        "MaxStep" => 1e-6,     // = MinStep
        "Beta1" or "Beta2" or "Alpha" or "Rho" or "Momentum" or "Dampening" => 0,
        "WeightDecay" or "ClipValue" or "ClipNorm" or "MomentumDecay" or "LearningRateDecay" => 0,
        "EtaMinus" => 0.999,
        "EtaPlus" => 1.0000001,
        "BatchSize" => 2,
        "Seed" => -5,
        _ => throw new ArgumentOutOfRangeException(nameof(property), property, "no range"),
    };

    private static IEnumerable<(string Key, string Objective, Optimizer Optimizer, int BatchSize, string Property)> Properties()
    {
        foreach (var (objective, optimizer) in Pairs())
        {
            var batchSize = optimizer.Name == "Sgd" ? 3 : 0;
            foreach (var property in optimizer.Settable.Concat(HasData(objective) ? ["BatchSize", "Seed"] : Array.Empty<string>()))
            {
                if (objective is NestBowl or NestFit && property is "Momentum" or "Dampening")
                {
                    continue; // Valid/Invalid differ on a Nesterov optimizer: see NesterovCases.
                }

                yield return (Key(objective, optimizer.Name), objective, optimizer, batchSize, property);
            }
        }
    }

    public static TheoryData<string, string, int, string, double> InvalidCases
    {
        get
        {
            var data = new TheoryData<string, string, int, string, double>();
            foreach (var (key, objective, optimizer, batchSize, property) in Properties())
            {
                foreach (var value in Invalid(optimizer.Name, property))
                {
                    data.Add(key, objective, batchSize, property, value);
                }
            }

            // Nesterov needs Momentum > 0 and Dampening = 0 (README, Optimizers).
            foreach (var key in new[] { Key(NestBowl, "GradientDescent"), Key(NestFit, "Sgd") })
            {
                var objective = key.StartsWith(NestBowl, StringComparison.Ordinal) ? NestBowl : NestFit;
                var batchSize = objective == NestFit ? 3 : 0;
                foreach (var value in new[] { 0, -1e-3, 1, double.NaN })
                {
                    data.Add(key, objective, batchSize, "Momentum", value);
                }

                foreach (var value in new[] { 0.1, 1e-300, -1e-3, double.NaN })
                {
                    data.Add(key, objective, batchSize, "Dampening", value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_hyperparameter_throws_with_its_name_and_changes_nothing(string key, string objective, int batchSize, string property, double value)
    {
        var init = Start(objective);
        var untouched = Set(key, init, batchSize, "", 0);
        var set = Set(key, init, batchSize, property, value);
        Assert.Equal(property, set.ParamName);
        Compare.Bits([set.ReadBefore], [set.ReadBack], $"{key}.{property} after the refused {value}");
        Compare.Bits(untouched.Rows, set.Rows, $"{key}: Steps around the refused {property} = {value}");
    }

    public static TheoryData<string, string, int, string, double> ValidCases
    {
        get
        {
            var data = new TheoryData<string, string, int, string, double>();
            foreach (var (key, objective, _, batchSize, property) in Properties())
            {
                data.Add(key, objective, batchSize, property, Valid(property));
            }

            foreach (var key in new[] { Key(NestBowl, "GradientDescent"), Key(NestFit, "Sgd") })
            {
                var objective = key.StartsWith(NestBowl, StringComparison.Ordinal) ? NestBowl : NestFit;
                data.Add(key, objective, objective == NestFit ? 3 : 0, "Momentum", 0.5);
                data.Add(key, objective, objective == NestFit ? 3 : 0, "Dampening", 0);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void A_valid_hyperparameter_at_its_range_s_edge_is_accepted(string key, string objective, int batchSize, string property, double value)
    {
        var set = Set(key, Start(objective), batchSize, property, value);
        Assert.Null(set.ParamName);
        Assert.Equal(value, set.ReadBack);
    }

    public static TheoryData<string, int> RpropModes => new()
    {
        { Bowl, 0 },
        { Fit, 0 },
        { Fit, 3 },
    };

    public static TheoryData<string, int, double> RpropRestarts
    {
        get
        {
            var data = new TheoryData<string, int, double>();
            foreach (var row in RpropModes)
            {
                data.Add((string)row[0], (int)row[1], 0.03);
                data.Add((string)row[0], (int)row[1], 0.01); // the rate it already has: the step sizes restart too
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RpropRestarts))]
    public void Setting_Rprop_s_LearningRate_restarts_every_step_size(string objective, int batchSize, double rate)
    {
        var optimizer = Get("Rprop");
        var init = Start(objective);
        const int before = 4;
        const int after = 6;
        var set = Set(Key(objective, "Rprop"), init, batchSize, "LearningRate", rate, before, after);
        Assert.Null(set.ParamName);
        var reference = ReferenceRun(optimizer, objective, init, before + after, D, batchSize, 0,
            before: (o, t) => { if (t == before + 1) o.LearningRate = rate; });
        var untouched = ReferenceRun(optimizer, objective, init, before + after, D, batchSize, 0);
        for (var t = 1; t <= before + after; t++)
        {
            var row = set.Rows[((t - 1) * 5)..(t * 5)];
            Assert.Equal(t, row[1]);
            Compare.Close(reference[t - 1], [row[0], .. row[2..]], Relative, $"Rprop on {objective}, BatchSize {batchSize}: step {t}");
        }

        Assert.NotEqual(untouched[^1][1..], reference[^1][1..]); // the restart matters
    }

    [Fact]
    public void Flags_and_InitialAccumulatorValue_are_get_only_and_every_other_hyperparameter_is_settable()
    {
        var types = Driver.Call<Type[]>("Types");
        var pairs = Pairs().ToArray();
        Assert.Equal(pairs.Length, types.Length);
        for (var i = 0; i < pairs.Length; i++)
        {
            var (objective, optimizer) = pairs[i];
            var type = types[i];
            Assert.Equal(Key(objective, optimizer.Name), type.Name);
            foreach (var name in optimizer.GetOnly)
            {
                var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                Assert.True(property is not null, $"{type.Name}.{name} is missing");
                Assert.True(property.GetMethod is { IsPublic: true }, $"{type.Name}.{name} has no public getter");
                Assert.True(property.SetMethod is null, $"{type.Name}.{name} has a setter");
            }

            foreach (var name in optimizer.Settable.Concat(HasData(objective) ? ["BatchSize", "Seed"] : Array.Empty<string>()))
            {
                var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                Assert.True(property?.SetMethod is { IsPublic: true }, $"{type.Name}.{name} has no public setter");
            }
        }
    }

    // ---------------------------------------------------------------- 5. Clipping

    [Theory]
    [MemberData(nameof(Modes))]
    public void Clipping_whose_bounds_are_never_reached_changes_no_bit(string key, string objective, string optimizer, int batchSize)
    {
        _ = optimizer;
        var init = Start(objective);
        var plain = Manual(key, init, batchSize, 1, null, 12);
        Compare.Bits(Flat(plain), Flat(Manual(key, init, batchSize, 1, null, 12, clipValue: 1e6)), $"{key}, BatchSize {batchSize}: ClipValue 1e6");
        Compare.Bits(Flat(plain), Flat(Manual(key, init, batchSize, 1, null, 12, clipNorm: 1e6)), $"{key}, BatchSize {batchSize}: ClipNorm 1e6");
        Compare.Bits(Flat(plain), Flat(Manual(key, init, batchSize, 1, null, 12, clipValue: 1e6, clipNorm: 1e6)), $"{key}, BatchSize {batchSize}: both");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Active_clipping_follows_the_reference(string key, string objective, string optimizerName, int batchSize)
    {
        var optimizer = Get(optimizerName);
        var init = Start(objective);
        foreach (var (clipValue, clipNorm) in new[] { (0.5, 0.0), (0.0, 0.3), (0.5, 0.3) })
        {
            var actual = Manual(key, init, batchSize, 1, null, 12, clipValue, clipNorm);
            var expected = ReferenceRun(optimizer, objective, init, 12, D, batchSize, 1, clipValue: clipValue, clipNorm: clipNorm);
            var unclipped = ReferenceRun(optimizer, objective, init, 12, D, batchSize, 1);
            if (optimizerName is not ("Lion" or "Rprop"))
            {
                Assert.NotEqual(unclipped[^1][1..], expected[^1][1..]); // the bounds are reached (sign-based rules may not notice)
            }
            for (var t = 0; t < 12; t++)
            {
                Compare.Close(expected[t], [actual[t][0], .. actual[t][3..]], Relative, $"{key}, BatchSize {batchSize}, ClipValue {clipValue}, ClipNorm {clipNorm}: step {t + 1}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Minimize_reports_the_gradient_norm_before_clipping(string key, string objective, string optimizerName, int batchSize)
    {
        var optimizer = Get(optimizerName);
        var init = Start(objective);
        const int updates = 8;
        var run = Run(key, init, batchSize, 1, -1, [], [updates], clipValue: 0.5, clipNorm: 0.3);
        Assert.Null(run.Error);
        var reference = ReferenceRun(optimizer, objective, init, updates, D, batchSize, 1, clipValue: 0.5, clipNorm: 0.3);
        var snapshot = Snapshot(run.Snapshots, 0);
        Compare.Close(reference[^1][1..], snapshot.Theta, Relative, $"{key}, BatchSize {batchSize}: θ");
        var norm = FullBatchNorm(objective, snapshot.Theta, D);
        Assert.True(norm > 0.3 + 1e-3, $"{key}: the final gradient ({norm}) is not clipped");
        Compare.Close(norm, snapshot.GradientNorm, Relative, $"{key}, BatchSize {batchSize}: result.GradientNorm (unclipped, full batch)");
        // The observer sees the norm of the gradient the update received, before clipping: the full batch's,
        // or the minibatch's (the same minibatches, seed 1, at the same θ).
        var minibatches = batchSize == 0 ? null : new ReferenceMinibatches(D[0].Length, batchSize, 1, (t, i) => SampleLoss(t, i, D), (t, i, g) => SampleGradient(t, i, D, g));
        for (var t = 1; t <= updates; t++)
        {
            var theta = t == 1 ? init : reference[t - 2][1..];
            var g = new double[3];
            var seen = minibatches is null ? FullBatchNorm(objective, theta, D) : Norm(minibatches.Next(theta, g), g);
            Compare.Close(seen, run.Observed[3 * (t - 1) + 2], Relative, $"{key}, BatchSize {batchSize}: the norm the observer saw at update {t}");
        }
    }

    // ---------------------------------------------------------------- 6. Minibatches for optimizers other than Sgd

    public static TheoryData<string> NotSgd => new(All.Where(o => o.Name != "Sgd").Select(o => o.Name));

    [Theory]
    [MemberData(nameof(NotSgd))]
    public void On_minibatches_the_observer_sees_minibatch_losses_and_the_result_the_full_batch_norm(string optimizerName)
    {
        var optimizer = Get(optimizerName);
        const int updates = 7;
        var run = Run(Key(Fit, optimizerName), FitStart, 4, 9, -1, [], [updates]);
        Assert.Null(run.Error);
        var reference = ReferenceRun(optimizer, Fit, FitStart, updates, D, 4, 9);
        Assert.Equal(3 * updates, run.Observed.Length);
        for (var t = 1; t <= updates; t++)
        {
            Compare.Close(reference[t - 1][0], run.Observed[3 * (t - 1) + 1], Relative, $"{optimizerName}: the minibatch loss the observer saw at update {t}");
        }

        var snapshot = Snapshot(run.Snapshots, 0);
        Assert.Equal(updates, snapshot.Result);
        Assert.Equal((double)OptimizationStatus.IterationLimit, snapshot.Status);
        Compare.Close(reference[^1][1..], snapshot.Theta, Relative, $"{optimizerName}: θ");
        var g = new double[3];
        var fullLoss = FullBatch(Fit, snapshot.Theta, D, g);
        Compare.Close(fullLoss, snapshot.Loss, Relative, $"{optimizerName}: result.Loss (full batch)");
        Compare.Close(Math.Sqrt(g.Sum(x => x * x)), snapshot.GradientNorm, Relative, $"{optimizerName}: result.GradientNorm (full batch)");
    }

    [Theory]
    [MemberData(nameof(NotSgd))]
    public void On_minibatches_Minimize_tests_convergence_at_epoch_ends_only(string optimizerName)
    {
        // 10 samples in batches of 4: epochs end after updates 3, 6, 9, 12 …
        var optimizer = Get(optimizerName);
        const int updates = 30;
        var reference = ReferenceRun(optimizer, Fit, FitStart, updates, D, 4, 9);
        var norms = new double[updates + 1];
        norms[0] = FullBatchNorm(Fit, FitStart, D);
        for (var t = 1; t <= updates; t++)
        {
            norms[t] = FullBatchNorm(Fit, reference[t - 1][1..], D);
        }

        // A tolerance that a mid-epoch state meets first, with a clear margin at every epoch end.
        var candidates = Enumerable.Range(1, updates).Where(t => t % 3 != 0 && norms[t] < norms[0]).ToArray();
        double tolerance = 0;
        var expected = -1;
        foreach (var t in candidates)
        {
            var tol = norms[t] * (1 + 1e-7);
            var firstEnd = Enumerable.Range(1, updates / 3).Select(e => 3 * e).FirstOrDefault(e => norms[e] <= tol);
            var anyEarlier = Enumerable.Range(1, t - 1).Any(s => norms[s] <= tol);
            var margins = Enumerable.Range(1, updates / 3).All(e => Math.Abs(norms[3 * e] - tol) > 1e-6 * tol);
            if (firstEnd > t && !anyEarlier && margins)
            {
                (tolerance, expected) = (tol, firstEnd);
                break;
            }
        }

        Assert.True(expected > 0, $"{optimizerName}: no tolerance that a mid-epoch state meets before an epoch end: [{string.Join(", ", norms)}]");
        var run = Run(Key(Fit, optimizerName), FitStart, 4, 9, -1, [], [updates], tolerance);
        var snapshot = Snapshot(run.Snapshots, 0);
        Assert.Equal((double)OptimizationStatus.Converged, snapshot.Status);
        Assert.Equal(expected, snapshot.Result);
        Compare.Close(norms[expected], snapshot.GradientNorm, Relative, $"{optimizerName}: the norm at the epoch end");
    }

    public static TheoryData<string, int, int> SeedCases
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (var optimizer in All)
            {
                data.Add(optimizer.Name, 2, 7);   // mid-epoch, the same seed: the order starts again
                data.Add(optimizer.Name, 3, 11);  // at an epoch's end, another seed
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SeedCases))]
    public void Setting_Seed_starts_the_order_afresh(string optimizerName, int before, int seed)
    {
        var optimizer = Get(optimizerName);
        const int after = 7;
        var set = Set(Key(Fit, optimizerName), FitStart, 4, "Seed", seed, before, after, initialSeed: 7);
        Assert.Null(set.ParamName);
        var reference = ReferenceRun(optimizer, Fit, FitStart, before + after, D, 4, 7, restartAt: before + 1, restartSeed: seed);
        for (var t = 1; t <= before + after; t++)
        {
            var row = set.Rows[((t - 1) * 5)..(t * 5)];
            Compare.Close(reference[t - 1], [row[0], .. row[2..]], Relative, $"{optimizerName}: step {t} (Seed {seed} set after {before})");
        }
    }

    [Theory]
    [MemberData(nameof(NotSgd))]
    public void The_same_seed_gives_the_same_bits_and_another_seed_another_run(string optimizerName)
    {
        var key = Key(Fit, optimizerName);
        var first = Run(key, FitStart, 4, 21, 4, [Get(optimizerName).LearningRate, 9, 0.0], [5, 8]);
        var second = Run(key, FitStart, 4, 21, 4, [Get(optimizerName).LearningRate, 9, 0.0], [5, 8]);
        var other = Run(key, FitStart, 4, 22, 4, [Get(optimizerName).LearningRate, 9, 0.0], [5, 8]);
        Compare.Bits(first.Snapshots, second.Snapshots, $"{optimizerName}: snapshots");
        Compare.Bits(first.Observed, second.Observed, $"{optimizerName}: observed");
        Compare.Bits(first.Scheduled, second.Scheduled, $"{optimizerName}: scheduled");
        Assert.NotEqual(first.Observed, other.Observed);
    }

    // ---------------------------------------------------------------- driver calls

    private const int SnapshotWidth = 9;

    private readonly record struct Shot(double Iteration, double LearningRate, double Result, double Loss, double GradientNorm, double Status, double[] Theta);

    private static Shot Snapshot(double[] snapshots, int call)
    {
        var s = snapshots[(call * SnapshotWidth)..((call + 1) * SnapshotWidth)];
        return new(s[0], s[1], s[2], s[3], s[4], s[5], s[6..]);
    }

    private static (double[] Snapshots, double[] Observed, double[] Scheduled, double[] After, string? Error) Run(
        string key, double[] init, int batchSize, int seed, int kind, double[] arguments, int[] lengths,
        double tolerance = 0, double clipValue = 0, double clipNorm = 0, int stepsAfter = 0, int stepsBefore = 0) =>
        Driver.Call<(double[], double[], double[], double[], string?)>("Run_" + key, init, batchSize, seed, kind, arguments, lengths, tolerance, clipValue, clipNorm, stepsAfter, stepsBefore, D);

    /// <summary>Rows [loss, Iteration, LearningRate, θ…] of a Step loop.</summary>
    private static double[][] Manual(string key, double[] init, int batchSize, int seed, double[]? rates, int steps, double clipValue = 0, double clipNorm = 0) =>
        Compare.Rows(Driver.Call<double[]>("Manual_" + key, init, batchSize, seed, rates, steps, clipValue, clipNorm, D), 6);

    private static (string? ParamName, double ReadBefore, double ReadBack, double[] Rows) Set(
        string key, double[] init, int batchSize, string property, double value, int before = 3, int after = 3, int initialSeed = 0) =>
        Driver.Call<(string?, double, double, double[])>("Set_" + key, init, batchSize, initialSeed, before, property, value, after, D);

    private static double Norm(double loss, double[] g)
    {
        _ = loss;
        return Math.Sqrt(g.Sum(x => x * x));
    }

    private static double[] Flat(double[][] rows) => rows.SelectMany(r => r).ToArray();
}
