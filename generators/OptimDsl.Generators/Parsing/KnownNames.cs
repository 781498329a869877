namespace OptimDsl.Generators.Parsing;

/// <summary>Metadata names of the runtime library's attributes.</summary>
internal static class KnownNames
{
    public const string Objective = "OptimDsl.ObjectiveAttribute";
    public const string Data = "OptimDsl.DataAttribute";
    public const string GradientDescent = "OptimDsl.GradientDescentAttribute";
    public const string Sgd = "OptimDsl.SgdAttribute";
    public const string Adam = "OptimDsl.AdamAttribute";

    /// <summary>Generated files live under this generator's name; members declared there are ours, not clashes.</summary>
    public const string GeneratorName = "OptimDsl.Generators.ObjectiveGenerator";
}
