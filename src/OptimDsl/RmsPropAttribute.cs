using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an RMSprop optimizer (Hinton's lecture 6e; <c>torch.optim.RMSprop</c>) for
/// this <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}RmsProp</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0): v ← α v + (1−α) g²; ṽ = v, or with
/// <see cref="Centered"/> ḡ ← α ḡ + (1−α) g and ṽ = v − ḡ²; with momentum μ &gt; 0,
/// b ← μ b + g / (√ṽ + ε) and θ ← θ − η b; otherwise θ ← θ − η g / (√ṽ + ε). The defaults are those
/// of <c>torch.optim.RMSprop</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RmsPropAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.01.</summary>
    public RmsPropAttribute()
        : base(0.01)
    {
    }

    /// <summary>The smoothing constant α of the square average, in [0, 1). Default 0.99.</summary>
    public double Alpha { get; set; } = 0.99;

    /// <summary>The term ε added to the denominator for numerical stability; positive and finite. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>The momentum μ, in [0, 1). Default 0: none.</summary>
    public double Momentum { get; set; }

    /// <summary>Centred RMSprop: the square average is reduced by the square of the gradient average. Default false.</summary>
    public bool Centered { get; set; }

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
