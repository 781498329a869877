using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a stochastic gradient-descent optimizer for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}Sgd</c> that follows
/// <c>torch.optim.SGD</c> (README, Optimizers) with g the mean gradient over a minibatch of
/// <see cref="FirstOrderOptimizerAttribute.BatchSize"/> samples. Each epoch visits every sample once, in an
/// order shuffled deterministically from <see cref="FirstOrderOptimizerAttribute.Seed"/>.
/// </summary>
/// <remarks>The objective needs at least one <see cref="DataAttribute"/> parameter.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SgdAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate 0.01 and batch size 1.</summary>
    public SgdAttribute()
        : base(0.01) => BatchSize = 1;

    /// <summary>The momentum μ, in [0, 1). Default 0: none.</summary>
    public double Momentum { get; set; }

    /// <summary>The dampening τ of the momentum, in [0, 1). Default 0.</summary>
    public double Dampening { get; set; }

    /// <summary>Nesterov momentum: g ← g + μb; needs <see cref="Momentum"/> &gt; 0 and <see cref="Dampening"/> = 0. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>The coupled weight decay λ (g ← g + λθ); zero or positive, and finite. Default 0.</summary>
    public double WeightDecay { get; set; }
}
