using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Rules;
using Xunit;

namespace OptimDsl.Tests.Rules;

/// <summary>
/// README, Float objectives: the float entry points of the update rules. For every rule and option, a trajectory of
/// float updates equals, bit for bit, a float reference written below from the torch.optim algorithm box (float
/// arithmetic, the box's order, each coefficient computed in double from the double hyperparameters as torch's
/// Python floats are and rounded to float once); the scalar, Vector128 (four floats) and Vector256 (eight) entry
/// points give the same bits, also on NaNs, infinities, zeros and subnormals; and the float trajectory stays close
/// to the double rule's. (tests/OptimDsl.SimdCheck runs them with the intrinsics off.)
/// </summary>
public sealed class FloatRuleTests
{
    private const int Parameters = 13;
    private const int Updates = 8;

    /// <summary>One Update256 (eight floats), one Update128 (four), one scalar: what 13 float parameters unroll to.</summary>
    private static readonly int[] Mixed = [8, 4, 1];
    private static readonly int[] AllScalar = Enumerable.Repeat(1, Parameters).ToArray();
    private static readonly int[] AllQuads = [4, 4, 4, 1];

    private delegate TStep Beginner<TRule, TStep>(ref TRule rule);

    private delegate void FloatUpdater<TStep>(in TStep step, int width, ref float theta, ref float gradient, float[][] state, int i);

    private delegate void DoubleUpdater<TStep>(in TStep step, ref double theta, ref double gradient, double[][] state, int i);

    /// <summary>One update of the reference over every parameter: t (from 1), θ, g and the state vectors.</summary>
    internal delegate void Reference(long t, float[] theta, float[] gradient, float[][] state);

    private sealed class Kind<TRule, TSingleStep, TStep>(
        int states, Beginner<TRule, TSingleStep> begin, Beginner<TRule, TStep> beginDouble, FloatUpdater<TSingleStep> update, DoubleUpdater<TStep> updateDouble,
        Func<TRule, int, double>? initial = null)
    {
        public int States { get; } = states;

        public Beginner<TRule, TSingleStep> Begin { get; } = begin;

        public Beginner<TRule, TStep> BeginDouble { get; } = beginDouble;

        public FloatUpdater<TSingleStep> Update { get; } = update;

        public DoubleUpdater<TStep> UpdateDouble { get; } = updateDouble;

        public double Initial(TRule rule, int state) => initial?.Invoke(rule, state) ?? 0;
    }

    private static void CheckWidth(int width)
    {
        if (width is not (1 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(width));
        }
    }

    // The entry points of each rule by width (1: Update, 4: Update128, 8: Update256), over float and double state.

