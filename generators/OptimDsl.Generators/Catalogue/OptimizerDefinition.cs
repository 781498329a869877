using System;
using System.Collections.Generic;
using System.Linq;

namespace OptimDsl.Generators.Catalogue;

/// <summary>Where a generated optimizer keeps a hyperparameter.</summary>
internal enum HyperparameterHome
{
    /// <summary>In the update rule: <c>this.rule.X</c>.</summary>
    Rule,

    /// <summary>In the gradient clipping: <c>this.clipping.X</c>.</summary>
    Clipping,

    /// <summary>In the minibatches, on objectives with data: <c>this.batches.X</c>.</summary>
    Minibatches,
}

/// <summary>The C# type of a hyperparameter.</summary>
internal enum HyperparameterType
{
    Double,
    Int,

    /// <summary>A flag fixed at compile time: a get-only property.</summary>
    Flag,

    /// <summary>A member of <c>OptimDsl.LineSearch</c>, fixed at compile time: a get-only property.</summary>
    LineSearch,
}

/// <summary>How an optimizer moves: the shape of its generated struct (README, Which optimizer?).</summary>
internal enum OptimizerFamily
{
    /// <summary>An update rule applied value by value from the gradient (§7's catalogue): clipping, minibatches, schedules.</summary>
    FirstOrder,

    /// <summary><c>[Lbfgs]</c>: a quasi-Newton iteration with a line search, full batch.</summary>
    Lbfgs,

    /// <summary><c>[LevenbergMarquardt]</c>: damped Gauss–Newton over the residuals' Jacobian, full batch.</summary>
    LevenbergMarquardt,
}

/// <summary>
/// One hyperparameter of an optimizer: its attribute property, its default and its valid values. The
/// same row checks the attribute (OPTDSL003), names the property (OPTDSL006), and writes the property,
/// whose documentation is the attribute property's (one text, in the runtime library).
/// </summary>
/// <param name="Name">The attribute's and the generated struct's property: <c>Beta1</c>.</param>
/// <param name="Default">The default, also the attribute's; a flag is 0 or 1.</param>
/// <param name="FixedAtCompileTime">A flag or an initial state: the struct's property is get-only.</param>
internal sealed record HyperparameterDefinition(
    string Name,
    double Default,
    HyperparameterRange Range,
    HyperparameterType Type = HyperparameterType.Double,
    HyperparameterHome Home = HyperparameterHome.Rule,
    bool FixedAtCompileTime = false)
{
    /// <summary>Declared by <c>OptimDsl.FirstOrderOptimizerAttribute</c>, the base of the first-order attributes, rather than by the attribute itself.</summary>
    public bool OnEveryAttribute => Name is "LearningRate" or "ClipValue" or "ClipNorm" or "BatchSize" or "Seed";

    /// <summary>The rule's constructor parameter: <c>beta1</c>.</summary>
    public string ParameterName => char.ToLowerInvariant(Name[0]) + Name.Substring(1);

    public string TypeKeyword => Type switch
    {
        HyperparameterType.Flag => "bool",
        HyperparameterType.Int => "int",
        HyperparameterType.LineSearch => "global::OptimDsl.LineSearch",
        _ => "double",
    };
}

/// <summary>A per-parameter state vector of a rule, passed to its entry points in this order.</summary>
/// <param name="Field">The generated struct's field, an inline array of n doubles: <c>m</c>.</param>
/// <param name="Summary">What it holds: "the first-moment estimate m".</param>
/// <param name="InitialValue">The hyperparameter whose value fills it at construction, or null for 0.</param>
internal sealed record StateVector(string Field, string Summary, string? InitialValue = null);

