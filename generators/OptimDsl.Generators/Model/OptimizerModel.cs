using OptimDsl.Generators.Catalogue;

namespace OptimDsl.Generators.Model;

/// <summary>
/// One optimizer attribute of an objective: its catalogue row's name, and the value of every
/// hyperparameter (the attribute's, or the row's default), in the order of
/// <see cref="OptimizerDefinition.All"/>; flags are 0 or 1.
/// </summary>
internal sealed record OptimizerModel(string Name, EquatableArray<double> Values)
{
    /// <summary>The catalogue row (README, Optimizers).</summary>
    public OptimizerDefinition Definition => OptimizerCatalogue.ByName(Name);

    /// <summary>The suffix of the generated struct: <c>MAdam</c> for objective <c>M</c>.</summary>
    public string Suffix => Name;

    /// <summary>The value of hyperparameter <paramref name="name"/>.</summary>
    public double Value(string name) => Values[System.Array.FindIndex(Definition.All, h => h.Name == name)];
}
