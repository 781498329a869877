using Microsoft.CodeAnalysis.CSharp;

namespace OptimDsl.Generators.Model;

/// <summary>The naming rules of README, What is generated: how generated names derive from the user's.</summary>
internal static class Naming
{
    public static string PascalCase(string name)
        => name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>The name as a C# identifier: keywords get an <c>@</c>; in a vector's element, <c>in[2]</c>, the vector's name does.</summary>
    public static string Identifier(string name)
    {
        var bracket = name.IndexOf('[');
        if (bracket > 0)
        {
            return Identifier(name.Substring(0, bracket)) + name.Substring(bracket);
        }

        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
    }

    public static string GradientMethod(string objective) => objective + "Gradient";

    /// <summary>The sums over one shard of the data, for data-parallel training: <c>MGradientSum</c> (README, Beyond one machine).</summary>
    public static string GradientSumMethod(string objective) => objective + "GradientSum";

    /// <summary>The constant holding the number of trained values: <c>MParameterCount</c>.</summary>
    public static string ParameterCount(string objective) => objective + "ParameterCount";

    public static string OptimizerType(string objective, OptimizerModel optimizer) => objective + optimizer.Suffix;
}
