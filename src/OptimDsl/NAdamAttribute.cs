using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an NAdam optimizer (Dozat 2016; <c>torch.optim.NAdam</c>) for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}NAdam</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0) and t counting from 1:
/// μ_t = β1 (1 − ½·0.96^(tψ)); m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
/// m̂ = μ_(t+1) m / (1 − ∏_(i≤t+1) μ_i) + (1−μ_t) g / (1 − ∏_(i≤t) μ_i); v̂ = v / (1−β2^t);
/// θ ← θ − η m̂ / (√v̂ + ε). The defaults are those of <c>torch.optim.NAdam</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class NAdamAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.002.</summary>
    public NAdamAttribute()
        : base(0.002)
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

    /// <summary>The momentum decay ψ of the momentum schedule μ_t; zero or positive, and finite. Default 0.004.</summary>
    public double MomentumDecay { get; set; } = 0.004;
}
