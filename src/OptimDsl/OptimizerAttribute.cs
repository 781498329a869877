using System;

namespace OptimDsl;

/// <summary>
/// The base of every optimizer attribute (README, Optimizers and Which optimizer?): each one on an
/// <see cref="ObjectiveAttribute">objective</see> makes the generator emit one optimizer struct,
/// <c>{Method}{Optimizer}</c>, whose properties start at the attribute's values. The first-order
/// optimizers derive from <see cref="FirstOrderOptimizerAttribute"/>; <see cref="LbfgsAttribute"/> and
/// <see cref="LevenbergMarquardtAttribute"/> directly from this class.
/// </summary>
/// <remarks>
/// The generator checks the values at compile time (OPTDSL003, at the argument); the generated
/// properties check them again when they are set at run time.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public abstract class OptimizerAttribute : Attribute
{
    /// <summary>Only the attributes of this library derive from this class.</summary>
    private protected OptimizerAttribute()
    {
    }
}
