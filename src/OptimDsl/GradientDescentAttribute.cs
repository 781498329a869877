using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a gradient-descent optimizer for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}GradientDescent</c>
/// that applies θ ← θ − η g, with g the full-batch mean gradient where there is data.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GradientDescentAttribute : Attribute
{
    /// <summary>
    /// The default learning rate η of the generated optimizer; positive and finite. Default 0.01.
    /// </summary>
    public double LearningRate { get; set; } = 0.01;
}
