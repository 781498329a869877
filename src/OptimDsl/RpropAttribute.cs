using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a resilient backpropagation optimizer (Riedmiller &amp; Braun 1993;
/// <c>torch.optim.Rprop</c>) for this <see cref="ObjectiveAttribute">objective</see>: a struct named
/// <c>{Method}Rprop</c>.
/// </summary>
/// <remarks>
/// Each parameter has its own step size s, starting at <see cref="FirstOrderOptimizerAttribute.LearningRate"/>.
/// With g the gradient and g_prev the previous one: where g·g_prev &gt; 0, s ← s η₊; where
/// g·g_prev &lt; 0, s ← s η₋ and g ← 0; s is clamped into [MinStep, MaxStep] at every update;
/// θ ← θ − sign(g) s; g_prev ← g. The defaults are those of <c>torch.optim.Rprop</c>; setting the
/// generated optimizer's <c>LearningRate</c> resets every step size to it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RpropAttribute : FirstOrderOptimizerAttribute
{
    /// <summary>Default learning rate (initial step size) 0.01.</summary>
    public RpropAttribute()
        : base(0.01)
    {
    }

    /// <summary>The factor η₋ of a step size whose gradient changed sign, in (0, 1). Default 0.5.</summary>
    public double EtaMinus { get; set; } = 0.5;

    /// <summary>The factor η₊ of a step size whose gradient kept its sign; greater than 1, and finite. Default 1.2.</summary>
    public double EtaPlus { get; set; } = 1.2;

    /// <summary>The smallest step size; positive, finite and at most <see cref="MaxStep"/>. Default 1e-6.</summary>
    public double MinStep { get; set; } = 1e-6;

    /// <summary>The largest step size; positive, finite and at least <see cref="MinStep"/>. Default 50.</summary>
    public double MaxStep { get; set; } = 50;
}
