using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Rules;
using Xunit;

namespace OptimDsl.Tests.Rules;

/// <summary>
/// README, Optimizers: the update rules the generated optimizers call. Every rule and flag gives the
/// same bits whichever entry point (scalar, Vector128, Vector256) updates a parameter; the first
/// updates follow the torch.optim algorithm boxes (expected values derived by hand below); a refused
/// hyperparameter throws ArgumentOutOfRangeException naming the property and changes nothing; setters
/// that recompute scalar state (β powers) do so at the current t.
/// </summary>
public sealed class RuleTests
{
    private const int Parameters = 11;
    private const int Updates = 30;

    /// <summary>Four Update256 chunks' worth (two), one Update128, one scalar: what the generator unrolls for 11 parameters.</summary>
    private static readonly int[] Mixed = [4, 4, 2, 1];
    private static readonly int[] AllScalar = Enumerable.Repeat(1, Parameters).ToArray();
    private static readonly int[] AllPairs = [2, 2, 2, 2, 2, 1];

    private delegate TStep Beginner<TRule, TStep>(ref TRule rule);

    private delegate void Updater<TStep>(in TStep step, int width, ref double theta, ref double gradient, double[][] state, int i);

    private delegate void NamedSetter<TRule>(ref TRule rule, string name, double value);

    /// <summary>How the tests drive one rule type: its state vectors, Begin and the three entry points.</summary>
    private sealed class Kind<TRule, TStep>(int states, Beginner<TRule, TStep> begin, Updater<TStep> update, Func<TRule, int, double>? initial = null)
    {
        public int States { get; } = states;

        public Beginner<TRule, TStep> Begin { get; } = begin;

        public Updater<TStep> Update { get; } = update;

        public double Initial(TRule rule, int state) => initial?.Invoke(rule, state) ?? 0;
    }

