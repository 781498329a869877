using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// OPTDSL003, OPTDSL005 and OPTDSL006 for every optimizer of the catalogue (README, Optimizers and
/// Diagnostics): each invalid value of each hyperparameter of each optimizer is reported at its attribute
/// argument with its exact message, its boundary values are accepted, the cross-checks are reported at the
/// argument the README names, and the generator agrees (the gradient is generated, that optimizer is not).
/// </summary>
/// <remarks>
/// The optimizers, hyperparameters and valid ranges are written out here from the README's table, not read
/// from the catalogue, so that a row that drifts from the README fails.
/// </remarks>
public sealed class CatalogueDiagnosticTests
{
    /// <summary>Each optimizer's own hyperparameters (README, Optimizers); every one also has <see cref="Common"/>.</summary>
    private static readonly Dictionary<string, string[]> Optimizers = new(StringComparer.Ordinal)
    {
        ["GradientDescent"] = ["LearningRate", "Momentum", "Dampening", "Nesterov", "WeightDecay"],
        ["Sgd"] = ["LearningRate", "Momentum", "Dampening", "Nesterov", "WeightDecay"],
        ["Adam"] = ["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay", "AmsGrad"],
        ["AdamW"] = ["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay", "AmsGrad"],
        ["Adamax"] = ["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay"],
        ["NAdam"] = ["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay", "MomentumDecay"],
        ["RAdam"] = ["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay"],
        ["RmsProp"] = ["LearningRate", "Alpha", "Epsilon", "Momentum", "Centered", "WeightDecay"],
        ["AdaGrad"] = ["LearningRate", "LearningRateDecay", "InitialAccumulatorValue", "Epsilon", "WeightDecay"],
        ["AdaDelta"] = ["LearningRate", "Rho", "Epsilon", "WeightDecay"],
        ["Rprop"] = ["LearningRate", "EtaMinus", "EtaPlus", "MinStep", "MaxStep"],
        ["Lion"] = ["LearningRate", "Beta1", "Beta2", "WeightDecay"],
    };

    private static readonly string[] Common = ["ClipValue", "ClipNorm", "BatchSize", "Seed"];

    private const string Positive = "must be positive and finite";
    private const string NonNegative = "must be zero or positive, and finite";
    private const string Unit = "must be in [0, 1)";

    /// <summary>An attribute argument's source text and how the message shows its value.</summary>
    private sealed record Value(string Source, string Shown);

    private static readonly Value NaN = new("double.NaN", "NaN");
    private static readonly Value NaNQuotient = new("0.0 / 0.0", "NaN");
    private static readonly Value PlusInfinity = new("double.PositiveInfinity", "Infinity");
    private static readonly Value MinusInfinity = new("double.NegativeInfinity", "-Infinity");
    private static readonly Value InfiniteQuotient = new("1.0 / 0.0", "Infinity");

