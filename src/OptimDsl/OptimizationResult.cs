namespace OptimDsl;

/// <summary>The outcome of a generated optimizer's <c>Minimize</c>.</summary>
/// <param name="Iterations">The number of updates made.</param>
/// <param name="Loss">
/// The loss at the parameters the optimizer holds on return (the full-batch mean where there is data).
/// </param>
/// <param name="GradientNorm">
/// The 2-norm of the gradient at the parameters the optimizer holds on return (full batch where
/// there is data).
/// </param>
/// <param name="Status">Why the run ended.</param>
public readonly record struct OptimizationResult(
    long Iterations,
    double Loss,
    double GradientNorm,
    OptimizationStatus Status);
