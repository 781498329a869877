using System;

namespace OptimDsl;

/// <summary>
/// The base of the first-order optimizer attributes (README, Optimizers): the hyperparameters every one of
/// them has, the learning rate, gradient clipping and minibatches.
/// </summary>
/// <remarks>
/// The generator checks the values at compile time (OPTDSL003, at the argument); the generated
/// properties check them again when they are set at run time.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public abstract class FirstOrderOptimizerAttribute : OptimizerAttribute
{
    /// <summary>Sets the optimizer's default learning rate.</summary>
    private protected FirstOrderOptimizerAttribute(double learningRate) => LearningRate = learningRate;

    /// <summary>The learning rate η; positive and finite. Each attribute documents its default.</summary>
    public double LearningRate { get; set; }

    /// <summary>
    /// Each gradient component is clamped to [−ClipValue, ClipValue] before the update
    /// (<c>torch.nn.utils.clip_grad_value_</c>); zero or positive, and finite. Default 0: off.
    /// </summary>
    public double ClipValue { get; set; }

    /// <summary>
    /// After <see cref="ClipValue"/>, the gradient is scaled by min(1, ClipNorm / (‖g‖₂ + 1e-6))
    /// (<c>torch.nn.utils.clip_grad_norm_</c>); zero or positive, and finite. Default 0: off.
    /// </summary>
    public double ClipNorm { get; set; }

    /// <summary>
    /// On an objective with <see cref="DataAttribute"/> parameters: the samples per update; 0 is the
    /// full batch. Each epoch visits every sample once, in an order shuffled from <see cref="Seed"/>.
    /// Default 0 (full batch), except for <see cref="SgdAttribute"/>.
    /// </summary>
    public int BatchSize { get; set; }

    /// <summary>
    /// The seed of the order in which minibatches visit the samples: the same seed and data give a
    /// bit-identical run. Default 0.
    /// </summary>
    public int Seed { get; set; }
}
