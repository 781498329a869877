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
/// <param name="Body">The objective's body.</param>
/// <param name="Root">The node of <see cref="Body"/> that the objective returns.</param>
/// <param name="NameHints">Names of the user's locals, for the nodes they hold: the emitter names temporaries after them.</param>
/// <param name="SourceLines">The objective's body as written, whitespace-normalised, for the generated file's comment.</param>
/// <param name="Optimizers">One entry per valid optimizer attribute.</param>
internal sealed record ObjectiveModel(
    TypeLocation Location,
    string Accessibility,
    string MethodName,
    EquatableArray<ParameterModel> Parameters,
    ExpressionGraph Body,
    int Root,
    EquatableArray<NameHint> NameHints,
    EquatableArray<string> SourceLines,
    EquatableArray<OptimizerModel> Optimizers)
{
    /// <summary>The objective's exact identity: no two objectives of a compilation share it (overloads are refused, OPTDSL006).</summary>
    public string Identity => Location.Identity + "." + MethodName;

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

/// <summary>A parameter of an objective.</summary>
/// <param name="Name">The name as declared (without <c>@</c>).</param>
/// <param name="IsData">True for <c>[Data]</c> parameters: per-sample inputs, not trained.</param>
/// <param name="Index">Position among the trainable parameters, or among the data parameters.</param>
internal readonly record struct ParameterModel(string Name, bool IsData, int Index)
{
    /// <summary><c>PascalCase</c> of the name: the optimizer property.</summary>
    public string PropertyName => Naming.PascalCase(Name);

    /// <summary><c>d</c> + PascalCase: the gradient's <c>out</c> parameter.</summary>
    public string GradientName => "d" + Naming.PascalCase(Name);
}

/// <summary>The user's name for a node (a local variable that held it).</summary>
internal readonly record struct NameHint(int Node, string Name);
