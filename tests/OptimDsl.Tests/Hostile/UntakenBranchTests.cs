using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// The derivative of a piecewise objective is that of the branch taken, even where the other branch
/// (or a kink's other side) is undefined: a division by zero, a logarithm or root of a non-positive
/// number, Asin outside [−1, 1]. Each expected value is the derivative of the taken branch, by hand.
/// The same objectives with [Data] inputs check the vectorised mean gradient (5 samples: the vector
/// loop and the scalar remainder).
/// </summary>
public sealed class UntakenBranchTests
{
    private const string Source = """
        using System;
        using OptimDsl;

        namespace Hostile;

        public static partial class Branches
        {
            [Objective] public static double LogHinge(double x) => x > 0 ? Math.Log(x) : 0;
            [Objective] public static double SafeRatio(double x, double y) => y != 0 ? x / y : x;
            [Objective] public static double SafeReciprocal(double x) => x == 0 ? 1 : 1 / x;
            [Objective] public static double SqrtHinge(double x) => x > 0 ? Math.Sqrt(x) : -x;
            [Objective] public static double PowHinge(double x) => x > 0 ? Math.Pow(x, 0.3) : 2 * x;
            [Objective] public static double Log10Hinge(double x) => x <= 0 ? x : Math.Log10(x) + Math.Log2(x);
            [Objective] public static double AsinInside(double x) => x < 1 && x > -1 ? Math.Asin(x) + Math.Acos(x) * x : x;
            [Objective] public static double ScaledLog(double x) => 3 * (x > 0 ? Math.Log(x) : 0) / 4;
            [Objective] public static double NestedBranches(double x, double y) => x > 0 ? (y > 0 ? Math.Log(x * y) : x / y) : y;
            [Objective] public static double LogOfMax(double x) => Math.Max(Math.Log(x), -10) + (x > 0 ? 1 / (x * x) : 0);
            [Objective] public static double CbrtHinge(double x) => x != 0 ? Math.Cbrt(x) : x;
            [Objective] public static double Power(double x, double y) => Math.Pow(x, y);

            [Objective] public static double LogHingeData(double w, [Data] double x) => w * x > 0 ? Math.Log(w * x) : w;
            [Objective] public static double SafeRatioData(double w, [Data] double y) => y != 0 ? w / y : w;

            public static double LogHingeDataMean(double[] p, double[] x, double[] g) => LogHingeDataGradient(p, x, g);
            public static double SafeRatioDataMean(double[] p, double[] y, double[] g) => SafeRatioDataGradient(p, y, g);
        }
        """;

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Loaded)> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source);
        return (run, run.Load());
    });

    private static double[] Gradient(string method, params double[] arguments)
    {
        var all = arguments.Cast<object?>().Concat(Enumerable.Repeat<object?>(null, arguments.Length)).ToArray();
        Compiled.Value.Loaded.Invoke("Hostile.Branches", method + "Gradient", all);
        return all.Skip(arguments.Length).Select(a => (double)a!).ToArray();
    }

    [Fact]
    public void The_source_compiles_without_an_error()
    {
        Assert.DoesNotContain(Compiled.Value.Run.WarningsAndErrors, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("LogHinge", 0.0, 0.0)]
    [InlineData("LogHinge", -2.0, 0.0)]
    [InlineData("LogHinge", 4.0, 0.25)]
    [InlineData("SafeReciprocal", 0.0, 0.0)]
    [InlineData("SafeReciprocal", 2.0, -0.25)]
    [InlineData("SqrtHinge", 0.0, -1.0)]
    [InlineData("SqrtHinge", -4.0, -1.0)]
    [InlineData("SqrtHinge", 4.0, 0.25)]          // 1/(2√4)
    [InlineData("PowHinge", 0.0, 2.0)]
    [InlineData("PowHinge", -1.0, 2.0)]
    [InlineData("Log10Hinge", 0.0, 1.0)]
    [InlineData("Log10Hinge", -5.0, 1.0)]
    [InlineData("AsinInside", 1.0, 1.0)]
    [InlineData("AsinInside", -3.0, 1.0)]
    [InlineData("AsinInside", 0.0, 2.5707963267948966)]   // 1/√(1−x²) + acos x − x/√(1−x²) at 0: 1 + π/2
    [InlineData("ScaledLog", 0.0, 0.0)]
    [InlineData("ScaledLog", 2.0, 0.375)]          // 3/(4·2)
    [InlineData("LogOfMax", 0.0, 0.0)]             // Max picks −10; the hinge is not taken
    [InlineData("CbrtHinge", 0.0, 1.0)]
    public void One_parameter_gradients_are_those_of_the_branch_taken(string method, double x, double expected)
    {
        var gradient = Gradient(method, x);

        Assert.Equal(expected, gradient[0], 14);
    }

    [Theory]
    [InlineData(3.0, 0.0, 1.0, 0.0)]               // y = 0: the value is x
    [InlineData(3.0, 2.0, 0.5, -0.75)]             // 1/y, −x/y²
    [InlineData(0.0, 0.0, 1.0, 0.0)]
    public void A_division_in_the_branch_not_taken_stays_out(double x, double y, double dX, double dY)
    {
        Assert.Equal(new[] { dX, dY }, Gradient("SafeRatio", x, y));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 1.0)]               // x ≤ 0: the value is y
    [InlineData(-1.0, 0.0, 0.0, 1.0)]
    [InlineData(2.0, 0.0, double.PositiveInfinity, double.NegativeInfinity)] // x/y taken at y = 0: its own infinities
    [InlineData(2.0, 4.0, 0.5, 0.25)]              // ln(xy): 1/x, 1/y
    public void Nested_branches_take_the_derivative_of_the_innermost_branch_taken(double x, double y, double dX, double dY)
    {
        Assert.Equal(new[] { dX, dY }, Gradient("NestedBranches", x, y));
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.0, 0.0)]               // 0^y = 0 for every y > 0: ∂/∂y = 0, not 0·(−∞)
    [InlineData(0.0, 0.5, double.PositiveInfinity, 0.0)]
    [InlineData(2.0, 3.0, 12.0, 5.5451774444795623)] // y x^(y−1), x^y ln x = 8 ln 2
    public void The_power_rule_at_zero(double x, double y, double dX, double dY)
    {
        var gradient = Gradient("Power", x, y);

        Assert.Equal(dX, gradient[0], 13);
        Assert.Equal(dY, gradient[1], 13);
    }

    [Fact]
    public void The_mean_gradient_over_samples_takes_each_samples_branch()
    {
        // w = 1: samples ≤ 0 take the constant branch (∂/∂w = 1), positive ones ln(w x) (∂/∂w = 1/w = 1).
        double[] x = [0.0, -1.0, 2.0, 0.0, 4.0];
        var gradient = new double[1];
        Compiled.Value.Loaded.Invoke("Hostile.Branches", "LogHingeDataMean", new[] { 1.0 }, x, gradient);
        Assert.Equal(1.0, gradient[0], 15);

        // y = 0 takes the branch w (∂/∂w = 1); others w/y (∂/∂w = 1/y).
        double[] y = [0.0, 2.0, 0.0, 4.0, 0.0];
        Compiled.Value.Loaded.Invoke("Hostile.Branches", "SafeRatioDataMean", new[] { 3.0 }, y, gradient);
        Assert.Equal((1 + 0.5 + 1 + 0.25 + 1) / 5, gradient[0], 15);
    }
}
