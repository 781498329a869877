namespace OptimDsl.Generators.Model;

/// <summary>The optimizers an objective can ask for, one per attribute.</summary>
internal enum OptimizerKind
{
    GradientDescent,
    Sgd,
    Adam,
}

/// <summary>
/// One optimizer attribute with its hyperparameters (the attribute's values, or the defaults of
/// README, Optimizers). Fields that do not apply to <see cref="Kind"/> keep their defaults.
/// </summary>
internal sealed record OptimizerModel(
    OptimizerKind Kind,
    double LearningRate,
    double Beta1 = OptimizerModel.DefaultBeta1,
    double Beta2 = OptimizerModel.DefaultBeta2,
    double Epsilon = OptimizerModel.DefaultEpsilon,
    int BatchSize = 1,
    int Seed = 0)
{
    public const double DefaultBeta1 = 0.9;
    public const double DefaultBeta2 = 0.999;
    public const double DefaultEpsilon = 1e-8;

    public static double DefaultLearningRate(OptimizerKind kind) => kind == OptimizerKind.Adam ? 0.001 : 0.01;

    /// <summary>The suffix of the generated struct: <c>MAdam</c> for objective <c>M</c>.</summary>
    public string Suffix => Kind.ToString();
}
