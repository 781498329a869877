using System;
using System.Linq;
using OptimDsl.Tests.Optimizers;
using Xunit;

namespace OptimDsl.Tests.Lbfgs;

/// <summary>
/// README, Which optimizer?: the generated <c>MLbfgs</c> structs on scalar, vector and data objectives. The solver itself
/// is tested against the algorithm boxes in <see cref="LbfgsSolverTests"/>; these tests check what the generated code adds:
/// the evaluations it answers, Step and Minimize, Stalled, History, the parameter setters, checkpoints, search, allocation.
/// </summary>
public sealed class GeneratedLbfgsTests
{
    private const string Source = """
        using System;
        using System.IO;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Lbfgs]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, Lbfgs]
            public static double Beale(double x, double y)
            {
                var t1 = 1.5 - x + x * y;
                var t2 = 2.25 - x + x * y * y;
                var t3 = 2.625 - x + x * y * y * y;
                return t1 * t1 + t2 * t2 + t3 * t3;
            }

            [Objective, Lbfgs]
            public static double Extended([Length(20)] ReadOnlySpan<double> v)
            {
                double f = 0;
                for (int i = 0; i < 20; i += 2)
                {
                    var a = 1 - v[i];
                    var b = v[i + 1] - v[i] * v[i];
                    f += a * a + 100 * b * b;
                }
                return f;
            }

            // ½ (x − x*)ᵀA(x − x*), A = diag(1..20) + 0.25·11ᵀ, x*ᵢ = sin(i + 1) + 0.5 (the solver tests' quadratic).
            [Objective, Lbfgs(History = 20)]
            public static double Quadratic([Length(20)] ReadOnlySpan<double> x)
            {
                double sum = 0;
                double f = 0;
                for (int i = 0; i < 20; i++)
                {
                    var e = x[i] - (Math.Sin(i + 1) + 0.5);
                    sum += e;
                    f += 0.5 * (i + 1) * e * e;
                }
                return f + 0.125 * sum * sum;
            }

            // The same objective with the default history of 10.
            [Objective, Lbfgs]
            public static double Quad([Length(20)] ReadOnlySpan<double> x) => Quadratic(x);

            [Objective, Lbfgs(LineSearch = LineSearch.None, LearningRate = 0.1)]
            public static double Bowl(double a, double b) => (a - 1) * (a - 1) + 3 * (b + 2) * (b + 2);

            // Unbounded below along a line: no step satisfies the curvature condition, so the first iteration stalls.
            [Objective, Lbfgs]
            public static double Slope(double x) => -x;

            [Objective, Lbfgs(History = 4)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }
        }

        public static partial class P
        {
            // 600 values: a rolled loop, and L-BFGS state (2·10·600 + … doubles) on the heap.
            [Objective, Lbfgs]
            public static double Wide([Length(600)] ReadOnlySpan<double> v)
            {
                double s = 0;
                for (int i = 0; i < 600; i++)
                    s += (1 + 0.01 * i) * (v[i] - 0.001 * i) * (v[i] - 0.001 * i);
                return s;
            }
        }

        public static class Driver
        {
            public static (double Error, string Status, long[] Original, long[] Clone) Wide()
            {
                var o = new P.WideLbfgs(new double[600]);
                o.Step();
                var clone = o.Clone();
                clone.Parameters[0] = 5;   // its own storage
                var r = o.Minimize(200, 1e-10);
                double error = 0;
                for (int i = 0; i < 600; i++) error = Math.Max(error, Math.Abs(o.Parameters[i] - 0.001 * i));
                var again = o.Clone();
                again.Step(); o.Step();
                return (error, r.Status.ToString(), Bits([.. o.Parameters]), Bits([.. again.Parameters]));
            }

            static long[] Bits(params double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

            public static (double[] Theta, long Iterations, string Status, double Norm) Minimize(string name, int history)
            {
                OptimizationResult r;
                double[] theta;
                switch (name)
                {
                    case "Rosenbrock":
                    {
                        var o = new P.RosenbrockLbfgs(-1.2, 1.0);
                        r = o.Minimize(1000, 1e-9);
                        theta = [.. o.Parameters];
                        break;
                    }
                    case "Beale":
                    {
                        var o = new P.BealeLbfgs(1.0, 1.0);
                        r = o.Minimize(1000, 1e-9);
                        theta = [.. o.Parameters];
                        break;
                    }
                    case "Extended":
                    {
                        var o = new P.ExtendedLbfgs([.. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? -1.2 : 1.0)]);
                        r = o.Minimize(1000, 1e-9);
                        theta = [.. o.Parameters];
                        break;
                    }
                    default:
                    {
                        var o = new P.QuadraticLbfgs(new double[20]);
                        o.History = history;
                        r = o.Minimize(1000, 1e-9);
                        theta = [.. o.Parameters];
                        break;
                    }
                }

                return (theta, r.Iterations, r.Status.ToString(), r.GradientNorm);
            }

            // The losses Step returns over 40 steps from (−1.2, 1).
            public static double[] RosenbrockLosses()
            {
                var o = new P.RosenbrockLbfgs(-1.2, 1.0);
                return [.. Enumerable.Range(0, 40).Select(_ => o.Step())];
            }

            // k Steps against Minimize(k, 0): the same iterations, bit for bit.
            public static long[][] StepsAgainstMinimize(int k)
            {
                var stepped = new P.RosenbrockLbfgs(-1.2, 1.0);
                for (int s = 0; s < k; s++) stepped.Step();
                var minimized = new P.RosenbrockLbfgs(-1.2, 1.0);
                var r = minimized.Minimize(k, 0);
                return [Bits(stepped.X, stepped.Y, stepped.Iteration), Bits(minimized.X, minimized.Y, minimized.Iteration, r.Iterations)];
            }

            public static (double A, double B, double Loss) BowlFirstStep()
            {
                var o = new P.BowlLbfgs(3, 1);
                double loss = o.Step();
                return (o.A, o.B, loss);
            }

            public static (double X, long Iterations, string Status, double Loss, double Norm, long StepIteration, double After) Stall()
            {
                var o = new P.SlopeLbfgs(2);
                var r = o.Minimize(10, 1e-8);
                o.Step();
                return (o.X, r.Iterations, r.Status.ToString(), r.Loss, r.GradientNorm, o.Iteration, o.X);
            }

            public static (string Low, string High, int After, int Set) History()
            {
                var o = new P.QuadLbfgs(new double[20]);
                string low = Catch(() => o.History = 0);
                string high = Catch(() => o.History = 11);
                int after = o.History;
                o.History = 3;
                return (low, high, after, o.History);
            }

            static string Catch(Action action)
            {
                try { action(); return "no exception"; }
                catch (ArgumentOutOfRangeException e) { return e.ParamName ?? "null"; }
            }

            // After 5 steps, X is set: the next step is the one a new optimizer at that point takes.
            public static long[][] SettingClearsHistory()
            {
                var o = new P.RosenbrockLbfgs(-1.2, 1.0);
                for (int s = 0; s < 5; s++) o.Step();
                double y = o.Y;
                o.X = 0.5;
                o.Step();
                var fresh = new P.RosenbrockLbfgs(0.5, y);
                fresh.Step();
                return [Bits(o.X, o.Y), Bits(fresh.X, fresh.Y)];
            }

            public static long[][] Checkpoint()
            {
                var o = new P.ExtendedLbfgs([.. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? -1.2 : 1.0)]);
                for (int s = 0; s < 6; s++) o.Step();
                var stream = new MemoryStream();
                o.SaveState(stream);
                stream.Position = 0;
                var loaded = P.ExtendedLbfgs.LoadState(stream);
                o.Minimize(15, 0);
                loaded.Minimize(15, 0);
                return [Bits([.. o.Parameters, o.Iteration]), Bits([.. loaded.Parameters, loaded.Iteration])];
            }

            public static string LoadOther()
            {
                var o = new P.QuadraticLbfgs(new double[20]);
                var stream = new MemoryStream();
                o.SaveState(stream);
                stream.Position = 0;
                try { P.QuadLbfgs.LoadState(stream); return "loaded"; }
                catch (Exception e) { return e.GetType().Name; }
            }

            public static (double W, double B, string Status) FitLine(double[] x, double[] y)
            {
                var o = new P.LineLbfgs(0, 0);
                var r = o.Minimize(x, y, 200, 1e-12);
                return (o.W, o.B, r.Status.ToString());
            }

            // A grid over History and LearningRate: each trial against the same run by hand.
            public static (long[] Searched, long[] ByHand, int Trials, double BestRate, int BestHistory) Search()
            {
                var start = new P.RosenbrockLbfgs(-1.2, 1.0);
                var result = P.RosenbrockLbfgs.Search(start,
                    new P.RosenbrockLbfgs.SearchSpace { LearningRate = SearchRange.Grid(0.5, 1), History = SearchRange.Grid(2, 5) },
                    new SearchOptions { MaxIterations = 12, Tolerance = 0, MaxDegreeOfParallelism = 2 });
                var searched = result.Trials.Select(t => BitConverter.DoubleToInt64Bits(t.Score)).ToArray();
                var byHand = new long[4];
                int k = 0;
                foreach (var rate in new[] { 0.5, 1.0 })
                foreach (var history in new[] { 2, 5 })
                {
                    var o = start.Clone();
                    o.LearningRate = rate;
                    o.History = history;
                    byHand[k++] = BitConverter.DoubleToInt64Bits(o.Minimize(12, 0).Loss);
                }

                return (searched, byHand, result.Trials.Count, result.BestHyperparameters.LearningRate, result.BestHyperparameters.History);
            }

            public static long[] Allocations(double[] x, double[] y)
            {
                var scalar = new P.RosenbrockLbfgs(-1.2, 1.0);
                var vector = new P.ExtendedLbfgs([.. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? -1.2 : 1.0)]);
                var data = new P.LineLbfgs(0, 0);
                scalar.Step(); vector.Step(); data.Step(x, y);
                scalar.Minimize(3, 0); vector.Minimize(3, 0); data.Minimize(x, y, 3, 0);
                // The least of three measurements, as AllocationTests: the first may include the JIT's work on a method called once.
                long steps = long.MaxValue, minimize = long.MaxValue;
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int s = 0; s < 20; s++) { scalar.Step(); vector.Step(); data.Step(x, y); }
                    steps = Math.Min(steps, GC.GetAllocatedBytesForCurrentThread() - before);
                    before = GC.GetAllocatedBytesForCurrentThread();
                    scalar.Minimize(30, 0); vector.Minimize(30, 0); data.Minimize(x, y, 30, 0);
                    minimize = Math.Min(minimize, GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return [steps, minimize];
            }
        }
        """;

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    public static TheoryData<string, double[]> Problems => new()
    {
        { "Rosenbrock", [1.0, 1.0] },
        { "Beale", [3.0, 0.5] },
        { "Extended", [.. Enumerable.Repeat(1.0, 20)] },
        { "Quadratic", [.. Enumerable.Range(1, 20).Select(i => Math.Sin(i) + 0.5)] },
    };

