using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OptimDsl.Generators.Catalogue;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// The catalogue (README, Optimizers) and the runtime library describe the same optimizers: one row per
/// optimizer attribute, the attribute's settable properties are the row's hyperparameters with the row's
/// defaults, and the row's rule in <c>OptimDsl.Rules</c> has the constructor, members and entry points
/// the generated code calls. A row or an attribute added on one side only fails here, not in a user's build.
/// </summary>
public sealed class CatalogueConsistencyTests
{
    private static readonly Assembly Runtime = typeof(OptimizerAttribute).Assembly;

    /// <summary>Every concrete optimizer attribute of the runtime library.</summary>
    private static Type[] AttributeTypes() =>
        [.. Runtime.GetTypes().Where(t => t.IsSubclassOf(typeof(OptimizerAttribute)) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static TheoryData<string> Rows => [.. OptimizerCatalogue.All.Select(d => d.Name)];

    /// <summary>The rows of the first-order rules, whose structs call a Step entry point per chunk of parameters.</summary>
    public static TheoryData<string> FirstOrderRows => [.. OptimizerCatalogue.All.Where(d => d.IsFirstOrder).Select(d => d.Name)];

    public static TheoryData<string> Attributes => [.. AttributeTypes().Select(t => t.Name)];

    [Fact]
    public void The_catalogue_has_the_fourteen_optimizers_of_the_readme()
    {
        string[] readme = ["GradientDescent", "Sgd", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RmsProp", "AdaGrad", "AdaDelta", "Rprop", "Lion", "Lbfgs", "LevenbergMarquardt"];
        Assert.Equal(readme.Order(StringComparer.Ordinal), OptimizerCatalogue.All.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Every_optimizer_attribute_has_exactly_one_row(string attributeName)
    {
        var rows = OptimizerCatalogue.All.Where(d => d.AttributeName == attributeName).ToArray();
        Assert.Single(rows);
        Assert.Same(rows[0], OptimizerCatalogue.ByAttribute(attributeName));
        Assert.Equal("OptimDsl", AttributeTypes().Single(t => t.Name == attributeName).Namespace);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_row_has_a_sealed_attribute_deriving_from_OptimizerAttribute(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var type = Runtime.GetType("OptimDsl." + definition.AttributeName);
        Assert.NotNull(type);
        Assert.True(type!.IsSubclassOf(typeof(OptimizerAttribute)), $"{type} does not derive from OptimizerAttribute");
        Assert.Equal(definition.IsFirstOrder, type.IsSubclassOf(typeof(FirstOrderOptimizerAttribute)));
        Assert.True(type.IsSealed && type.IsPublic, $"{type} must be public and sealed");
        var usage = type.GetCustomAttribute<AttributeUsageAttribute>();
        Assert.NotNull(usage);
        Assert.Equal(AttributeTargets.Method, usage!.ValidOn);
        Assert.False(usage.AllowMultiple);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_attributes_settable_properties_are_exactly_the_rows_hyperparameters(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var type = Runtime.GetType("OptimDsl." + definition.AttributeName)!;
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(definition.All.Select(h => h.Name).Order(StringComparer.Ordinal), settable);
        Assert.Equal(definition.All.Length, definition.All.Select(h => h.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_property_has_the_rows_type(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var type = Runtime.GetType("OptimDsl." + definition.AttributeName)!;
        foreach (var hyperparameter in definition.All)
        {
            var expected = hyperparameter.Type switch
            {
                HyperparameterType.Flag => typeof(bool),
                HyperparameterType.Int => typeof(int),
                HyperparameterType.LineSearch => typeof(LineSearch),
                _ => typeof(double),
            };
            Assert.Equal(expected, type.GetProperty(hyperparameter.Name)!.PropertyType);
            Assert.Equal(hyperparameter.TypeKeyword, expected == typeof(bool) ? "bool" : expected == typeof(int) ? "int" : expected == typeof(LineSearch) ? "global::OptimDsl.LineSearch" : "double");
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_new_attributes_values_are_the_rows_defaults(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var attribute = Activator.CreateInstance(Runtime.GetType("OptimDsl." + definition.AttributeName)!)!;
        var actual = definition.All.ToDictionary(h => h.Name, h => Number(attribute.GetType().GetProperty(h.Name)!.GetValue(attribute)!));
        var expected = definition.All.ToDictionary(h => h.Name, h => h.Default);
        Assert.Equal(expected, actual);
    }

    /// <summary>The defaults of README, Optimizers (the SPEC's table), written out here: Beta1 0.9 and Beta2 0.999 where not listed.</summary>
    [Theory]
    [InlineData("GradientDescent", "LearningRate=0.01 Momentum=0 Dampening=0 Nesterov=0 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("Sgd", "LearningRate=0.01 Momentum=0 Dampening=0 Nesterov=0 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=1 Seed=0")]
    [InlineData("Adam", "LearningRate=0.001 Beta1=0.9 Beta2=0.999 Epsilon=1E-08 WeightDecay=0 AmsGrad=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("AdamW", "LearningRate=0.001 Beta1=0.9 Beta2=0.999 Epsilon=1E-08 WeightDecay=0.01 AmsGrad=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("Adamax", "LearningRate=0.002 Beta1=0.9 Beta2=0.999 Epsilon=1E-08 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("NAdam", "LearningRate=0.002 Beta1=0.9 Beta2=0.999 Epsilon=1E-08 WeightDecay=0 MomentumDecay=0.004 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("RAdam", "LearningRate=0.001 Beta1=0.9 Beta2=0.999 Epsilon=1E-08 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("RmsProp", "LearningRate=0.01 Alpha=0.99 Epsilon=1E-08 Momentum=0 Centered=0 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("AdaGrad", "LearningRate=0.01 LearningRateDecay=0 InitialAccumulatorValue=0 Epsilon=1E-10 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("AdaDelta", "LearningRate=1 Rho=0.9 Epsilon=1E-06 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("Rprop", "LearningRate=0.01 EtaMinus=0.5 EtaPlus=1.2 MinStep=1E-06 MaxStep=50 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("Lion", "LearningRate=0.0001 Beta1=0.9 Beta2=0.99 WeightDecay=0 ClipValue=0 ClipNorm=0 BatchSize=0 Seed=0")]
    [InlineData("Lbfgs", "LearningRate=1 History=10 LineSearch=0")]
    [InlineData("LevenbergMarquardt", "InitialDamping=0.001 DampingFactor=10")]
    public void The_rows_are_the_readmes_table(string name, string defaults)
    {
        var definition = OptimizerCatalogue.ByName(name);
        Assert.Equal(defaults, string.Join(" ", definition.All.Select(h => FormattableString.Invariant($"{h.Name}={h.Default}"))));
        Assert.Equal(name != "LevenbergMarquardt", definition.Hyperparameters[0].Name == "LearningRate");
        Assert.Equal(name == "Sgd", definition.AlwaysMinibatches);
    }

    [Theory]
    [InlineData("GradientDescent", "Nesterov")]
    [InlineData("Sgd", "Nesterov")]
    [InlineData("Adam", "AmsGrad")]
    [InlineData("AdamW", "AmsGrad")]
    [InlineData("Adamax", "")]
    [InlineData("NAdam", "")]
    [InlineData("RAdam", "")]
    [InlineData("RmsProp", "Centered")]
    [InlineData("AdaGrad", "InitialAccumulatorValue")]
    [InlineData("AdaDelta", "")]
    [InlineData("Rprop", "")]
    [InlineData("Lion", "")]
    [InlineData("Lbfgs", "LineSearch")]
    [InlineData("LevenbergMarquardt", "")]
    public void Only_the_flags_and_AdaGrads_initial_accumulator_are_fixed_at_compile_time(string name, string fixedOnes)
    {
        var definition = OptimizerCatalogue.ByName(name);
        Assert.Equal(fixedOnes, string.Join(" ", definition.All.Where(h => h.FixedAtCompileTime).Select(h => h.Name)));
    }

    // ---- the rules --------------------------------------------------------------------------------

    private static Type RuleOf(OptimizerDefinition definition)
    {
        var rule = Runtime.GetType("OptimDsl.Rules." + definition.Rule);
        Assert.True(rule is not null, $"no rule OptimDsl.Rules.{definition.Rule} for [{definition.Name}]");
        Assert.Equal("global::OptimDsl.Rules." + definition.Rule, definition.RuleType);
        return rule!;
    }

    [Theory]
    [MemberData(nameof(FirstOrderRows))]
    public void Each_rule_has_Begin_Iteration_and_ScheduleLearningRate(string name)
    {
        var rule = RuleOf(OptimizerCatalogue.ByName(name));
        Assert.True(rule.IsValueType && rule.IsPublic, $"{rule} must be a public struct");

        var begin = rule.GetMethod("Begin", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        Assert.NotNull(begin);
        Assert.Equal(rule.GetNestedType("Step"), begin!.ReturnType);

        var iteration = rule.GetProperty("Iteration", BindingFlags.Public | BindingFlags.Instance);
        Assert.NotNull(iteration);
        Assert.Equal(typeof(long), iteration!.PropertyType);

        var schedule = rule.GetMethod("ScheduleLearningRate", BindingFlags.Public | BindingFlags.Instance, [typeof(double)]);
        Assert.NotNull(schedule);
        Assert.Equal(typeof(void), schedule!.ReturnType);
    }

    [Theory]
    [MemberData(nameof(FirstOrderRows))]
    public void Each_rules_Step_has_the_three_widths_taking_theta_the_gradient_and_every_state(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var step = RuleOf(definition).GetNestedType("Step");
        Assert.NotNull(step);
        Assert.True(step!.IsValueType, "Step must be a struct");

        foreach (var entry in new[] { "Update", "Update128", "Update256" })
        {
            var methods = step.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == entry).ToArray();
            Assert.True(methods.Length == 1, $"{step}.{entry}: {methods.Length} overloads");
            var parameters = methods[0].GetParameters();
            Assert.Equal(2 + definition.States.Length, parameters.Length);
            Assert.All(parameters, p => Assert.Equal(typeof(double).MakeByRefType(), p.ParameterType));
            Assert.All(parameters, p => Assert.False(p.IsOut || p.IsIn, $"{entry}({p.Name}) must be a plain ref"));
            Assert.Equal(["theta", "gradient"], parameters.Take(2).Select(p => p.Name));
            Assert.Equal(typeof(void), methods[0].ReturnType);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_rules_constructor_takes_the_rows_rule_hyperparameters_in_order(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var constructors = RuleOf(definition).GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        var constructor = Assert.Single(constructors);
        var inRule = definition.All.Where(h => h.Home == HyperparameterHome.Rule).ToArray();
        var required = constructor.GetParameters().Where(p => !p.IsOptional).ToArray();
        Assert.Equal(inRule.Select(h => h.ParameterName), required.Select(p => p.Name));
        Assert.Equal(
            inRule.Select(h => h.Type switch
            {
                HyperparameterType.Flag => typeof(bool),
                HyperparameterType.Int => typeof(int),
                HyperparameterType.LineSearch => typeof(LineSearch),
                _ => typeof(double),
            }),
            required.Select(p => p.ParameterType));

        // Optional parameters are options a row fixes (AdamW's decoupled weight decay), named in its RuleOptions.
        foreach (var option in constructor.GetParameters().Where(p => p.IsOptional))
        {
            Assert.Contains(OptimizerCatalogue.All, d => d.Rule == definition.Rule && RuleOptions(d).ContainsKey(option.Name!));
        }

        Assert.All(RuleOptions(definition).Keys, key => Assert.Contains(constructor.GetParameters(), p => p.Name == key && p.IsOptional));

        // The rule's hyperparameters are its own; clipping and minibatches are elsewhere.
        Assert.Equal(definition.Hyperparameters.Select(h => h.Name), inRule.Select(h => h.Name));
        Assert.Equal(
            definition.IsFirstOrder ? ["ClipValue:Clipping", "ClipNorm:Clipping", "BatchSize:Minibatches", "Seed:Minibatches"] : [],
            definition.Common.Select(h => $"{h.Name}:{h.Home}"));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_rule_has_a_property_per_hyperparameter_settable_unless_fixed_at_compile_time(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var rule = RuleOf(definition);
        foreach (var hyperparameter in definition.All.Where(h => h.Home == HyperparameterHome.Rule))
        {
            var property = rule.GetProperty(hyperparameter.Name, BindingFlags.Public | BindingFlags.Instance);
            Assert.True(property is not null, $"{rule.Name} has no property {hyperparameter.Name}");
            Assert.Equal(hyperparameter.FixedAtCompileTime, property!.SetMethod is not { IsPublic: true });
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_rules_constructor_accepts_the_defaults_and_reads_them_back(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        var rule = RuleOf(definition);
        var inRule = definition.All.Where(h => h.Home == HyperparameterHome.Rule).ToArray();
        var constructor = rule.GetConstructors().Single();
        var options = RuleOptions(definition);
        var arguments = inRule.Select(h => h.Type switch
            {
                HyperparameterType.Flag => (object)(h.Default != 0),
                HyperparameterType.Int => (int)h.Default,
                HyperparameterType.LineSearch => (LineSearch)(int)h.Default,
                _ => h.Default,
            })
            .Concat(constructor.GetParameters().Where(p => p.IsOptional).Select(p => options.TryGetValue(p.Name!, out var value) ? bool.Parse(value) : p.DefaultValue))
            .ToArray();
        var instance = constructor.Invoke(arguments);
        foreach (var hyperparameter in inRule)
        {
            Assert.Equal(hyperparameter.Default, Number(rule.GetProperty(hyperparameter.Name)!.GetValue(instance)!));
        }

        Assert.Equal(0L, rule.GetProperty("Iteration")!.GetValue(instance));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void State_vectors_are_distinct_and_initial_values_name_hyperparameters_of_the_row(string name)
    {
        var definition = OptimizerCatalogue.ByName(name);
        Assert.Equal(definition.States.Length, definition.States.Select(s => s.Field).Distinct(StringComparer.Ordinal).Count());
        foreach (var state in definition.States.Where(s => s.InitialValue is not null))
        {
            Assert.Contains(state.InitialValue, definition.Hyperparameters.Select(h => h.Name));
        }

        if (definition.LearningRateRestartsState is { } restarted)
        {
            Assert.Contains(restarted, definition.States.Select(s => s.Field));
        }
    }

    private static double Number(object value) => value switch
    {
        bool flag => flag ? 1 : 0,
        int integer => integer,
        LineSearch member => (int)member,
        double number => number,
        _ => throw new ArgumentException($"unexpected {value.GetType()}"),
    };

    /// <summary>The row's fixed rule arguments, "decoupledWeightDecay: true" ⇒ { decoupledWeightDecay: "true" }.</summary>
    private static Dictionary<string, string> RuleOptions(OptimizerDefinition definition)
        => (definition.RuleOptions ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(option => option.Split(':', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
}
