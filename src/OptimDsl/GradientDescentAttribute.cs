using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a gradient-descent optimizer for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}GradientDescent</c>
/// following <c>torch.optim.SGD</c> (README, Optimizers), with g the full-batch mean gradient
/// where there is data: θ ← θ − η g, with optional momentum and weight decay.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GradientDescentAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.01.</summary>
    public GradientDescentAttribute()
        : base(0.01)
    {
    }

    /// <summary>The momentum μ, in [0, 1). Default 0: none.</summary>
    public double Momentum { get; set; }

    /// <summary>The dampening τ of the momentum, in [0, 1). Default 0.</summary>
    public double Dampening { get; set; }

    /// <summary>Nesterov momentum: g ← g + μb; needs <see cref="Momentum"/> &gt; 0 and <see cref="Dampening"/> = 0. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
