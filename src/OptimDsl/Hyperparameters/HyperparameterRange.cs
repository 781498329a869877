// This file is compiled twice: into the runtime library (the generated optimizers' property setters
// check their values with it) and into the generator (OPTDSL003 checks attribute arguments with it),
// so that a value the compiler accepts is exactly a value the setter accepts, with the same words.
#if OPTIMDSL_GENERATOR
namespace OptimDsl.Generators.Catalogue;
#else
namespace OptimDsl.Hyperparameters;
#endif

/// <summary>The valid values of a hyperparameter (README, Optimizers).</summary>
internal enum HyperparameterRange
{
    /// <summary>Any value: a seed.</summary>
    Any,

    /// <summary>&gt; 0 and finite: learning rates, ε, step sizes.</summary>
    PositiveFinite,

    /// <summary>≥ 0 and finite: weight decay, clipping thresholds, decays, initial accumulators.</summary>
    NonNegativeFinite,

    /// <summary>In [0, 1): β₁, β₂, α, ρ, momentum, dampening.</summary>
    ZeroToOne,

    /// <summary>In (0, 1): Rprop's η₋.</summary>
    OpenZeroToOne,

    /// <summary>&gt; 1 and finite: Rprop's η₊.</summary>
    AboveOneFinite,

    /// <summary>An integer ≥ 0: a batch size where 0 means the full batch.</summary>
    NonNegativeInteger,

    /// <summary>An integer ≥ 1: <c>[Sgd]</c>'s batch size.</summary>
    PositiveInteger,

    /// <summary>An integer in [1, 1000]: the capacity of <c>[Lbfgs]</c>'s history.</summary>
    HistoryCapacity,

    /// <summary>A member of <c>OptimDsl.LineSearch</c>.</summary>
    LineSearchMember,
}

/// <summary>What each <see cref="HyperparameterRange"/> admits, and how an error message says it.</summary>
internal static class HyperparameterRanges
{
    /// <summary>Whether <paramref name="value"/> is valid.</summary>
    public static bool Contains(this HyperparameterRange range, double value)
    {
        bool finite = !double.IsNaN(value) && !double.IsInfinity(value);
        return range switch
        {
            HyperparameterRange.PositiveFinite => value > 0 && finite,
            HyperparameterRange.NonNegativeFinite => value >= 0 && finite,
            HyperparameterRange.ZeroToOne => value >= 0 && value < 1,
            HyperparameterRange.OpenZeroToOne => value > 0 && value < 1,
            HyperparameterRange.AboveOneFinite => value > 1 && finite,
            HyperparameterRange.NonNegativeInteger => value >= 0,
            HyperparameterRange.PositiveInteger => value >= 1,
            HyperparameterRange.HistoryCapacity => value >= 1 && value <= 1000,
            HyperparameterRange.LineSearchMember => value is 0 or 1,
            _ => true,
        };
    }

    /// <summary>The requirement, to follow a hyperparameter's name: "must be in [0, 1)".</summary>
    public static string Requirement(this HyperparameterRange range) => range switch
    {
        HyperparameterRange.PositiveFinite => "must be positive and finite",
        HyperparameterRange.NonNegativeFinite => "must be zero or positive, and finite",
        HyperparameterRange.ZeroToOne => "must be in [0, 1)",
        HyperparameterRange.OpenZeroToOne => "must be in (0, 1)",
        HyperparameterRange.AboveOneFinite => "must be greater than 1, and finite",
        HyperparameterRange.NonNegativeInteger => "must be at least 0 (0 is the full batch)",
        HyperparameterRange.PositiveInteger => "must be at least 1",
        HyperparameterRange.HistoryCapacity => "must be in [1, 1000]",
        HyperparameterRange.LineSearchMember => "must be LineSearch.StrongWolfe or LineSearch.None",
        _ => "may be any value",
    };
}

/// <summary>The constraints between hyperparameters, in the words of both OPTDSL003 and the setters' exceptions.</summary>
internal static class HyperparameterConstraints
{
    /// <summary>Rprop: 0 &lt; MinStep ≤ MaxStep.</summary>
    public const string MinStepAboveMaxStep = "MinStep must not exceed MaxStep";

    /// <summary>GradientDescent and Sgd: Nesterov = true needs Momentum &gt; 0 and Dampening = 0.</summary>
    public const string Nesterov = "Nesterov momentum needs Momentum > 0 and Dampening = 0";
}
