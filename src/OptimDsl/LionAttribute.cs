using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a Lion optimizer (Chen et al. 2023, Algorithm 2) for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}Lion</c>.
/// </summary>
/// <remarks>
/// With g the gradient: c ← β1 m + (1−β1) g; θ ← θ − η (sign(c) + λθ) (decoupled weight decay λ);
/// m ← β2 m + (1−β2) g; sign(0) = 0. The defaults are the paper's (as in <c>optax.lion</c>); there is
/// no <c>torch.optim</c> class.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LionAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.0001.</summary>
    public LionAttribute()
        : base(0.0001)
    {
    }

    /// <summary>The weight β1 of the momentum in the update direction c, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>The decay rate β2 of the momentum m, in [0, 1). Default 0.99.</summary>
    public double Beta2 { get; set; } = 0.99;

    /// <summary>The decoupled weight decay λ (θ ← θ − ηλθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