/// <summary>
/// One row of the catalogue: an optimizer attribute and everything the generator knows about it
/// (README, Optimizers). Adding an optimizer is one row here and one rule in the runtime library.
/// </summary>
/// <param name="Name">The attribute is <c>OptimDsl.{Name}Attribute</c>; the struct is <c>M{Name}</c>.</param>
/// <param name="Title">The first words of the struct's summary: "Adam (Kingma &amp; Ba 2015; torch.optim.Adam)".</param>
/// <param name="RuleSummary">The update, in symbols, for the struct's summary.</param>
/// <param name="Rule">The runtime rule struct, in namespace <c>OptimDsl.Rules</c>.</param>
/// <param name="Hyperparameters">The rule's hyperparameters, in its constructor's order; <c>LearningRate</c> first.</param>
/// <param name="States">The rule's state vectors, in its entry points' order.</param>
/// <param name="AlwaysMinibatches">True for <c>[Sgd]</c>: its batch size is at least 1, and 1 by default.</param>
/// <param name="LearningRateRestartsState">Rprop: setting the learning rate fills this state vector with it.</param>
/// <param name="RuleOptions">Constructor arguments of the rule that the row fixes: AdamW's <c>decoupledWeightDecay: true</c>.</param>
/// <param name="CrossCheck">A constraint between hyperparameters: given the values by name, the argument to report and why, or null.</param>
/// <param name="Family">How the optimizer moves: a first-order rule (the default), L-BFGS or Levenberg–Marquardt.</param>
internal sealed record OptimizerDefinition(
    string Name,
    string Title,
    string RuleSummary,
    string Rule,
    HyperparameterDefinition[] Hyperparameters,
    StateVector[] States,
    bool AlwaysMinibatches = false,
    string? LearningRateRestartsState = null,
    string? RuleOptions = null,
    Func<IReadOnlyDictionary<string, double>, (string Argument, string Problem)?>? CrossCheck = null,
    OptimizerFamily Family = OptimizerFamily.FirstOrder)
{
    /// <summary>Whether the optimizer is a first-order rule, with clipping, minibatches, schedules and the learning-rate finder.</summary>
    public bool IsFirstOrder => Family == OptimizerFamily.FirstOrder;

    /// <summary>The hyperparameters every first-order optimizer has besides its rule's: clipping, then minibatches (none for the solvers).</summary>
    public IEnumerable<HyperparameterDefinition> Common => !IsFirstOrder ? System.Array.Empty<HyperparameterDefinition>() : new[]
    {
        new HyperparameterDefinition("ClipValue", 0, HyperparameterRange.NonNegativeFinite, Home: HyperparameterHome.Clipping),
        new HyperparameterDefinition("ClipNorm", 0, HyperparameterRange.NonNegativeFinite, Home: HyperparameterHome.Clipping),
        new HyperparameterDefinition("BatchSize", AlwaysMinibatches ? 1 : 0,
            AlwaysMinibatches ? HyperparameterRange.PositiveInteger : HyperparameterRange.NonNegativeInteger,
            HyperparameterType.Int, HyperparameterHome.Minibatches),
        new HyperparameterDefinition("Seed", 0, HyperparameterRange.Any,
            HyperparameterType.Int, HyperparameterHome.Minibatches),
    };

    /// <summary>Whether the optimizer's struct takes minibatches (has BatchSize and Seed): a first-order rule with data, or one that always does.</summary>
    public bool HasMinibatches(bool hasData) => IsFirstOrder && (hasData || AlwaysMinibatches);

    /// <summary>The hyperparameters that are properties of the optimizer's struct: all but BatchSize and Seed without minibatches.</summary>
    public IEnumerable<HyperparameterDefinition> PropertiesWith(bool hasData)
        => All.Where(h => h.Home != HyperparameterHome.Minibatches || HasMinibatches(hasData));

    /// <summary>Every hyperparameter, in the order of <see cref="Model.OptimizerModel.Values"/>: the rule's, then the common ones.</summary>
    public HyperparameterDefinition[] All => _all ??= Hyperparameters.Concat(Common).ToArray();

    private HyperparameterDefinition[]? _all;

    public string AttributeName => Name + "Attribute";

    public string RuleType => "global::OptimDsl.Rules." + Rule;
}
