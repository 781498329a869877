namespace OptimDsl.CodeFixes;

/// <summary>
/// The ids of the diagnostics these fixes answer, as the analyzer in OptimDsl.Generators reports
/// them (its <c>DiagnosticDescriptors</c>). Copied, not referenced: the fixes need nothing else
/// from that assembly.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>Objective has the wrong shape: not static, a containing type not partial, ….</summary>
    public const string InvalidObjectiveShape = "OPTDSL002";

    /// <summary>An optimizer attribute on a method without <c>[Objective]</c>.</summary>
    public const string OptimizerWithoutObjective = "OPTDSL004";
}
