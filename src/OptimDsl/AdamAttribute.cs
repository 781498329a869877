using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an Adam optimizer (Kingma &amp; Ba 2015, Algorithm 1; <c>torch.optim.Adam</c>)
/// for this <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}Adam</c>.
/// </summary>
/// <remarks>
/// With g the gradient and t counting from 1: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
/// m̂ = m / (1−β1^t); v̂ = v / (1−β2^t); θ ← θ − η m̂ / (√v̂ + ε). The defaults are those of
/// <c>torch.optim.Adam</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdamAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.001.</summary>
    public AdamAttribute()
        : base(0.001)
    {
    }

    /// <summary>The decay rate β1 of the first-moment estimate, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>The decay rate β2 of the second-moment estimate, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>The term ε added to the denominator for numerical stability; positive. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>AMSGrad: v̂ uses the running maximum of v. Default false.</summary>
    public bool AmsGrad { get; set; }
}