    /// <summary>The README's valid values of a hyperparameter: the requirement in the message, invalid values (with how they are shown), valid boundary values.</summary>
    private static (string? Requirement, Value[] Invalid, string[] Valid) ValidValues(string optimizer, string hyperparameter) => hyperparameter switch
    {
        "LearningRate" or "Epsilon" => (Positive,
            [NaN, NaNQuotient, PlusInfinity, MinusInfinity, InfiniteQuotient, new("0", "0"), new("-0.0", "-0"), new("-1.5", "-1.5")],
            ["double.Epsilon", "1", "double.MaxValue"]),
        // 0 < MinStep ≤ MaxStep (defaults 1e-6 and 50): the valid values keep the other at its default.
        "MinStep" => (Positive,
            [NaN, PlusInfinity, MinusInfinity, new("0", "0"), new("-1e-6", "-1E-06")],
            ["double.Epsilon", "50"]),
        "MaxStep" => (Positive,
            [NaN, PlusInfinity, MinusInfinity, new("0", "0"), new("-50", "-50")],
            ["1e-6", "double.MaxValue"]),
        "WeightDecay" or "ClipValue" or "ClipNorm" or "MomentumDecay" or "LearningRateDecay" or "InitialAccumulatorValue" => (NonNegative,
            [NaN, NaNQuotient, PlusInfinity, MinusInfinity, new("-1.5", "-1.5"), new("-1e-300", "-1E-300")],
            ["0", "-0.0", "double.Epsilon", "1e300"]),
        "Beta1" or "Beta2" or "Alpha" or "Rho" or "Momentum" or "Dampening" => (Unit,
            [NaN, PlusInfinity, MinusInfinity, new("1", "1"), new("1.5", "1.5"), new("-0.5", "-0.5"), new("-double.Epsilon", "-5E-324")],
            ["0", "-0.0", "0.5", "0.9999999999999999"]),
        "EtaMinus" => ("must be in (0, 1)",
            [NaN, PlusInfinity, MinusInfinity, new("0", "0"), new("1", "1"), new("-0.5", "-0.5"), new("1.5", "1.5")],
            ["double.Epsilon", "0.9999999999999999"]),
        "EtaPlus" => ("must be greater than 1, and finite",
            [NaN, PlusInfinity, MinusInfinity, new("1", "1"), new("0.5", "0.5"), new("0", "0"), new("-2", "-2")],
            ["1.0000000000000002", "1e300"]),
        "BatchSize" when optimizer == "Sgd" => ("must be at least 1",
            [new("0", "0"), new("-1", "-1"), new("int.MinValue", "-2147483648")],
            ["1", "2", "int.MaxValue"]),
        "BatchSize" => ("must be at least 0 (0 is the full batch)",
            [new("-1", "-1"), new("int.MinValue", "-2147483648")],
            ["0", "1", "int.MaxValue"]),
        "Seed" => (null, [], ["int.MinValue", "-1", "0", "int.MaxValue"]),
        // Flags: any value alone (Nesterov's cross-check is tested below).
        "Nesterov" => (null, [], ["false"]),
        "AmsGrad" or "Centered" => (null, [], ["false", "true"]),
        _ => throw new ArgumentException($"no range for {hyperparameter}"),
    };

    public static TheoryData<string, string> EveryHyperparameter()
    {
        var data = new TheoryData<string, string>();
        foreach (var (optimizer, own) in Optimizers)
        {
            foreach (var hyperparameter in own.Concat(Common))
            {
                data.Add(optimizer, hyperparameter);
            }
        }

        return data;
    }

    /// <summary>The source: in class <c>Demo.Problems</c>, one objective with data per value, <c>Bad{i}</c> and <c>Good{i}</c>.</summary>
    private static string Problems(IEnumerable<string> objectives) => $$"""
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
        {{string.Join("\n\n", objectives)}}
        }
        """;

    private static string Objective(string name, string attribute, bool data = true) => data
        ? $"    [Objective, {attribute}]\n    public static double {name}(double w, [Data] double t) => (w - t) * (w - t);"
        : $"    [Objective, {attribute}]\n    public static double {name}(double w) => w * w;";

