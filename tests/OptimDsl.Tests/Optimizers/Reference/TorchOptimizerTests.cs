using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The reference optimizers (TorchOptimizers.cs) against first steps worked out by hand from the torch.optim
/// algorithm boxes (and Lion's Algorithm 2), plus a convergence sanity check on a convex quadratic, and the
/// reference minibatch order against README, Optimizers (Sgd).
/// </summary>
public sealed class TorchOptimizerTests
{
    // The expected values below are the box's arithmetic done by hand, written as the intermediate numbers
    // (m, v, m̂, …) that the hand derivation gives; only rounding separates them from the references.
    private const double Tight = 1e-12;

    private static double[] Run(IReferenceOptimizer optimizer, double[] theta0, params double[][] gradients)
    {
        var theta = (double[])theta0.Clone();
        foreach (var g in gradients)
        {
            optimizer.Step(theta, g);
        }

        return theta;
    }

    private static void Close(double expected, double actual, double tolerance = Tight)
        => Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R} (difference {actual - expected:R})");

    private static void Close(double[] expected, double[] actual, double tolerance = Tight)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], tolerance);
        }
    }

    // ---- SGD ([GradientDescent], [Sgd]) ----

    [Fact]
    public void Sgd_without_momentum_is_theta_minus_eta_g()
    {
        // θ ← θ − ηg: 1 − 0.1·2 = 0.8, −2 − 0.1·(−4) = −1.6; then 0.8 − 0.1·1 = 0.7, −1.6 − 0.1·0.5 = −1.65.
        var sgd = new ReferenceGradientDescent(learningRate: 0.1);
        Close([0.8, -1.6], Run(sgd, [1, -2], [2, -4]));
        Close([0.7, -1.65], Run(new ReferenceGradientDescent(learningRate: 0.1), [1, -2], [2, -4], [1, 0.5]));
        Assert.Equal(0.01, new ReferenceGradientDescent().LearningRate);
    }

    [Fact]
    public void Sgd_momentum_buffer_starts_at_g_then_accumulates_with_dampening()
    {
        // μ = 0.9, τ = 0.5, η = 0.1. t=1: b = g = 2 (no dampening at the first update), θ = 1 − 0.2 = 0.8.
        // t=2: b = 0.9·2 + 0.5·1 = 2.3, θ = 0.8 − 0.23 = 0.57.
        var sgd = new ReferenceGradientDescent(learningRate: 0.1, momentum: 0.9, dampening: 0.5);
        var theta = new[] { 1.0 };
        sgd.Step(theta, [2]);
        Close(0.8, theta[0]);
        sgd.Step(theta, [1]);
        Close(0.57, theta[0]);
    }

    [Fact]
    public void Sgd_nesterov_steps_along_g_plus_mu_b()
    {
        // μ = 0.9, η = 0.1. t=1: b = 2, g ← 2 + 0.9·2 = 3.8, θ = 1 − 0.38 = 0.62.
        // t=2: b = 0.9·2 + 1 = 2.8, g ← 1 + 0.9·2.8 = 3.52, θ = 0.62 − 0.352 = 0.268.
        var sgd = new ReferenceGradientDescent(learningRate: 0.1, momentum: 0.9, nesterov: true);
        Close([0.268], Run(sgd, [1], [2], [1]));
    }

    [Fact]
    public void Sgd_momentum_switched_on_mid_run_starts_its_buffer_at_that_update()
    {
        // t=1 with μ = 0: θ = 1 − 0.1·2 = 0.8. Then μ = 0.9: t=2 is the first update that uses momentum, so
        // b = g = 1 and θ = 0.7; t=3: b = 0.9·1 + 1 = 1.9, θ = 0.7 − 0.19 = 0.51.
        var sgd = new ReferenceGradientDescent(learningRate: 0.1);
        var theta = new[] { 1.0 };
        sgd.Step(theta, [2]);
        sgd.Momentum = 0.9;
        sgd.Step(theta, [1]);
        Close(0.7, theta[0]);
        sgd.Step(theta, [1]);
        Close(0.51, theta[0]);
    }

    [Fact]
    public void Sgd_weight_decay_is_coupled()
    {
        // g ← g + λθ = 3 + 0.5·2 = 4; θ = 2 − 0.1·4 = 1.6.
        Close([1.6], Run(new ReferenceGradientDescent(learningRate: 0.1, weightDecay: 0.5), [2], [3]));
    }

    // ---- Adam / AdamW ----

    [Fact]
    public void Adam_first_step_is_minus_eta_sign_g_up_to_epsilon()
    {
        // t=1: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g², so θ ← θ − η g/(|g| + ε).
        // θ = 0.5, g = 3: 0.5 − 0.1·3/(3 + 1e-8). θ = −1, g = −0.02: −1 + 0.1·0.02/(0.02 + 1e-8) (ε shows at 5e-8).
        var adam = new ReferenceAdam(learningRate: 0.1);
        var theta = Run(adam, [0.5, -1], [3, -0.02]);
        Close(0.5 - (0.1 * 3 / (3 + 1e-8)), theta[0]);
        Close(-1 + (0.1 * 0.02 / (0.02 + 1e-8)), theta[1]);
        Assert.True(theta[1] < -0.9 - 4e-8);   // the ε is in the denominator: the step is slightly short of η

        // t=2, g = 1: m = 0.9·0.3 + 0.1·1 = 0.37, v = 0.999·0.009 + 0.001·1 = 0.009991,
        // m̂ = 0.37/(1 − 0.81) = 0.37/0.19, v̂ = 0.009991/(1 − 0.998001) = 0.009991/0.001999.
        var second = theta[0];
        adam.Step(theta, [1, 0]);
        Close(second - (0.1 * (0.37 / 0.19) / (Math.Sqrt(0.009991 / 0.001999) + 1e-8)), theta[0]);
    }

    [Fact]
    public void Adam_defaults_are_those_of_the_catalogue()
    {
        var adam = new ReferenceAdam();
        Assert.Equal((0.001, 0.9, 0.999, 1e-8, 0.0, false), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.AmsGrad));
        var adamW = new ReferenceAdamW();
        Assert.Equal((0.001, 0.9, 0.999, 1e-8, 0.01, false), (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay, adamW.AmsGrad));
    }

    [Fact]
    public void AmsGrad_bias_corrects_the_running_maximum_of_v()
    {
        // g = 3 then 0, η = 0.1. t=1 as plain Adam (v_max = v = 0.009). t=2: m = 0.27, v = 0.999·0.009 = 0.008991,
        // v_max = max(0.009, 0.008991) = 0.009, m̂ = 0.27/0.19, and (torch 2.5) v̂ = v_max/(1 − β2²) = 0.009/0.001999.
        // Plain Adam uses v̂ = 0.008991/0.001999. (The pre-2.5 box's max of bias-corrected values would give 9.)
        var first = 0.5 - (0.1 * 3 / (3 + 1e-8));
        var ams = Run(new ReferenceAdam(learningRate: 0.1, amsGrad: true), [0.5], [3], [0]);
        var plain = Run(new ReferenceAdam(learningRate: 0.1), [0.5], [3], [0]);
        Close(first - (0.1 * (0.27 / 0.19) / (Math.Sqrt(0.009 / 0.001999) + 1e-8)), ams[0]);
        Close(first - (0.1 * (0.27 / 0.19) / (Math.Sqrt(0.008991 / 0.001999) + 1e-8)), plain[0]);

        var amsW = Run(new ReferenceAdamW(learningRate: 0.1, weightDecay: 0, amsGrad: true), [0.5], [3], [0]);
        Close(ams[0], amsW[0]);
    }

    [Fact]
    public void AdamW_decays_theta_first_while_Adam_adds_lambda_theta_to_g()
    {
        // θ = 2, g = 3, η = 0.1, λ = 0.01.
        // AdamW: θ ← 2 − 0.1·0.01·2 = 1.998, then the Adam step −0.1·3/(3 + 1e-8): 1.898 (up to ε).
        // Adam:  g ← 3 + 0.01·2 = 3.02, step −0.1·3.02/(3.02 + 1e-8): 1.9 (up to ε).
        var decoupled = Run(new ReferenceAdamW(learningRate: 0.1, weightDecay: 0.01), [2], [3]);
        var coupled = Run(new ReferenceAdam(learningRate: 0.1, weightDecay: 0.01), [2], [3]);
        Close(1.998 - (0.1 * 3 / (3 + 1e-8)), decoupled[0]);
        Close(2 - (0.1 * 3.02 / (3.02 + 1e-8)), coupled[0]);
        Close(1.898, decoupled[0], 1e-9);
        Close(1.9, coupled[0], 1e-9);

        // With g = 0 the Adam part is 0/(0 + ε) = 0: AdamW only decays, Adam with λ steps along sign(λθ).
        Close([1.998], Run(new ReferenceAdamW(learningRate: 0.1, weightDecay: 0.01), [2], [0]));
        Close([2 - (0.1 * 0.02 / (0.02 + 1e-8))], Run(new ReferenceAdam(learningRate: 0.1, weightDecay: 0.01), [2], [0]));
    }

    [Fact]
    public void Adam_bias_corrections_use_the_current_beta_at_the_current_t()
    {
        // t=1 with the defaults and η = 0.1, g = 3: m = 0.3, v = 0.009. Then β1 = 0.5, β2 = 0.9, t=2, g = 1:
        // m = 0.5·0.3 + 0.5·1 = 0.65, v = 0.9·0.009 + 0.1·1 = 0.1081, m̂ = 0.65/(1 − 0.25), v̂ = 0.1081/(1 − 0.81).
        var adam = new ReferenceAdam(learningRate: 0.1);
        var theta = new[] { 0.5 };
        adam.Step(theta, [3]);
        adam.Beta1 = 0.5;
        adam.Beta2 = 0.9;
        adam.Step(theta, [1]);
        Close(0.5 - (0.1 * 3 / (3 + 1e-8)) - (0.1 * (0.65 / 0.75) / (Math.Sqrt(0.1081 / 0.19) + 1e-8)), theta[0]);
    }

    public static TheoryData<string> CoupledDecay => new()
    {
        "GradientDescent", "Momentum", "Adam", "AmsGrad", "Adamax", "NAdam", "RAdam", "RmsProp", "RmsPropCentered", "AdaGrad", "AdaDelta",
    };

    private static IReferenceOptimizer WithDecay(string name, double λ) => name switch
    {
        "GradientDescent" => new ReferenceGradientDescent(learningRate: 0.1, weightDecay: λ),
        "Momentum" => new ReferenceGradientDescent(learningRate: 0.1, momentum: 0.8, dampening: 0.3, weightDecay: λ),
        "Adam" => new ReferenceAdam(learningRate: 0.1, weightDecay: λ),
        "AmsGrad" => new ReferenceAdam(learningRate: 0.1, weightDecay: λ, amsGrad: true),
        "Adamax" => new ReferenceAdamax(learningRate: 0.1, weightDecay: λ),
        "NAdam" => new ReferenceNAdam(learningRate: 0.1, weightDecay: λ),
        "RAdam" => new ReferenceRAdam(learningRate: 0.1, weightDecay: λ),
        "RmsProp" => new ReferenceRmsProp(learningRate: 0.1, momentum: 0.5, weightDecay: λ),
        "RmsPropCentered" => new ReferenceRmsProp(learningRate: 0.1, centered: true, weightDecay: λ),
        "AdaGrad" => new ReferenceAdaGrad(learningRate: 0.1, learningRateDecay: 0.1, weightDecay: λ),
        "AdaDelta" => new ReferenceAdaDelta(weightDecay: λ),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimizer"),
    };

    [Theory]
    [MemberData(nameof(CoupledDecay))]
    public void Coupled_weight_decay_is_the_rule_on_g_plus_lambda_theta(string name)
    {
        // g ← g + λθ_{t−1} and nothing else: with λ = 0.3 the rule sees what λ = 0 sees when handed g + 0.3θ.
        var decayed = WithDecay(name, 0.3);
        var plain = WithDecay(name, 0);
        double[] a = [1.5, -2], b = [1.5, -2];
        double[][] gradients = [[0.7, -0.2], [0.4, 0.1], [-0.3, 0.5], [0.2, 0.2], [0.1, -0.6], [0.05, 0.3], [-0.2, 0.1]];
        foreach (var g in gradients)
        {
            decayed.Step(a, g);
            plain.Step(b, [g[0] + (0.3 * b[0]), g[1] + (0.3 * b[1])]);
            Close(b, a, 1e-14);
        }

        Assert.NotEqual(b, Run(WithDecay(name, 0), [1.5, -2], gradients));
    }

    // ---- Adamax ----

    [Fact]
    public void Adamax_divides_by_the_bias_corrected_first_moment_and_the_infinity_norm()
    {
        // η = 0.002 (default), θ = 1.
        // t=1, g = 2:  m = 0.2, u = max(0, 2 + 1e-8) = 2 + 1e-8, θ ← 1 − 0.002·0.2/(0.1·(2 + 1e-8)) ≈ 0.998.
        // t=2, g = −1: m = 0.18 − 0.1 = 0.08, u = max(0.999·(2 + 1e-8), 1 + 1e-8) = 0.999·(2 + 1e-8), 1 − β1² = 0.19.
        // t=3, g = 5:  m = 0.072 + 0.5 = 0.572, u = max(0.999²·(2 + 1e-8), 5 + 1e-8) = 5 + 1e-8, 1 − β1³ = 0.271.
        var adamax = new ReferenceAdamax();
        Assert.Equal(0.002, adamax.LearningRate);
        var theta = new[] { 1.0 };
        adamax.Step(theta, [2]);
        var expected = 1 - (0.002 * 0.2 / (0.1 * (2 + 1e-8)));
        Close(expected, theta[0]);
        Close(0.998, theta[0], 1e-9);
        adamax.Step(theta, [-1]);
        expected -= 0.002 * 0.08 / (0.19 * (0.999 * (2 + 1e-8)));
        Close(expected, theta[0]);
        adamax.Step(theta, [5]);
        expected -= 0.002 * 0.572 / (0.271 * (5 + 1e-8));
        Close(expected, theta[0]);
    }

    // ---- NAdam ----

    [Fact]
    public void NAdam_mu_is_from_the_momentum_decay()
    {
        // μ_1 = 0.9(1 − ½·0.96^0.004): ln 0.96 = −0.0408220, ×0.004 = −0.000163288, e^… = 0.99983672,
        // 1 − 0.49991836 = 0.50008164, ×0.9 = 0.45007347.
        var nadam = new ReferenceNAdam();
        Assert.Equal((0.002, 0.9, 0.999, 1e-8, 0.0, 0.004), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon, nadam.WeightDecay, nadam.MomentumDecay));
        Assert.Equal(1.0, nadam.MuProduct);
        nadam.Step([1.0], [1]);
        Close(0.45007347, nadam.MuProduct, 1e-8);
    }

    [Fact]
    public void NAdam_first_two_steps_use_the_product_of_mu()
    {
        // η = 0.1, θ = 1, g = 2 then −1; μ_t = 0.9(1 − ½·0.96^{0.004t}).
        double Mu(int t) => 0.9 * (1 - (0.5 * Math.Pow(0.96, 0.004 * t)));
        double μ1 = Mu(1), μ2 = Mu(2), μ3 = Mu(3);

        // t=1: m = 0.2, v = 0.004, v̂ = 4; m̂ = μ2·0.2/(1 − μ1μ2) + (1 − μ1)·2/(1 − μ1) = μ2·0.2/(1 − μ1μ2) + 2.
        var mHat1 = (μ2 * 0.2 / (1 - (μ1 * μ2))) + 2;
        var theta1 = 1 - (0.1 * mHat1 / (2 + 1e-8));

        // t=2: m = 0.18 − 0.1 = 0.08, v = 0.999·0.004 + 0.001 = 0.004996, v̂ = 0.004996/0.001999;
        // m̂ = μ3·0.08/(1 − μ1μ2μ3) + (1 − μ2)(−1)/(1 − μ1μ2).
        var mHat2 = (μ3 * 0.08 / (1 - (μ1 * μ2 * μ3))) - ((1 - μ2) / (1 - (μ1 * μ2)));
        var theta2 = theta1 - (0.1 * mHat2 / (Math.Sqrt(0.004996 / 0.001999) + 1e-8));

        var nadam = new ReferenceNAdam(learningRate: 0.1);
        var theta = new[] { 1.0 };
        nadam.Step(theta, [2]);
        Close(theta1, theta[0]);
        Close(μ1, nadam.MuProduct);
        nadam.Step(theta, [-1]);
        Close(theta2, theta[0]);
        Close(μ1 * μ2, nadam.MuProduct);
    }

    [Fact]
    public void NAdam_product_accumulates_the_mu_of_each_update_when_beta1_changes()
    {
        // t=1 with β1 = 0.9: μ_1 = 0.9(1 − ½·0.96^0.004). t=2 with β1 = 0.8: μ_2 = 0.8(1 − ½·0.96^0.008).
        var nadam = new ReferenceNAdam(learningRate: 0.1);
        var theta = new[] { 1.0 };
        nadam.Step(theta, [2]);
        nadam.Beta1 = 0.8;
        nadam.Step(theta, [-1]);
        Close(0.9 * (1 - (0.5 * Math.Pow(0.96, 0.004))) * 0.8 * (1 - (0.5 * Math.Pow(0.96, 0.008))), nadam.MuProduct);
    }

    // ---- RAdam ----

    [Fact]
    public void RAdam_rho_first_exceeds_5_at_t_6_for_beta2_0_999()
    {
        // ρ∞ = 2/0.001 − 1 = 1999. With β2ᵗ = e^{−at}, a = −ln 0.999, 2tβ2ᵗ/(1−β2ᵗ) ≈ 2/a − t + at²/6, and
        // 2/a = 1998.99983, so ρ_t ≈ t + 0.00017 − 0.000167t²: ρ_5 ≈ 4.9960, ρ_6 ≈ 5.9942.
        Close(1, ReferenceRAdam.Rho(0.999, 1), 1e-9);
        Close(4.9960, ReferenceRAdam.Rho(0.999, 5), 1e-5);
        Close(5.9942, ReferenceRAdam.Rho(0.999, 6), 1e-5);
        Assert.True(ReferenceRAdam.Rho(0.999, 5) <= 5);
        Assert.True(ReferenceRAdam.Rho(0.999, 6) > 5);
    }

    [Fact]
    public void RAdam_steps_by_eta_m_hat_until_rho_exceeds_5_then_rectifies()
    {
        // Constant g = 1, η = 0.1, θ = 0: m_t = 1 − β1ᵗ so m̂_t = 1. t = 1…5 (ρ_t ≤ 5): θ ← θ − η m̂ = θ − 0.1.
        var radam = new ReferenceRAdam(learningRate: 0.1);
        var theta = new[] { 0.0 };
        for (var t = 1; t <= 5; t++)
        {
            radam.Step(theta, [1]);
            Close(-0.1 * t, theta[0]);
        }

        // t = 6: v_6 = 1 − β2⁶, l_6 = √(1 − β2⁶)/(√v_6 + ε) ≈ 1,
        // r_6 = √((ρ6 − 4)(ρ6 − 2)ρ∞/((ρ∞ − 4)(ρ∞ − 2)ρ6)) = √(1.99416·3.99416·1999/(1995·1997·5.99416)) ≈ 0.025821.
        var ρ6 = ReferenceRAdam.Rho(0.999, 6);
        var r6 = Math.Sqrt((ρ6 - 4) * (ρ6 - 2) * 1999 / (1995.0 * 1997 * ρ6));
        var v6 = 1 - Math.Pow(0.999, 6);
        var l6 = Math.Sqrt(v6) / (Math.Sqrt(v6) + 1e-8);
        radam.Step(theta, [1]);
        Close(-0.5 - (0.1 * r6 * l6), theta[0]);
        Close(0.025821, r6, 1e-5);
        Close(-0.5025821, theta[0], 1e-6);
    }

    // ---- RMSprop ----

    [Fact]
    public void RmsProp_divides_by_the_root_mean_square()
    {
        // η = 0.01, α = 0.99, θ = 1, g = 2: v = 0.01·4 = 0.04, θ ← 1 − 0.01·2/(0.2 + 1e-8) ≈ 0.9.
        var theta = Run(new ReferenceRmsProp(), [1], [2]);
        Close(1 - (0.02 / (0.2 + 1e-8)), theta[0]);
        Close(0.9, theta[0], 1e-8);
    }

    [Fact]
    public void RmsProp_centered_subtracts_the_squared_mean_gradient()
    {
        // t=1: g^ave = 0.01·2 = 0.02, ṽ = 0.04 − 0.0004 = 0.0396.
        // t=2: v = 0.99·0.04 + 0.04 = 0.0796, g^ave = 0.0198 + 0.02 = 0.0398, ṽ = 0.0796 − 0.00158404 = 0.07801596.
        var rms = new ReferenceRmsProp(centered: true);
        var theta = new[] { 1.0 };
        rms.Step(theta, [2]);
        var expected = 1 - (0.01 * 2 / (Math.Sqrt(0.0396) + 1e-8));
        Close(expected, theta[0]);
        rms.Step(theta, [2]);
        Close(expected - (0.01 * 2 / (Math.Sqrt(0.07801596) + 1e-8)), theta[0]);
    }

    [Fact]
    public void RmsProp_momentum_accumulates_the_scaled_gradient()
    {
        // μ = 0.5. t=1: b = 2/(0.2 + 1e-8) ≈ 10, θ = 1 − 0.01·b. t=2: v = 0.0796, b ← 0.5·b + 2/(√0.0796 + 1e-8).
        var rms = new ReferenceRmsProp(momentum: 0.5);
        var theta = new[] { 1.0 };
        rms.Step(theta, [2]);
        var b = 2 / (0.2 + 1e-8);
        Close(1 - (0.01 * b), theta[0]);
        rms.Step(theta, [2]);
        var b2 = (0.5 * b) + (2 / (Math.Sqrt(0.0796) + 1e-8));
        Close(1 - (0.01 * b) - (0.01 * b2), theta[0]);
    }

    // ---- Adagrad ----

    [Fact]
    public void AdaGrad_decays_the_learning_rate_and_starts_the_sum_at_the_initial_accumulator()
    {
        // η = 0.1, lr_decay = 0.5, τ = 0.1, g = 1 each update, θ = 0.
        // t=1: γ̃ = 0.1,           sum = 1.1; t=2: γ̃ = 0.1/1.5, sum = 2.1; t=3: γ̃ = 0.1/2, sum = 3.1.
        var adagrad = new ReferenceAdaGrad(learningRate: 0.1, learningRateDecay: 0.5, initialAccumulatorValue: 0.1);
        var theta = new[] { 0.0 };
        var expected = 0.0;
        double[] rates = [0.1, 0.1 / 1.5, 0.1 / 2];
        double[] sums = [1.1, 2.1, 3.1];
        for (var t = 0; t < 3; t++)
        {
            adagrad.Step(theta, [1]);
            expected -= rates[t] / (Math.Sqrt(sums[t]) + 1e-10);
            Close(expected, theta[0]);
        }
    }

    [Fact]
    public void AdaGrad_defaults_give_a_first_step_of_eta_sign_g()
    {
        // τ = 0, lr_decay = 0: θ ← θ − 0.01·g/(|g| + 1e-10); then sum = 9 + 1 = 10: θ ← θ − 0.01·1/(√10 + 1e-10).
        var adagrad = new ReferenceAdaGrad();
        Assert.Equal((0.01, 0.0, 0.0, 1e-10, 0.0), (adagrad.LearningRate, adagrad.LearningRateDecay, adagrad.InitialAccumulatorValue, adagrad.Epsilon, adagrad.WeightDecay));
        var theta = Run(adagrad, [1], [-3], [1]);
        Close(1 + (0.01 * 3 / (3 + 1e-10)) - (0.01 / (Math.Sqrt(10) + 1e-10)), theta[0]);
    }

    // ---- Adadelta ----

    [Fact]
    public void AdaDelta_scales_by_the_ratio_of_the_two_running_averages()
    {
        // η = 1, ρ = 0.9, ε = 1e-6, θ = 1, g = 2 twice.
        // t=1: v = 0.1·4 = 0.4, Δx = √(0 + 1e-6)/√(0.4 + 1e-6)·2 = 0.002/√0.400001 ≈ 0.0031623, u = 0.1·Δx².
        // t=2: v = 0.36 + 0.4 = 0.76, Δx = √(u + 1e-6)/√(0.76 + 1e-6)·2.
        var adadelta = new ReferenceAdaDelta();
        Assert.Equal((1.0, 0.9, 1e-6, 0.0), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon, adadelta.WeightDecay));
        var theta = new[] { 1.0 };
        adadelta.Step(theta, [2]);
        var dx1 = 0.002 / Math.Sqrt(0.400001);
        Close(1 - dx1, theta[0]);
        Close(1 - 0.0031623, theta[0], 1e-7);
        adadelta.Step(theta, [2]);
        var u1 = 0.1 * dx1 * dx1;
        var dx2 = Math.Sqrt(u1 + 1e-6) / Math.Sqrt(0.760001) * 2;
        Close(1 - dx1 - dx2, theta[0]);
    }

    // ---- Rprop ----

    [Fact]
    public void Rprop_grows_on_equal_signs_shrinks_and_skips_on_a_sign_change_and_keeps_on_zero()
    {
        // Defaults: steps start at 0.01, η₊ = 1.2, η₋ = 0.5, g_prev = 0.
        // θ₀: g = +1 +1 −1 +1 −3
        //   t1: g_prev·g = 0 → 0.01, θ = −0.01;  t2: > 0 → 0.012, θ = −0.022;  t3: < 0 → 0.006, g := 0, no move;
        //   t4: g_prev = 0 → 0.006, θ = −0.028;  t5: < 0 → 0.003, no move.
        // θ₁: g = −2 0 −1 −1 −1
        //   t1: 0.01, θ = 0.01;  t2: g = 0: 0.01, sign 0, no move;  t3: g_prev = 0 → 0.01, θ = 0.02;
        //   t4: > 0 → 0.012, θ = 0.032;  t5: 0.0144, θ = 0.0464.
        var rprop = new ReferenceRprop();
        var theta = new[] { 0.0, 0.0 };
        double[][] gradients = [[1, -2], [1, 0], [-1, -1], [1, -1], [-3, -1]];
        double[][] thetas = [[-0.01, 0.01], [-0.022, 0.01], [-0.022, 0.02], [-0.028, 0.032], [-0.028, 0.0464]];
        double[][] steps = [[0.01, 0.01], [0.012, 0.01], [0.006, 0.01], [0.006, 0.012], [0.003, 0.0144]];
        for (var t = 0; t < gradients.Length; t++)
        {
            rprop.Step(theta, gradients[t]);
            Close(thetas[t], theta);
            Close(steps[t], rprop.StepSizes);
        }
    }

    [Fact]
    public void Rprop_clamps_the_step_size_at_every_update()
    {
        // lr = 1, Γ = [0.3, 0.5]: t1 (g_prev·g = 0) is clamped too, as torch's code does: 0.5, θ = −0.5.
        // t2 g = −1: 0.25 → 0.3, no move; t3 g_prev = 0: 0.3, θ = −0.2; t4: 0.36, θ = 0.16; t5: 0.432, θ = 0.592;
        // t6: 0.5184 → 0.5, θ = 1.092.
        var rprop = new ReferenceRprop(learningRate: 1, minStep: 0.3, maxStep: 0.5);
        var theta = new[] { 0.0 };
        double[] gradients = [1, -1, -1, -1, -1, -1];
        double[] thetas = [-0.5, -0.5, -0.2, 0.16, 0.592, 1.092];
        double[] steps = [0.5, 0.3, 0.3, 0.36, 0.432, 0.5];
        for (var t = 0; t < gradients.Length; t++)
        {
            rprop.Step(theta, [gradients[t]]);
            Close(thetas[t], theta[0]);
            Close(steps[t], rprop.StepSizes[0]);
        }
    }

    [Fact]
    public void Rprop_setting_the_learning_rate_resets_every_step_size()
    {
        // Two updates with g = 1: step 0.012. LearningRate = 0.1 resets it; g_prev stays, so t3 (g = 1) grows it to 0.12.
        var rprop = new ReferenceRprop();
        var theta = new[] { 0.0, 0.0 };
        rprop.Step(theta, [1, -1]);
        rprop.Step(theta, [1, -1]);
        Close([-0.022, 0.022], theta);
        rprop.LearningRate = 0.1;
        Close([0.1, 0.1], rprop.StepSizes);
        rprop.Step(theta, [1, -1]);
        Close([-0.142, 0.142], theta);
    }

    // ---- Lion ----

    [Fact]
    public void Lion_steps_by_the_sign_of_the_interpolation_and_decays_decoupled()
    {
        // η = 0.1, β1 = 0.9, β2 = 0.99, λ = 0.5, θ = 1.
        // t1 g = 2:    c = 0.2 > 0, θ = 1 − 0.1(1 + 0.5) = 0.85, m = 0.02.
        // t2 g = −0.1: c = 0.018 − 0.01 = 0.008 > 0 (the momentum wins), θ = 0.85 − 0.1(1 + 0.425) = 0.7075,
        //              m = 0.0198 − 0.001 = 0.0188.
        // t3 g = −1:   c = 0.01692 − 0.1 = −0.08308 < 0, θ = 0.7075 − 0.1(−1 + 0.35375) = 0.772125.
        var lion = new ReferenceLion(learningRate: 0.1, weightDecay: 0.5);
        var theta = new[] { 1.0 };
        double[] gradients = [2, -0.1, -1];
        double[] thetas = [0.85, 0.7075, 0.772125];
        for (var t = 0; t < gradients.Length; t++)
        {
            lion.Step(theta, [gradients[t]]);
            Close(thetas[t], theta[0]);
        }

        var defaults = new ReferenceLion();
        Assert.Equal((0.0001, 0.9, 0.99, 0.0), (defaults.LearningRate, defaults.Beta1, defaults.Beta2, defaults.WeightDecay));
    }

    [Fact]
    public void Lion_sign_of_zero_is_zero()
    {
        // g = 0 from the start: c = 0, sign 0. Without decay θ stays; with λ = 0.5, θ = 2 − 0.1(0 + 1) = 1.9.
        Close([2, -3], Run(new ReferenceLion(learningRate: 0.1), [2, -3], [0, 0], [0, 0]));
        Close([1.9], Run(new ReferenceLion(learningRate: 0.1, weightDecay: 0.5), [2], [0]));
    }

    // ---- Clipping and weight decay order ----

    [Fact]
    public void ClipValue_clamps_each_component()
    {
        // η = 1: θ = −clip(g). g = [3, −0.5], ClipValue = 1 → [1, −0.5].
        Close([-1, 0.5], Run(new ReferenceGradientDescent(learningRate: 1, clipValue: 1), [0, 0], [3, -0.5]));
    }

    [Fact]
    public void ClipNorm_scales_the_whole_gradient()
    {
        // g = [3, 4], ‖g‖ = 5, ClipNorm = 1: g·1/(5 + 1e-6) ≈ [0.6, 0.8].
        Close([-3 / (5 + 1e-6), -4 / (5 + 1e-6)], Run(new ReferenceGradientDescent(learningRate: 1, clipNorm: 1), [0, 0], [3, 4]));
    }

    [Fact]
    public void Inactive_clipping_leaves_the_gradient_exactly()
    {
        // ClipValue 5 ≥ |g_i|, ClipNorm 10 ≥ ‖g‖ = 5 (coefficient min(1, 10/5.000001) = 1): bit-identical to no clipping.
        var clipped = Run(new ReferenceGradientDescent(learningRate: 1, clipValue: 5, clipNorm: 10), [0, 0], [3, 4]);
        Assert.Equal(new[] { -3.0, -4.0 }, clipped);
    }

    [Fact]
    public void ClipValue_comes_before_ClipNorm()
    {
        // g = [3, 4] → clamp to 2: [2, 2], ‖·‖ = √8, ClipNorm = 1: [2, 2]/(√8 + 1e-6) ≈ [0.7071, 0.7071].
        // (The other order would give [0.6, 0.8].)
        var scale = 1 / (Math.Sqrt(8) + 1e-6);
        Close([-2 * scale, -2 * scale], Run(new ReferenceGradientDescent(learningRate: 1, clipValue: 2, clipNorm: 1), [0, 0], [3, 4]));
    }

    [Fact]
    public void Clipping_comes_before_weight_decay()
    {
        // θ = 10, g = 3, ClipValue = 1, λ = 1, η = 0.1: g ← clip(3) + λθ = 1 + 10 = 11, θ = 10 − 1.1 = 8.9
        // (decay first would give clip(3 + 10) = 1 and θ = 9.9).
        Close([8.9], Run(new ReferenceGradientDescent(learningRate: 0.1, weightDecay: 1, clipValue: 1), [10], [3]));
    }

    [Fact]
    public void Step_leaves_the_callers_gradient_as_it_was()
    {
        double[] g = [3, 4];
        var rprop = new ReferenceRprop(clipValue: 1, clipNorm: 0.5);
        rprop.Step([0.0, 0.0], g);
        Assert.Equal(new[] { 3.0, 4.0 }, g);
        Assert.Equal(1, rprop.Iteration);
        Assert.Throws<ArgumentException>(() => rprop.Step([0.0], [1.0]));
        Assert.Throws<ArgumentException>(() => rprop.Step([0.0, 0.0], [1.0]));
    }

    // ---- Convergence (sanity) on f(θ) = ½(θ₀ − 3)² + 2(θ₁ + 2)², minimum (3, −2) ----

    public static TheoryData<string> Optimizers => new()
    {
        "GradientDescent", "Momentum", "Nesterov", "Adam", "AmsGrad", "AdamW", "Adamax", "NAdam", "RAdam",
        "RmsProp", "RmsPropCentered", "RmsPropMomentum", "AdaGrad", "AdaDelta", "Rprop", "Lion",
    };

    private static (IReferenceOptimizer Optimizer, int Steps, double Tolerance) Converging(string name) => name switch
    {
        "GradientDescent" => (new ReferenceGradientDescent(learningRate: 0.1), 500, 1e-8),
        "Momentum" => (new ReferenceGradientDescent(learningRate: 0.05, momentum: 0.9), 1000, 1e-8),
        "Nesterov" => (new ReferenceGradientDescent(learningRate: 0.05, momentum: 0.9, nesterov: true), 1000, 1e-8),
        "Adam" => (new ReferenceAdam(learningRate: 0.05), 5000, 1e-4),
        "AmsGrad" => (new ReferenceAdam(learningRate: 0.05, amsGrad: true), 5000, 1e-4),
        "AdamW" => (new ReferenceAdamW(learningRate: 0.05, weightDecay: 0), 5000, 1e-4),
        "Adamax" => (new ReferenceAdamax(learningRate: 0.05), 5000, 1e-4),
        "NAdam" => (new ReferenceNAdam(learningRate: 0.05), 5000, 1e-4),
        "RAdam" => (new ReferenceRAdam(learningRate: 0.05), 5000, 1e-4),
        "RmsProp" => (new ReferenceRmsProp(learningRate: 0.01), 5000, 1e-2),
        "RmsPropCentered" => (new ReferenceRmsProp(learningRate: 0.01, centered: true), 5000, 1e-2),
        "RmsPropMomentum" => (new ReferenceRmsProp(learningRate: 0.005, momentum: 0.5), 5000, 1e-2),
        "AdaGrad" => (new ReferenceAdaGrad(learningRate: 0.5), 5000, 1e-6),
        "AdaDelta" => (new ReferenceAdaDelta(), 20000, 1e-3),
        "Rprop" => (new ReferenceRprop(), 500, 1e-5),   // ends oscillating by steps near MinStep = 1e-6
        "Lion" => (new ReferenceLion(learningRate: 0.001), 10000, 1e-2),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimizer"),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_reference_converges_on_a_convex_quadratic(string name)
    {
        var (optimizer, steps, tolerance) = Converging(name);
        var theta = new[] { 0.0, 0.0 };
        var g = new double[2];
        for (var k = 0; k < steps; k++)
        {
            g[0] = theta[0] - 3;
            g[1] = 4 * (theta[1] + 2);
            optimizer.Step(theta, g);
        }

        Assert.Equal(steps, optimizer.Iteration);
        Assert.True(Math.Abs(theta[0] - 3) <= tolerance && Math.Abs(theta[1] + 2) <= tolerance,
            $"{name}: θ = ({theta[0]:R}, {theta[1]:R}) after {steps} updates");
    }

    // ---- Minibatches ----

    private static ReferenceMinibatches HalfSquares(double[] x, int batchSize, int seed) => new(
        x.Length, batchSize, seed,
        (theta, i) => 0.5 * (theta[0] - x[i]) * (theta[0] - x[i]),
        (theta, i, gradient) => gradient[0] = theta[0] - x[i]);

    [Theory]
    [InlineData(10, 4, 7)]    // 4, 4, 2
    [InlineData(10, 1, 0)]
    [InlineData(10, 10, -3)]
    [InlineData(10, 25, 1)]   // one minibatch of 10
    [InlineData(13, 5, 9)]    // 5, 5, 3
    public void Minibatches_cut_each_epochs_order_into_BatchSize_pieces(int count, int batchSize, int seed)
    {
        var batches = HalfSquares(new double[count], batchSize, seed);
        for (long epoch = 0; epoch < 3; epoch++)
        {
            var order = new EpochOrder(count, seed, epoch);
            var visited = new List<int>();
            for (var position = 0; position < count; position += batchSize)
            {
                Assert.Equal(epoch, batches.Epoch);
                Assert.Equal(position, batches.Position);
                var batch = batches.NextBatch();
                var size = Math.Min(batchSize, count - position);
                Assert.Equal(Enumerable.Range(position, size).Select(p => order[p]), batch);
                visited.AddRange(batch);
            }

            Assert.Equal(Enumerable.Range(0, count), visited.Order());
        }
    }

    [Fact]
    public void Each_update_uses_the_minibatch_mean_loss_and_gradient()
    {
        // Loss ½(θ − x_i)², gradient θ − x_i; with GD at η = 1, θ ← θ − (θ − mean x) = the batch's mean of x,
        // and Step returns the batch's mean loss at θ before the update.
        double[] x = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
        var batches = HalfSquares(x, 4, 7);
        var shadow = HalfSquares(x, 4, 7);
        var gd = new ReferenceGradientDescent(learningRate: 1);
        var theta = new[] { 0.5 };
        for (var update = 0; update < 6; update++)
        {
            var batch = shadow.NextBatch();
            Assert.Equal(update % 3 == 2 ? 2 : 4, batch.Length);
            var meanLoss = batch.Sum(i => 0.5 * (theta[0] - x[i]) * (theta[0] - x[i])) / batch.Length;
            var loss = batches.Step(gd, theta);
            Close(meanLoss, loss);
            Close(batch.Sum(i => x[i]) / batch.Length, theta[0]);
        }

        var gradient = new double[1];
        var full = batches.FullBatch([0.0], gradient);
        Close(-x.Sum() / x.Length, gradient[0]);
        Close(x.Sum(v => 0.5 * v * v) / x.Length, full);
    }
}
