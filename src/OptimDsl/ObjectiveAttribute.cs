using System;

namespace OptimDsl;

/// <summary>
/// Marks a static method returning <see cref="double"/> as an objective (a loss to minimise).
/// The OptimDsl source generator differentiates it symbolically at compile time and emits
/// <c>{Method}Gradient</c> next to it, in the same <see langword="partial"/> type.
/// </summary>
/// <remarks>
/// Every <see cref="double"/> parameter not marked <see cref="DataAttribute"/> is trainable.
/// Add <see cref="GradientDescentAttribute"/>, <see cref="SgdAttribute"/> or
/// <see cref="AdamAttribute"/> to also get an optimizer for the objective.
/// </remarks>
/// <example>
/// <code>
/// public static partial class Problems
/// {
///     [Objective, Adam(LearningRate = 0.01)]
///     public static double Rosenbrock(double x, double y)
///         => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
/// }
///
/// double loss = Problems.RosenbrockGradient(-1.2, 1.0, out var dX, out var dY);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ObjectiveAttribute : Attribute
{
}
