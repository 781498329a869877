using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an Adamax optimizer (Kingma &amp; Ba 2015, Algorithm 2; <c>torch.optim.Adamax</c>)
/// for this <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}Adamax</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0) and t counting from 1:
/// m ← β1 m + (1−β1) g; u ← max(β2 u, |g| + ε); θ ← θ − η m / ((1−β1^t) u). The defaults are those of
/// <c>torch.optim.Adamax</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdamaxAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.002.</summary>
    public AdamaxAttribute()
        : base(0.002)
    {
    }

    /// <summary>The decay rate β1 of the first-moment estimate, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>The decay rate β2 of the infinity norm u, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>The term ε added to |g| for numerical stability; positive and finite. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
