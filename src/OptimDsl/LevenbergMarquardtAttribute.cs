using System;

namespace OptimDsl;

/// <summary>
/// Asks the generator for a Levenberg–Marquardt optimizer (Marquardt 1963) for this
/// <see cref="ObjectiveAttribute">objective</see>: a struct named <c>{Method}LevenbergMarquardt</c>. The objective's
/// body must return a sum of squared residuals, <c>c * r * r</c> or <c>c * Math.Pow(r, 2)</c> terms with c a positive
/// constant (OPTDSL009 otherwise); the generator differentiates each residual, and each <c>Step</c> solves
/// (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr over all samples (README, Which optimizer?).
/// </summary>
/// <remarks>
/// A step is accepted when the loss strictly falls, and λ is divided by <see cref="DampingFactor"/>; otherwise λ is
/// multiplied by it and the step retried. λ starts at <see cref="InitialDamping"/>, persists across calls, is reset when
/// the parameters or <c>InitialDamping</c> are set, and stays in [1e-12, 1e12]. No clipping, no minibatches, and no
/// allocation after construction.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LevenbergMarquardtAttribute : OptimizerAttribute
{
    /// <summary>The damping λ of the first step; positive and finite. Default 1e-3.</summary>
    public double InitialDamping { get; set; } = 1e-3;

    /// <summary>The factor λ is divided by after an accepted step and multiplied by after a rejected one; greater than 1, and finite. Default 10.</summary>
    public double DampingFactor { get; set; } = 10;
}
