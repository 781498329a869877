using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;

namespace OptimDsl.Generators.Model;

/// <summary>
/// Everything the generator knows about one valid objective: where it lives, its parameters, its
/// body as an expression graph and the optimizers it asks for.
/// </summary>
/// <remarks>
/// Pipeline model: immutable and structurally equal, holding no <c>ISymbol</c>, <c>SyntaxNode</c>,
/// <c>Location</c> or <c>Compilation</c>, or incremental caching breaks.
/// </remarks>
/// <param name="Location">Where the objective is declared (namespace, containing types, names).</param>
/// <param name="Accessibility">The C# accessibility keywords of the method, given to every generated member.</param>
/// <param name="MethodName">The objective's name, e.g. <c>Rosenbrock</c>.</param>
/// <param name="Parameters">All parameters, in declaration order.</param>
/// <param name="Body">The objective's body; its <see cref="ExpressionGraph.Element"/> is the number type the objective computes in.</param>
/// <param name="Root">The node of <see cref="Body"/> that the objective returns.</param>
/// <param name="NameHints">Names of the user's locals, for the nodes they hold: the emitter names temporaries after them.</param>
/// <param name="SourceLines">The objective's body as written, whitespace-normalised, for the generated file's comment.</param>
/// <param name="Optimizers">One entry per valid optimizer attribute.</param>
/// <param name="Loops">The rolled loops of the body, by id (README, Vectors and loops): loops that stay loops in the generated code.</param>
/// <param name="Residuals">With <c>[LevenbergMarquardt]</c>: the squared residuals the body sums (README, Which optimizer?); else empty.</param>
internal sealed record ObjectiveModel(
    TypeLocation Location,
    string Accessibility,
    string MethodName,
    EquatableArray<ParameterModel> Parameters,
    ExpressionGraph Body,
    int Root,
    EquatableArray<NameHint> NameHints,
    EquatableArray<string> SourceLines,
    EquatableArray<OptimizerModel> Optimizers,
    EquatableArray<LoopModel> Loops,
    EquatableArray<ResidualModel> Residuals)
{
    /// <summary>The objective's exact identity: no two objectives of a compilation share it (overloads are refused, OPTDSL006).</summary>
    public string Identity => Location.Identity + "." + MethodName;

    /// <summary>The number type the objective computes in (README, Float objectives): its body's.</summary>
    public ElementType Element => Body.Element;

    /// <summary>The generated file's name before <see cref="GeneratedFileNames"/> makes it unique: namespace, types and method, dotted.</summary>
    public string ReadableFileName => GeneratedFileNames.ReadableName(Location.FileNameParts.Concat(new[] { MethodName }));
}

/// <summary>The namespace and the chain of partial types an objective is declared in.</summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">Outermost first: the declarations to reopen as partial.</param>
/// <param name="FullyQualifiedTypeName">The innermost type as <c>global::N.Outer.Inner</c>.</param>
/// <param name="Identity">The namespace and the types' metadata names, as in <c>N.S.Outer`1+Inner</c>: unique, case-sensitive.</param>
/// <param name="FileNameParts">The namespace's names and the types' metadata names, outermost first, for the file name.</param>
internal sealed record TypeLocation(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string FullyQualifiedTypeName,
    string Identity,
    EquatableArray<string> FileNameParts);

/// <summary>One containing type: the keyword to reopen it with (<c>class</c>, <c>record struct</c>…), its name with type parameters, and their names.</summary>
internal readonly record struct ContainingType(string Keyword, string Name, EquatableArray<string> TypeParameters);

