using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an AdaDelta optimizer (Zeiler 2012; <c>torch.optim.Adadelta</c>) for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}AdaDelta</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0): v ← ρ v + (1−ρ) g²;
/// Δ = √(u + ε) / √(v + ε) · g; u ← ρ u + (1−ρ) Δ²; θ ← θ − η Δ. The defaults are those of
/// <c>torch.optim.Adadelta</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaDeltaAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 1.0 (the factor of Δ).</summary>
    public AdaDeltaAttribute()
        : base(1.0)
    {
    }

    /// <summary>The decay rate ρ of both running averages, in [0, 1). Default 0.9.</summary>
    public double Rho { get; set; } = 0.9;

    /// <summary>The term ε inside both square roots for numerical stability; positive and finite. Default 1e-6.</summary>
    public double Epsilon { get; set; } = 1e-6;

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