    private static readonly Kind<SgdRule, SgdRule.SingleStep, SgdRule.Step> SgdKind = new(1, (ref SgdRule r) => r.BeginSingle(), (ref SgdRule r) => r.Begin(),
        (in SgdRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        },
        (in SgdRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i]));

    private static readonly Kind<AdamRule, AdamRule.SingleStep, AdamRule.Step> AdamKind = new(3, (ref AdamRule r) => r.BeginSingle(), (ref AdamRule r) => r.Begin(),
        (in AdamRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
        },
        (in AdamRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]));

    private static readonly Kind<AdamaxRule, AdamaxRule.SingleStep, AdamaxRule.Step> AdamaxKind = new(2, (ref AdamaxRule r) => r.BeginSingle(), (ref AdamaxRule r) => r.Begin(),
        (in AdamaxRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (in AdamaxRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i]));

    private static readonly Kind<NAdamRule, NAdamRule.SingleStep, NAdamRule.Step> NAdamKind = new(2, (ref NAdamRule r) => r.BeginSingle(), (ref NAdamRule r) => r.Begin(),
        (in NAdamRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (in NAdamRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i]));

    private static readonly Kind<RAdamRule, RAdamRule.SingleStep, RAdamRule.Step> RAdamKind = new(2, (ref RAdamRule r) => r.BeginSingle(), (ref RAdamRule r) => r.Begin(),
        (in RAdamRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (in RAdamRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i]));

    private static readonly Kind<RmsPropRule, RmsPropRule.SingleStep, RmsPropRule.Step> RmsPropKind = new(3, (ref RmsPropRule r) => r.BeginSingle(), (ref RmsPropRule r) => r.Begin(),
        (in RmsPropRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);
        },
        (in RmsPropRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i], ref st[2][i]));

    private static readonly Kind<AdaGradRule, AdaGradRule.SingleStep, AdaGradRule.Step> AdaGradKind = new(1, (ref AdaGradRule r) => r.BeginSingle(), (ref AdaGradRule r) => r.Begin(),
        (in AdaGradRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        },
        (in AdaGradRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i]),
        (r, _) => r.InitialAccumulatorValue);

    private static readonly Kind<AdaDeltaRule, AdaDeltaRule.SingleStep, AdaDeltaRule.Step> AdaDeltaKind = new(2, (ref AdaDeltaRule r) => r.BeginSingle(), (ref AdaDeltaRule r) => r.Begin(),
        (in AdaDeltaRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (in AdaDeltaRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i]));

    private static readonly Kind<RpropRule, RpropRule.SingleStep, RpropRule.Step> RpropKind = new(2, (ref RpropRule r) => r.BeginSingle(), (ref RpropRule r) => r.Begin(),
        (in RpropRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i], ref st[1][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i], ref st[1][i]);
            else s.Update256(ref th, ref g, ref st[0][i], ref st[1][i]);
        },
        (in RpropRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i], ref st[1][i]),
        (r, state) => state == 1 ? r.LearningRate : 0);

    private static readonly Kind<LionRule, LionRule.SingleStep, LionRule.Step> LionKind = new(1, (ref LionRule r) => r.BeginSingle(), (ref LionRule r) => r.Begin(),
        (in LionRule.SingleStep s, int w, ref float th, ref float g, float[][] st, int i) =>
        {
            CheckWidth(w);
            if (w == 1) s.Update(ref th, ref g, ref st[0][i]);
            else if (w == 4) s.Update128(ref th, ref g, ref st[0][i]);
            else s.Update256(ref th, ref g, ref st[0][i]);
        },
        (in LionRule.Step s, ref double th, ref double g, double[][] st, int i) => s.Update(ref th, ref g, ref st[0][i]));

    // ---------------------------------------------------------------------------------------------
    // The references: torch's algorithm boxes in float. Hyperparameters are doubles (Python floats); every
    // coefficient is computed from them in double, as Python computes it, and rounded to float where it meets a
    // float32 tensor. β powers are running products in double (README, Optimizers). The order of the operations
    // is the box's, as the rule's remarks state it.

    private static float F(double x) => (float)x;

    internal static Reference SgdReference(double lr, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        bool started = false;
        return (t, theta, gradient, state) =>
        {
            bool first = momentum != 0 && !started;
            started |= momentum != 0;
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];                          // g ← g + λθ
                }

                if (momentum != 0)
                {
                    state[0][i] = first ? g : F(momentum) * state[0][i] + F(1 - dampening) * g; // b ← μb + (1−τ)g
                    g = nesterov ? g + F(momentum) * state[0][i] : state[0][i];
                }

                theta[i] = theta[i] - F(lr) * g;                                // θ ← θ − ηg
            }
        };
    }

    /// <summary>torch.optim.Adam / AdamW with torch's arrangement of the last line: s = η/(1−β₁ᵗ), c = 1/√(1−β₂ᵗ), θ ← θ − s·(m/(√v·c + ε)).</summary>
    internal static Reference AdamReference(double lr, double beta1, double beta2, double eps, double weightDecay, bool amsGrad, bool decoupled)
    {
        double beta1Power = 1, beta2Power = 1;
        return (t, theta, gradient, state) =>
        {
            beta1Power *= beta1;
            beta2Power *= beta2;
            float stepSize = F(lr / (1 - beta1Power));
            float inverseRoot = F(1 / Math.Sqrt(1 - beta2Power));
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i], th = theta[i];
                if (!decoupled && weightDecay != 0)
                {
                    g = g + F(weightDecay) * th;                                 // g ← g + λθ
                }

                if (decoupled && weightDecay != 0)
                {
                    th = th - F(lr * weightDecay) * th;                          // θ ← θ − ηλθ
                }

                float m = state[0][i] = F(beta1) * state[0][i] + F(1 - beta1) * g;
                float v = state[1][i] = F(beta2) * state[1][i] + F(1 - beta2) * (g * g);
                float second = v;
                if (amsGrad)
                {
                    second = state[2][i] = MathF.Max(state[2][i], v);           // v_max ← max(v_max, v)
                }

                theta[i] = th - stepSize * (m / (MathF.Sqrt(second) * inverseRoot + F(eps)));
            }
        };
    }

    internal static Reference AdamaxReference(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        double beta1Power = 1;
        return (t, theta, gradient, state) =>
        {
            beta1Power *= beta1;
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float m = state[0][i] = F(beta1) * state[0][i] + F(1 - beta1) * g;
                float u = state[1][i] = MathF.Max(F(beta2) * state[1][i], MathF.Abs(g) + F(eps)); // u ← max(β₂u, |g| + ε)
                theta[i] = theta[i] - F(lr) * m / (F(1 - beta1Power) * u);     // θ ← θ − η m / ((1−β₁ᵗ) u)
            }
        };
    }

    internal static Reference NAdamReference(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay)
    {
        double product = 1, beta2Power = 1;
        double Mu(long t) => beta1 * (1 - 0.5 * Math.Pow(0.96, t * momentumDecay)); // μₜ = β₁(1 − ½·0.96^(tψ))
        return (t, theta, gradient, state) =>
        {
            double mu = Mu(t), muNext = Mu(t + 1);
            product *= mu;
            beta2Power *= beta2;
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float m = state[0][i] = F(beta1) * state[0][i] + F(1 - beta1) * g;
                float v = state[1][i] = F(beta2) * state[1][i] + F(1 - beta2) * (g * g);
                // m̂ = μₜ₊₁m/(1 − Πμ·μₜ₊₁) + (1−μₜ)g/(1 − Πμ); v̂ = v/(1−β₂ᵗ)
                float mHat = F(muNext) * m / F(1 - product * muNext) + F(1 - mu) * g / F(1 - product);
                float vHat = v / F(1 - beta2Power);
                theta[i] = theta[i] - F(lr) * mHat / (MathF.Sqrt(vHat) + F(eps));
            }
        };
    }

    internal static Reference RAdamReference(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        double beta1Power = 1, beta2Power = 1;
        return (t, theta, gradient, state) =>
        {
            beta1Power *= beta1;
            beta2Power *= beta2;
            double rhoInfinity = 2 / (1 - beta2) - 1;
            double rho = rhoInfinity - 2 * t * beta2Power / (1 - beta2Power);
            double rectification = rho > 5 ? Math.Sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)) : 0;
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float m = state[0][i] = F(beta1) * state[0][i] + F(1 - beta1) * g;
                float v = state[1][i] = F(beta2) * state[1][i] + F(1 - beta2) * (g * g);
                float mHat = m / F(1 - beta1Power);
                if (rho > 5)
                {
                    float adaptive = F(Math.Sqrt(1 - beta2Power)) / (MathF.Sqrt(v) + F(eps)); // l = √(1−β₂ᵗ)/(√v + ε)
                    theta[i] = theta[i] - F(lr) * mHat * F(rectification) * adaptive;
                }
                else
                {
                    theta[i] = theta[i] - F(lr) * mHat;
                }
            }
        };
    }

    internal static Reference RmsPropReference(double lr, double alpha, double eps, double momentum, bool centered, double weightDecay) =>
        (t, theta, gradient, state) =>
        {
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float v = state[0][i] = F(alpha) * state[0][i] + F(1 - alpha) * (g * g); // v ← αv + (1−α)g²
                float vTilde = v;
                if (centered)
                {
                    float average = state[2][i] = F(alpha) * state[2][i] + F(1 - alpha) * g;
                    vTilde = vTilde - average * average;                                // ṽ = v − ḡ²
                }

                float denominator = MathF.Sqrt(vTilde) + F(eps);
                if (momentum > 0)
                {
                    float b = state[1][i] = F(momentum) * state[1][i] + g / denominator; // b ← μb + g/(√ṽ + ε)
                    theta[i] = theta[i] - F(lr) * b;
                }
                else
                {
                    theta[i] = theta[i] - F(lr) * g / denominator;
                }
            }
        };

    internal static Reference AdaGradReference(double lr, double lrDecay, double eps, double weightDecay) =>
        (t, theta, gradient, state) =>
        {
            float clr = F(lr / (1 + (t - 1) * lrDecay));                                   // η̃ = η/(1 + (t−1)η_decay)
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float s = state[0][i] = state[0][i] + g * g;
                theta[i] = theta[i] - clr * g / (MathF.Sqrt(s) + F(eps));
            }
        };

    internal static Reference AdaDeltaReference(double lr, double rho, double eps, double weightDecay) =>
        (t, theta, gradient, state) =>
        {
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                if (weightDecay != 0)
                {
                    g = g + F(weightDecay) * theta[i];
                }

                float v = state[0][i] = F(rho) * state[0][i] + F(1 - rho) * (g * g);
                float u = state[1][i];
                float delta = MathF.Sqrt(u + F(eps)) / MathF.Sqrt(v + F(eps)) * g;       // Δx = √(u + ε)/√(v + ε) · g
                state[1][i] = F(rho) * u + F(1 - rho) * (delta * delta);
                theta[i] = theta[i] - F(lr) * delta;
            }
        };

    internal static Reference RpropReference(double etaMinus, double etaPlus, double minStep, double maxStep) =>
        (t, theta, gradient, state) =>
        {
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i];
                float p = g * state[0][i];
                float factor = p > 0 ? F(etaPlus) : p < 0 ? F(etaMinus) : p == 0 ? 1f : p;
                float s = state[1][i] = MathF.Min(MathF.Max(state[1][i] * factor, F(minStep)), F(maxStep));
                g = p < 0 ? 0f : g;                                                       // a sign change forgets g
                theta[i] = theta[i] - (g > 0 ? 1f : g < 0 ? -1f : g == 0 ? 0f : g) * s;    // θ ← θ − sign(g)·s
                state[0][i] = g;
            }
        };

    internal static Reference LionReference(double lr, double beta1, double beta2, double weightDecay) =>
        (t, theta, gradient, state) =>
        {
            for (int i = 0; i < theta.Length; i++)
            {
                float g = gradient[i], th = theta[i], m = state[0][i];
                float c = F(beta1) * m + F(1 - beta1) * g;                               // c ← β₁m + (1−β₁)g
                float direction = c > 0 ? 1f : c < 0 ? -1f : c == 0 ? 0f : c;
                if (weightDecay != 0)
                {
                    direction = direction + F(weightDecay) * th;
                }

                theta[i] = th - F(lr) * direction;                                       // θ ← θ − η(sign(c) + λθ)
                state[0][i] = F(beta2) * m + F(1 - beta2) * g;                            // m ← β₂m + (1−β₂)g
            }
        };

    // ---------------------------------------------------------------------------------------------

    /// <summary>A float run of a rule and its reference, with the double rule on the same inputs.</summary>
    private sealed record Case(Func<int[], float[], float[][], List<int[]>> Run, Func<float[], float[][], List<int[]>> Reference, Func<float[], float[][], double[]> Double);

    private static Case Make<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, Func<TRule> rule, Func<Reference> reference) =>
        new((chunks, theta, gradients) => Run(kind, rule(), chunks, theta, gradients),
            (theta, gradients) => RunReference(kind, rule(), reference(), theta, gradients),
            (theta, gradients) => RunDouble(kind, rule(), theta, gradients));

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Sgd"] = Make(SgdKind, () => new SgdRule(0.05, 0, 0, false, 0), () => SgdReference(0.05, 0, 0, false, 0)),
        ["Sgd momentum, dampening, weight decay"] = Make(SgdKind, () => new SgdRule(0.05, 0.9, 0.1, false, 0.01), () => SgdReference(0.05, 0.9, 0.1, false, 0.01)),
        ["Sgd Nesterov, weight decay"] = Make(SgdKind, () => new SgdRule(0.05, 0.9, 0, true, 0.001), () => SgdReference(0.05, 0.9, 0, true, 0.001)),
        ["Adam"] = Make(AdamKind, () => new AdamRule(0.01, 0.9, 0.999, 1e-8, 0, false), () => AdamReference(0.01, 0.9, 0.999, 1e-8, 0, false, false)),
        ["Adam AmsGrad, weight decay"] = Make(AdamKind, () => new AdamRule(0.01, 0.8, 0.99, 1e-8, 0.01, true), () => AdamReference(0.01, 0.8, 0.99, 1e-8, 0.01, true, false)),
        ["AdamW"] = Make(AdamKind, () => new AdamRule(0.01, 0.9, 0.999, 1e-8, 0.1, false, decoupledWeightDecay: true), () => AdamReference(0.01, 0.9, 0.999, 1e-8, 0.1, false, true)),
        ["AdamW AmsGrad"] = Make(AdamKind, () => new AdamRule(0.01, 0.8, 0.99, 1e-6, 0.05, true, decoupledWeightDecay: true), () => AdamReference(0.01, 0.8, 0.99, 1e-6, 0.05, true, true)),
        ["Adamax"] = Make(AdamaxKind, () => new AdamaxRule(0.02, 0.9, 0.999, 1e-8, 0), () => AdamaxReference(0.02, 0.9, 0.999, 1e-8, 0)),
        ["Adamax weight decay"] = Make(AdamaxKind, () => new AdamaxRule(0.02, 0.8, 0.9, 1e-8, 0.01), () => AdamaxReference(0.02, 0.8, 0.9, 1e-8, 0.01)),
        ["NAdam"] = Make(NAdamKind, () => new NAdamRule(0.02, 0.9, 0.999, 1e-8, 0, 0.004), () => NAdamReference(0.02, 0.9, 0.999, 1e-8, 0, 0.004)),
        ["NAdam weight decay, momentum decay"] = Make(NAdamKind, () => new NAdamRule(0.02, 0.8, 0.99, 1e-8, 0.01, 0.1), () => NAdamReference(0.02, 0.8, 0.99, 1e-8, 0.01, 0.1)),
        // β₂ = 0.5: ρ∞ = 3, never rectified; β₂ = 0.9: rectified from t = 6 on, within the eight updates.
        ["RAdam un-adapted"] = Make(RAdamKind, () => new RAdamRule(0.01, 0.9, 0.5, 1e-8, 0), () => RAdamReference(0.01, 0.9, 0.5, 1e-8, 0)),
        ["RAdam rectified, weight decay"] = Make(RAdamKind, () => new RAdamRule(0.01, 0.8, 0.9, 1e-8, 0.01), () => RAdamReference(0.01, 0.8, 0.9, 1e-8, 0.01)),
        ["RmsProp"] = Make(RmsPropKind, () => new RmsPropRule(0.01, 0.99, 1e-8, 0, false, 0), () => RmsPropReference(0.01, 0.99, 1e-8, 0, false, 0)),
        ["RmsProp Centered"] = Make(RmsPropKind, () => new RmsPropRule(0.01, 0.9, 1e-8, 0, true, 0), () => RmsPropReference(0.01, 0.9, 1e-8, 0, true, 0)),
        ["RmsProp Centered, momentum, weight decay"] = Make(RmsPropKind, () => new RmsPropRule(0.01, 0.9, 1e-6, 0.9, true, 0.01), () => RmsPropReference(0.01, 0.9, 1e-6, 0.9, true, 0.01)),
        ["AdaGrad"] = Make(AdaGradKind, () => new AdaGradRule(0.1, 0, 0, 1e-10, 0), () => AdaGradReference(0.1, 0, 1e-10, 0)),
        ["AdaGrad decay, initial accumulator, weight decay"] = Make(AdaGradKind, () => new AdaGradRule(0.1, 0.01, 0.1, 1e-10, 0.01), () => AdaGradReference(0.1, 0.01, 1e-10, 0.01)),
        ["AdaDelta"] = Make(AdaDeltaKind, () => new AdaDeltaRule(1.0, 0.9, 1e-6, 0), () => AdaDeltaReference(1.0, 0.9, 1e-6, 0)),
        ["AdaDelta weight decay"] = Make(AdaDeltaKind, () => new AdaDeltaRule(0.5, 0.8, 1e-6, 0.01), () => AdaDeltaReference(0.5, 0.8, 1e-6, 0.01)),
        ["Rprop"] = Make(RpropKind, () => new RpropRule(0.01, 0.5, 1.2, 1e-6, 50), () => RpropReference(0.5, 1.2, 1e-6, 50)),
        ["Rprop tight clamp"] = Make(RpropKind, () => new RpropRule(0.01, 0.4, 1.5, 0.005, 0.02), () => RpropReference(0.4, 1.5, 0.005, 0.02)),
        ["Lion"] = Make(LionKind, () => new LionRule(0.01, 0.9, 0.99, 0), () => LionReference(0.01, 0.9, 0.99, 0)),
        ["Lion weight decay"] = Make(LionKind, () => new LionRule(0.01, 0.8, 0.95, 0.1), () => LionReference(0.01, 0.8, 0.95, 0.1)),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static float[][] InitialState<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, TRule rule) =>
        Enumerable.Range(0, kind.States).Select(s => Enumerable.Repeat((float)kind.Initial(rule, s), Parameters).ToArray()).ToArray();

    private static int[] Bits(float[] theta, float[][] state) =>
        theta.Concat(state.SelectMany(x => x)).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static List<int[]> Run<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, TRule rule, int[] chunks, float[] theta0, float[][] gradients)
    {
        Assert.Equal(theta0.Length, chunks.Sum());
        var theta = (float[])theta0.Clone();
        var state = InitialState(kind, rule);
        var trace = new List<int[]>();
        foreach (var gradient in gradients)
        {
            var step = kind.Begin(ref rule);
            var g = (float[])gradient.Clone();
            int i = 0;
            foreach (int w in chunks)
            {
                kind.Update(in step, w, ref theta[i], ref g[i], state, i);
                i += w;
            }

            trace.Add(Bits(theta, state));
        }

        return trace;
    }

    private static List<int[]> RunReference<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, TRule rule, Reference reference, float[] theta0, float[][] gradients)
    {
        var theta = (float[])theta0.Clone();
        var state = InitialState(kind, rule);
        var trace = new List<int[]>();
        for (int u = 0; u < gradients.Length; u++)
        {
            reference(u + 1, theta, gradients[u], state);
            trace.Add(Bits(theta, state));
        }

        return trace;
    }

    private static double[] RunDouble<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, TRule rule, float[] theta0, float[][] gradients)
    {
        var theta = theta0.Select(x => (double)x).ToArray();
        var state = Enumerable.Range(0, kind.States).Select(s => Enumerable.Repeat(kind.Initial(rule, s), Parameters).ToArray()).ToArray();
        foreach (var gradient in gradients)
        {
            var step = kind.BeginDouble(ref rule);
            var g = gradient.Select(x => (double)x).ToArray();
            for (int i = 0; i < Parameters; i++)
            {
                kind.UpdateDouble(in step, ref theta[i], ref g[i], state, i);
            }
        }

        return theta;
    }

    private static float[] InitialTheta()
    {
        var random = new Random(20261202);
        var theta = Enumerable.Range(0, Parameters).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        theta[5] = 0f;
        theta[10] = -0f;
        return theta;
    }

    /// <summary>Gradients with zeros, negative zeros and magnitudes from 1e-3 to 10, in every lane position.</summary>
    private static float[][] Gradients(int seed)
    {
        var random = new Random(seed);
        var scales = new[] { 1e-3, 0.1, 1.0, 10.0 };
        return Enumerable.Range(0, Updates).Select(_ => Enumerable.Range(0, Parameters).Select(_ =>
        {
            double r = random.NextDouble();
            return r switch
            {
                < 0.08 => 0f,
                < 0.14 => -0f,
                _ => (float)((random.NextDouble() * 2 - 1) * scales[random.Next(scales.Length)]),
            };
        }).ToArray()).ToArray();
    }

    private static void AssertSameBits(List<int[]> expected, List<int[]> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int u = 0; u < expected.Count; u++)
        {
            for (int k = 0; k < expected[u].Length; k++)
            {
                if (expected[u][k] != actual[u][k])
                {
                    Assert.Fail($"{what}: update {u + 1}, value {k} (parameter {k % Parameters}, {(k < Parameters ? "θ" : $"state {k / Parameters - 1}")}): " +
                        $"{BitConverter.Int32BitsToSingle(expected[u][k]):R} vs {BitConverter.Int32BitsToSingle(actual[u][k]):R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Float_updates_follow_the_float_reference_bit_for_bit_at_every_width(string name)
    {
        var run = Cases[name];
        var theta0 = InitialTheta();
        var gradients = Gradients(name.Length * 7919 + 3);
        var reference = run.Reference(theta0, gradients);
        AssertSameBits(reference, run.Run(AllScalar, theta0, gradients), "scalar vs reference");
        AssertSameBits(reference, run.Run(AllQuads, theta0, gradients), "Vector128 vs reference");
        AssertSameBits(reference, run.Run(Mixed, theta0, gradients), "Vector256/Vector128/scalar vs reference");

        // Not vacuous: every parameter moved (Lion's ±η steps may bring one back) and stayed finite, and the float trajectory is the double one to float
        // accuracy (a relative 1e-4 of the distance travelled, or 1e-6 absolute, after eight updates).
        var last = reference[^1].Take(Parameters).Select(BitConverter.Int32BitsToSingle).ToArray();
        var exact = run.Double(theta0, gradients);
        for (int i = 0; i < Parameters; i++)
        {
            Assert.True(float.IsFinite(last[i]), $"{name}: θ{i} = {last[i]}");
            Assert.True(reference.Any(update => update[i] != BitConverter.SingleToInt32Bits(theta0[i])), $"{name}: θ{i} never moved");
            double travelled = Math.Abs(exact[i] - theta0[i]);
            Assert.True(Math.Abs(last[i] - exact[i]) <= 1e-4 * travelled + 1e-6,
                $"{name}: θ{i} = {last[i]:R} in float, {exact[i]:R} in double (moved {travelled:R})");
        }
    }

    /// <summary>
    /// The float entry points compute in float: one update's θ differs, for some parameter, from the double update
    /// of the same inputs rounded to float (so the references above could tell the two apart).
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Float_updates_are_computed_in_float_not_rounded_from_double(string name)
    {
        var run = Cases[name];
        var theta0 = InitialTheta();
        var gradients = Gradients(name.Length * 31 + 5);
        bool differs = false;
        for (int updates = 1; updates <= Updates && !differs; updates++)
        {
            var prefix = gradients.Take(updates).ToArray();
            var single = run.Run(Mixed, theta0, prefix)[^1];
            var widened = run.Double(theta0, prefix);
            differs = Enumerable.Range(0, Parameters).Any(i => single[i] != BitConverter.SingleToInt32Bits((float)widened[i]));
        }

        Assert.True(differs, $"{name}: every float θ equals the double θ rounded to float");
    }

    /// <summary>NaNs, ±0, ±∞, subnormals and float's extremes in every lane position give the same bits at every width.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Special_values_give_the_same_bits_at_every_width(string name)
    {
        float[] special =
        [
            float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon,
            float.MaxValue, float.MinValue, 1f, -1f, 1.17549435E-38f, 0.5f, -3f, 1e-30f, -1e30f, 7f,
        ];
        var run = Cases[name];
        var theta0 = Enumerable.Range(0, Parameters).Select(i => i % 3 == 0 ? 1f + i : special[(i * 5) % special.Length]).ToArray();
        var gradients = Enumerable.Range(0, Updates * 2).Select(u => Enumerable.Range(0, Parameters).Select(i => special[(u * 7 + i * 3) % special.Length]).ToArray()).ToArray();
        var scalar = run.Run(AllScalar, theta0, gradients);
        AssertSameBits(scalar, run.Run(AllQuads, theta0, gradients), "all-Vector128 vs all-scalar");
        AssertSameBits(scalar, run.Run(Mixed, theta0, gradients), "Vector256/Vector128/scalar vs all-scalar");
    }

    [Fact]
    public void Float_coefficients_are_the_double_coefficients_rounded_once()
    {
        // Sgd with η = 0.1: θ₁ = θ₀ − (float)0.1 · g, each operation in float.
        float theta = 1f, g = 1f / 3, b = 0f;
        var rule = new SgdRule(0.1, 0, 0, false, 0);
        rule.BeginSingle().Update(ref theta, ref g, ref b);
        Assert.Equal(1f - 0.1f * (1f / 3), theta);

        // Adam's first update, s = η/(1−β₁) and c = 1/√(1−β₂) in double, rounded once: θ₁ = θ₀ − s·(m/(√v·c + ε)).
        float th = 1.5f, gr = 0.8f, m = 0, v = 0, vMax = 0;
        var adam = new AdamRule(0.001, 0.9, 0.999, 1e-8, 0, false);
        adam.BeginSingle().Update(ref th, ref gr, ref m, ref v, ref vMax);
        float mExpected = 0.9f * 0f + (float)(1 - 0.9) * 0.8f;
        float vExpected = 0.999f * 0f + (float)(1 - 0.999) * (0.8f * 0.8f);
        float denominator = MathF.Sqrt(vExpected) * (float)(1 / Math.Sqrt(1 - 0.999)) + (float)1e-8;
        Assert.Equal(mExpected, m);
        Assert.Equal(vExpected, v);
        Assert.Equal(1.5f - (float)(0.001 / (1 - 0.9)) * (mExpected / denominator), th);
    }

    /// <summary>
    /// BeginSingle advances the rule exactly as Begin does (t, β powers, NAdam's μ product, momentum start, AdaGrad's
    /// decay): after any mix of the two, the next double update has the bits of one after Begin alone.
    /// </summary>
    [Fact]
    public void BeginSingle_advances_the_rule_as_Begin_does()
    {
        static double NextUpdate<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, TRule rule, bool mixed)
        {
            for (int u = 0; u < 5; u++)
            {
                if (mixed && u % 2 == 0)
                {
                    kind.Begin(ref rule);
                }
                else
                {
                    kind.BeginDouble(ref rule);
                }
            }

            var step = kind.BeginDouble(ref rule);
            var state = Enumerable.Range(0, kind.States).Select(s => new[] { 0.25 + s }).ToArray();
            double theta = 1.5, g = -0.7;
            kind.UpdateDouble(in step, ref theta, ref g, state, 0);
            return theta;
        }

        void Same<TRule, TSingleStep, TStep>(Kind<TRule, TSingleStep, TStep> kind, Func<TRule> rule, string name) =>
            Assert.True(
                BitConverter.DoubleToInt64Bits(NextUpdate(kind, rule(), false)) == BitConverter.DoubleToInt64Bits(NextUpdate(kind, rule(), true)),
                $"{name}: the sixth update differs after BeginSingle");

        Same(SgdKind, () => new SgdRule(0.05, 0.9, 0.1, false, 0), "Sgd");
        Same(AdamKind, () => new AdamRule(0.01, 0.8, 0.99, 1e-8, 0, true), "Adam");
        Same(AdamaxKind, () => new AdamaxRule(0.02, 0.8, 0.9, 1e-8, 0), "Adamax");
        Same(NAdamKind, () => new NAdamRule(0.02, 0.8, 0.99, 1e-8, 0, 0.1), "NAdam");
        Same(RAdamKind, () => new RAdamRule(0.01, 0.8, 0.9, 1e-8, 0), "RAdam");
        Same(AdaGradKind, () => new AdaGradRule(0.1, 0.5, 0, 1e-10, 0), "AdaGrad");

        var counted = new LionRule(0.01, 0.9, 0.99, 0);
        counted.BeginSingle();
        counted.Begin();
        counted.BeginSingle();
        Assert.Equal(3, counted.Iteration);
    }
}
