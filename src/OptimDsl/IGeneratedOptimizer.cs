using System.ComponentModel;

namespace OptimDsl;

/// <summary>
/// What a generated optimizer of an objective without <c>[Data]</c> parameters gives
/// <see cref="OptimizerLoops"/>, which runs its <c>Step</c> and <c>Minimize</c> (README, Generated members).
/// The generated struct implements the methods explicitly, so they are not part of its public surface.
/// </summary>
/// <remarks>Not meant to be implemented or called by hand.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratedOptimizer
{
    /// <summary>The number of updates made so far.</summary>
    long Iteration { get; }

    /// <summary>The learning rate of the next update, unless a schedule sets another.</summary>
    double LearningRate { get; }

    /// <summary>Throws <see cref="System.InvalidOperationException"/> when the optimizer is <c>default(T)</c>.</summary>
    void EnsureConstructed();

    /// <summary>The loss at the parameters held; stores the gradient there in the optimizer.</summary>
    double Evaluate();

    /// <summary>One update from the gradient the last <see cref="Evaluate"/> stored: the clipping, then the rule.</summary>
    void Update();

    /// <summary>Sets the learning rate of the next update, as a schedule gave it (checked by <see cref="MinimizeRun"/>).</summary>
    void ScheduleLearningRate(double rate);

    /// <summary>
    /// Saves what a copy of the struct does not hold: the vectors of an optimizer whose state is on the
    /// heap (README, Vectors and loops), which its copies share. Nothing for an optimizer with inline state.
    /// </summary>
    void Save();

    /// <summary>Restores what <see cref="Save"/> saved, after the struct is set back to a copy made with it.</summary>
    void Restore();
}

/// <summary>
/// A generated optimizer whose parameters and gradient fill one <see cref="System.Runtime.Intrinsics.Vector128{T}"/> or
/// <see cref="System.Runtime.Intrinsics.Vector256{T}"/> (2 or 4 doubles). <see cref="OptimizerLoops.MinimizeInRegisters"/>
/// runs its <c>Minimize</c> on a copy in a local, whose fields the JIT keeps in registers when every access reads or writes
/// a whole vector, as these members and the generated code do (README, Performance).
/// </summary>
/// <remarks>Not meant to be implemented or called by hand.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRegisterOptimizer : IGeneratedOptimizer
{
    /// <summary>‖g‖₂ of the gradient the last <see cref="IGeneratedOptimizer.Evaluate"/> stored, as <see cref="OptimizerChecks.GradientNorm(System.ReadOnlySpan{double})"/> computes it.</summary>
    double GradientNorm();

    /// <summary>Whether every parameter is finite.</summary>
    bool ParametersAreFinite();
}
