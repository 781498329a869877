using Microsoft.CodeAnalysis;

namespace OptimDsl.Generators.Diagnostics;

/// <summary>
/// Every diagnostic OptimDsl reports. Ids are stable; each has a section in the README's Diagnostics.
/// No help link: the project has no public home yet, so each message says what to do by itself.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "OptimDsl";

    public static readonly DiagnosticDescriptor UnsupportedConstruct = new(
        id: "OPTDSL001",
        title: "Construct cannot be differentiated",
        messageFormat: "{0} cannot be used in an objective{1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An objective may contain arithmetic, System.Math functions, locals, conditional expressions and calls to other [Objective] methods. Anything else cannot be differentiated at compile time.");

    public static readonly DiagnosticDescriptor InvalidObjectiveShape = new(
        id: "OPTDSL002",
        title: "Objective has the wrong shape",
        messageFormat: "{0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An objective is a non-generic static method returning double, with double parameters (at least one not marked [Data]), none of them ref, out or in, declared in partial types.");

    public static readonly DiagnosticDescriptor InvalidHyperparameter = new(
        id: "OPTDSL003",
        title: "Invalid hyperparameter",
        messageFormat: "{0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "LearningRate must be positive and finite, Beta1 and Beta2 in [0, 1), Epsilon positive, BatchSize at least 1.");

    public static readonly DiagnosticDescriptor OptimizerWithoutObjective = new(
        id: "OPTDSL004",
        title: "Optimizer attribute without [Objective]",
        messageFormat: "[{0}] has no effect because '{1}' is not marked [Objective]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Optimizers are generated for [Objective] methods only.");

    /// <summary>OPTDSL005: <c>[Sgd]</c>, or a <c>BatchSize</c> of 1 or more, on an objective without data; the argument is the message.</summary>
    public static readonly DiagnosticDescriptor MinibatchesWithoutData = new(
        id: "OPTDSL005",
        title: "Minibatches on an objective without data",
        messageFormat: "{0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Minibatches sample the data; without [Data] parameters there is nothing to sample, and every update is plain gradient descent on the whole objective.");

    public static readonly DiagnosticDescriptor GeneratedNameClash = new(
        id: "OPTDSL006",
        title: "Generated name clashes",
        messageFormat: "{0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A member OptimDsl generates for this objective would have the name of an existing member or parameter.");

    public static readonly DiagnosticDescriptor NotDifferentiableEverywhere = new(
        id: "OPTDSL007",
        title: "Objective is not differentiable everywhere",
        messageFormat: "{0} is not differentiable everywhere; at {1} the derivative of the branch taken is used",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Abs, Max, Min, Clamp and conditional expressions have kinks; the generated gradient uses the derivative of the branch taken there (a subgradient).");

    /// <summary>OPTDSL008: an index out of range, a length that does not match, or a length that is not a positive constant; the argument is the message.</summary>
    public static readonly DiagnosticDescriptor VectorLength = new(
        id: "OPTDSL008",
        title: "Index out of range or length mismatch",
        messageFormat: "{0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Vector lengths, indexes and slice bounds are compile-time integers: an index must lie in [0, N), a vector passed to a [Length(N)] parameter must have N values, and N must be a constant of at least 1.");

    /// <summary>OPTDSL009: <c>[LevenbergMarquardt]</c> on a body that is not a sum of squared residuals; {0} the objective, {1} what the body is instead.</summary>
    public static readonly DiagnosticDescriptor NotSumOfSquares = new(
        id: "OPTDSL009",
        title: "[LevenbergMarquardt] needs a sum of squared residuals",
        messageFormat: "[LevenbergMarquardt] needs objective '{0}' to return a sum of squared residuals, terms c * r * r or c * Math.Pow(r, 2) with c a positive constant (for example 'var r = a * Math.Exp(-k * t) - y; return r * r;'), but {1}; use [Lbfgs] for any other objective",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Levenberg-Marquardt works with the Jacobian of residuals: the returned expression, after calls to other objectives are inlined, must be a sum of terms c * r * r, c * Math.Pow(r, 2) or r * r / c, with c a positive constant. Each term is one residual per sample.");

    public static readonly DiagnosticDescriptor UnreadParameter = new(
        id: "OPTDSL010",
        title: "Trained parameter is never read",
        messageFormat: "Parameter '{0}' of objective '{1}' is never read, so its gradient is always 0 and no optimizer will change it; use it in the body, or mark it [Data] if it is an input",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A trained parameter that does not occur in the objective's body (after calls to other objectives are inlined) has a zero gradient: optimizing it does nothing.");

    public static readonly DiagnosticDescriptor TruncatingIntegerDivision = new(
        id: "OPTDSL011",
        title: "Integer division truncates",
        messageFormat: "'{0}' divides integers, so it is {1}, not {2}; write '{3}' to divide doubles",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "C# divides int by int with an int result: 1 / 2 is 0, which makes '1 / 2 * r * r' zero and its gradient zero. Write one operand as a double literal (1.0 / 2).");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = new(
        id: "OPTDSL012",
        title: "C# language version too low for the generated code",
        messageFormat: "Objective '{0}' cannot be generated: the code OptimDsl generates needs C# {1} or later (it uses inline arrays), but this project uses C# {2}; set <LangVersion> to {1} or later in the project file, or remove it to use the SDK's default",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated gradient and optimizers use C# 12 features (inline arrays, file-local types). With an older <LangVersion> no code is generated for the objective.");
}
