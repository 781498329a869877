using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Distributed;

/// <summary>
/// README, Beyond one machine: <c>Apply(meanGradient)</c> on <c>[Lbfgs]</c> is one L-BFGS step from a gradient computed
/// elsewhere, without a line search: <c>torch.optim.LBFGS</c> with <c>line_search_fn=None</c> and <c>max_iter=1</c> per
/// call. The reference below is that algorithm box written out: y = g − g_prev and s = t·d_prev enter the history when
/// yᵀs &gt; 1e-10, H_diag = yᵀs / yᵀy of the newest pair, the two-loop recursion, t = min(1, 1/‖g‖₁)·lr on the first
/// call and lr after, θ ← θ + t·d.
/// </summary>
public sealed class LbfgsApplyTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Lbfgs(LearningRate = 0.5, History = 3)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            [Objective, Lbfgs(LearningRate = 0.1, History = 5)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
        }

        public static class Driver
        {
            // Eight Applys of the data overload's mean gradient at the optimizer's parameters: θ after each.
            public static double[][] Line(double[] x, double[] y)
            {
                var lbfgs = new P.LineLbfgs(0.5, -0.5);
                var g = new double[2];
                var path = new double[9][];
                for (int s = 0; s < 8; s++)
                {
                    P.LineGradient(lbfgs.Parameters, x, y, g);
                    lbfgs.Apply(g);
                    path[s] = [lbfgs.W, lbfgs.B];
                }

                path[8] = [lbfgs.Iteration];
                return path;
            }

            public static double[][] Rosenbrock()
            {
                var lbfgs = new P.RosenbrockLbfgs(-1.2, 1);
                var g = new double[2];
                var path = new double[12][];
                for (int s = 0; s < 12; s++)
                {
                    P.RosenbrockGradient(lbfgs.Parameters, g);
                    lbfgs.Apply(g);
                    path[s] = [lbfgs.X, lbfgs.Y];
                }

                return path;
            }

            // Two replicas applying the same gradients stay bit-identical; a checkpoint taken between Applys continues
            // bit-identically (the pending pair is part of the state).
            public static bool Replicas(double[] x, double[] y)
            {
                var a = new P.LineLbfgs(0.5, -0.5);
                var b = new P.LineLbfgs(0.5, -0.5);
                var g = new double[2];
                for (int s = 0; s < 3; s++)
                {
                    P.LineGradient(a.Parameters, x, y, g);
                    a.Apply(g);
                    b.Apply(g);
                }

                var stream = new System.IO.MemoryStream();
                a.SaveState(stream);
                stream.Position = 0;
                var c = P.LineLbfgs.LoadState(stream);
                for (int s = 0; s < 3; s++)
                {
                    P.LineGradient(a.Parameters, x, y, g);
                    a.Apply(g);
                    b.Apply(g);
                    c.Apply(g);
                }

                long[] Bits(P.LineLbfgs o) => [BitConverter.DoubleToInt64Bits(o.W), BitConverter.DoubleToInt64Bits(o.B), o.Iteration];
                return Bits(a).SequenceEqual(Bits(b)) && Bits(a).SequenceEqual(Bits(c));
            }

            public static (string Length, string NotFinite, double W, long Iteration) Errors()
            {
                var lbfgs = new P.LineLbfgs(0.5, -0.5);
                string length = Catch(() => lbfgs.Apply(new double[3]));
                string notFinite = Catch(() => lbfgs.Apply([double.NaN, 1]));
                return (length, notFinite, lbfgs.W, lbfgs.Iteration);
            }

            static string Catch(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentException e) { return e.ParamName ?? "null"; }
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    private static readonly double[] X = [.. Enumerable.Range(0, 11).Select(i => (0.3 * i) - 1)];
    private static readonly double[] Y = [.. X.Select((x, i) => (2 * x) + 1 + (0.1 * Math.Sin(i)))];

    /// <summary>torch.optim.LBFGS(lr, history_size, line_search_fn=None, max_iter=1), one <c>step</c> per gradient.</summary>
    private static List<double[]> TorchLbfgs(double[] theta, Func<double[], double[]> gradient, double lr, int historySize, int steps)
    {
        var oldDirs = new List<double[]>();
        var oldSteps = new List<double[]>();
        var ro = new List<double>();
        double hDiag = 1, t = 0;
        double[] d = [], previous = [];
        var path = new List<double[]>();
        for (var n = 1; n <= steps; n++)
        {
            var g = gradient(theta);
            if (n == 1)
            {
                d = [.. g.Select(v => -v)];
            }
            else
            {
                var y = g.Select((v, i) => v - previous[i]).ToArray();
                var s = d.Select(v => v * t).ToArray();
                var ys = Dot(y, s);
                if (ys > 1e-10)
                {
                    if (oldDirs.Count == historySize)
                    {
                        oldDirs.RemoveAt(0);
                        oldSteps.RemoveAt(0);
                        ro.RemoveAt(0);
                    }

                    oldDirs.Add(y);
                    oldSteps.Add(s);
                    ro.Add(1 / ys);
                    hDiag = ys / Dot(y, y);
                }

                var q = g.Select(v => -v).ToArray();
                var al = new double[oldDirs.Count];
                for (var i = oldDirs.Count - 1; i >= 0; i--)
                {
                    al[i] = Dot(oldSteps[i], q) * ro[i];
                    for (var k = 0; k < q.Length; k++)
                    {
                        q[k] -= al[i] * oldDirs[i][k];
                    }
                }

                d = q.Select(v => v * hDiag).ToArray();
                for (var i = 0; i < oldDirs.Count; i++)
                {
                    var be = Dot(oldDirs[i], d) * ro[i];
                    for (var k = 0; k < d.Length; k++)
                    {
                        d[k] += (al[i] - be) * oldSteps[i][k];
                    }
                }
            }

            previous = g;
            t = n == 1 ? Math.Min(1, 1 / g.Sum(Math.Abs)) * lr : lr;
            theta = theta.Select((v, i) => v + (t * d[i])).ToArray();
            path.Add(theta);
        }

        return path;
    }

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();

    private static double[] LineGradient(double[] theta)
    {
        double dw = 0, db = 0;
        for (var i = 0; i < X.Length; i++)
        {
            var r = (theta[0] * X[i]) + theta[1] - Y[i];
            dw += 2 * r * X[i];
            db += 2 * r;
        }

        return [dw / X.Length, db / X.Length];
    }

    private static double[] RosenbrockGradient(double[] p)
        => [(-2 * (1 - p[0])) - (400 * p[0] * (p[1] - (p[0] * p[0]))), 200 * (p[1] - (p[0] * p[0]))];

    private static void AssertPath(List<double[]> expected, double[][] actual)
    {
        for (var s = 0; s < expected.Count; s++)
        {
            for (var k = 0; k < 2; k++)
            {
                Assert.Equal(expected[s][k], actual[s][k], 1e-10 * Math.Max(1, Math.Abs(expected[s][k])));
            }
        }
    }

    [Fact]
    public void Apply_follows_torch_LBFGS_without_a_line_search_on_a_data_objective()
    {
        var actual = Driver.Value.Call<double[][]>("Line", X, Y);
        AssertPath(TorchLbfgs([0.5, -0.5], LineGradient, 0.5, 3, 8), actual);
        Assert.Equal(8, actual[8][0]);
    }

    [Fact]
    public void Apply_follows_torch_LBFGS_without_a_line_search_on_Rosenbrock()
        => AssertPath(TorchLbfgs([-1.2, 1], RosenbrockGradient, 0.1, 5, 12), Driver.Value.Call<double[][]>("Rosenbrock"));

    [Fact]
    public void Replicas_and_a_loaded_checkpoint_stay_bit_identical()
        => Assert.True(Driver.Value.Call<bool>("Replicas", X, Y));

    [Fact]
    public void A_wrong_length_or_a_non_finite_gradient_throws_naming_it_and_changes_nothing()
    {
        var (length, notFinite, w, iteration) = Driver.Value.Call<(string, string, double, long)>("Errors");
        Assert.Equal("meanGradient", length);
        Assert.Equal("meanGradient", notFinite);
        Assert.Equal(0.5, w);
        Assert.Equal(0, iteration);
    }
}
