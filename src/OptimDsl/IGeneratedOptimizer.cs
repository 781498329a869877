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
