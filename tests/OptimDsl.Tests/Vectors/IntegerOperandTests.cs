using System;
using System.Linq;
using OptimDsl.Tests.Hostile;
using OptimDsl.Tests.Infrastructure;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// README, Vectors and loops: compile-time integers are computed as C# computes <c>int</c>s, also as the left
/// operand of a double operator (<c>i / 2 * w[i]</c> is (i / 2) · w[i], and i / 2 truncates), and a division that
/// truncates there is OPTDSL011. A new user's trial found these computed as double divisions, silently, and
/// <c>(i + 1) / 2 * w[i]</c> refused. Each objective is checked against its own C# method, and against the
/// gradient derived by hand: the coefficient of w[i] is the integer C# computes.
/// </summary>
public sealed class IntegerOperandTests
{
    private const string Source = """
        using System;
        using OptimDsl;

        namespace Ints;

        public static partial class M
        {
            [Objective]
            public static double Halves([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                    s += i / 2 * w[i];
                return s;
            }

            [Objective]
            public static double PlusHalves([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                    s += i / 2 + w[i] * w[i];
                return s;
            }

            [Objective]
            public static double Shifted([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                    s += (i + 1) / 2 * w[i] + i * 3 / 2 * w[i];
                return s;
            }

            [Objective]
            public static double LengthOver([Length(4)] ReadOnlySpan<double> w) => w[0] + w.Length / 8 * w[1] + w.Length / 2 * w[2];

            [Objective]
            public static float FloatHalves([Length(4)] ReadOnlySpan<float> w)
            {
                float s = 0;
                for (int i = 0; i < 4; i++)
                    s += i / 2 * w[i];
                return s;
            }

            [Objective]
            public static double RolledHalves([Length(64)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 64; i++)
                    s += i / 2 * w[i] * w[i];
                return s;
            }
        }
        """;

    private const string DriverSource = """
        using System;
        using System.Linq;

        namespace Ints;

        public static class Driver
        {
            public static double[] Double(string name, double[] w)
            {
                var g = new double[w.Length];
                double value = name switch
                {
                    "Halves" => M.HalvesGradient(w, g),
                    "PlusHalves" => M.PlusHalvesGradient(w, g),
                    "Shifted" => M.ShiftedGradient(w, g),
                    "LengthOver" => M.LengthOverGradient(w, g),
                    "RolledHalves" => M.RolledHalvesGradient(w, g),
                    _ => throw new ArgumentException(name),
                };
                double user = name switch
                {
                    "Halves" => M.Halves(w),
                    "PlusHalves" => M.PlusHalves(w),
                    "Shifted" => M.Shifted(w),
                    "LengthOver" => M.LengthOver(w),
                    _ => M.RolledHalves(w),
                };
                return new[] { value, user }.Concat(g).ToArray();
            }

            public static double[] Float(float[] w)
            {
                var g = new float[w.Length];
                float value = M.FloatHalvesGradient(w, g);
                return new double[] { value, M.FloatHalves(w) }.Concat(g.Select(x => (double)x)).ToArray();
            }
        }
        """;

    // The analyzer's diagnostics on the objectives alone; the generated code run with a driver that calls it.
    private static readonly Lazy<(Hostile.Hostile.Outcome Outcome, GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var outcome = Hostile.Hostile.Check(Source);
        var run = GeneratorHarness.Run(new OptimDsl.Generators.ObjectiveGenerator(), Source, DriverSource);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        return (outcome, run, run.Load());
    });

    private static readonly double[] W = { 1, 10, 100, 1000 };

    [Theory]
    // Coefficients of w[i], as C# computes them: i / 2 is 0, 0, 1, 1; (i + 1) / 2 + i * 3 / 2 is 0 + 0, 1 + 1, 1 + 3, 2 + 4.
    [InlineData("Halves", new double[] { 0, 0, 1, 1 })]
    [InlineData("Shifted", new double[] { 0, 2, 4, 6 })]
    [InlineData("LengthOver", new double[] { 1, 0, 2, 0 })]
    public void An_integer_left_operand_is_computed_as_an_int(string name, double[] coefficients)
    {
        var result = (double[])Compiled.Value.Assembly.Invoke("Ints.Driver", "Double", name, W)!;
        Assert.Equal(result[1], result[0]);
        Assert.Equal(coefficients.Zip(W, (c, w) => c * w).Sum(), result[0]);
        Assert.Equal(coefficients, result.Skip(2).ToArray());
    }

    [Fact]
    public void An_integer_added_to_a_double_is_computed_as_an_int()
    {
        // Σ (i / 2 + w_i²) = 0 + 0 + 1 + 1 + Σ w_i²; ∂w_i = 2 w_i.
        var result = (double[])Compiled.Value.Assembly.Invoke("Ints.Driver", "Double", "PlusHalves", W)!;
        Assert.Equal(result[1], result[0]);
        Assert.Equal(2 + W.Sum(w => w * w), result[0]);
        Assert.Equal(W.Select(w => 2 * w).ToArray(), result.Skip(2).ToArray());
    }

    [Fact]
    public void A_float_objective_computes_the_int_as_well()
    {
        var result = (double[])Compiled.Value.Assembly.Invoke("Ints.Driver", "Float", W.Select(w => (float)w).ToArray())!;
        Assert.Equal(result[1], result[0]);
        Assert.Equal(1100, result[0]);
        Assert.Equal(new double[] { 0, 0, 1, 1 }, result.Skip(2).ToArray());
    }

    [Fact]
    public void A_loop_long_enough_to_roll_computes_the_int_as_well()
    {
        // Σ (i / 2) w_i²: ∂w_i = 2 (i / 2) w_i, at w_i = 1 + i / 64. (i / 2 is not affine in i, so the loop is unrolled.)
        var w = Enumerable.Range(0, 64).Select(i => 1 + i / 64.0).ToArray();
        var result = (double[])Compiled.Value.Assembly.Invoke("Ints.Driver", "Double", "RolledHalves", w)!;
        Assert.Equal(result[1], result[0], 12);
        Compare.Close(w.Select((x, i) => 2.0 * (i / 2) * x).ToArray(), result.Skip(2).ToArray(), 1e-15, "∇RolledHalves");
    }

    [Fact]
    public void Each_truncating_division_is_OPTDSL011_and_nothing_is_refused()
    {
        var outcome = Compiled.Value.Outcome;
        Assert.DoesNotContain(outcome.Analyzer, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var truncating = outcome.OfId("OPTDSL011")
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan))
            .ToArray();
        // Halves, PlusHalves, FloatHalves, RolledHalves (i / 2); Shifted ((i + 1) / 2 and i * 3 / 2); LengthOver (w.Length / 8).
        Assert.Equal(4, truncating.Count(t => t == "i / 2"));
        Assert.Contains("(i + 1) / 2", truncating);
        Assert.Contains("i * 3 / 2", truncating);
        Assert.Contains("w.Length / 8", truncating);
        Assert.DoesNotContain("w.Length / 2", truncating);
    }
}