    /// <summary>
    /// The iteration bounds of <see cref="LbfgsSolverTests"/> (the same solver, history 10, 20 for the quadratic; each
    /// bound is that implementation's measured count plus about 25%): the generated gradient is the hand-written one up
    /// to rounding, so the generated optimizer must meet them too. The distance bounds are those tests' ‖g‖/λmin.
    /// </summary>
    [Theory]
    [MemberData(nameof(Problems))]
    public void Minimize_converges_on_the_standard_functions_within_the_solver_tests_bounds(string name, double[] minimiser)
    {
        var bound = name switch { "Rosenbrock" => 48, "Beale" => 22, "Extended" => 50, _ => 47 };
        var (theta, iterations, status, norm) = Driver.Value.Call<(double[], long, string, double)>("Minimize", name, 20);
        Assert.Equal("Converged", status);
        Assert.True(norm <= 1e-9, $"‖g‖ = {norm}");
        Assert.InRange(iterations, 1, bound);
        var error = Math.Sqrt(theta.Zip(minimiser, (a, b) => (a - b) * (a - b)).Sum());
        Assert.True(error <= (name == "Quadratic" ? 1e-9 : 1e-8), $"‖θ − θ*‖ = {error}");
    }

    [Fact]
    public void The_loss_never_increases_from_one_step_to_the_next()
    {
        var losses = Driver.Value.Call<double[]>("RosenbrockLosses");
        Assert.Equal(24.2, losses[0], 12); // (1 + 1.2)² + 100 (1 − 1.44)² at (−1.2, 1)
        for (var k = 1; k < losses.Length; k++)
        {
            Assert.True(losses[k] <= losses[k - 1], $"step {k}: {losses[k]} after {losses[k - 1]}");
        }

        Assert.True(losses[^1] < 1e-12, $"last loss {losses[^1]}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void Minimize_makes_the_iterations_Step_makes_bit_for_bit(int k)
    {
        var runs = Driver.Value.Call<long[][]>("StepsAgainstMinimize", k);
        Assert.Equal(runs[0], runs[1][..3]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(k), runs[1][3]); // the iterations, as doubles' bits
        Assert.Equal(BitConverter.DoubleToInt64Bits(k), runs[0][2]);
    }

    /// <summary>Without a line search the first step is η·d with d = −g (empty history): from (3, 1), g = (4, 18).</summary>
    [Fact]
    public void Without_a_line_search_the_step_is_the_learning_rate_times_the_direction()
    {
        var (a, b, loss) = Driver.Value.Call<(double, double, double)>("BowlFirstStep");
        Assert.Equal(4 + 27, loss);
        Assert.Equal(3 - (0.1 * 4), a, 15);
        Assert.Equal(1 - (0.1 * 18), b, 15);
    }

    [Fact]
    public void An_iteration_without_an_acceptable_point_stalls_and_leaves_the_parameters()
    {
        var (x, iterations, status, loss, norm, stepIteration, after) = Driver.Value.Call<(double, long, string, double, double, long, double)>("Stall");
        Assert.Equal("Stalled", status);
        Assert.Equal(0, iterations);
        Assert.Equal(2, x);
        Assert.Equal(-2, loss);
        Assert.Equal(1, norm);
        Assert.Equal(0, stepIteration);
        Assert.Equal(2, after);
    }

    [Fact]
    public void History_is_settable_within_the_attribute_capacity()
    {
        var (low, high, after, set) = Driver.Value.Call<(string, string, int, int)>("History");
        Assert.Equal("History", low);
        Assert.Equal("History", high);
        Assert.Equal(10, after);
        Assert.Equal(3, set);
    }

    /// <summary>f = Σ (1 + 0.01 i)(vᵢ − 0.001 i)²: the gradient norm 1e-10 bounds each error by 1e-10 / 2.</summary>
    [Fact]
    public void Heap_state_converges_and_Clone_is_independent_and_continues_bit_identically()
    {
        var (error, status, original, clone) = Driver.Value.Call<(double, string, long[], long[])>("Wide");
        Assert.Equal("Converged", status);
        Assert.True(error <= 1e-10, $"largest error {error}");
        Assert.Equal(original, clone);
    }

    [Fact]
    public void Setting_a_parameter_empties_the_history()
    {
        var runs = Driver.Value.Call<long[][]>("SettingClearsHistory");
        Assert.Equal(runs[1], runs[0]);
    }

    [Fact]
    public void A_checkpoint_continues_bit_identically_and_names_its_history_capacity()
    {
        var runs = Driver.Value.Call<long[][]>("Checkpoint");
        Assert.Equal(runs[0], runs[1]);
        Assert.Equal("InvalidDataException", Driver.Value.Call<string>("LoadOther"));
    }

    /// <summary>A line through (x, 3 − 2x) with a symmetric wobble: the least-squares line is w = −2, b = 3 (the wobble has zero mean and is orthogonal to x − x̄).</summary>
    [Fact]
    public void A_data_objective_converges_to_the_least_squares_line()
    {
        double[] x = [-2, -1, 0, 1, 2];
        double[] y = [.. x.Select((v, i) => 3 - (2 * v) + (i is 1 or 3 ? 0.1 : i == 2 ? -0.2 : 0))];
        var (w, b, status) = Driver.Value.Call<(double, double, string)>("FitLine", x, y);
        Assert.Equal("Converged", status);
        Assert.Equal(-2, w, 10);
        Assert.Equal(3, b, 10);
    }

    [Fact]
    public void Search_trials_are_the_runs_made_by_hand()
    {
        var (searched, byHand, trials, _, _) = Driver.Value.Call<(long[], long[], int, double, int)>("Search");
        Assert.Equal(4, trials);
        Assert.Equal(byHand, searched);
    }

    [Fact]
    public void Step_and_Minimize_allocate_nothing_after_construction()
    {
        double[] x = [-2, -1, 0, 1, 2];
        double[] y = [7, 5.1, 2.8, 1.1, -1];
        var allocated = Driver.Value.Call<long[]>("Allocations", x, y);
        Assert.Equal(0, allocated[0]);
        Assert.Equal(0, allocated[1]);
    }
}
