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

    /// <summary>An integer division that truncates in a value: <c>1 / 2</c> is 0.</summary>
    public const string TruncatingIntegerDivision = "OPTDSL011";
}
