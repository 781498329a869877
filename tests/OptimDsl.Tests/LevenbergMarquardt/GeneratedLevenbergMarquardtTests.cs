using System;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>
/// README, Which optimizer?: the generated <c>MLevenbergMarquardt</c> structs. The generator recognises the sum of
/// squares and generates each residual's gradient (the Jacobian's rows); these tests check the fits against closed forms
/// and references written here, and what the struct adds: Step, Minimize, Stalled, the setters, checkpoints, allocation.
/// </summary>
public sealed class GeneratedLevenbergMarquardtTests
{
    private const string Source = """
        using System;
        using System.IO;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, LevenbergMarquardt]
            public static double Quadratic(double a, double b, double c, [Data] double x, [Data] double y)
            {
                var r = a + b * x + c * x * x - y;
                return r * r;
            }

            [Objective, LevenbergMarquardt]
            public static double Decay(double a, double k, double c, [Data] double t, [Data] double y)
            {
                var r = a * Math.Exp(-k * t) + c - y;
                return Math.Pow(r, 2);
            }

            // A data term and a Tikhonov term: two residuals per sample.
            [Objective, LevenbergMarquardt]
            public static double Ridge(double w, [Data] double x, [Data] double y)
            {
                var r = w * x - y;
                return r * r + 0.1 * w * w;
            }

            [Objective, LevenbergMarquardt]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, LevenbergMarquardt]
            public static double Rows([Length(3)] ReadOnlySpan<double> w, [Data, Length(3)] ReadOnlySpan<double> f, [Data] double y)
            {
                var r = w[0] * f[0] + w[1] * f[1] + w[2] * f[2] - y;
                return r * r / 2;
            }
        }

        public static partial class P
        {
            // 10 features, unrolled: a pass four samples at a time with 65 sums per lane set.
            [Objective, LevenbergMarquardt]
            public static double Rows10([Length(10)] ReadOnlySpan<double> w, [Data, Length(10)] ReadOnlySpan<double> x, [Data] double y)
            {
                double p = 0;
                for (int i = 0; i < 10; i++)
                    p += w[i] * x[i];
                var r = p - y;
                return r * r;
            }

            // 80 features: a rolled loop (README, Large loops and large models) and state on the heap.
            [Objective, LevenbergMarquardt]
            public static double Wide([Length(80)] ReadOnlySpan<double> w, [Data, Length(80)] ReadOnlySpan<double> x, [Data] double y)
            {
                double p = 0;
                for (int i = 0; i < 80; i++)
                    p += w[i] * x[i];
                var r = p - y;
                return r * r;
            }
        }

        public static class Driver
        {
            public static (double[] W, string Status, long Allocated) Wide(double[] x, double[] y)
            {
                var o = new P.WideLevenbergMarquardt(new double[80]);
                var copy = o.Clone();
                copy.Step(x, y);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var r = o.Minimize(x, y, 30, 1e-12);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                return ([.. o.Parameters], r.Status.ToString(), allocated);
            }

            static long[] Bits(params double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

            public static double[][] QuadraticSteps(double[] x, double[] y)
            {
                var o = new P.QuadraticLevenbergMarquardt(0, 0, 0);
                return [.. Enumerable.Range(0, 3).Select(_ => { o.Step(x, y); return new[] { o.A, o.B, o.C }; })];
            }

            public static (double[] Losses, double[] Theta, long Iterations) DecaySteps(double[] t, double[] y, int steps)
            {
                var o = new P.DecayLevenbergMarquardt(1, 1, 0);
                var losses = Enumerable.Range(0, steps).Select(_ => o.Step(t, y)).ToArray();
                return (losses, [o.A, o.K, o.C], o.Iteration);
            }

            public static (double[] Theta, string Status, long Iterations, double Loss) DecayMinimize(double[] t, double[] y, int max, double tolerance)
            {
                var o = new P.DecayLevenbergMarquardt(1, 1, 0);
                var r = o.Minimize(t, y, max, tolerance);
                return ([o.A, o.K, o.C], r.Status.ToString(), r.Iterations, r.Loss);
            }

            public static double Ridge(double[] x, double[] y)
            {
                var o = new P.RidgeLevenbergMarquardt(0);
                o.Minimize(x, y, 50, 1e-13);
                return o.W;
            }

            public static (double X, double Y, string Status) Rosenbrock()
            {
                var o = new P.RosenbrockLevenbergMarquardt(-1.2, 1);
                var r = o.Minimize(200, 1e-10);
                return (o.X, o.Y, r.Status.ToString());
            }

            public static double[] Rows10(double[] x, double[] y)
            {
                var o = new P.Rows10LevenbergMarquardt(new double[10]);
                o.Minimize(x, y, 20, 1e-12);
                return [.. o.Parameters];
            }

            public static double[] Rows(double[] f, double[] y)
            {
                var o = new P.RowsLevenbergMarquardt(new double[3]);
                o.Minimize(f, y, 20, 1e-12);
                return [.. o.Parameters];
            }

            // After 2 steps A is set back: λ is reset, so the next step is a new optimizer's at that point.
            public static long[][] SettingResetsDamping(double[] t, double[] y)
            {
                var o = new P.DecayLevenbergMarquardt(1, 1, 0);
                o.Step(t, y); o.Step(t, y);
                double k = o.K, c = o.C;
                o.A = 1;
                o.Step(t, y);
                var fresh = new P.DecayLevenbergMarquardt(1, k, c);
                fresh.Step(t, y);
                return [Bits(o.A, o.K, o.C), Bits(fresh.A, fresh.K, fresh.C)];
            }

            public static long[][] Checkpoint(double[] t, double[] y)
            {
                var o = new P.DecayLevenbergMarquardt(1, 1, 0);
                o.Step(t, y);
                var stream = new MemoryStream();
                o.SaveState(stream);
                stream.Position = 0;
                var loaded = P.DecayLevenbergMarquardt.LoadState(stream);
                for (int s = 0; s < 4; s++) { o.Step(t, y); loaded.Step(t, y); }
                return [Bits(o.A, o.K, o.C, o.Iteration), Bits(loaded.A, loaded.K, loaded.C, loaded.Iteration)];
            }

            public static (string Low, string Factor, double After) Hyperparameters()
            {
                var o = new P.DecayLevenbergMarquardt(1, 1, 0);
                string low = Catch(() => o.InitialDamping = 0);
                string factor = Catch(() => o.DampingFactor = 1);
                return (low, factor, o.InitialDamping);
            }

            static string Catch(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentOutOfRangeException e) { return e.ParamName ?? "null"; }
            }

            public static long[] Allocations(double[] t, double[] y, double[] f, double[] r)
            {
                var decay = new P.DecayLevenbergMarquardt(1, 1, 0);
                var rows = new P.RowsLevenbergMarquardt(new double[3]);
                var rosenbrock = new P.RosenbrockLevenbergMarquardt(-1.2, 1);
                decay.Step(t, y); rows.Step(f, r); rosenbrock.Step();
                decay.Minimize(t, y, 2, 0); rows.Minimize(f, r, 2, 0); rosenbrock.Minimize(2, 0);
                // The least of three measurements, as AllocationTests: the first may include the JIT's work on a method called once.
                long steps = long.MaxValue, minimize = long.MaxValue;
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int s = 0; s < 10; s++) { decay.Step(t, y); rows.Step(f, r); rosenbrock.Step(); }
                    steps = Math.Min(steps, GC.GetAllocatedBytesForCurrentThread() - before);
                    before = GC.GetAllocatedBytesForCurrentThread();
                    decay.Minimize(t, y, 20, 0); rows.Minimize(f, r, 20, 0); rosenbrock.Minimize(20, 0);
                    minimize = Math.Min(minimize, GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return [steps, minimize];
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    /// <summary>A linear least-squares problem: from 0, at most 3 steps reach the closed form (normal equations, Gaussian elimination here).</summary>
    [Fact]
    public void Linear_least_squares_reaches_the_closed_form_in_at_most_three_steps()
    {
        var problem = new QuadraticFit();
        var normal = new double[3, 3];
        var right = new double[3];
        for (var k = 0; k < problem.X.Length; k++)
        {
            double[] row = [1, problem.X[k], problem.X[k] * problem.X[k]];
            for (var i = 0; i < 3; i++)
            {
                right[i] += row[i] * problem.Y[k];
                for (var j = 0; j < 3; j++)
                {
                    normal[i, j] += row[i] * row[j];
                }
            }
        }

        var closedForm = Dense.Solve(normal, right);
        var steps = Driver.Value.Call<double[][]>("QuadraticSteps", problem.X, problem.Y);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Dense.RelativeError(steps[2][i], closedForm[i]) < 1e-9, $"θ[{i}] = {steps[2][i]:R} after 3 steps, closed form {closedForm[i]:R}");
        }
    }

    /// <summary>The exponential decay from (1, 1, 0): the Gauss–Newton reference optimum of the solver tests in at most 30 steps; the loss never increases.</summary>
    [Fact]
    public void Fits_the_exponential_decay_to_the_reference_optimum_within_30_steps_and_the_loss_never_increases()
    {
        var problem = new ExponentialDecay();
        var optimum = LevenbergMarquardtSolverTests.ExponentialDecayOptimum(problem);
        var (losses, theta, iterations) = Driver.Value.Call<(double[], double[], long)>("DecaySteps", problem.T, problem.Y, 30);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Dense.RelativeError(theta[i], optimum[i]) < 1e-8, $"θ[{i}] = {theta[i]:R}, reference {optimum[i]:R}");
        }

        for (var k = 1; k < losses.Length; k++)
        {
            Assert.True(losses[k] <= losses[k - 1], $"step {k}: {losses[k]:R} after {losses[k - 1]:R}");
        }

        Assert.InRange(iterations, 1, 30);
    }

    [Fact]
    public void Minimize_converges_and_with_tolerance_0_stops_Stalled_at_the_optimum()
    {
        var problem = new ExponentialDecay();
        var optimum = LevenbergMarquardtSolverTests.ExponentialDecayOptimum(problem);
        var (theta, status, iterations, _) = Driver.Value.Call<(double[], string, long, double)>("DecayMinimize", problem.T, problem.Y, 100, 1e-10);
        Assert.Equal("Converged", status);
        Assert.InRange(iterations, 1, 30);
        var (stalled, stalledStatus, stalledIterations, _) = Driver.Value.Call<(double[], string, long, double)>("DecayMinimize", problem.T, problem.Y, 1000, 0.0);
        Assert.Equal("Stalled", stalledStatus);
        Assert.InRange(stalledIterations, iterations, 999);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Dense.RelativeError(theta[i], optimum[i]) < 1e-8);
            Assert.True(Dense.RelativeError(stalled[i], optimum[i]) < 1e-10);
        }
    }

    /// <summary>
    /// mean((w x − y)² + 0.1 w²) is least at w = mean(xy) / (mean(x²) + 0.1). To 1e-9: near the optimum a step lowers the
    /// loss by about H·e², which is below the loss's rounding once e is about 1e-9 relative, so the run stalls there.
    /// </summary>
    [Fact]
    public void A_data_term_and_a_Tikhonov_term_are_two_residuals()
    {
        double[] x = [0.5, 1, 1.5, 2, 3];
        double[] y = [1.2, 1.9, 3.2, 3.9, 6.1];
        var expected = x.Zip(y, (a, b) => a * b).Average() / (x.Average(v => v * v) + 0.1);
        Assert.True(Dense.RelativeError(Driver.Value.Call<double>("Ridge", x, y), expected) < 1e-9);
    }

    [Fact]
    public void Residuals_of_an_objective_without_data_fit_Rosenbrock()
    {
        var (x, y, status) = Driver.Value.Call<(double, double, string)>("Rosenbrock");
        Assert.Equal("Converged", status);
        Assert.Equal(1, x, 9);
        Assert.Equal(1, y, 9);
    }

    /// <summary>Rows of three features (a weight of ½ on the square): the least-squares weights, from the normal equations here.</summary>
    [Fact]
    public void Vector_parameters_and_data_rows_reach_the_normal_equations_solution()
    {
        const int n = 12;
        var f = new double[3 * n];
        var y = new double[n];
        var normal = new double[3, 3];
        var right = new double[3];
        for (var k = 0; k < n; k++)
        {
            f[3 * k] = 1;
            f[(3 * k) + 1] = Math.Cos(k);
            f[(3 * k) + 2] = k / 4.0;
            y[k] = 0.3 - (1.7 * Math.Cos(k)) + (0.9 * k / 4.0) + (0.05 * Math.Sin(5 * k));
            for (var i = 0; i < 3; i++)
            {
                right[i] += f[(3 * k) + i] * y[k];
                for (var j = 0; j < 3; j++)
                {
                    normal[i, j] += f[(3 * k) + i] * f[(3 * k) + j];
                }
            }
        }

        var expected = Dense.Solve(normal, right);
        var w = Driver.Value.Call<double[]>("Rows", f, y);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Dense.RelativeError(w[i], expected[i]) < 1e-9, $"w[{i}] = {w[i]:R}, expected {expected[i]:R}");
        }
    }

    /// <summary>
    /// 10 features over 37 samples (the pass runs four at a time, then the last one alone), rows from a fixed formula:
    /// the least-squares weights from the normal equations here.
    /// </summary>
    [Fact]
    public void Ten_parameters_four_samples_at_a_time_reach_the_normal_equations_solution()
    {
        const int n = 10, samples = 37;
        var x = new double[n * samples];
        var y = new double[samples];
        var normal = new double[n, n];
        var right = new double[n];
        for (var k = 0; k < samples; k++)
        {
            for (var i = 0; i < n; i++)
            {
                x[(k * n) + i] = Math.Cos((0.41 * k * (i + 1)) + (0.3 * i));
            }

            y[k] = Math.Sin(0.7 * k) + (0.1 * k);
            for (var i = 0; i < n; i++)
            {
                right[i] += x[(k * n) + i] * y[k];
                for (var j = 0; j < n; j++)
                {
                    normal[i, j] += x[(k * n) + i] * x[(k * n) + j];
                }
            }
        }

        var expected = Dense.Solve(normal, right);
        var w = Driver.Value.Call<double[]>("Rows10", x, y);
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(w[i] - expected[i]) < 1e-8 * (1 + Math.Abs(expected[i])), $"w[{i}] = {w[i]:R}, expected {expected[i]:R}");
        }
    }

    /// <summary>80 features, rows from a fixed formula: the least-squares weights from the normal equations here.</summary>
    [Fact]
    public void A_rolled_residual_with_state_on_the_heap_reaches_the_normal_equations_solution()
    {
        const int n = 80, samples = 160;
        var x = new double[n * samples];
        var y = new double[samples];
        var normal = new double[n, n];
        var right = new double[n];
        for (var k = 0; k < samples; k++)
        {
            for (var i = 0; i < n; i++)
            {
                x[(k * n) + i] = Math.Sin((0.37 * k * (i + 1)) + i);
            }

            y[k] = Math.Cos(0.5 * k);
            for (var i = 0; i < n; i++)
            {
                right[i] += x[(k * n) + i] * y[k];
                for (var j = 0; j < n; j++)
                {
                    normal[i, j] += x[(k * n) + i] * x[(k * n) + j];
                }
            }
        }

        var expected = Dense.Solve(normal, right);
        var (w, status, _) = Driver.Value.Call<(double[], string, long)>("Wide", x, y);
        Assert.NotEqual("Diverged", status);
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(w[i] - expected[i]) < 1e-7 * (1 + Math.Abs(expected[i])), $"w[{i}] = {w[i]:R}, expected {expected[i]:R}");
        }
    }

    [Fact]
    public void Setting_a_parameter_resets_the_damping()
    {
        var problem = new ExponentialDecay();
        var runs = Driver.Value.Call<long[][]>("SettingResetsDamping", problem.T, problem.Y);
        Assert.Equal(runs[1], runs[0]);
    }

    [Fact]
    public void A_checkpoint_continues_bit_identically()
    {
        var problem = new ExponentialDecay();
        var runs = Driver.Value.Call<long[][]>("Checkpoint", problem.T, problem.Y);
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public void Hyperparameters_out_of_range_throw_and_change_nothing()
    {
        var (low, factor, after) = Driver.Value.Call<(string, string, double)>("Hyperparameters");
        Assert.Equal("InitialDamping", low);
        Assert.Equal("DampingFactor", factor);
        Assert.Equal(1e-3, after);
    }

    [Fact]
    public void Step_and_Minimize_allocate_nothing_after_construction()
    {
        var problem = new ExponentialDecay();
        double[] f = [1, 0, 2, 0, 1, 1, 3, 1, 0, 1, 2, 2];
        double[] r = [1, 2, 3, 4];
        var allocated = Driver.Value.Call<long[]>("Allocations", problem.T, problem.Y, f, r);
        Assert.Equal(0, allocated[0]);
        Assert.Equal(0, allocated[1]);
    }
}
