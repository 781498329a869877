using System.Collections.Generic;
using System.Linq;
using static OptimDsl.Generators.Catalogue.HyperparameterRange;

namespace OptimDsl.Generators.Catalogue;

/// <summary>
/// Every optimizer attribute, one row each (README, Optimizers): parsing, OPTDSL003, the reserved names
/// of OPTDSL006, the generated documentation and the emitted struct all read these rows. The rules
/// themselves are in the runtime library (<c>OptimDsl.Rules</c>).
/// </summary>
internal static class OptimizerCatalogue
{
    private static HyperparameterDefinition LearningRate(double value) => new("LearningRate", value, PositiveFinite);

    private static HyperparameterDefinition Beta1(double value = 0.9) => new("Beta1", value, ZeroToOne);

    private static HyperparameterDefinition Beta2(double value = 0.999) => new("Beta2", value, ZeroToOne);

    private static HyperparameterDefinition Epsilon(double value) => new("Epsilon", value, PositiveFinite);

    private static HyperparameterDefinition WeightDecay(double value = 0) => new("WeightDecay", value, NonNegativeFinite);

    private static HyperparameterDefinition Flag(string name) => new(name, 0, Any, HyperparameterType.Flag, FixedAtCompileTime: true);

    private static HyperparameterDefinition[] SgdHyperparameters => new[]
    {
        LearningRate(0.01),
        new HyperparameterDefinition("Momentum", 0, ZeroToOne),
        new HyperparameterDefinition("Dampening", 0, ZeroToOne),
        Flag("Nesterov"),
        WeightDecay(),
    };

    private static (string, string)? NesterovCheck(IReadOnlyDictionary<string, double> values)
        => values["Nesterov"] != 0 && !(values["Momentum"] > 0 && values["Dampening"] == 0)
            ? ("Nesterov", HyperparameterConstraints.Nesterov)
            : null;

    private const string SgdRule = "with coupled weight decay g ← g + λθ; when μ ≠ 0, b ← g at the first update with momentum, then b ← μb + (1−τ)g, and g ← g + μb (Nesterov) or g ← b; θ ← θ − ηg";

    private static readonly StateVector[] MomentumBuffer = { new("momentumBuffer", "the momentum buffer b") };

