using System;
using System.Linq;
using System.Reflection;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Gradients;

/// <summary>
/// Branches whose generated code must behave as the objective does (constant branches typed as
/// doubles, untaken branches neither evaluated for effect nor leaking NaN into the gradient), and
/// objectives in generic types and records.
/// </summary>
public sealed class BranchAndPlacementTests
{
    private const string Source = """
        using System;
        using OptimDsl;

        namespace Edge;

        public static partial class Branches
        {
            // Branches with integral constant values: the objective divides and adds doubles.
            [Objective]
            public static double Steps(double x, double y) => (x > 0 ? 1.0 : 2.0) / (y > 0 ? 3.0 : 4.0) + x * y;

            [Objective]
            public static double LargeSteps(double x, double y) => (x > 0 ? 2e9 : 0.0) + (y > 0 ? 2e9 : 0.0) + x * y;

            // Math.Clamp throws when min > max, which happens only in the branch not taken when x < 0.
            [Objective]
            public static double ClampInBranch(double x, double y) => x > 0 ? Math.Clamp(y, x, 2 * x) * Math.Clamp(y, x, 2 * x) : -x;

            // Two hinges sharing one square root; for x ≤ 1 neither is taken and the root is NaN.
            [Objective]
            public static double TwoHinges(double x) => (x > 1 ? Math.Sqrt(x - 1) : 0) + (x > 2 ? Math.Sqrt(x - 1) : 0);

            [Objective]
            public static double TwoHingesData(double w, [Data] double x)
                => (w * x > 1 ? Math.Sqrt(w * x - 1) : 0) + (w * x > 2 ? Math.Sqrt(w * x - 1) : 0);

            public static double TwoHingesDataMean(double[] p, double[] x, double[] g) => TwoHingesDataGradient(p, x, g);
        }

        public partial class Generic<T> where T : class
        {
            [Objective]
            public static double InGeneric(double x, double y) => x * x * y + Math.Sin(x);
        }

        public partial record Rec
        {
            [Objective]
            public static double InRecord(double x) => Math.Exp(x) - x;
        }

        public partial record struct RecStruct
        {
            [Objective]
            internal static double InRecordStruct(double x, double y) => Math.Atan2(y, x);
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Loaded)> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        return (run, run.Load());
    });

    private static LoadedAssembly Loaded => Compiled.Value.Loaded;

    private static (double Value, double[] Gradient) Gradient(string type, string method, params double[] arguments)
    {
        var args = arguments.Cast<object?>().ToArray();
        var trainable = args.Length;
        var all = args.Concat(Enumerable.Repeat<object?>(null, trainable)).ToArray();
        var value = (double)Loaded.Invoke(type, method + "Gradient", all)!;
        return (value, all.Skip(trainable).Select(a => (double)a!).ToArray());
    }

    private static double Original(string type, string method, params double[] arguments)
        => (double)Loaded.Invoke(type, method, arguments.Cast<object?>().ToArray())!;

    [Fact]
    public void The_source_compiles_without_a_warning()
    {
        Assert.True(Compiled.Value.Run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(Compiled.Value.Run.WarningsAndErrors));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(-1.0, 1.0)]
    [InlineData(1.0, -1.0)]
    [InlineData(-1.0, -1.0)]
    public void Constant_branches_divide_as_doubles(double x, double y)
    {
        var (value, gradient) = Gradient("Edge.Branches", "Steps", x, y);

        Assert.Equal((x > 0 ? 1.0 : 2.0) / (y > 0 ? 3.0 : 4.0) + x * y, value, 15);
        Assert.Equal(Original("Edge.Branches", "Steps", x, y), value, 15);
        Assert.Equal(new[] { y, x }, gradient);
    }

    [Fact]
    public void Constant_branches_add_as_doubles()
    {
        var (value, _) = Gradient("Edge.Branches", "LargeSteps", 1, 1);

        Assert.Equal(4e9 + 1, value);
    }

    [Theory]
    [InlineData(-1.0, 0.5)]
    [InlineData(-0.25, 3.0)]
    public void A_branch_not_taken_is_not_evaluated(double x, double y)
    {
        Assert.Equal(-x, Original("Edge.Branches", "ClampInBranch", x, y));

        var (value, gradient) = Gradient("Edge.Branches", "ClampInBranch", x, y);

        Assert.Equal(-x, value);
        Assert.Equal(new[] { -1.0, 0 }, gradient);
    }

    [Fact]
    public void The_branch_taken_still_clamps()
    {
        var (value, gradient) = Gradient("Edge.Branches", "ClampInBranch", 1, 1.5);

        Assert.Equal(1.5 * 1.5, value);
        Assert.Equal(new[] { 0.0, 3.0 }, gradient);
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(-3.0, 0.0)]
    [InlineData(1.5, 0.70710678118654746)]   // ½/√0.5
    [InlineData(3.0, 0.70710678118654746)]   // 2 · ½/√2
    public void A_NaN_in_branches_not_taken_stays_out_of_the_gradient(double x, double expected)
    {
        var (value, gradient) = Gradient("Edge.Branches", "TwoHinges", x);

        Assert.Equal(Original("Edge.Branches", "TwoHinges", x), value);
        Assert.Equal(expected, gradient[0], 14);
    }

    [Fact]
    public void A_NaN_in_branches_not_taken_stays_out_of_the_mean_gradient()
    {
        // Five samples: four through the vector loop, one through the scalar remainder; no hinge is active.
        double[] x = [0.5, 0.2, 0.7, 0.1, 0.3];
        var gradient = new double[1];

        var mean = (double)Loaded.Invoke("Edge.Branches", "TwoHingesDataMean", new[] { 1.0 }, x, gradient)!;

        Assert.Equal(0.0, mean);
        Assert.Equal(0.0, gradient[0]);
    }

    [Fact]
    public void Objectives_in_a_generic_type_and_in_records()
    {
        var generic = Loaded.GetType("Edge.Generic`1").MakeGenericType(typeof(string));
        var method = generic.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "InGenericGradient" && m.GetParameters().Length == 4);
        object?[] args = [0.7, -1.3, null, null];
        var value = (double)method.Invoke(null, args)!;
        Assert.Equal(0.7 * 0.7 * -1.3 + Math.Sin(0.7), value, 14);
        Assert.Equal(2 * 0.7 * -1.3 + Math.Cos(0.7), (double)args[2]!, 14);
        Assert.Equal(0.7 * 0.7, (double)args[3]!, 14);

        var (record, dRecord) = Gradient("Edge.Rec", "InRecord", 0.4);
        Assert.Equal(Math.Exp(0.4) - 0.4, record, 14);
        Assert.Equal(Math.Exp(0.4) - 1, dRecord[0], 14);

        var (angle, dAngle) = Gradient("Edge.RecStruct", "InRecordStruct", 2, 1);
        Assert.Equal(Math.Atan2(1, 2), angle, 15);
        Assert.Equal(new[] { -1 / 5.0, 2 / 5.0 }, dAngle.Select(d => Math.Round(d, 14)));
    }
}
