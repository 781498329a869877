using System;
using Xunit;

namespace OptimDsl.Tests.Schedules;

/// <summary>
/// README, Learning-rate schedules: every shipped schedule against its anchor. The expected values come
/// from two independent sources written here: small transcriptions of the anchors' code (torch's
/// <c>_get_closed_form_lr</c> / <c>get_lr</c> / <c>step</c>, Optax's schedule functions), compared bit for
/// bit, and values derived by hand from the formulas (cos(π/4) = √2/2 and the like), compared to 1e-15.
/// t counts from 1; the anchors' epoch or count is t − 1. Also: every constructor refusal with its
/// parameter name, iteration &lt; 1, <c>default</c> structs, NoObserver, and no allocation.
/// </summary>
public sealed class ScheduleTests
{
    private const double Close = 1e-15;

    // ---- Transcriptions of the anchors (argument names as in their sources) ----

    /// <summary>torch StepLR._get_closed_form_lr: base_lr * gamma ** (last_epoch // step_size).</summary>
    private static double TorchStepLR(double baseLr, long stepSize, double gamma, long lastEpoch)
        => baseLr * Math.Pow(gamma, lastEpoch / stepSize);

    /// <summary>torch ExponentialLR._get_closed_form_lr: base_lr * gamma ** last_epoch.</summary>
    private static double TorchExponentialLR(double baseLr, double gamma, long lastEpoch)
        => baseLr * Math.Pow(gamma, lastEpoch);

    /// <summary>torch CosineAnnealingLR._get_closed_form_lr: eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2.</summary>
    private static double TorchCosineAnnealingLR(double baseLr, long tMax, double etaMin, long lastEpoch)
        => etaMin + (baseLr - etaMin) * (1 + Math.Cos(Math.PI * lastEpoch / tMax)) / 2;

    /// <summary>optax.polynomial_schedule(power=1) = optax.linear_schedule, transition_begin 0.</summary>
    private static double OptaxLinearSchedule(double initValue, double endValue, long transitionSteps, long count)
    {
        var clipped = Math.Clamp(count, 0, transitionSteps);
        var frac = 1 - (double)clipped / transitionSteps;
        return (initValue - endValue) * Math.Pow(frac, 1) + endValue;
    }

    /// <summary>optax.cosine_decay_schedule(init_value, decay_steps, alpha, exponent=1).</summary>
    private static double OptaxCosineDecaySchedule(double initValue, long decaySteps, double alpha, long count)
    {
        double c = Math.Min(count, decaySteps);
        var cosineDecay = 0.5 * (1 + Math.Cos(Math.PI * c / decaySteps));
        var decayed = (1 - alpha) * Math.Pow(cosineDecay, 1.0) + alpha;
        return initValue * decayed;
    }

    /// <summary>optax.warmup_cosine_decay_schedule: join_schedules([linear, cosine], [warmup_steps]).</summary>
    private static double OptaxWarmupCosineDecaySchedule(double initValue, double peakValue, long warmupSteps, long decaySteps, double endValue, long step)
    {
        var alpha = peakValue == 0.0 ? 0.0 : endValue / peakValue;
        var output = OptaxLinearSchedule(initValue, peakValue, warmupSteps, step);
        return step < warmupSteps ? output : OptaxCosineDecaySchedule(peakValue, decaySteps - warmupSteps, alpha, step - warmupSteps);
    }