/// <summary>A parameter of an objective: a scalar, or a vector of <see cref="Length"/> values (README, Vectors and loops).</summary>
/// <param name="Name">The name as declared (without <c>@</c>).</param>
/// <param name="IsData">True for <c>[Data]</c> parameters: per-sample inputs, not trained.</param>
/// <param name="Offset">Where its first value is: among the trained values (θ, in declaration order), or in a sample's data values.</param>
/// <param name="Length">Its number of values: 1 for a scalar, N for <c>[Length(N)] ReadOnlySpan&lt;double&gt;</c>.</param>
/// <param name="IsVector">True for a <c>ReadOnlySpan&lt;double&gt;</c> parameter (even of length 1).</param>
/// <param name="Element">The objective's number type, which the parameter has (README, Float objectives).</param>
internal readonly record struct ParameterModel(string Name, bool IsData, int Offset, int Length = 1, bool IsVector = false, ElementType Element = ElementType.Double)
{
    /// <summary><c>PascalCase</c> of the name: the optimizer property.</summary>
    public string PropertyName => Naming.PascalCase(Name);

    /// <summary><c>d</c> + PascalCase: the gradient's <c>out</c> parameter, or its span for a vector.</summary>
    public string GradientName => "d" + Naming.PascalCase(Name);

    /// <summary>The C# type of the parameter in the user's method and the named overload.</summary>
    public string Type => IsVector ? $"global::System.ReadOnlySpan<{Element.Keyword()}>" : Element.Keyword();

    /// <summary>The name of value <paramref name="element"/> in the expression graph and the named overload: <c>w[3]</c>, or <c>b</c> for a scalar.</summary>
    public string ElementName(int element) => IsVector ? $"{Name}[{element}]" : Name;

    /// <summary>
    /// The generated local holding value <paramref name="element"/>: <c>w3</c> for <c>w[3]</c>, <c>w1_0</c> for
    /// <c>w1[0]</c> (so that it differs from <c>w[10]</c>'s), the identifier itself for a scalar.
    /// </summary>
    public string ElementLocal(int element) => IsVector ? ElementOf(Name, element) : Naming.Identifier(Name);

    /// <summary>Like <see cref="ElementLocal"/>, for the partial derivative: <c>dW3</c>, <c>dW1_0</c>, <c>dB</c>.</summary>
    public string GradientElementLocal(int element) => IsVector ? ElementOf(GradientName, element) : Naming.Identifier(GradientName);

    private static string ElementOf(string name, int element)
        => name + (char.IsDigit(name[name.Length - 1]) ? "_" : string.Empty) + element.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The layout of an objective's values: where each parameter's values are, in θ and in a sample (README, Vectors and loops).</summary>
internal static class ParameterLayout
{
    /// <summary>The trained parameters, in declaration order.</summary>
    public static ParameterModel[] Trained(this ObjectiveModel objective) => objective.Parameters.Where(p => !p.IsData).ToArray();

    /// <summary>The data parameters, in declaration order.</summary>
    public static ParameterModel[] DataParameters(this ObjectiveModel objective) => objective.Parameters.Where(p => p.IsData).ToArray();

    /// <summary>The number of trained values: the length of θ and of every flat span.</summary>
    public static int TrainedCount(this ObjectiveModel objective) => objective.Parameters.Where(p => !p.IsData).Sum(p => p.Length);

    /// <summary>Every trained value, in θ's order: its parameter and its element.</summary>
    public static (ParameterModel Parameter, int Element)[] TrainedValues(this ObjectiveModel objective)
        => objective.Parameters.Where(p => !p.IsData).SelectMany(p => Enumerable.Range(0, p.Length).Select(k => (p, k))).ToArray();

    /// <summary>Every data value of one sample, in order: its parameter and its element.</summary>
    public static (ParameterModel Parameter, int Element)[] DataValues(this ObjectiveModel objective)
        => objective.Parameters.Where(p => p.IsData).SelectMany(p => Enumerable.Range(0, p.Length).Select(k => (p, k))).ToArray();

    /// <summary>Whether any parameter is a vector.</summary>
    public static bool HasVectors(this ObjectiveModel objective) => objective.Parameters.Any(p => p.IsVector);
}

/// <summary>
/// A rolled loop: <see cref="Count"/> iterations t = 0, 1, … of a body whose nodes read the iteration
/// through <see cref="Expressions.Operation.Iteration"/>, <see cref="Expressions.Operation.ParameterAt"/> and
/// <see cref="Expressions.Operation.DataAt"/> leaves; output k's sum over the iterations is the
/// <see cref="Expressions.Operation.LoopSum"/> leaf (loop, k). A loop may also write local vectors, one value
/// per iteration (a map, <c>h[j] = …</c>): map k's value of iteration t is read as a
/// <see cref="Expressions.Operation.MapValue"/> or <see cref="Expressions.Operation.MapAt"/> leaf.
/// </summary>
/// <param name="Count">The number of iterations.</param>
/// <param name="Outputs">Per sum, the node of the term one iteration adds.</param>
/// <param name="Names">Per sum, the user's local it adds to, for the generated names.</param>
/// <param name="Maps">Per map, the node of the value one iteration writes.</param>
/// <param name="MapNames">Per map, the user's local vector it writes, for the generated names.</param>
internal readonly record struct LoopModel(int Count, EquatableArray<int> Outputs, EquatableArray<string> Names, EquatableArray<int> Maps, EquatableArray<string> MapNames)
{
    /// <summary>What one iteration computes: the sums' terms, then the maps' values.</summary>
    public IEnumerable<int> Computed => Outputs.Concat(Maps);
}

/// <summary>One term c·r² of a sum of squared residuals: the node of r and the positive constant c.</summary>
internal readonly record struct ResidualModel(int Node, double Weight);

/// <summary>The user's name for a node (a local variable that held it).</summary>
internal readonly record struct NameHint(int Node, string Name);
