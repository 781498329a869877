using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for an AdaGrad optimizer (Duchi et al. 2011; <c>torch.optim.Adagrad</c>) for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}AdaGrad</c>.
/// </summary>
/// <remarks>
/// With g the gradient (plus λθ when the weight decay λ ≠ 0) and t counting from 1:
/// η̃ = η / (1 + (t−1) δ); s ← s + g²; θ ← θ − η̃ g / (√s + ε), where every s starts at
/// <see cref="InitialAccumulatorValue"/>. The defaults are those of <c>torch.optim.Adagrad</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaGradAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.01.</summary>
    public AdaGradAttribute()
        : base(0.01)
    {
    }

    /// <summary>The learning-rate decay δ; zero or positive, and finite. Default 0.</summary>
    public double LearningRateDecay { get; set; }

    /// <summary>
    /// The value every sum of squared gradients s starts at, fixed at compile time; zero or positive,
    /// and finite. Default 0.
    /// </summary>
    public double InitialAccumulatorValue { get; set; }

    /// <summary>The term ε added to the denominator for numerical stability; positive and finite. Default 1e-10.</summary>
    public double Epsilon { get; set; } = 1e-10;

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