    /// <summary>torch OneCycleLR.get_lr with anneal_strategy='cos', three_phase=False, one param group.</summary>
    private static double TorchOneCycleLR(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor, long stepNum)
    {
        Assert.True(stepNum <= totalSteps, "torch raises ValueError past total_steps");
        var initialLr = maxLr / divFactor;
        var minLr = initialLr / finalDivFactor;
        var phases = new (double EndStep, double StartLr, double EndLr)[]
        {
            ((double)(pctStart * totalSteps) - 1, initialLr, maxLr),
            (totalSteps - 1, maxLr, minLr),
        };

        static double AnnealingCos(double start, double end, double pct)
        {
            var cosOut = Math.Cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }

        var startStep = 0.0;
        for (var i = 0; i < phases.Length; i++)
        {
            var endStep = phases[i].EndStep;
            if (stepNum <= endStep || i == phases.Length - 1)
            {
                var pct = (stepNum - startStep) / (endStep - startStep);
                return AnnealingCos(phases[i].StartLr, phases[i].EndLr, pct);
            }

            startStep = phases[i].EndStep;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>torch ReduceLROnPlateau (mode 'min', threshold_mode 'rel', one param group): __init__, step, _reduce_lr, is_better.</summary>
    private sealed class TorchReduceLROnPlateau(double lr, double factor, int patience, double threshold, double minLr)
    {
        private const int Cooldown = 0;
        private const double Eps = 1e-8;
        private double _best = double.PositiveInfinity;  // mode_worse for 'min'
        private int _numBadEpochs;
        private int _cooldownCounter;

        public double Lr { get; private set; } = lr;

        public void Step(double metrics)
        {
            var current = metrics;
            if (IsBetter(current, _best))
            {
                _best = current;
                _numBadEpochs = 0;
            }
            else
            {
                _numBadEpochs += 1;
            }

            if (_cooldownCounter > 0)
            {
                _cooldownCounter -= 1;
                _numBadEpochs = 0;
            }

            if (_numBadEpochs > patience)
            {
                ReduceLr();
                _cooldownCounter = Cooldown;
                _numBadEpochs = 0;
            }
        }

        private void ReduceLr()
        {
            var oldLr = Lr;
            var newLr = Math.Max(oldLr * factor, minLr);
            if (oldLr - newLr > Eps)
            {
                Lr = newLr;
            }
        }

        private bool IsBetter(double a, double best)
        {
            var relEpsilon = 1.0 - threshold;
            return a < best * relEpsilon;
        }
    }

    private static double Rate<T>(ref T schedule, long iteration, double loss = 1.0)
        where T : ILearningRateSchedule
        => schedule.LearningRate(iteration, loss);

    private static double Rate<T>(T schedule, long iteration)
        where T : ILearningRateSchedule
        => schedule.LearningRate(iteration, 1.0);

    // ---- NoObserver ----

    [Fact]
    public void NoObserver_never_stops()
    {
        var observer = new NoObserver();
        Assert.True(observer.OnStep(1, 1.0, 1.0));
        Assert.True(observer.OnStep(long.MaxValue, double.NaN, double.PositiveInfinity));
        Assert.True(default(NoObserver).OnStep(0, -1, 0));
        Assert.True(CallObserver(ref observer));

        static bool CallObserver<T>(ref T o)
            where T : IOptimizationObserver
            => o.OnStep(7, 0.5, 0.25);
    }

    // ---- ConstantSchedule ----

    [Fact]
    public void Constant_gives_its_rate_at_every_iteration()
    {
        var s = new ConstantSchedule(0.01);
        Assert.Equal(0.01, s.Rate);
        foreach (var t in new long[] { 1, 2, 1000, long.MaxValue })
        {
            Assert.Equal(0.01, Rate(s, t));
        }

        Assert.Equal(0.01, s.LearningRate(5, double.NaN));
    }

    // ---- StepDecaySchedule (StepLR) ----

    [Fact]
    public void StepDecay_follows_the_torch_docs_example_at_its_step_boundaries()
    {
        // torch docs: lr = 0.05 if epoch < 30; 0.005 if 30 <= epoch < 60; 0.0005 if 60 <= epoch < 90 (epoch = t − 1).
        var s = new StepDecaySchedule(0.05, 30, 0.1);
        Assert.Equal(0.05, Rate(s, 1));
        Assert.Equal(0.05, Rate(s, 30));           // epoch 29: last undecayed update
        Assert.Equal(0.005, Rate(s, 31), Close);   // epoch 30: first decay
        Assert.Equal(0.005, Rate(s, 60), Close);
        Assert.Equal(0.0005, Rate(s, 61), Close);  // epoch 60
        Assert.Equal(0.00005, Rate(s, 91), 1e-18);
    }

    [Fact]
    public void StepDecay_equals_torch_closed_form_bit_for_bit()
    {
        foreach (var (initial, stepSize, gamma) in new[] { (0.05, 30L, 0.1), (1.0, 1L, 0.5), (0.3, 7L, 0.93), (0.1, 3L, 1.5) })
        {
            var s = new StepDecaySchedule(initial, stepSize, gamma);
            for (long t = 1; t <= 200; t++)
            {
                Assert.Equal(TorchStepLR(initial, stepSize, gamma, t - 1), Rate(s, t));
            }
        }
    }

    [Fact]
    public void StepDecay_defaults_to_gamma_one_tenth_and_exposes_its_arguments()
    {
        var s = new StepDecaySchedule(0.2, 5);
        Assert.Equal(0.2, s.Initial);
        Assert.Equal(5, s.StepSize);
        Assert.Equal(0.1, s.Gamma);
        Assert.Equal(0.2, Rate(s, 5));
        Assert.Equal(0.02, Rate(s, 6), Close);
        Assert.Equal(0.0, Rate(s, long.MaxValue));  // 0.1^(huge) underflows, as in torch
    }

    // ---- ExponentialDecaySchedule (ExponentialLR) ----

    [Fact]
    public void ExponentialDecay_starts_at_initial_and_multiplies_by_gamma_each_update()
    {
        var s = new ExponentialDecaySchedule(0.1, 0.5);
        Assert.Equal(0.1, s.Initial);
        Assert.Equal(0.5, s.Gamma);
        Assert.Equal(0.1, Rate(s, 1));                 // epoch 0: gamma^0
        Assert.Equal(0.05, Rate(s, 2));                // exact: a power of two
        Assert.Equal(0.1 / 1024, Rate(s, 11), Close);  // epoch 10
        for (long t = 1; t <= 300; t++)
        {
            Assert.Equal(TorchExponentialLR(0.1, 0.5, t - 1), Rate(s, t));
        }

        var g = new ExponentialDecaySchedule(0.01, 0.95);
        for (long t = 1; t <= 300; t++)
        {
            Assert.Equal(TorchExponentialLR(0.01, 0.95, t - 1), Rate(g, t));
        }

        Assert.Equal(0.01 * Math.Pow(0.95, 99), Rate(g, 100), Close);
    }

    // ---- CosineDecaySchedule (CosineAnnealingLR) ----

    [Fact]
    public void CosineDecay_at_hand_derived_points_and_constant_after_decay_steps()
    {
        // T_max = 4, eta_min = 0: (1 + cos(π e / 4)) / 2 for e = 0..4: 1, (1 + √2/2)/2, 1/2, (1 − √2/2)/2, 0.
        var s = new CosineDecaySchedule(1.0, 4);
        Assert.Equal(1.0, s.Initial);
        Assert.Equal(4, s.DecaySteps);
        Assert.Equal(0.0, s.Minimum);
        Assert.Equal(1.0, Rate(s, 1));
        Assert.Equal((1 + Math.Sqrt(2) / 2) / 2, Rate(s, 2), Close);
        Assert.Equal(0.5, Rate(s, 3), Close);
        Assert.Equal((1 - Math.Sqrt(2) / 2) / 2, Rate(s, 4), Close);
        Assert.Equal(0.0, Rate(s, 5));  // epoch T_max
        Assert.Equal(0.0, Rate(s, 6));  // torch's closed form would rise again here; the schedule holds
        Assert.Equal(0.0, Rate(s, long.MaxValue));
    }

    [Fact]
    public void CosineDecay_equals_torch_closed_form_up_to_T_max_then_holds_the_minimum()
    {
        foreach (var (initial, decaySteps, minimum) in new[] { (0.1, 100L, 0.001), (1.0, 1L, 0.0), (0.5, 7L, 0.25), (0.01, 50L, 0.02) })
        {
            var s = new CosineDecaySchedule(initial, decaySteps, minimum);
            for (long t = 1; t <= decaySteps + 1; t++)
            {
                Assert.Equal(TorchCosineAnnealingLR(initial, decaySteps, minimum, t - 1), Rate(s, t));
            }

            Assert.Equal(minimum, Rate(s, decaySteps + 1));  // torch's value at epoch T_max is exactly eta_min
            Assert.Equal(minimum, Rate(s, decaySteps + 2));
            Assert.Equal(minimum, Rate(s, 10 * decaySteps + 3));
        }
    }

    // ---- WarmupCosineSchedule (optax.warmup_cosine_decay_schedule) ----

    [Fact]
    public void WarmupCosine_at_hand_derived_points()
    {
        // peak 1, warmup 2, decay_steps 6 (so 4 cosine steps), init 0, end 0.1 (alpha 0.1):
        // count 0, 1: 0, 0.5 (linear); count 2: peak; count 4: 0.9 · ½(1 + cos(π/2)) + 0.1 = 0.55; count ≥ 6: 0.1.
        var s = new WarmupCosineSchedule(1.0, 2, 6, 0.0, 0.1);
        Assert.Equal(1.0, s.Peak);
        Assert.Equal(2, s.WarmupSteps);
        Assert.Equal(6, s.DecaySteps);
        Assert.Equal(0.0, s.Initial);
        Assert.Equal(0.1, s.Final);
        Assert.Equal(0.0, Rate(s, 1));
        Assert.Equal(0.5, Rate(s, 2));
        Assert.Equal(1.0, Rate(s, 3), Close);     // warm-up end: the peak
        Assert.Equal(0.9 * (1 + Math.Sqrt(2) / 2) / 2 + 0.1, Rate(s, 4), Close);
        Assert.Equal(0.55, Rate(s, 5), Close);
        Assert.Equal(0.1, Rate(s, 7), Close);     // decay end (count = decay_steps)
        Assert.Equal(Rate(s, 7), Rate(s, 8));     // constant after
        Assert.Equal(Rate(s, 7), Rate(s, long.MaxValue));
    }

    [Fact]
    public void WarmupCosine_equals_optax_bit_for_bit()
    {
        foreach (var (peak, warmup, decay, initial, final) in new[]
                 {
                     (1.0, 2L, 6L, 0.0, 0.1), (0.001, 100L, 1000L, 0.0, 0.0), (0.3, 1L, 2L, 0.1, 0.05),
                     (0.5, 10L, 37L, 0.7, 0.2), (0.02, 3L, 9L, 0.0, 0.03),
                 })
        {
            var s = new WarmupCosineSchedule(peak, warmup, decay, initial, final);
            for (long t = 1; t <= decay + 5; t++)
            {
                Assert.Equal(OptaxWarmupCosineDecaySchedule(initial, peak, warmup, decay, final, t - 1), Rate(s, t));
            }

            Assert.Equal(initial, Rate(s, 1));
            Assert.Equal(final, Rate(s, decay + 1), Math.Max(final, peak) * 1e-15);
        }
    }

    [Fact]
    public void WarmupCosine_defaults_start_and_end_at_zero()
    {
        var s = new WarmupCosineSchedule(0.5, 10, 100);
        Assert.Equal(0.0, s.Initial);
        Assert.Equal(0.0, s.Final);
        Assert.Equal(0.0, Rate(s, 1));
        Assert.Equal(0.25, Rate(s, 6), Close);  // count 5 of 10
        Assert.Equal(0.5, Rate(s, 11));         // count = warmup: cosine at 0, alpha 0
        Assert.Equal(0.0, Rate(s, 101), Close);
        Assert.Equal(Rate(s, 101), Rate(s, 5000));
    }

    // ---- OneCycleSchedule (OneCycleLR) ----

    [Fact]
    public void OneCycle_at_hand_derived_points_and_phase_boundary()
    {
        // max 1, total 10, pct 0.3: initial 1/25 = 0.04, min 4e-6; phase ends e1 = 0.3·10 − 1 = 2, e2 = 9.
        var s = new OneCycleSchedule(1.0, 10);
        Assert.Equal(1.0, s.MaxRate);
        Assert.Equal(10, s.TotalSteps);
        Assert.Equal(0.3, s.PctStart);
        Assert.Equal(25.0, s.DivFactor);
        Assert.Equal(1e4, s.FinalDivFactor);
        var initial = 1.0 / 25;
        var min = initial / 1e4;
        Assert.Equal(initial, Rate(s, 1), Close);            // step 0: pct 0 (torch computes 1 + (0.04 − 1), not 0.04 exactly)
        Assert.Equal(0.52, Rate(s, 2), Close);               // step 1: pct 1/2, halfway 0.04 → 1
        Assert.Equal(1.0, Rate(s, 3));                       // step 2 = e1: the peak, end of phase 1
        Assert.Equal(min + (1 - min) / 2 * (Math.Cos(Math.PI / 7) + 1), Rate(s, 4), Close);  // step 3: pct 1/7 of phase 2
        Assert.Equal(min + (1 - min) / 2 * (Math.Cos(Math.PI * 4 / 7) + 1), Rate(s, 7), Close);  // step 6: pct 4/7
        Assert.Equal(min, Rate(s, 10));                      // step 9 = e2: the end
        Assert.Equal(min, Rate(s, 11));                      // past total_steps: held
        Assert.Equal(min, Rate(s, long.MaxValue));
    }

    [Fact]
    public void OneCycle_equals_torch_bit_for_bit_including_fractional_phase_ends()
    {
        foreach (var (max, total, pct, div, finalDiv) in new[]
                 {
                     (1.0, 10L, 0.3, 25.0, 1e4), (1.0, 10L, 0.25, 25.0, 1e4), (0.1, 1000L, 0.3, 25.0, 1e4),
                     (0.01, 7L, 0.3, 10.0, 100.0), (2.0, 3L, 0.7, 4.0, 2.0), (0.5, 97L, 0.45, 1.0, 1.0),
                 })
        {
            var s = new OneCycleSchedule(max, total, pct, div, finalDiv);
            for (long t = 1; t <= total; t++)
            {
                Assert.Equal(TorchOneCycleLR(max, total, pct, div, finalDiv, t - 1), Rate(s, t));
            }

            Assert.Equal(max / div, Rate(s, 1), max * 1e-15);  // max + (initial − max): initial up to rounding
            Assert.Equal(max / div / finalDiv, Rate(s, total));
            Assert.Equal(max / div / finalDiv, Rate(s, total + 1));
            Assert.Equal(max / div / finalDiv, Rate(s, 100 * total));
        }
    }

    [Fact]
    public void OneCycle_fractional_phase_end_puts_the_next_step_in_the_second_phase()
    {
        // pct 0.25, total 10: e1 = 1.5. Step 1 ≤ 1.5 is in phase 1 at pct 1/1.5; step 2 in phase 2 at pct 0.5/7.5.
        var s = new OneCycleSchedule(1.0, 10, 0.25);
        var initial = 1.0 / 25;
        var min = initial / 1e4;
        Assert.Equal(1 + (initial - 1) / 2 * (Math.Cos(Math.PI * 2 / 3) + 1), Rate(s, 2), Close);
        Assert.Equal(min + (1 - min) / 2 * (Math.Cos(Math.PI / 15) + 1), Rate(s, 3), Close);
        Assert.True(Rate(s, 2) < 1 && Rate(s, 3) < 1, "the peak falls between two steps");
    }

    // ---- ReduceOnPlateauSchedule (ReduceLROnPlateau) ----

    [Fact]
    public void ReduceOnPlateau_exactly_patience_bad_calls_keep_the_rate_and_one_more_cuts_it()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 3);
        Assert.Equal(1.0, s.LearningRate(1, 10.0));  // better than +∞: best 10
        Assert.Equal(1.0, s.LearningRate(2, 10.0));  // bad 1
        Assert.Equal(1.0, s.LearningRate(3, 10.0));  // bad 2
        Assert.Equal(1.0, s.LearningRate(4, 10.0));  // bad 3 = patience: kept
        Assert.Equal(0.5, s.LearningRate(5, 10.0));  // bad 4 > patience: cut, count cleared
        Assert.Equal(0.5, s.LearningRate(6, 10.0));
        Assert.Equal(0.5, s.LearningRate(7, 10.0));
        Assert.Equal(0.5, s.LearningRate(8, 10.0));
        Assert.Equal(0.25, s.LearningRate(9, 10.0));
    }