    [Theory]
    [MemberData(nameof(EveryHyperparameter))]
    public async Task Every_invalid_value_is_reported_at_its_argument_and_every_boundary_value_is_accepted(string optimizer, string hyperparameter)
    {
        var (requirement, invalid, valid) = ValidValues(optimizer, hyperparameter);
        var objectives = new List<string>();
        var expected = new List<DiagnosticResult>();
        for (var i = 0; i < invalid.Length; i++)
        {
            objectives.Add(Objective($"Bad{i}", $"{optimizer}({{|#{i}:{hyperparameter} = {invalid[i].Source}|}})"));
            expected.Add(new DiagnosticResult("OPTDSL003", DiagnosticSeverity.Error)
                .WithLocation(i)
                .WithMessage($"{hyperparameter} {requirement}, not {invalid[i].Shown}"));
        }

        for (var i = 0; i < valid.Length; i++)
        {
            objectives.Add(Objective($"Good{i}", $"{optimizer}({hyperparameter} = {valid[i]})"));
        }

        var markup = Problems(objectives);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();

        // The generator agrees: every gradient is generated; the optimizers with an invalid value are not.
        string[] names = [.. Enumerable.Range(0, invalid.Length).Select(i => $"Bad{i}"), .. Enumerable.Range(0, valid.Length).Select(i => $"Good{i}")];
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), names);
        foreach (var name in names)
        {
            var file = run.SourceOf($"Demo.Problems.{name}.g.cs");
            Assert.Contains($"{name}Gradient(", file, StringComparison.Ordinal);
            Assert.Equal(name.StartsWith("Good", StringComparison.Ordinal), file.Contains($"public struct {name}{optimizer}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_table_above_is_every_first_order_optimizer_attribute()
    {
        // [Lbfgs] and [LevenbergMarquardt] have neither clipping nor minibatches: SolverDiagnosticTests.
        var attributes = typeof(OptimizerAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(FirstOrderOptimizerAttribute)) && !t.IsAbstract)
            .Select(t => t.Name[..^"Attribute".Length]);
        Assert.Equal(attributes.Order(StringComparer.Ordinal), Optimizers.Keys.Order(StringComparer.Ordinal));
        foreach (var (optimizer, own) in Optimizers)
        {
            var settable = typeof(OptimizerAttribute).Assembly.GetType($"OptimDsl.{optimizer}Attribute")!.GetProperties()
                .Where(p => p.CanWrite).Select(p => p.Name);
            Assert.Equal(own.Concat(Common).Order(StringComparer.Ordinal), settable.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Several_invalid_arguments_of_one_attribute_are_each_reported()
    {
        var markup = Problems([
            Objective("Bad", "Adam({|#0:Beta1 = 1|}, {|#1:Beta2 = -1|}, {|#2:Epsilon = 0|}, {|#3:ClipNorm = double.NaN|}, {|#4:BatchSize = -3|})"),
            Objective("Good", "Adam(Beta1 = 0, Beta2 = 0.5, Epsilon = 1, ClipNorm = 0, BatchSize = 0)"),
        ]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "Beta1 must be in [0, 1), not 1"));
        test.ExpectedDiagnostics.Add(Error(1, "Beta2 must be in [0, 1), not -1"));
        test.ExpectedDiagnostics.Add(Error(2, "Epsilon must be positive and finite, not 0"));
        test.ExpectedDiagnostics.Add(Error(3, "ClipNorm must be zero or positive, and finite, not NaN"));
        test.ExpectedDiagnostics.Add(Error(4, "BatchSize must be at least 0 (0 is the full batch), not -3"));
        await test.RunAsync();
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Bad", "Good");
        Assert.DoesNotContain("struct BadAdam", run.SourceOf("Demo.Problems.Bad.g.cs"), StringComparison.Ordinal);
        Assert.Contains("struct GoodAdam", run.SourceOf("Demo.Problems.Good.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_optimizer_with_the_invalid_value_is_dropped()
    {
        var markup = Problems([Objective("Mixed", "GradientDescent, RmsProp({|#0:Alpha = 1|}), Lion, Rprop({|#1:EtaPlus = 1|}), AdaGrad")]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "Alpha must be in [0, 1), not 1"));
        test.ExpectedDiagnostics.Add(Error(1, "EtaPlus must be greater than 1, and finite, not 1"));
        await test.RunAsync();
        var file = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Mixed").SourceOf("Demo.Problems.Mixed.g.cs");
        foreach (var (optimizer, kept) in new[] { ("GradientDescent", true), ("RmsProp", false), ("Lion", true), ("Rprop", false), ("AdaGrad", true) })
        {
            Assert.Equal(kept, file.Contains($"public struct Mixed{optimizer}", StringComparison.Ordinal));
        }
    }

    // ---- cross-checks ----------------------------------------------------------------------------

    private const string NesterovProblem = "Nesterov momentum needs Momentum > 0 and Dampening = 0";

    [Theory]
    [InlineData("GradientDescent", "{|#0:Nesterov = true|}")]
    [InlineData("GradientDescent", "Momentum = 0, {|#0:Nesterov = true|}")]
    [InlineData("GradientDescent", "{|#0:Nesterov = true|}, Momentum = 0")]
    [InlineData("GradientDescent", "Momentum = 0.9, Dampening = 0.1, {|#0:Nesterov = true|}")]
    [InlineData("GradientDescent", "{|#0:Nesterov = true|}, Dampening = double.Epsilon, Momentum = 0.5")]
    [InlineData("Sgd", "{|#0:Nesterov = true|}")]
    [InlineData("Sgd", "Momentum = 0.9, Dampening = 0.5, {|#0:Nesterov = true|}, BatchSize = 4")]
    public async Task Nesterov_without_momentum_or_with_dampening_is_reported_at_Nesterov(string optimizer, string arguments)
    {
        var markup = Problems([
            Objective("Bad", $"{optimizer}({arguments})"),
            Objective("Good", $"{optimizer}(Momentum = 0.9, Dampening = 0, Nesterov = true)"),
            Objective("AlsoGood", $"{optimizer}(Momentum = double.Epsilon, Nesterov = true)"),
            Objective("DampenedWithoutNesterov", $"{optimizer}(Momentum = 0.9, Dampening = 0.9, Nesterov = false)"),
        ]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, NesterovProblem));
        await test.RunAsync();
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Bad", "Good", "AlsoGood", "DampenedWithoutNesterov");
        Assert.DoesNotContain($"struct Bad{optimizer}", run.SourceOf("Demo.Problems.Bad.g.cs"), StringComparison.Ordinal);
        Assert.Contains($"struct Good{optimizer}", run.SourceOf("Demo.Problems.Good.g.cs"), StringComparison.Ordinal);
        Assert.Contains($"struct AlsoGood{optimizer}", run.SourceOf("Demo.Problems.AlsoGood.g.cs"), StringComparison.Ordinal);
        Assert.Contains($"struct DampenedWithoutNesterov{optimizer}", run.SourceOf("Demo.Problems.DampenedWithoutNesterov.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_range_momentum_with_Nesterov_is_reported_once_at_the_momentum()
    {
        var markup = Problems([Objective("Bad", "GradientDescent({|#0:Momentum = 1|}, Nesterov = true)")]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "Momentum must be in [0, 1), not 1"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("{|#0:MinStep = 2|}, MaxStep = 1")]
    [InlineData("MaxStep = 1, {|#0:MinStep = 2|}")]
    [InlineData("{|#0:MinStep = 60|}")]
    [InlineData("{|#0:MinStep = 1.0000000000000002|}, MaxStep = 1")]
    [InlineData("LearningRate = 0.1, {|#0:MinStep = double.MaxValue|}, EtaPlus = 2")]
    public async Task MinStep_above_MaxStep_is_reported_at_MinStep(string arguments)
    {
        var markup = Problems([
            Objective("Bad", $"Rprop({arguments})"),
            Objective("Equal", "Rprop(MinStep = 1, MaxStep = 1)"),
        ]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "MinStep must not exceed MaxStep"));
        await test.RunAsync();
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Bad", "Equal");
        Assert.DoesNotContain("struct BadRprop", run.SourceOf("Demo.Problems.Bad.g.cs"), StringComparison.Ordinal);
        Assert.Contains("struct EqualRprop", run.SourceOf("Demo.Problems.Equal.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>The default MinStep (1e-6) above a MaxStep written alone: there is no MinStep argument, so the attribute is the place.</summary>
    [Fact]
    public async Task A_MaxStep_below_the_default_MinStep_is_reported_at_the_attribute()
    {
        var markup = Problems([Objective("Bad", "{|#0:Rprop(MaxStep = 1e-7)|}")]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "MinStep must not exceed MaxStep"));
        await test.RunAsync();
        Assert.DoesNotContain("struct BadRprop", DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Bad").SourceOf("Demo.Problems.Bad.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_range_MinStep_is_reported_once_as_out_of_range()
    {
        var markup = Problems([Objective("Bad", "Rprop({|#0:MinStep = double.PositiveInfinity|}, MaxStep = 1)")]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, "MinStep must be positive and finite, not Infinity"));
        await test.RunAsync();
    }

    // ---- OPTDSL005: minibatches without data ------------------------------------------------------

    public static TheoryData<string> EveryOptimizerButSgd => [.. Optimizers.Keys.Where(o => o != "Sgd")];

    public static TheoryData<string> EveryOptimizer => [.. Optimizers.Keys];

    [Theory]
    [MemberData(nameof(EveryOptimizerButSgd))]
    public async Task A_batch_size_without_data_is_reported_at_BatchSize_and_the_optimizer_is_still_generated(string optimizer)
    {
        var markup = Problems([
            Objective("NoData", $"{optimizer}(Seed = 2, {{|#0:BatchSize = 1|}})", data: false),
            Objective("Large", $"{optimizer}({{|#1:BatchSize = int.MaxValue|}})", data: false),
            Objective("FullBatch", $"{optimizer}(BatchSize = 0)", data: false),
            Objective("WithData", $"{optimizer}(BatchSize = 4)"),
        ]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Warning(0, "'NoData' has no [Data] parameter, so BatchSize has no samples to take: every update uses the whole objective; remove BatchSize, or mark the per-sample inputs [Data]"));
        test.ExpectedDiagnostics.Add(Warning(1, "'Large' has no [Data] parameter, so BatchSize has no samples to take: every update uses the whole objective; remove BatchSize, or mark the per-sample inputs [Data]"));
        await test.RunAsync();
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "NoData", "Large", "FullBatch", "WithData");
        foreach (var name in new[] { "NoData", "Large", "FullBatch", "WithData" })
        {
            Assert.Contains($"struct {name}{optimizer}", run.SourceOf($"Demo.Problems.{name}.g.cs"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{|#0:Sgd|}")]
    [InlineData("{|#0:Sgd(LearningRate = 0.1)|}")]
    [InlineData("{|#0:Sgd(BatchSize = 8, Seed = 1)|}")]
    [InlineData("{|#0:OptimDsl.SgdAttribute(Momentum = 0.5)|}")]
    public async Task Sgd_without_data_is_reported_once_at_the_attribute(string attribute)
    {
        var markup = Problems([Objective("NoData", attribute, data: false)]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Warning(0, "'NoData' has no [Data] parameter, so [Sgd] is plain gradient descent; use [GradientDescent], or mark the per-sample inputs [Data]"));
        await test.RunAsync();
        Assert.Contains("struct NoDataSgd", DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "NoData").SourceOf("Demo.Problems.NoData.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sgd({|#0:BatchSize = 0|})", "BatchSize must be at least 1, not 0")]
    [InlineData("Adam({|#0:BatchSize = -1|})", "BatchSize must be at least 0 (0 is the full batch), not -1")]
    [InlineData("Lion({|#0:LearningRate = 0|}, BatchSize = 4)", "LearningRate must be positive and finite, not 0")]
    public async Task An_invalid_optimizer_without_data_is_reported_only_as_invalid(string attribute, string message)
    {
        var markup = Problems([Objective("NoData", attribute, data: false)]);
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(Error(0, message));
        await test.RunAsync();
    }

    // ---- OPTDSL006: a parameter that would become a hyperparameter property --------------------------

    public static TheoryData<string, string> EveryHyperparameterProperty()
    {
        var data = new TheoryData<string, string>();
        foreach (var (optimizer, own) in Optimizers)
        {
            foreach (var hyperparameter in own.Concat(Common))
            {
                data.Add(optimizer, char.ToLowerInvariant(hyperparameter[0]) + hyperparameter[1..]);
            }
        }

        return data;
    }

    private static string ClashMessage(string parameter)
        => $"Parameter '{parameter}' would become property '{char.ToUpperInvariant(parameter[0]) + parameter[1..]}' of the generated optimizer, which already has a member of that name: rename it";

    [Theory]
    [MemberData(nameof(EveryHyperparameterProperty))]
    public async Task A_parameter_named_after_a_hyperparameter_of_the_optimizer_is_reported_at_the_method_name(string optimizer, string parameter)
    {
        var markup = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizer}}]
                public static double {|#0:Clash|}(double w, double {{parameter}}, [Data] double t) => (w * {{parameter}} - t) * (w * {{parameter}} - t);

                [Objective, {{optimizer}}]
                public static double Valid(double w, double {{parameter}}Value, [Data] double t) => (w * {{parameter}}Value - t) * (w * {{parameter}}Value - t);
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL006", DiagnosticSeverity.Error).WithLocation(0).WithMessage(ClashMessage(parameter)));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Valid");
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("Lion")]
    [InlineData("GradientDescent")]
    public async Task Without_data_seed_and_batchSize_are_ordinary_parameter_names(string optimizer)
    {
        // BatchSize and Seed are properties only of an optimizer with data (README, OPTDSL005): a new user's trial found
        // trained parameters 'seed' and 'batchSize' refused by OPTDSL006 here.
        var source = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizer}}]
                public static double Free(double seed, double batchSize) => (seed - 1) * (seed - 1) + batchSize * batchSize;
            }
            """;
        await new AnalyzerTest(source).RunAsync();
        DiagnosticTests.AssertGenerated(source, "Free");
    }

    [Theory]
    [InlineData("Adam", "clone")]
    [InlineData("GradientDescent", "clone")]
    [InlineData("Adam", "parameters")]
    [InlineData("Lion", "parameters")]
    public async Task A_parameter_named_like_the_Clone_method_or_the_Parameters_view_is_reported_at_the_method_name(string optimizer, string parameter)
    {
        // Clone() and the Parameters view are members of every optimizer.
        var markup = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizer}}]
                public static double {|#0:Clash|}(double w, double {{parameter}}) => (w - {{parameter}}) * (w - {{parameter}});
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL006", DiagnosticSeverity.Error).WithLocation(0).WithMessage(ClashMessage(parameter)));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_member_named_like_the_parameter_count_constant_is_reported_at_the_method_name()
    {
        var markup = """
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                public const int FitParameterCount = 7;

                [Objective]
                public static double {|#0:Fit|}(double w) => w * w;
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL006", DiagnosticSeverity.Error).WithLocation(0)
            .WithMessage("'Problems' already has a member named 'FitParameterCount', which OptimDsl generates for objective 'Fit'"));
        await test.RunAsync();
    }

    /// <summary>
    /// A name is reserved only by the optimizers asked for: a parameter named after a hyperparameter of
    /// another optimizer (alpha on [Adam], momentum on [Lion]) is generated, and its property is the parameter.
    /// </summary>
    public static TheoryData<string, string> HyperparametersOfOtherOptimizers()
    {
        var data = new TheoryData<string, string>();
        var all = Optimizers.Values.SelectMany(h => h).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var (optimizer, own) in Optimizers)
        {
            foreach (var hyperparameter in all.Except(own, StringComparer.Ordinal))
            {
                data.Add(optimizer, char.ToLowerInvariant(hyperparameter[0]) + hyperparameter[1..]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HyperparametersOfOtherOptimizers))]
    public async Task A_parameter_named_after_a_hyperparameter_of_another_optimizer_is_fine(string optimizer, string parameter)
    {
        var markup = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizer}}]
                public static double Free(double w, double {{parameter}}, [Data] double t) => (w * {{parameter}} - t) * (w * {{parameter}} - t);
            }
            """;
        await new AnalyzerTest(markup).RunAsync();
        var run = DiagnosticTests.AssertGenerated(WithoutMarkup(markup), "Free");
        Assert.Contains($"struct Free{optimizer}", run.SourceOf("Demo.Problems.Free.g.cs"), StringComparison.Ordinal);

        // The property is the parameter's: it reads back what the constructor was given.
        using var loaded = run.Load();
        var type = loaded.Assembly.GetType($"Demo.Problems+Free{optimizer}")!;
        var instance = Activator.CreateInstance(type, 1.5, 2.5)!;
        var property = char.ToUpperInvariant(parameter[0]) + parameter[1..];
        Assert.Equal(2.5, type.GetProperty(property)!.GetValue(instance));
    }

    [Theory]
    [InlineData("Adam, RmsProp", "alpha")]
    [InlineData("RmsProp, Adam", "beta1")]
    [InlineData("Lion, GradientDescent", "dampening")]
    [InlineData("Adamax, Rprop", "etaMinus")]
    [InlineData("AdaDelta, AdaGrad", "initialAccumulatorValue")]
    [InlineData("Lion, NAdam", "momentumDecay")]
    [InlineData("AdamW, AdaDelta", "rho")]
    public async Task With_several_optimizers_every_ones_hyperparameters_are_reserved(string optimizers, string parameter)
    {
        var markup = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizers}}]
                public static double {|#0:Clash|}(double w, double {{parameter}}) => w * w + {{parameter}} * {{parameter}};
            }
            """;
        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL006", DiagnosticSeverity.Error).WithLocation(0).WithMessage(ClashMessage(parameter)));
        await test.RunAsync();
        DiagnosticTests.AssertGenerated(WithoutMarkup(markup));
    }

    [Theory]
    [InlineData("momentum", "GradientDescent")]
    [InlineData("alpha", "RmsProp")]
    [InlineData("clipNorm", "Lion")]
    [InlineData("clipValue", "Rprop")]
    [InlineData("amsGrad", "AdamW")]
    [InlineData("centered", "RmsProp")]
    [InlineData("nesterov", "Sgd")]
    public async Task A_clash_in_an_objective_without_data_is_reported_too(string parameter, string optimizer)
    {
        var markup = $$"""
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                [Objective, {{optimizer}}]
                public static double {|#0:Clash|}(double w, double {{parameter}}) => w * w + {{parameter}} * {{parameter}};
            }
            """;
        if (optimizer == "Sgd")
        {
            markup = markup.Replace("[Objective, Sgd]", "[Objective, {|#1:Sgd|}]", StringComparison.Ordinal);
        }

        var test = new AnalyzerTest(markup);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL006", DiagnosticSeverity.Error).WithLocation(0).WithMessage(ClashMessage(parameter)));
        if (optimizer == "Sgd")
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult("OPTDSL005", DiagnosticSeverity.Warning).WithLocation(1)
                .WithMessage("'Clash' has no [Data] parameter, so [Sgd] is plain gradient descent; use [GradientDescent], or mark the per-sample inputs [Data]"));
        }

        await test.RunAsync();
        DiagnosticTests.AssertGenerated(WithoutMarkup(markup));
    }

    // ---- the generator and the analyzer agree --------------------------------------------------------

    /// <summary>
    /// For every optimizer, sources that the analyzer accepts or refuses: the generator emits objective M
    /// exactly when no error other than OPTDSL003 is reported for it, and the optimizer struct exactly when
    /// no OPTDSL003 is reported on its attribute.
    /// </summary>
    public static TheoryData<string, string> AgreementCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (optimizer, own) in Optimizers)
        {
            var firstUnit = own.FirstOrDefault(h => ValidValues(optimizer, h).Requirement == Unit) ?? "ClipValue";
            data.Add(optimizer, $"[{optimizer}] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
            var other = optimizer == "Adam" ? "Lion" : "Adam";
            data.Add(optimizer, $"[{optimizer}(LearningRate = double.NaN), {other}] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
            data.Add(optimizer, $"[{optimizer}({firstUnit} = -1)] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
            data.Add(optimizer, $"[{optimizer}(BatchSize = 3, ClipNorm = 1)] public static double M(double w, double b, [Data] double t) => (w + b - t) * (w + b - t);");
            data.Add(optimizer, $"[{optimizer}(BatchSize = 3)] public static double M(double w) => w * w;");
            data.Add(optimizer, $"[{optimizer}] public static double M(double w, double clipNorm) => w * clipNorm;");
            data.Add(optimizer, $"[{optimizer}, {other}(Beta1 = 2)] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
            data.Add(optimizer, $"[{other}, {optimizer}] public static double M(double w, double {char.ToLowerInvariant(own[^1][0]) + own[^1][1..]}) => w * w;");
        }

        data.Add("GradientDescent", "[GradientDescent(Nesterov = true), Sgd(Momentum = 0.5, Nesterov = true)] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
        data.Add("Rprop", "[Rprop(MinStep = 1, MaxStep = 0.5), Lion] public static double M(double w, [Data] double t) => (w - t) * (w - t);");
        return data;
    }

    [Theory]
    [MemberData(nameof(AgreementCases))]
    public async Task The_generator_emits_exactly_what_the_analyzer_accepts(string optimizer, string objective)
    {
        _ = optimizer;
        var source = $$"""
            using System;
            using OptimDsl;

            namespace Corpus;

            public static partial class Problems
            {
                [Objective]
                {{objective}}
            }
            """;
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), source);
        Assert.Null(run.Result.Exception);
        var analyzerDiagnostics = await run.InputCompilation.WithAnalyzers([new ObjectiveAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(run.InputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var errors = analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "OPTDSL003").ToList();
        var generated = run.GeneratedSources.Where(s => DiagnosticTests.ObjectiveOf(s.HintName) == "M").ToList();
        Assert.True(generated.Count == (errors.Count == 0 ? 1 : 0), $"generated {generated.Count} file(s); errors:\n{GeneratorRun.Format(errors)}");
        if (generated.Count == 0)
        {
            return;
        }

        var generatedTrees = run.RunResult.GeneratedTrees.ToHashSet();
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)));

        var text = generated[0].SourceText.ToString();
        var root = run.InputCompilation.SyntaxTrees.Single().GetRoot();
        var attributes = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>()
            .Select(a => a.Name.ToString()).Where(n => n != "Objective" && n != "Data");
        foreach (var attribute in attributes)
        {
            var invalid = analyzerDiagnostics.Any(d => d.Id == "OPTDSL003"
                && root.FindNode(d.Location.SourceSpan).AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>().First().Name.ToString() == attribute);
            Assert.True(!invalid == System.Text.RegularExpressions.Regex.IsMatch(text, $@"public struct M{attribute}\s"), $"[{attribute}]: OPTDSL003 {invalid}, generated {!invalid}\n{GeneratorRun.Format(analyzerDiagnostics)}");
        }
    }

    /// <summary>The source without the testing library's markup (<c>{|#0:</c>, <c>{|OPTDSL003:</c>, <c>|}</c>).</summary>
    private static string WithoutMarkup(string markup) => System.Text.RegularExpressions.Regex.Replace(markup, @"\{\|[^:|]+:|\|\}", string.Empty);

    private static DiagnosticResult Error(int location, string message)
        => new DiagnosticResult("OPTDSL003", DiagnosticSeverity.Error).WithLocation(location).WithMessage(message);

    private static DiagnosticResult Warning(int location, string message)
        => new DiagnosticResult("OPTDSL005", DiagnosticSeverity.Warning).WithLocation(location).WithMessage(message);
}