    private static void Check(int width)
    {
        if (width is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(width));
        }
    }

    private static readonly Kind<SgdRule, SgdRule.Step> SgdKind = new(1,
        (ref SgdRule r) => r.Begin(),
        (in SgdRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        });

    private static readonly Kind<AdamRule, AdamRule.Step> AdamKind = new(3,
        (ref AdamRule r) => r.Begin(),
        (in AdamRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
        });

    private static readonly Kind<AdamRule, AdamRule.Step> AdamWKind = new(3,
        (ref AdamRule r) => r.Begin(),
        (in AdamRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
        });

    private static readonly Kind<AdamaxRule, AdamaxRule.Step> AdamaxKind = new(2,
        (ref AdamaxRule r) => r.Begin(),
        (in AdamaxRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        });

    private static readonly Kind<NAdamRule, NAdamRule.Step> NAdamKind = new(2,
        (ref NAdamRule r) => r.Begin(),
        (in NAdamRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        });

    private static readonly Kind<RAdamRule, RAdamRule.Step> RAdamKind = new(2,
        (ref RAdamRule r) => r.Begin(),
        (in RAdamRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        });

    private static readonly Kind<RmsPropRule, RmsPropRule.Step> RmsPropKind = new(3,
        (ref RmsPropRule r) => r.Begin(),
        (in RmsPropRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
        });

    private static readonly Kind<AdaGradRule, AdaGradRule.Step> AdaGradKind = new(1,
        (ref AdaGradRule r) => r.Begin(),
        (in AdaGradRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        },
        (r, _) => r.InitialAccumulatorValue);

    private static readonly Kind<AdaDeltaRule, AdaDeltaRule.Step> AdaDeltaKind = new(2,
        (ref AdaDeltaRule r) => r.Begin(),
        (in AdaDeltaRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        });

    private static readonly Kind<RpropRule, RpropRule.Step> RpropKind = new(2,
        (ref RpropRule r) => r.Begin(),
        (in RpropRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (r, state) => state == 1 ? r.LearningRate : 0);

    private static readonly Kind<LionRule, LionRule.Step> LionKind = new(1,
        (ref LionRule r) => r.Begin(),
        (in LionRule.Step s, int w, ref double th, ref double g, double[][] st, int i) =>
        {
            Check(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 2) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        });

    // ---------------------------------------------------------------------------------------------
    // Rules with the SPEC's defaults, any one hyperparameter replaced (for the refusal tests).

    private static double Pick(string? name, string key, double value, double fallback) => name == key ? value : fallback;

    private static SgdRule Sgd(string? n = null, double x = 0, bool nesterov = false) =>
        new(Pick(n, "LearningRate", x, 0.01), Pick(n, "Momentum", x, nesterov ? 0.9 : 0), Pick(n, "Dampening", x, 0), nesterov, Pick(n, "WeightDecay", x, 0));

    private static AdamRule Adam(string? n = null, double x = 0, bool amsGrad = false) =>
        new(Pick(n, "LearningRate", x, 0.001), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.999), Pick(n, "Epsilon", x, 1e-8), Pick(n, "WeightDecay", x, 0), amsGrad);

    private static AdamRule AdamW(string? n = null, double x = 0, bool amsGrad = false) =>
        new(Pick(n, "LearningRate", x, 0.001), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.999), Pick(n, "Epsilon", x, 1e-8), Pick(n, "WeightDecay", x, 0.01), amsGrad, decoupledWeightDecay: true);

    private static AdamaxRule Adamax(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 0.002), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.999), Pick(n, "Epsilon", x, 1e-8), Pick(n, "WeightDecay", x, 0));

    private static NAdamRule NAdam(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 0.002), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.999), Pick(n, "Epsilon", x, 1e-8), Pick(n, "WeightDecay", x, 0), Pick(n, "MomentumDecay", x, 0.004));

    private static RAdamRule RAdam(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 0.001), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.999), Pick(n, "Epsilon", x, 1e-8), Pick(n, "WeightDecay", x, 0));

    private static RmsPropRule RmsProp(string? n = null, double x = 0, bool centered = false) =>
        new(Pick(n, "LearningRate", x, 0.01), Pick(n, "Alpha", x, 0.99), Pick(n, "Epsilon", x, 1e-8), Pick(n, "Momentum", x, 0), centered, Pick(n, "WeightDecay", x, 0));

    private static AdaGradRule AdaGrad(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 0.01), Pick(n, "LearningRateDecay", x, 0), Pick(n, "InitialAccumulatorValue", x, 0), Pick(n, "Epsilon", x, 1e-10), Pick(n, "WeightDecay", x, 0));

    private static AdaDeltaRule AdaDelta(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 1.0), Pick(n, "Rho", x, 0.9), Pick(n, "Epsilon", x, 1e-6), Pick(n, "WeightDecay", x, 0));

    private static RpropRule Rprop(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 0.01), Pick(n, "EtaMinus", x, 0.5), Pick(n, "EtaPlus", x, 1.2), Pick(n, "MinStep", x, 1e-6), Pick(n, "MaxStep", x, 50));

    private static LionRule Lion(string? n = null, double x = 0) =>
        new(Pick(n, "LearningRate", x, 1e-4), Pick(n, "Beta1", x, 0.9), Pick(n, "Beta2", x, 0.99), Pick(n, "WeightDecay", x, 0));

    // ---------------------------------------------------------------------------------------------
    // (1) Width equivalence.

    /// <summary>Every rule and flag, with hyperparameters that take every branch (weight decay on and off, momentum, clamps).</summary>
    private static readonly Dictionary<string, Func<int[], double[], double[][], List<long[]>>> WidthCases = new()
    {
        ["Sgd plain"] = (c, t, g) => Run(SgdKind, new SgdRule(0.01, 0, 0, false, 0), c, t, g),
        ["Sgd momentum, dampening, weight decay"] = (c, t, g) => Run(SgdKind, new SgdRule(0.01, 0.9, 0.1, false, 0.01), c, t, g),
        ["Sgd Nesterov"] = (c, t, g) => Run(SgdKind, new SgdRule(0.01, 0.9, 0, true, 0.001), c, t, g),
        ["Adam"] = (c, t, g) => Run(AdamKind, Adam(), c, t, g),
        ["Adam AmsGrad, weight decay"] = (c, t, g) => Run(AdamKind, new AdamRule(0.01, 0.8, 0.99, 1e-8, 0.01, true), c, t, g),
        ["AdamW"] = (c, t, g) => Run(AdamWKind, AdamW(), c, t, g),
        ["AdamW AmsGrad"] = (c, t, g) => Run(AdamWKind, new AdamRule(0.01, 0.8, 0.99, 1e-8, 0.1, true, decoupledWeightDecay: true), c, t, g),
        ["AdamW no weight decay"] = (c, t, g) => Run(AdamWKind, new AdamRule(0.01, 0.9, 0.999, 1e-8, 0, false, decoupledWeightDecay: true), c, t, g),
        ["Adamax"] = (c, t, g) => Run(AdamaxKind, Adamax(), c, t, g),
        ["Adamax weight decay"] = (c, t, g) => Run(AdamaxKind, new AdamaxRule(0.01, 0.8, 0.9, 1e-8, 0.01), c, t, g),
        ["NAdam"] = (c, t, g) => Run(NAdamKind, NAdam(), c, t, g),
        ["NAdam weight decay"] = (c, t, g) => Run(NAdamKind, new NAdamRule(0.01, 0.8, 0.99, 1e-8, 0.01, 0.1), c, t, g),
        ["RAdam"] = (c, t, g) => Run(RAdamKind, RAdam(), c, t, g),
        ["RAdam weight decay"] = (c, t, g) => Run(RAdamKind, new RAdamRule(0.01, 0.8, 0.99, 1e-8, 0.01), c, t, g),
        ["RmsProp"] = (c, t, g) => Run(RmsPropKind, RmsProp(), c, t, g),
        ["RmsProp Centered"] = (c, t, g) => Run(RmsPropKind, RmsProp(centered: true), c, t, g),
        ["RmsProp momentum"] = (c, t, g) => Run(RmsPropKind, new RmsPropRule(0.01, 0.9, 1e-8, 0.9, false, 0), c, t, g),
        ["RmsProp Centered, momentum, weight decay"] = (c, t, g) => Run(RmsPropKind, new RmsPropRule(0.01, 0.9, 1e-8, 0.9, true, 0.01), c, t, g),
        ["AdaGrad"] = (c, t, g) => Run(AdaGradKind, AdaGrad(), c, t, g),
        ["AdaGrad decay, initial accumulator, weight decay"] = (c, t, g) => Run(AdaGradKind, new AdaGradRule(0.1, 0.01, 0.1, 1e-10, 0.01), c, t, g),
        ["AdaDelta"] = (c, t, g) => Run(AdaDeltaKind, AdaDelta(), c, t, g),
        ["AdaDelta weight decay"] = (c, t, g) => Run(AdaDeltaKind, new AdaDeltaRule(0.5, 0.8, 1e-6, 0.01), c, t, g),
        ["Rprop"] = (c, t, g) => Run(RpropKind, Rprop(), c, t, g),
        ["Rprop tight clamp"] = (c, t, g) => Run(RpropKind, new RpropRule(0.01, 0.4, 1.5, 0.005, 0.02), c, t, g),
        ["Lion"] = (c, t, g) => Run(LionKind, Lion(), c, t, g),
        ["Lion weight decay"] = (c, t, g) => Run(LionKind, new LionRule(0.01, 0.8, 0.95, 0.1), c, t, g),
    };

    public static TheoryData<string> WidthCaseNames => new(WidthCases.Keys);

    /// <summary>Runs <see cref="Updates"/> updates over the parameters, in chunks of the given widths; the trace holds the bits of θ and every state after each update.</summary>
    private static List<long[]> Run<TRule, TStep>(Kind<TRule, TStep> kind, TRule rule, int[] chunks, double[] theta0, double[][] gradients)
    {
        return Run(kind, ref rule, chunks, theta0, gradients, gradients.Length);
    }

    private static List<long[]> Run<TRule, TStep>(Kind<TRule, TStep> kind, ref TRule rule, int[] chunks, double[] theta0, double[][] gradients, int updates)
    {
        int n = theta0.Length;
        Assert.Equal(n, chunks.Sum());
        var theta = (double[])theta0.Clone();
        var state = new double[kind.States][];
        for (int s = 0; s < kind.States; s++)
        {
            state[s] = Enumerable.Repeat(kind.Initial(rule, s), n).ToArray();
        }

        var trace = new List<long[]>();
        for (int u = 0; u < updates; u++)
        {
            var step = kind.Begin(ref rule);
            var g = gradients[u];
            int i = 0;
            foreach (int w in chunks)
            {
                kind.Update(in step, w, ref theta[i], ref g[i], state, i);
                i += w;
            }

            trace.Add(theta.Concat(state.SelectMany(x => x)).Select(BitConverter.DoubleToInt64Bits).ToArray());
        }

        return trace;
    }

    /// <summary>θ₀: ordinary values, ±0 and one large one.</summary>
    private static double[] InitialTheta()
    {
        var random = new Random(20260101);
        var theta = Enumerable.Range(0, Parameters).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        theta[3] = 0.0;
        theta[7] = -0.0;
        theta[9] = 1e100;
        return theta;
    }

    /// <summary>Gradients from a seeded Random: zeros, negative zeros, large (~1e120) and tiny (~1e-160, squares subnormal) magnitudes, and ordinary ones.</summary>
    private static double[][] RandomGradients(int seed)
    {
        var random = new Random(seed);
        var scales = new[] { 1e-3, 1.0, 1e3 };
        return Enumerable.Range(0, Updates).Select(_ => Enumerable.Range(0, Parameters).Select(_ =>
        {
            double r = random.NextDouble();
            double sign = random.Next(2) == 0 ? -1 : 1;
            return r switch
            {
                < 0.12 => 0.0,
                < 0.22 => -0.0,
                < 0.30 => sign * 1e120 * (1 + random.NextDouble()),
                < 0.38 => sign * 1e-160 * (1 + random.NextDouble()),
                _ => (random.NextDouble() * 2 - 1) * scales[random.Next(scales.Length)],
            };
        }).ToArray()).ToArray();
    }

    [Theory]
    [MemberData(nameof(WidthCaseNames))]
    public void Mixed_widths_give_the_bits_of_all_scalar_and_all_Vector128_runs(string name)
    {
        var run = WidthCases[name];
        var theta0 = InitialTheta();
        var gradients = RandomGradients(name.Length * 7919 + 17);
        var mixed = run(Mixed, theta0, gradients);
        var scalar = run(AllScalar, theta0, gradients);
        var pairs = run(AllPairs, theta0, gradients);

        AssertSameBits(scalar, mixed, "mixed 256/128/scalar vs all-scalar");
        AssertSameBits(scalar, pairs, "all-Vector128 vs all-scalar");

        // The comparison is not vacuous: every value stays finite and every parameter moved (but θ₀ = 1e100,
        // which no step of these sizes changes).
        var last = scalar[^1].Select(BitConverter.Int64BitsToDouble).ToArray();
        Assert.All(last, x => Assert.True(double.IsFinite(x), $"{name}: a non-finite value {x}"));
        for (int i = 0; i < Parameters; i++)
        {
            if (theta0[i] != 1e100)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(theta0[i]) != scalar[^1][i], $"{name}: parameter {i} never moved");
            }
        }
    }

    private static void AssertSameBits(List<long[]> expected, List<long[]> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int u = 0; u < expected.Count; u++)
        {
            for (int k = 0; k < expected[u].Length; k++)
            {
                if (expected[u][k] != actual[u][k])
                {
                    Assert.Fail($"{what}: update {u + 1}, value {k} (parameter {k % Parameters}, {(k < Parameters ? "θ" : $"state {k / Parameters - 1}")}): " +
                        $"{BitConverter.Int64BitsToDouble(expected[u][k]):R} vs {BitConverter.Int64BitsToDouble(actual[u][k]):R}");
                }
            }
        }
    }

    /// <summary>NaNs, ±0, ±∞, subnormals and extremes in every lane position give the same bits in every width.</summary>
    [Theory]
    [MemberData(nameof(WidthCaseNames))]
    public void Special_values_give_the_same_bits_in_every_width(string name)
    {
        double[] special =
        [
            double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon,
            double.MaxValue, double.MinValue, 1.0, -1.0, 2.2250738585072014E-308, 0.5, -3.0, 1e-200, -1e200, 7.0,
        ];
        var run = WidthCases[name];
        var theta0 = Enumerable.Range(0, Parameters).Select(i => i % 3 == 0 ? 1.0 + i : special[(i * 5) % special.Length]).ToArray();
        var gradients = Enumerable.Range(0, Updates).Select(u => Enumerable.Range(0, Parameters).Select(i => special[(u * 7 + i * 3) % special.Length]).ToArray()).ToArray();
        var mixed = run(Mixed, theta0, gradients);
        var scalar = run(AllScalar, theta0, gradients);
        var pairs = run(AllPairs, theta0, gradients);
        AssertSameBits(scalar, mixed, "mixed 256/128/scalar vs all-scalar");
        AssertSameBits(scalar, pairs, "all-Vector128 vs all-scalar");
    }

    // ---------------------------------------------------------------------------------------------
    // (2) First updates by hand, from the algorithm boxes.

    /// <summary>θ₀ − θ₁ as expected, to a relative 1e-12 of the step (the rule divides by 1 − β, not exactly β's complement).</summary>
    private static void AssertStep(double theta0, double expected, double actual)
    {
        double expectedStep = theta0 - expected;
        double actualStep = theta0 - actual;
        Assert.True(Math.Abs(expectedStep - actualStep) <= 1e-12 * Math.Abs(expectedStep),
            $"step {actualStep:R}, expected {expectedStep:R} (θ {actual:R}, expected {expected:R})");
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"{actual:R}, expected {expected:R}");

    [Fact]
    public void Sgd_first_updates()
    {
        double theta = 1.5, g = 0.8, b = 0;
        var plain = new SgdRule(0.1, 0, 0, false, 0);
        plain.Begin().Update(ref theta, ref g, ref b);
        AssertStep(1.5, 1.5 - 0.1 * 0.8, theta);

        theta = 1.5;
        var decayed = new SgdRule(0.1, 0, 0, false, 0.01);
        decayed.Begin().Update(ref theta, ref g, ref b);
        AssertStep(1.5, 1.5 - 0.1 * (0.8 + 0.01 * 1.5), theta);

        // Nesterov: b₁ = g, then g + μb = 1.9g.
        theta = 1.5;
        b = 123;
        var nesterov = new SgdRule(0.1, 0.9, 0, true, 0);
        nesterov.Begin().Update(ref theta, ref g, ref b);
        Assert.Equal(0.8, b);
        AssertStep(1.5, 1.5 - 0.1 * 1.9 * 0.8, theta);

        // Momentum with dampening: b₁ = g, b₂ = μb₁ + (1−τ)g₂.
        theta = 1.5;
        b = 0;
        var momentum = new SgdRule(0.1, 0.9, 0.1, false, 0);
        momentum.Begin().Update(ref theta, ref g, ref b);
        AssertStep(1.5, 1.5 - 0.1 * 0.8, theta);
        double g2 = -0.3, theta1 = theta;
        momentum.Begin().Update(ref theta, ref g2, ref b);
        AssertClose(0.9 * 0.8 + 0.9 * -0.3, b);
        AssertStep(theta1, theta1 - 0.1 * (0.9 * 0.8 + 0.9 * -0.3), theta);
    }

    [Fact]
    public void Adam_first_update_is_eta_g_over_abs_g_plus_epsilon()
    {
        foreach (bool amsGrad in new[] { false, true })
        {
            double theta = 1.5, g = 0.8, m = 0, v = 0, vMax = 0;
            var rule = Adam(amsGrad: amsGrad);
            rule.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);
            AssertStep(1.5, 1.5 - 0.001 * 0.8 / (0.8 + 1e-8), theta);
            AssertClose(0.1 * 0.8, m);
            AssertClose(0.001 * 0.64, v);
            Assert.Equal(amsGrad ? v : 0, vMax);
        }

        // Coupled weight decay: g ← g + λθ.
        double th = 1.5, gg = 0.8, mm = 0, vv = 0, vm = 0;
        var decayed = new AdamRule(0.001, 0.9, 0.999, 1e-8, 0.1, false);
        decayed.Begin().Update(ref th, ref gg, ref mm, ref vv, ref vm);
        double gd = 0.8 + 0.1 * 1.5;
        AssertStep(1.5, 1.5 - 0.001 * gd / (gd + 1e-8), th);
    }

    [Fact]
    public void Adam_AmsGrad_keeps_the_running_maximum_of_v()
    {
        // g₁ = 1 then g₂ = 0: v₂ = β₂v₁ < v₁, so v̂₂ = v₁/(1−β₂²) with AmsGrad and v₂/(1−β₂²) without.
        foreach (bool amsGrad in new[] { false, true })
        {
            double theta = 0, m = 0, v = 0, vMax = 0, g1 = 1, g2 = 0;
            var rule = new AdamRule(0.1, 0.9, 0.5, 1e-8, 0, amsGrad);
            rule.Begin().Update(ref theta, ref g1, ref m, ref v, ref vMax);
            double theta1 = theta;
            rule.Begin().Update(ref theta, ref g2, ref m, ref v, ref vMax);
            double m2 = 0.9 * 0.1;
            double v1 = 0.5, v2 = 0.25;
            double second = amsGrad ? v1 : v2;
            AssertStep(theta1, theta1 - 0.1 * (m2 / (1 - 0.81)) / (Math.Sqrt(second / (1 - 0.25)) + 1e-8), theta);
        }
    }

    [Fact]
    public void AdamW_decays_theta_first_then_takes_an_Adam_step()
    {
        foreach (bool amsGrad in new[] { false, true })
        {
            double theta = 1.5, g = -0.8, m = 0, v = 0, vMax = 0;
            var rule = AdamW(amsGrad: amsGrad);
            rule.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);
            AssertStep(1.5, 1.5 - 0.001 * 0.01 * 1.5 - 0.001 * -0.8 / (0.8 + 1e-8), theta);
        }

        // λ = 0: exactly Adam.
        double th = 1.5, gg = -0.8, mm = 0, vv = 0, vm = 0;
        var undecayed = AdamW("WeightDecay", 0);
        undecayed.Begin().Update(ref th, ref gg, ref mm, ref vv, ref vm);
        AssertStep(1.5, 1.5 - 0.001 * -0.8 / (0.8 + 1e-8), th);
    }

    [Fact]
    public void Adamax_first_updates()
    {
        // u₁ = max(0, |g| + ε); θ₁ = θ − η (1−β₁)g / ((1−β₁) u₁).
        double theta = 1.5, g = -0.8, m = 0, u = 0;
        var rule = Adamax();
        rule.Begin().Update(ref theta, ref g, ref m, ref u);
        Assert.Equal(0.8 + 1e-8, u);
        AssertStep(1.5, 1.5 - 0.002 * -0.8 / (0.8 + 1e-8), theta);

        // u₂ = max(β₂u₁, |g₂| + ε) = β₂u₁ for a small g₂; m₂ = β₁m₁ + (1−β₁)g₂.
        double g2 = 0.1, theta1 = theta;
        rule.Begin().Update(ref theta, ref g2, ref m, ref u);
        double u2 = 0.999 * (0.8 + 1e-8);
        double m2 = 0.9 * (0.1 * -0.8) + 0.1 * 0.1;
        AssertClose(u2, u);
        AssertStep(theta1, theta1 - 0.002 * m2 / ((1 - 0.81) * u2), theta);
    }

    private static double Mu(double beta1, double t, double psi) => beta1 * (1 - 0.5 * Math.Pow(0.96, t * psi));

    [Fact]
    public void NAdam_first_update_follows_the_box()
    {
        double theta = 1.5, g = 0.8, m = 0, v = 0;
        var rule = NAdam();
        rule.Begin().Update(ref theta, ref g, ref m, ref v);
        double mu1 = Mu(0.9, 1, 0.004), mu2 = Mu(0.9, 2, 0.004);
        double m1 = 0.1 * 0.8;
        double mHat = mu2 * m1 / (1 - mu1 * mu2) + (1 - mu1) * 0.8 / (1 - mu1);
        double vHat = 0.001 * 0.64 / 0.001;
        AssertStep(1.5, 1.5 - 0.002 * mHat / (Math.Sqrt(vHat) + 1e-8), theta);
    }

    [Fact]
    public void NAdam_product_of_mu_keeps_the_mu_of_earlier_updates_when_Beta1_changes()
    {
        double theta = 1.5, g = 0.8, m = 0, v = 0;
        var rule = NAdam();
        rule.Begin().Update(ref theta, ref g, ref m, ref v);
        rule.Begin().Update(ref theta, ref g, ref m, ref v);
        rule.Beta1 = 0.8;
        rule.Beta2 = 0.99;
        double theta2 = theta;
        rule.Begin().Update(ref theta, ref g, ref m, ref v);

        double psi = 0.004;
        double product2 = Mu(0.9, 1, psi) * Mu(0.9, 2, psi);
        double mu3 = Mu(0.8, 3, psi), mu4 = Mu(0.8, 4, psi);
        double product3 = product2 * mu3;
        double m1 = 0.1 * g, m2 = 0.9 * m1 + 0.1 * g, m3 = 0.8 * m2 + 0.2 * g;
        double v1 = 0.001 * g * g, v2 = 0.999 * v1 + 0.001 * g * g, v3 = 0.99 * v2 + 0.01 * g * g;
        double mHat = mu4 * m3 / (1 - product3 * mu4) + (1 - mu3) * g / (1 - product3);
        double vHat = v3 / (1 - Math.Pow(0.99, 3));
        AssertStep(theta2, theta2 - 0.002 * mHat / (Math.Sqrt(vHat) + 1e-8), theta);
    }

    private static double RhoInfinity(double beta2) => 2 / (1 - beta2) - 1;

    private static double Rho(double beta2, int t) => RhoInfinity(beta2) - 2 * t * Math.Pow(beta2, t) / (1 - Math.Pow(beta2, t));

    [Fact]
    public void RAdam_is_unadapted_while_rho_is_at_most_5_then_rectified()
    {
        // A constant gradient g: m_t = (1−β₁ᵗ)g so m̂ = g; v_t = (1−β₂ᵗ)g².
        const double g0 = 0.8, eta = 0.001, beta2 = 0.999;
        double theta = 1.5, g = g0, m = 0, v = 0;
        var rule = RAdam();
        double beta2Power = 1;
        for (int t = 1; t <= 8; t++)
        {
            double before = theta;
            var step = rule.Begin();
            step.Update(ref theta, ref g, ref m, ref v);
            beta2Power *= beta2;
            double rho = RhoInfinity(beta2) - 2 * t * beta2Power / (1 - beta2Power);
            Assert.Equal(rho > 5, step.Rectified);
            double expected;
            if (rho > 5)
            {
                double rhoInf = RhoInfinity(beta2);
                double r = Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                double vt = (1 - beta2Power) * g0 * g0;
                double l = Math.Sqrt(1 - beta2Power) / (Math.Sqrt(vt) + 1e-8);
                expected = before - eta * g0 * r * l;
            }
            else
            {
                expected = before - eta * g0;
            }

            AssertStep(before, expected, theta);
        }

        Assert.False(Rho(beta2, 5) > 5);
        Assert.True(Rho(beta2, 6) > 5);
    }

    [Fact]
    public void RAdam_Beta2_set_mid_run_recomputes_rho_at_the_current_t()
    {
        // β₂ = 0.5 gives ρ∞ = 3, so ρₜ < 5: the update after the change is un-adapted, θ − η m̂ with m̂ = g.
        double theta = 1.5, g = 0.8, m = 0, v = 0;
        var rule = RAdam();
        for (int t = 1; t <= 7; t++)
        {
            rule.Begin().Update(ref theta, ref g, ref m, ref v);
        }

        rule.Beta2 = 0.5;
        double before = theta;
        var step = rule.Begin();
        Assert.False(step.Rectified);
        step.Update(ref theta, ref g, ref m, ref v);
        AssertStep(before, before - 0.001 * 0.8, theta);
    }

    [Fact]
    public void RmsProp_first_updates()
    {
        const double alpha = 0.99, g0 = 0.8;
        double theta = 1.5, g = g0, sq = 0, b = 0, avg = 0;
        RmsProp().Begin().Update(ref theta, ref g, ref sq, ref b, ref avg);
        AssertStep(1.5, 1.5 - 0.01 * g0 / (Math.Sqrt(1 - alpha) * g0 + 1e-8), theta);
        Assert.Equal(0, b);
        Assert.Equal(0, avg);

        // Centered: ṽ = (1−α)g² − ((1−α)g)² = α(1−α)g².
        theta = 1.5;
        sq = 0;
        RmsProp(centered: true).Begin().Update(ref theta, ref g, ref sq, ref b, ref avg);
        AssertClose((1 - alpha) * g0, avg);
        AssertStep(1.5, 1.5 - 0.01 * g0 / (Math.Sqrt(alpha * (1 - alpha)) * g0 + 1e-8), theta);

        // Momentum: b₁ = g/(√v₁ + ε); b₂ = μb₁ + g/(√v₂ + ε) with v₂ = (1−α²)g² for a constant g.
        theta = 1.5;
        sq = 0;
        avg = 0;
        var momentum = RmsProp("Momentum", 0.9);
        momentum.Begin().Update(ref theta, ref g, ref sq, ref b, ref avg);
        double b1 = g0 / (Math.Sqrt(1 - alpha) * g0 + 1e-8);
        AssertClose(b1, b);
        AssertStep(1.5, 1.5 - 0.01 * b1, theta);
        double theta1 = theta;
        momentum.Begin().Update(ref theta, ref g, ref sq, ref b, ref avg);
        double b2 = 0.9 * b1 + g0 / (Math.Sqrt(1 - alpha * alpha) * g0 + 1e-8);
        AssertStep(theta1, theta1 - 0.01 * b2, theta);
        Assert.Equal(0, avg);

        // Coupled weight decay.
        theta = 1.5;
        sq = 0;
        b = 0;
        RmsProp("WeightDecay", 0.1).Begin().Update(ref theta, ref g, ref sq, ref b, ref avg);
        double gd = g0 + 0.1 * 1.5;
        AssertStep(1.5, 1.5 - 0.01 * gd / (Math.Sqrt(1 - alpha) * gd + 1e-8), theta);
    }

    [Fact]
    public void AdaGrad_first_updates_and_learning_rate_decay()
    {
        var rule = new AdaGradRule(0.1, 0.5, 0.1, 1e-10, 0);
        Assert.Equal(0.1, rule.InitialAccumulatorValue);
        double theta = 1.5, g = 0.8, s = rule.InitialAccumulatorValue;
        rule.Begin().Update(ref theta, ref g, ref s);
        AssertClose(0.1 + 0.64, s);
        AssertStep(1.5, 1.5 - 0.1 * 0.8 / (Math.Sqrt(0.74) + 1e-10), theta);

        // t = 2: η̃ = η/(1 + δ).
        double g2 = -0.3, theta1 = theta;
        rule.Begin().Update(ref theta, ref g2, ref s);
        AssertStep(theta1, theta1 - 0.1 / 1.5 * -0.3 / (Math.Sqrt(0.74 + 0.09) + 1e-10), theta);

        // δ set before t = 3: η̃ = η/(1 + 2δ') with the new δ'.
        rule.LearningRateDecay = 2;
        double theta2 = theta;
        rule.Begin().Update(ref theta, ref g2, ref s);
        AssertStep(theta2, theta2 - 0.1 / 5 * -0.3 / (Math.Sqrt(0.74 + 0.18) + 1e-10), theta);
        Assert.Equal(0.1, rule.InitialAccumulatorValue);
        Assert.Equal(3, rule.Iteration);
    }

    [Fact]
    public void AdaDelta_first_update()
    {
        const double g0 = 0.8;
        double theta = 1.5, g = g0, sq = 0, acc = 0;
        AdaDelta().Begin().Update(ref theta, ref g, ref sq, ref acc);
        double v1 = 0.1 * g0 * g0;
        double delta = Math.Sqrt(0 + 1e-6) / Math.Sqrt(v1 + 1e-6) * g0;
        AssertClose(v1, sq);
        AssertClose(0.1 * delta * delta, acc);
        AssertStep(1.5, 1.5 - 1.0 * delta, theta);

        // η and λ: θ − η Δ with g + λθ.
        theta = 1.5;
        sq = 0;
        acc = 0;
        new AdaDeltaRule(0.5, 0.9, 1e-6, 0.1).Begin().Update(ref theta, ref g, ref sq, ref acc);
        double gd = g0 + 0.1 * 1.5;
        double deltaD = Math.Sqrt(1e-6) / Math.Sqrt(0.1 * gd * gd + 1e-6) * gd;
        AssertStep(1.5, 1.5 - 0.5 * deltaD, theta);
    }

    [Fact]
    public void Rprop_grows_shrinks_and_clamps_step_sizes_as_torch()
    {
        var rule = Rprop();
        double theta = 1.5, prev = 0, size = rule.LearningRate;

        // t = 1: g·prev = 0, the step size stays η; θ − sign(g)η.
        double g = 0.8;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.01, size);
        Assert.Equal(1.5 - 0.01, theta);
        Assert.Equal(0.8, prev);

        // Same sign: s·η₊.
        g = 0.5;
        double before = theta;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.01 * 1.2, size);
        Assert.Equal(before - 0.01 * 1.2, theta);

        // Sign change: s·η₋, g := 0 so θ stays and prev = 0.
        g = -0.3;
        before = theta;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.01 * 1.2 * 0.5, size);
        Assert.Equal(before, theta);
        Assert.Equal(0.0, prev);

        // After it: g·prev = 0, the step is unchanged and used.
        before = theta;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.01 * 1.2 * 0.5, size);
        Assert.Equal(before + 0.01 * 1.2 * 0.5, theta);
        Assert.Equal(-0.3, prev);

        // A zero gradient moves nothing: sign(±0) = 0.
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            g = zero;
            before = theta;
            rule.Begin().Update(ref theta, ref g, ref prev, ref size);
            Assert.Equal(BitConverter.DoubleToInt64Bits(before), BitConverter.DoubleToInt64Bits(theta));
        }

        // Clamped into [MinStep, MaxStep] at every update, also the first.
        var clamped = new RpropRule(0.01, 0.5, 1.2, 0.008, 0.011);
        theta = 0;
        prev = 0;
        size = 0.05;
        g = 1;
        clamped.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.011, size);
        Assert.Equal(-0.011, theta);
        clamped.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.011, size);
        g = -1;
        clamped.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.008, size);
        Assert.Equal(-0.022, theta);
    }

    [Fact]
    public void Rprop_MinStep_and_MaxStep_setters_take_effect_at_the_next_update()
    {
        var rule = Rprop();
        double theta = 0, prev = 0, size = 0.01, g = 1;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        rule.MaxStep = 0.011;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.011, size);
        rule.MinStep = 0.011;
        g = -1;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.011, size);
        Assert.Equal(0.011, rule.MinStep);
        Assert.Equal(0.011, rule.MaxStep);

        // LearningRate is only the generated optimizer's initial step size: the update ignores it
        // (after the sign change prev = 0, so this step keeps s = 0.011).
        rule.LearningRate = 5;
        Assert.Equal(5, rule.LearningRate);
        double before = theta;
        g = -1;
        rule.Begin().Update(ref theta, ref g, ref prev, ref size);
        Assert.Equal(0.011, size);
        Assert.Equal(before + 0.011, theta);
    }

    [Fact]
    public void Lion_first_updates_and_sign_of_zero()
    {
        // c = (1−β₁)g; θ − η sign(c); m = (1−β₂)g.
        double theta = 1.5, g = 0.8, m = 0;
        Lion().Begin().Update(ref theta, ref g, ref m);
        Assert.Equal(1.5 - 1e-4, theta);
        AssertClose(0.01 * 0.8, m);

        theta = 1.5;
        g = -0.8;
        m = 0;
        new LionRule(0.01, 0.9, 0.99, 0.1).Begin().Update(ref theta, ref g, ref m);
        AssertStep(1.5, 1.5 - 0.01 * (-1 + 0.1 * 1.5), theta);

        // The momentum outweighs the gradient: c = β₁m + (1−β₁)g with m = 1, g = −2 is positive.
        theta = 0;
        g = -2;
        m = 1;
        Lion().Begin().Update(ref theta, ref g, ref m);
        Assert.Equal(-1e-4, theta);
        AssertClose(0.99 - 0.02, m);

        // sign(0) = 0: a zero gradient and momentum moves nothing, whatever the sign of the zeros.
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            theta = -0.0;
            g = zero;
            m = zero;
            Lion().Begin().Update(ref theta, ref g, ref m);
            Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(theta));
        }

        // A NaN gradient gives NaN rather than Math.Sign's exception.
        theta = 1;
        g = double.NaN;
        m = 0;
        Lion().Begin().Update(ref theta, ref g, ref m);
        Assert.True(double.IsNaN(theta));
    }

    /// <summary>
    /// A scheduled rate of 0 is accepted and the update moves nothing (Rprop's step sizes do not use η):
    /// θ − 0·x equals θ, though IEEE turns θ = −0 into +0 where 0·x is −0, so values are compared, not bits.
    /// </summary>
    [Fact]
    public void A_scheduled_rate_of_zero_counts_the_update_and_moves_nothing()
    {
        var theta0 = InitialTheta().Select(x => x == 1e100 ? 3.0 : x).ToArray();
        var gradients = RandomGradients(5).Take(1).ToArray();
        void Still<TRule, TStep>(Kind<TRule, TStep> kind, TRule rule, Action<TRule> schedule, Func<TRule, long> iteration, string name)
        {
            schedule(rule);
            var trace = Run(kind, ref rule, Mixed, theta0, gradients, 1);
            Assert.Equal(1, iteration(rule));
            for (int i = 0; i < Parameters; i++)
            {
                Assert.True(theta0[i] == BitConverter.Int64BitsToDouble(trace[0][i]), $"{name}: parameter {i} moved");
            }
        }

        // The schedule is applied to the copy Run advances: pass it through a box.
        Still(SgdKind, WithRate(new SgdRule(0.1, 0.9, 0, true, 0.1), (ref SgdRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "Sgd");
        Still(AdamKind, WithRate(Adam("WeightDecay", 0.1), (ref AdamRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "Adam");
        Still(AdamWKind, WithRate(AdamW(amsGrad: true), (ref AdamRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "AdamW");
        Still(AdamaxKind, WithRate(Adamax(), (ref AdamaxRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "Adamax");
        Still(NAdamKind, WithRate(NAdam(), (ref NAdamRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "NAdam");
        Still(RAdamKind, WithRate(RAdam(), (ref RAdamRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "RAdam");
        Still(RmsPropKind, WithRate(RmsProp("Momentum", 0.5, centered: true), (ref RmsPropRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "RmsProp");
        Still(AdaGradKind, WithRate(AdaGrad(), (ref AdaGradRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "AdaGrad");
        Still(AdaDeltaKind, WithRate(AdaDelta(), (ref AdaDeltaRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "AdaDelta");
        Still(LionKind, WithRate(new LionRule(0.1, 0.9, 0.99, 0.5), (ref LionRule r) => r.ScheduleLearningRate(0)), _ => { }, r => r.Iteration, "Lion");
    }

    private delegate void Mutation<TRule>(ref TRule rule);

    private static TRule WithRate<TRule>(TRule rule, Mutation<TRule> mutate)
    {
        mutate(ref rule);
        return rule;
    }

    // ---------------------------------------------------------------------------------------------
    // (4) Setters that recompute scalar state.

    [Fact]
    public void Adam_Beta_setters_recompute_the_powers_at_the_current_t()
    {
        const double g0 = 0.8;
        double theta = 1.5, g = g0, m = 0, v = 0, vMax = 0;
        var rule = Adam();
        for (int t = 0; t < 3; t++)
        {
            rule.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);
        }

        rule.Beta1 = 0.5;
        rule.Beta2 = 0.9;
        Assert.Equal(3, rule.Iteration);
        double before = theta;
        rule.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);

        double m3 = (1 - Math.Pow(0.9, 3)) * g0, v3 = (1 - Math.Pow(0.999, 3)) * g0 * g0;
        double m4 = 0.5 * m3 + 0.5 * g0, v4 = 0.9 * v3 + 0.1 * g0 * g0;
        double mHat = m4 / (1 - Math.Pow(0.5, 4)), vHat = v4 / (1 - Math.Pow(0.9, 4));
        AssertStep(before, before - 0.001 * mHat / (Math.Sqrt(vHat) + 1e-8), theta);
    }

    [Fact]
    public void AdamW_and_Adamax_Beta1_setters_recompute_the_power_at_the_current_t()
    {
        const double g0 = 0.8;
        double theta = 1.5, g = g0, m = 0, v = 0, vMax = 0;
        var adamW = AdamW("WeightDecay", 0);
        adamW.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);
        adamW.Beta1 = 0.5;
        double before = theta;
        adamW.Begin().Update(ref theta, ref g, ref m, ref v, ref vMax);
        double m2 = 0.5 * (0.1 * g0) + 0.5 * g0;
        double v2 = 0.999 * 0.001 * g0 * g0 + 0.001 * g0 * g0;
        AssertStep(before, before - 0.001 * (m2 / (1 - 0.25)) / (Math.Sqrt(v2 / (1 - 0.999 * 0.999)) + 1e-8), theta);

        theta = 1.5;
        double mx = 0, u = 0;
        var adamax = Adamax();
        adamax.Begin().Update(ref theta, ref g, ref mx, ref u);
        adamax.Beta1 = 0.5;
        adamax.Beta2 = 0.5;
        before = theta;
        adamax.Begin().Update(ref theta, ref g, ref mx, ref u);
        double u2 = Math.Max(0.5 * (g0 + 1e-8), g0 + 1e-8);
        AssertStep(before, before - 0.002 * m2 / ((1 - 0.25) * u2), theta);
    }

    [Fact]
    public void Iteration_counts_the_updates_begun()
    {
        var adam = Adam();
        var lion = Lion();
        var rprop = Rprop();
        var adaGrad = AdaGrad();
        Assert.Equal(0, adam.Iteration);
        for (int t = 1; t <= 4; t++)
        {
            adam.Begin();
            lion.Begin();
            rprop.Begin();
            adaGrad.Begin();
            Assert.Equal(t, adam.Iteration);
            Assert.Equal(t, lion.Iteration);
            Assert.Equal(t, rprop.Iteration);
            Assert.Equal(t, adaGrad.Iteration);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (3) Refusals.

    private static readonly double[] NotPositiveFinite = [0, -0.0, -1e-300, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
    private static readonly double[] NotNonNegativeFinite = [-1e-300, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
    private static readonly double[] NotZeroToOne = [-1e-300, -0.5, 1, 1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
    private static readonly double[] NotOpenZeroToOne = [0, -0.0, -0.5, 1, 1.5, double.NaN, double.PositiveInfinity];
    private static readonly double[] NotAboveOneFinite = [1, 0.5, 0, -2, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    /// <summary>
    /// Each bad value: the constructor throws naming the property; the setter on a rule three updates in
    /// throws naming it, and the rule is unchanged (every field, and the bits of five further updates).
    /// </summary>
    private static void CheckRefusals<TRule, TStep>(
        Kind<TRule, TStep> kind,
        Func<string?, double, TRule> make,
        NamedSetter<TRule> set,
        params (string Name, double[] Bad, bool Settable)[] hypers)
        where TRule : struct
    {
        var theta0 = InitialTheta();
        var gradients = RandomGradients(99).Take(8).ToArray();
        var advanced = make(null, 0);
        Run(kind, ref advanced, Mixed, theta0, gradients, 3);
        var probe = gradients.Skip(3).ToArray();

        foreach (var (name, bad, settable) in hypers)
        {
            foreach (double value in bad)
            {
                var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => make(name, value));
                Assert.True(name == thrown.ParamName, $"constructor with {name} = {value}: ParamName {thrown.ParamName}");
                if (!settable)
                {
                    continue;
                }

                var box = new[] { advanced };
                var refused = Assert.Throws<ArgumentOutOfRangeException>(() => set(ref box[0], name, value));
                Assert.True(name == refused.ParamName, $"setter {name} = {value}: ParamName {refused.ParamName}");
                Assert.True(advanced.Equals(box[0]), $"setter {name} = {value} changed the rule");
                var expected = advanced;
                AssertSameBits(Run(kind, ref expected, Mixed, theta0, probe, probe.Length), Run(kind, ref box[0], Mixed, theta0, probe, probe.Length), $"after refusing {name} = {value}");
            }

            if (settable)
            {
                // A good value is taken (the setter is wired to this property).
                var box = new[] { advanced };
                set(ref box[0], name, 0.75 * (name is "EtaPlus" ? 2 : 1));
                Assert.False(advanced.Equals(box[0]), $"setter {name} ignored a valid value");
            }
        }
    }

    [Fact]
    public void Sgd_refusals()
    {
        CheckRefusals(SgdKind, (n, x) => Sgd(n, x), (ref SgdRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Momentum": r.Momentum = x; break;
                case "Dampening": r.Dampening = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Momentum", NotZeroToOne, true), ("Dampening", NotZeroToOne, true), ("WeightDecay", NotNonNegativeFinite, true));

        // Nesterov needs μ > 0 and τ = 0, in the constructor (reported at Nesterov) and in the setters.
        Assert.Equal("Nesterov", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRule(0.01, 0, 0, true, 0)).ParamName);
        Assert.Equal("Nesterov", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRule(0.01, 0.9, 0.1, true, 0)).ParamName);
        var nesterov = Sgd(nesterov: true);
        var box = new[] { nesterov };
        Assert.Equal("Momentum", Assert.Throws<ArgumentOutOfRangeException>(() => box[0].Momentum = 0).ParamName);
        Assert.Equal("Dampening", Assert.Throws<ArgumentOutOfRangeException>(() => box[0].Dampening = 0.1).ParamName);
        Assert.True(nesterov.Equals(box[0]));
        Assert.Equal(0.9, box[0].Momentum);
    }

    [Fact]
    public void Adam_refusals()
    {
        CheckRefusals(AdamKind, (n, x) => Adam(n, x, amsGrad: true), (ref AdamRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void AdamW_refusals()
    {
        CheckRefusals(AdamWKind, (n, x) => AdamW(n, x, amsGrad: true), (ref AdamRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void Adamax_refusals()
    {
        CheckRefusals(AdamaxKind, Adamax, (ref AdamaxRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void NAdam_refusals()
    {
        CheckRefusals(NAdamKind, NAdam, (ref NAdamRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                case "MomentumDecay": r.MomentumDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true),
        ("WeightDecay", NotNonNegativeFinite, true), ("MomentumDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void RAdam_refusals()
    {
        CheckRefusals(RAdamKind, RAdam, (ref RAdamRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void RmsProp_refusals()
    {
        CheckRefusals(RmsPropKind, (n, x) => RmsProp(n, x, centered: true), (ref RmsPropRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Alpha": r.Alpha = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "Momentum": r.Momentum = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Alpha", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("Momentum", NotZeroToOne, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void AdaGrad_refusals()
    {
        CheckRefusals(AdaGradKind, AdaGrad, (ref AdaGradRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "LearningRateDecay": r.LearningRateDecay = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("LearningRateDecay", NotNonNegativeFinite, true),
        ("InitialAccumulatorValue", NotNonNegativeFinite, false), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void AdaDelta_refusals()
    {
        CheckRefusals(AdaDeltaKind, AdaDelta, (ref AdaDeltaRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Rho": r.Rho = x; break;
                case "Epsilon": r.Epsilon = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Rho", NotZeroToOne, true), ("Epsilon", NotPositiveFinite, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void Rprop_refusals()
    {
        CheckRefusals(RpropKind, Rprop, (ref RpropRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "EtaMinus": r.EtaMinus = x; break;
                case "EtaPlus": r.EtaPlus = x; break;
                case "MinStep": r.MinStep = x; break;
                case "MaxStep": r.MaxStep = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("EtaMinus", NotOpenZeroToOne, true), ("EtaPlus", NotAboveOneFinite, true),
        ("MinStep", [.. NotPositiveFinite, 60], true), ("MaxStep", NotPositiveFinite, true));
    }

    [Fact]
    public void Rprop_keeps_MinStep_at_most_MaxStep()
    {
        // The constructor reports the pair at MinStep.
        Assert.Equal("MinStep", Assert.Throws<ArgumentOutOfRangeException>(() => new RpropRule(0.01, 0.5, 1.2, 2, 1)).ParamName);
        _ = new RpropRule(0.01, 0.5, 1.2, 1, 1);

        var rule = new RpropRule(0.01, 0.5, 1.2, 0.1, 1);
        var box = new[] { rule };
        Assert.Equal("MinStep", Assert.Throws<ArgumentOutOfRangeException>(() => box[0].MinStep = 1.5).ParamName);
        Assert.Equal("MaxStep", Assert.Throws<ArgumentOutOfRangeException>(() => box[0].MaxStep = 0.05).ParamName);
        Assert.True(rule.Equals(box[0]));
        Assert.Equal(0.1, box[0].MinStep);
        Assert.Equal(1, box[0].MaxStep);

        // Equal bounds are allowed, from either side.
        box[0].MinStep = 1;
        box[0].MaxStep = 1;
        Assert.Equal(1, box[0].MinStep);
        box[0].MaxStep = 3;
        box[0].MinStep = 3;
        Assert.Equal(3, box[0].MaxStep);
        Assert.Equal(3, box[0].MinStep);
    }

    [Fact]
    public void Lion_refusals()
    {
        CheckRefusals(LionKind, Lion, (ref LionRule r, string n, double x) =>
        {
            switch (n)
            {
                case "LearningRate": r.LearningRate = x; break;
                case "Beta1": r.Beta1 = x; break;
                case "Beta2": r.Beta2 = x; break;
                case "WeightDecay": r.WeightDecay = x; break;
                default: throw new ArgumentException(n);
            }
        },
        ("LearningRate", NotPositiveFinite, true), ("Beta1", NotZeroToOne, true), ("Beta2", NotZeroToOne, true), ("WeightDecay", NotNonNegativeFinite, true));
    }

    [Fact]
    public void Flags_and_the_initial_accumulator_are_get_only_constructor_values()
    {
        Assert.True(Adam(amsGrad: true).AmsGrad);
        Assert.False(AdamW().AmsGrad);
        Assert.True(AdamW(amsGrad: true).AmsGrad);
        Assert.True(RmsProp(centered: true).Centered);
        Assert.True(Sgd(nesterov: true).Nesterov);
        Assert.Equal(0.25, AdaGrad("InitialAccumulatorValue", 0.25).InitialAccumulatorValue);
        foreach (var (type, name) in new[] { (typeof(AdamRule), "AmsGrad"), (typeof(AdamRule), "DecoupledWeightDecay"), (typeof(RmsPropRule), "Centered"), (typeof(SgdRule), "Nesterov"), (typeof(AdaGradRule), "InitialAccumulatorValue") })
        {
            Assert.Null(type.GetProperty(name)!.SetMethod);
        }
    }
}