    [Fact]
    public void ReduceOnPlateau_an_improvement_clears_the_count()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 2);
        Assert.Equal(1.0, s.LearningRate(1, 5.0));
        Assert.Equal(1.0, s.LearningRate(2, 6.0));  // bad 1
        Assert.Equal(1.0, s.LearningRate(3, 6.0));  // bad 2
        Assert.Equal(1.0, s.LearningRate(4, 4.0));  // better: cleared
        Assert.Equal(1.0, s.LearningRate(5, 4.0));  // bad 1
        Assert.Equal(1.0, s.LearningRate(6, 4.0));  // bad 2
        Assert.Equal(0.5, s.LearningRate(7, 4.0));  // bad 3
    }

    [Fact]
    public void ReduceOnPlateau_threshold_is_relative_to_the_best()
    {
        // threshold 0.1: better means below best · 0.9.
        var s = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0, threshold: 0.1);
        Assert.Equal(1.0, s.LearningRate(1, 10.0));   // best 10
        Assert.Equal(0.5, s.LearningRate(2, 9.5));    // lower, but not below 9: bad, cut
        Assert.Equal(0.5, s.LearningRate(3, 8.5));    // below 9: best 8.5
        Assert.Equal(0.25, s.LearningRate(4, 7.66));  // not below 8.5 · 0.9 = 7.65
        Assert.Equal(0.25, s.LearningRate(5, 7.6));   // below: best 7.6

        // Default threshold 1e-4 at a large loss: an absolute drop of 50 from 1e6 is not an improvement
        // (it would be in torch's 'abs' mode), a drop of 101 is.
        var r = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0);
        Assert.Equal(1e-4, r.Threshold);
        Assert.Equal(1.0, r.LearningRate(1, 1e6));
        Assert.Equal(0.5, r.LearningRate(2, 1e6 - 50));
        Assert.Equal(0.5, r.LearningRate(3, 1e6 - 101));

        // threshold 0: an equal loss is not better (strictly below).
        var z = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0, threshold: 0);
        Assert.Equal(1.0, z.LearningRate(1, 3.0));
        Assert.Equal(0.5, z.LearningRate(2, 3.0));
        Assert.Equal(0.5, z.LearningRate(3, 2.999));
    }

    [Fact]
    public void ReduceOnPlateau_never_goes_below_the_minimum()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.1, patience: 0, minimum: 0.05);
        Assert.Equal(0.05, s.Minimum);
        Assert.Equal(1.0, s.LearningRate(1, 1.0));
        Assert.Equal(0.1, s.LearningRate(2, 1.0), Close);
        Assert.Equal(0.05, s.LearningRate(3, 1.0));  // max(0.01, 0.05)
        Assert.Equal(0.05, s.LearningRate(4, 1.0));  // max(0.005, 0.05): a cut of 0, ignored
        Assert.Equal(0.05, s.LearningRate(5, 1.0));
    }

    [Fact]
    public void ReduceOnPlateau_ignores_cuts_of_at_most_eps()
    {
        // 1e-8 → 1e-9 is a cut of 9e-9 ≤ 1e-8: ignored, for ever.
        var tiny = new ReduceOnPlateauSchedule(1e-8, 0.1, patience: 0);
        Assert.Equal(1e-8, tiny.LearningRate(1, 1.0));
        for (long t = 2; t < 10; t++)
        {
            Assert.Equal(1e-8, tiny.LearningRate(t, 1.0));
        }

        // 3e-8 → 3e-9 cuts 2.7e-8 > 1e-8: applied; 3e-9 → 3e-10 cuts 2.7e-9: ignored.
        var small = new ReduceOnPlateauSchedule(3e-8, 0.1, patience: 0);
        Assert.Equal(3e-8, small.LearningRate(1, 1.0));
        Assert.Equal(3e-8 * 0.1, small.LearningRate(2, 1.0));
        Assert.Equal(3e-8 * 0.1, small.LearningRate(3, 1.0));
        Assert.Equal(3e-8 * 0.1, small.LearningRate(4, 1.0));
    }

    [Fact]
    public void ReduceOnPlateau_first_loss_is_always_better_and_nan_or_infinity_never_is()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0);
        Assert.Equal(1.0, s.LearningRate(1, 1e300));
        Assert.Equal(0.5, s.LearningRate(2, double.NaN));
        Assert.Equal(0.25, s.LearningRate(3, double.PositiveInfinity));
        Assert.Equal(0.25, s.LearningRate(4, 1.0));

        // A NaN or +∞ first loss is bad too (NaN < ∞ and ∞ < ∞ are false), as in torch.
        var n = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0);
        Assert.Equal(0.5, n.LearningRate(1, double.NaN));
        var i = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 0);
        Assert.Equal(0.5, i.LearningRate(1, double.PositiveInfinity));
    }

    [Fact]
    public void ReduceOnPlateau_equals_torch_step_bit_for_bit_on_long_loss_sequences()
    {
        foreach (var (initial, factor, patience, threshold, minimum) in new[]
                 {
                     (0.1, 0.1, 10, 1e-4, 0.0), (1.0, 0.5, 0, 0.0, 0.0), (0.3, 0.7, 3, 0.01, 0.001),
                     (1e-6, 0.2, 1, 1e-4, 0.0), (0.05, 0.9, 2, 0.05, 0.04),
                 })
        {
            var s = new ReduceOnPlateauSchedule(initial, factor, patience, threshold, minimum);
            var torch = new TorchReduceLROnPlateau(initial, factor, patience, threshold, minimum);
            var random = new Random(12345);
            var loss = 10.0;
            for (long t = 1; t <= 2000; t++)
            {
                // A loss that mostly falls slowly, with noise and plateaus.
                loss *= 1 - (random.NextDouble() - 0.45) * 0.02;
                var seen = t % 97 == 0 ? double.NaN : loss;
                torch.Step(seen);
                Assert.Equal(torch.Lr, s.LearningRate(t, seen));
            }
        }
    }

    [Fact]
    public void ReduceOnPlateau_counts_calls_not_iteration_numbers()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.5, patience: 1);
        Assert.Equal(1.0, s.LearningRate(1, 2.0));
        Assert.Equal(1.0, s.LearningRate(1, 2.0));
        Assert.Equal(0.5, s.LearningRate(1000, 2.0));
    }

    [Fact]
    public void ReduceOnPlateau_refused_iteration_leaves_the_state_unchanged()
    {
        var s = new ReduceOnPlateauSchedule(1.0, 0.1, patience: 0);
        Assert.Equal(1.0, s.LearningRate(1, 1.0));
        Assert.Equal("iteration", Assert.Throws<ArgumentOutOfRangeException>(() => s.LearningRate(0, 1.0)).ParamName);
        Assert.Equal(0.1, s.LearningRate(2, 1.0), Close);  // one cut, not two
    }

    [Fact]
    public void ReduceOnPlateau_keeps_its_state_through_a_ref_generic_call_and_exposes_its_arguments()
    {
        var s = new ReduceOnPlateauSchedule(0.2);
        Assert.Equal(0.2, s.Initial);
        Assert.Equal(0.1, s.Factor);
        Assert.Equal(10, s.Patience);
        Assert.Equal(1e-4, s.Threshold);
        Assert.Equal(0.0, s.Minimum);
        for (long t = 1; t <= 11; t++)
        {
            Assert.Equal(0.2, Rate(ref s, t, 1.0));
        }

        Assert.Equal(0.2 * 0.1, Rate(ref s, 12, 1.0));  // 11 bad calls > patience 10
        Assert.Equal(0.2, s.Initial);
    }

    // ---- Iteration and default structs ----

    [Fact]
    public void Every_schedule_refuses_an_iteration_below_one()
    {
        foreach (var t in new[] { 0L, -1L, long.MinValue })
        {
            AssertIterationRefused(new ConstantSchedule(0.1), t);
            AssertIterationRefused(new StepDecaySchedule(0.1, 10), t);
            AssertIterationRefused(new ExponentialDecaySchedule(0.1, 0.9), t);
            AssertIterationRefused(new CosineDecaySchedule(0.1, 10), t);
            AssertIterationRefused(new WarmupCosineSchedule(0.1, 2, 10), t);
            AssertIterationRefused(new OneCycleSchedule(0.1, 10), t);
            AssertIterationRefused(new ReduceOnPlateauSchedule(0.1), t);
        }

        static void AssertIterationRefused<T>(T schedule, long t)
            where T : ILearningRateSchedule
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(t, 1.0));
            Assert.Equal("iteration", e.ParamName);
        }
    }

    [Fact]
    public void A_default_schedule_throws_instead_of_giving_zero()
    {
        AssertDefaultRefused<ConstantSchedule>();
        AssertDefaultRefused<StepDecaySchedule>();
        AssertDefaultRefused<ExponentialDecaySchedule>();
        AssertDefaultRefused<CosineDecaySchedule>();
        AssertDefaultRefused<WarmupCosineSchedule>();
        AssertDefaultRefused<OneCycleSchedule>();
        AssertDefaultRefused<ReduceOnPlateauSchedule>();

        static void AssertDefaultRefused<T>()
            where T : struct, ILearningRateSchedule
        {
            var schedule = default(T);
            Assert.Throws<InvalidOperationException>(() => schedule.LearningRate(1, 1.0));
        }
    }

    // ---- Constructor refusals ----

    private static readonly double[] NotFinite = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    private static void AssertRefused(string parameter, Func<object> construct)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(construct);
        Assert.Equal(parameter, e.ParamName);
    }

    private static void AssertRefusedRate(string parameter, bool zeroAllowed, Func<double, object> construct)
    {
        foreach (var bad in NotFinite)
        {
            AssertRefused(parameter, () => construct(bad));
        }

        AssertRefused(parameter, () => construct(-1.0));
        AssertRefused(parameter, () => construct(-double.Epsilon));
        if (zeroAllowed)
        {
            construct(0.0);
        }
        else
        {
            AssertRefused(parameter, () => construct(0.0));
        }
    }

    [Fact]
    public void Constant_refuses_a_rate_that_is_not_positive_and_finite()
    {
        AssertRefusedRate("rate", zeroAllowed: false, r => new ConstantSchedule(r));
    }

    [Fact]
    public void StepDecay_refuses_bad_arguments()
    {
        AssertRefusedRate("initial", zeroAllowed: false, r => new StepDecaySchedule(r, 10));
        AssertRefused("stepSize", () => new StepDecaySchedule(0.1, 0));
        AssertRefused("stepSize", () => new StepDecaySchedule(0.1, -1));
        AssertRefused("stepSize", () => new StepDecaySchedule(0.1, long.MinValue));
        AssertRefusedRate("gamma", zeroAllowed: false, g => new StepDecaySchedule(0.1, 10, g));
        _ = new StepDecaySchedule(0.1, 1, 2.0);  // gamma > 1 is allowed, as torch
    }

    [Fact]
    public void ExponentialDecay_refuses_bad_arguments()
    {
        AssertRefusedRate("initial", zeroAllowed: false, r => new ExponentialDecaySchedule(r, 0.9));
        AssertRefusedRate("gamma", zeroAllowed: false, g => new ExponentialDecaySchedule(0.1, g));
    }

    [Fact]
    public void CosineDecay_refuses_bad_arguments()
    {
        AssertRefusedRate("initial", zeroAllowed: false, r => new CosineDecaySchedule(r, 10));
        AssertRefused("decaySteps", () => new CosineDecaySchedule(0.1, 0));
        AssertRefused("decaySteps", () => new CosineDecaySchedule(0.1, -5));
        AssertRefusedRate("minimum", zeroAllowed: true, m => new CosineDecaySchedule(0.1, 10, m));
    }

    [Fact]
    public void WarmupCosine_refuses_bad_arguments()
    {
        AssertRefusedRate("peak", zeroAllowed: false, p => new WarmupCosineSchedule(p, 2, 10));
        AssertRefused("warmupSteps", () => new WarmupCosineSchedule(0.1, 0, 10));
        AssertRefused("warmupSteps", () => new WarmupCosineSchedule(0.1, -1, 10));
        AssertRefused("decaySteps", () => new WarmupCosineSchedule(0.1, 10, 10));
        AssertRefused("decaySteps", () => new WarmupCosineSchedule(0.1, 10, 9));
        AssertRefused("decaySteps", () => new WarmupCosineSchedule(0.1, 10, -1));
        _ = new WarmupCosineSchedule(0.1, 10, 11);
        AssertRefusedRate("initial", zeroAllowed: true, i => new WarmupCosineSchedule(0.1, 2, 10, i));
        AssertRefusedRate("final", zeroAllowed: true, f => new WarmupCosineSchedule(0.1, 2, 10, 0, f));
    }

    [Fact]
    public void OneCycle_refuses_bad_arguments()
    {
        AssertRefusedRate("maxRate", zeroAllowed: false, m => new OneCycleSchedule(m, 100));
        AssertRefused("totalSteps", () => new OneCycleSchedule(0.1, 0));
        AssertRefused("totalSteps", () => new OneCycleSchedule(0.1, -1));
        foreach (var pct in new[] { 0.0, 1.0, -0.1, 1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            AssertRefused("pctStart", () => new OneCycleSchedule(0.1, 100, pct));
        }

        // pctStart · totalSteps < 2: the rising phase (torch's end_step = pct·total − 1) would have no length.
        AssertRefused("pctStart", () => new OneCycleSchedule(0.1, 10, 0.19));
        AssertRefused("pctStart", () => new OneCycleSchedule(0.1, 6));   // 0.3 · 6 = 1.8
        AssertRefused("pctStart", () => new OneCycleSchedule(0.1, 1, 0.99));
        _ = new OneCycleSchedule(0.1, 10, 0.2);                           // 0.2 · 10 = 2
        _ = new OneCycleSchedule(0.1, 7);                                 // 0.3 · 7 = 2.1

        AssertRefusedRate("divFactor", zeroAllowed: false, d => new OneCycleSchedule(0.1, 100, 0.3, d));
        AssertRefusedRate("finalDivFactor", zeroAllowed: false, f => new OneCycleSchedule(0.1, 100, 0.3, 25, f));
        AssertRefused("divFactor", () => new OneCycleSchedule(1e300, 100, 0.3, 1e-300));          // initial rate overflows
        AssertRefused("finalDivFactor", () => new OneCycleSchedule(1e300, 100, 0.3, 1, 1e-300));  // final rate overflows
    }

    [Fact]
    public void ReduceOnPlateau_refuses_bad_arguments()
    {
        AssertRefusedRate("initial", zeroAllowed: false, r => new ReduceOnPlateauSchedule(r));
        foreach (var factor in new[] { 0.0, 1.0, 1.5, -0.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            AssertRefused("factor", () => new ReduceOnPlateauSchedule(0.1, factor));
        }

        AssertRefused("patience", () => new ReduceOnPlateauSchedule(0.1, 0.1, -1));
        AssertRefused("patience", () => new ReduceOnPlateauSchedule(0.1, 0.1, int.MinValue));
        _ = new ReduceOnPlateauSchedule(0.1, 0.1, 0);
        AssertRefusedRate("threshold", zeroAllowed: true, th => new ReduceOnPlateauSchedule(0.1, 0.1, 10, th));
        AssertRefusedRate("minimum", zeroAllowed: true, m => new ReduceOnPlateauSchedule(0.1, 0.1, 10, 1e-4, m));
    }

    // ---- Allocation ----

    private static double Drive<T>(ref T schedule, int calls)
        where T : ILearningRateSchedule
    {
        var sum = 0.0;
        for (var t = 1; t <= calls; t++)
        {
            sum += schedule.LearningRate(t, 1.0 / t);
        }

        return sum;
    }

    private static long AllocatedBytes<T>(T schedule)
        where T : ILearningRateSchedule
    {
        var warm = schedule;
        Drive(ref warm, 1000);
        var least = long.MaxValue;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            var s = schedule;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sum = Drive(ref s, 1000);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(sum > 0);
        }

        return least;
    }

    [Fact]
    public void Schedules_do_not_allocate()
    {
        // Control: the measurement sees an allocation.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var array = new double[16];
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
        GC.KeepAlive(array);

        Assert.Equal(0, AllocatedBytes(new ConstantSchedule(0.1)));
        Assert.Equal(0, AllocatedBytes(new StepDecaySchedule(0.1, 10)));
        Assert.Equal(0, AllocatedBytes(new ExponentialDecaySchedule(0.1, 0.99)));
        Assert.Equal(0, AllocatedBytes(new CosineDecaySchedule(0.1, 500, 0.001)));
        Assert.Equal(0, AllocatedBytes(new WarmupCosineSchedule(0.1, 100, 500, 0, 0.001)));
        Assert.Equal(0, AllocatedBytes(new OneCycleSchedule(0.1, 500)));
        Assert.Equal(0, AllocatedBytes(new ReduceOnPlateauSchedule(0.1, 0.5, 3)));
    }
}
