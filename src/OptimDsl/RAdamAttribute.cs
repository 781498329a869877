using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a rectified Adam optimizer (Liu et al. 2020; <c>torch.optim.RAdam</c>) for
/// this <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}RAdam</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0) and t counting from 1:
/// m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; m̂ = m / (1−β1^t); ρ∞ = 2/(1−β2) − 1;
/// ρ_t = ρ∞ − 2tβ2^t/(1−β2^t). When ρ_t &gt; 5: θ ← θ − η m̂ r_t √(1−β2^t)/(√v + ε) with
/// r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t)); otherwise θ ← θ − η m̂. The defaults are those of
/// <c>torch.optim.RAdam</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RAdamAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.001.</summary>
    public RAdamAttribute()
        : base(0.001)
    {
    }

    /// <summary>The decay rate β1 of the first-moment estimate, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>The decay rate β2 of the second-moment estimate, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>The term ε added to the denominator for numerical stability; positive and finite. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