    public static readonly OptimizerDefinition[] All =
    {
        new("GradientDescent", "Gradient descent (torch.optim.SGD)", SgdRule, "SgdRule", SgdHyperparameters, MomentumBuffer,
            CrossCheck: NesterovCheck),
        new("Sgd", "Stochastic gradient descent (torch.optim.SGD)", SgdRule, "SgdRule", SgdHyperparameters, MomentumBuffer,
            AlwaysMinibatches: true, CrossCheck: NesterovCheck),
        new("Adam", "Adam (Kingma &amp; Ba 2015, Algorithm 1; torch.optim.Adam)",
            "m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ) (AmsGrad: v̂ = max(v̂ₜ₋₁, v)/(1−β₂ᵗ)); θ ← θ − η m̂/(√v̂ + ε)",
            "AdamRule",
            new[] { LearningRate(0.001), Beta1(), Beta2(), Epsilon(1e-8), WeightDecay(), Flag("AmsGrad") },
            new StateVector[] { new("m", "the first-moment estimate m"), new("v", "the second-moment estimate v"), new("vMax", "the running maximum of v (AmsGrad)") }),
        new("AdamW", "AdamW (Loshchilov &amp; Hutter 2019; torch.optim.AdamW)",
            "θ ← θ − ηλθ, then Adam's update without weight decay",
            "AdamRule",
            new[] { LearningRate(0.001), Beta1(), Beta2(), Epsilon(1e-8), WeightDecay(0.01), Flag("AmsGrad") },
            new StateVector[] { new("m", "the first-moment estimate m"), new("v", "the second-moment estimate v"), new("vMax", "the running maximum of v (AmsGrad)") },
            RuleOptions: "decoupledWeightDecay: true"),
        new("Adamax", "Adamax (Kingma &amp; Ba 2015, Algorithm 2; torch.optim.Adamax)",
            "m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − η m/((1−β₁ᵗ)u)",
            "AdamaxRule",
            new[] { LearningRate(0.002), Beta1(), Beta2(), Epsilon(1e-8), WeightDecay() },
            new StateVector[] { new("m", "the first-moment estimate m"), new("u", "the exponentially weighted infinity norm u") }),
        new("NAdam", "NAdam (Dozat 2016; torch.optim.NAdam)",
            "μₜ = β₁(1 − ½·0.96^(tψ)); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η(μₜ₊₁m/(1−∏μ) + (1−μₜ)g/(1−∏μ))/(√(v/(1−β₂ᵗ)) + ε)",
            "NAdamRule",
            new[] { LearningRate(0.002), Beta1(), Beta2(), Epsilon(1e-8), WeightDecay(), new HyperparameterDefinition("MomentumDecay", 0.004, NonNegativeFinite) },
            new StateVector[] { new("m", "the first-moment estimate m"), new("v", "the second-moment estimate v") }),
        new("RAdam", "RAdam (Liu et al. 2020; torch.optim.RAdam)",
            "Adam's moments; when ρₜ > 5 the step is rectified, θ ← θ − η m̂ rₜ/(√v̂ + ε), else θ ← θ − η m̂",
            "RAdamRule",
            new[] { LearningRate(0.001), Beta1(), Beta2(), Epsilon(1e-8), WeightDecay() },
            new StateVector[] { new("m", "the first-moment estimate m"), new("v", "the second-moment estimate v") }),
        new("RmsProp", "RMSprop (Hinton 2012; torch.optim.RMSprop)",
            "v ← αv + (1−α)g²; (Centered: ḡ ← αḡ + (1−α)g, ṽ = v − ḡ²); with momentum b ← μb + g/(√ṽ + ε), θ ← θ − ηb, else θ ← θ − ηg/(√ṽ + ε)",
            "RmsPropRule",
            new[]
            {
                LearningRate(0.01),
                new HyperparameterDefinition("Alpha", 0.99, ZeroToOne),
                Epsilon(1e-8),
                new HyperparameterDefinition("Momentum", 0, ZeroToOne),
                Flag("Centered"),
                WeightDecay(),
            },
            new StateVector[] { new("squareAverage", "the square average v"), new("momentumBuffer", "the momentum buffer b"), new("gradientAverage", "the mean gradient ḡ (Centered)") }),
        new("AdaGrad", "AdaGrad (Duchi et al. 2011; torch.optim.Adagrad)",
            "η̃ = η/(1 + (t−1)·decay); s ← s + g²; θ ← θ − η̃ g/(√s + ε)",
            "AdaGradRule",
            new[]
            {
                LearningRate(0.01),
                new HyperparameterDefinition("LearningRateDecay", 0, NonNegativeFinite),
                new HyperparameterDefinition("InitialAccumulatorValue", 0, NonNegativeFinite, FixedAtCompileTime: true),
                Epsilon(1e-10),
                WeightDecay(),
            },
            new StateVector[] { new("sum", "the sum of squared gradients s", InitialValue: "InitialAccumulatorValue") }),
        new("AdaDelta", "AdaDelta (Zeiler 2012; torch.optim.Adadelta)",
            "v ← ρv + (1−ρ)g²; Δ = √(u + ε)/√(v + ε)·g; u ← ρu + (1−ρ)Δ²; θ ← θ − ηΔ",
            "AdaDeltaRule",
            new[] { LearningRate(1.0), new HyperparameterDefinition("Rho", 0.9, ZeroToOne), Epsilon(1e-6), WeightDecay() },
            new StateVector[] { new("squareAverage", "the square average v"), new("accumulatedDelta", "the average of squared updates u") }),
        new("Rprop", "Rprop (Riedmiller &amp; Braun 1993; torch.optim.Rprop)",
            "each parameter's step size grows by η₊ while g keeps its sign and shrinks by η₋ when it flips (that update skipped), within [MinStep, MaxStep]; θ ← θ − sign(g)·step",
            "RpropRule",
            new[]
            {
                new HyperparameterDefinition("LearningRate", 0.01, PositiveFinite),
                new HyperparameterDefinition("EtaMinus", 0.5, OpenZeroToOne),
                new HyperparameterDefinition("EtaPlus", 1.2, AboveOneFinite),
                new HyperparameterDefinition("MinStep", 1e-6, PositiveFinite),
                new HyperparameterDefinition("MaxStep", 50, PositiveFinite),
            },
            new StateVector[] { new("previousGradient", "the gradient of the previous update"), new("stepSize", "each parameter's step size", InitialValue: "LearningRate") },
            LearningRateRestartsState: "stepSize",
            CrossCheck: values => values["MinStep"] > values["MaxStep"] ? ("MinStep", HyperparameterConstraints.MinStepAboveMaxStep) : null),
        new("Lion", "Lion (Chen et al. 2023, Algorithm 2)",
            "c ← β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ); m ← β₂m + (1−β₂)g",
            "LionRule",
            new[] { LearningRate(0.0001), Beta1(0.9), Beta2(0.99), WeightDecay(0) },
            new StateVector[] { new("m", "the momentum m") }),
        new("Lbfgs", "L-BFGS (Nocedal &amp; Wright 2006, Algorithm 7.4; torch.optim.LBFGS)",
            "the direction d = −H∇f from the newest History pairs (s, y) by the two-loop recursion, H₀ = γI with γ = sᵀy/yᵀy; θ ← θ + αd with α from the strong-Wolfe line search (Algorithms 3.5–3.6, c₁ = 1e-4, c₂ = 0.9), starting at LearningRate (or α = LearningRate without a line search)",
            "LbfgsSolver",
            new[]
            {
                LearningRate(1),
                new HyperparameterDefinition("History", 10, HistoryCapacity, HyperparameterType.Int),
                new HyperparameterDefinition("LineSearch", 0, LineSearchMember, HyperparameterType.LineSearch, FixedAtCompileTime: true),
            },
            System.Array.Empty<StateVector>(),
            Family: OptimizerFamily.Lbfgs),
        new("LevenbergMarquardt", "Levenberg–Marquardt (Marquardt 1963)",
            "with J the residuals' Jacobian over the samples, δ solves (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr; θ ← θ + δ when the loss falls (λ ← λ/DampingFactor), else λ ← λ·DampingFactor and the step is retried",
            "LevenbergMarquardtSolver",
            new[]
            {
                new HyperparameterDefinition("InitialDamping", 1e-3, PositiveFinite),
                new HyperparameterDefinition("DampingFactor", 10, AboveOneFinite),
            },
            System.Array.Empty<StateVector>(),
            Family: OptimizerFamily.LevenbergMarquardt),
    };

    /// <summary>The row of attribute <c>OptimDsl.{typeName}</c>, or null.</summary>
    public static OptimizerDefinition? ByAttribute(string typeName) => All.FirstOrDefault(d => d.AttributeName == typeName);

    /// <summary>The row named <paramref name="name"/>.</summary>
    public static OptimizerDefinition ByName(string name) => All.First(d => d.Name == name);
}
