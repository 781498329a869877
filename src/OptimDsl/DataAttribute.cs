using System;

namespace OptimDsl;

/// <summary>
/// Marks a parameter of an <see cref="ObjectiveAttribute">objective</see> as a per-sample input
/// rather than a trainable parameter. The objective then describes the loss of one sample; the
/// training loss is its mean over the data set, and the generated gradient and optimizers take one
/// span of samples per data parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class DataAttribute : Attribute
{
}
