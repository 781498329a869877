using System.Linq;
using System.Text;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// README, Optimizers: no heap allocation in an optimizer's constructor, Step or Minimize (with or without a
/// struct observer), nor in the gradient methods. Measured with GC.GetAllocatedBytesForCurrentThread
/// around warmed-up calls inside the compiled driver.
/// </summary>
public sealed class AllocationTests
{
    /// <summary>What each measured block does (50 times per measurement); it uses x0, x1, y (data) and the span buffers.</summary>
    private static readonly (string Name, string Code)[] Blocks =
    [
        ("control: new double[4] (must allocate)", "var a = new double[4]; _sink += a.Length;"),
        ("baseline: an empty block", "_sink += 1;"),
        ("constructor GradientDescent", "var o = new P.RosenbrockGradientDescent(-1.2, 1.0); _sink += o.X;"),
        ("constructor Adam (8 parameters)", "var o = new P.Rosen8Adam(1, 2, 3, 4, 5, 6, 7, 8); _sink += o.P7;"),
        ("constructor GradientDescent with data", "var o = new P.LeastSquaresGradientDescent(1, 2, 3); _sink += o.B;"),
        ("constructor Sgd", "var o = new P.LeastSquaresSgd(1, 2, 3); _sink += o.B;"),
        ("constructor Adam with data", "var o = new P.LeastSquaresAdam(1, 2, 3); _sink += o.B;"),
        ("Step GradientDescent (7 parameters)", "var o = new P.SevenGradientDescent(1, 1, 1, 1, 1, 1, 1); _sink += o.Step() + o.Step() + o.G;"),
        ("Step Adam (1 parameter)", "var o = new P.QuadraticAdam(0); _sink += o.Step() + o.Step() + o.Theta;"),
        ("Step Adam (5 parameters)", "var o = new P.FiveAdam(1, 1, 1, 1, 1); _sink += o.Step() + o.Step() + o.E;"),
        ("Step Adam (8 parameters)", "var o = new P.Rosen8Adam(1, 2, 3, 4, 5, 6, 7, 8); _sink += o.Step() + o.Step() + o.P7;"),
        ("Step GradientDescent with data", "var o = new P.LeastSquaresGradientDescent(0, 0, 0); _sink += o.Step(x0, x1, y) + o.Step(x0, x1, y);"),
        ("Step Sgd", "var o = new P.LeastSquaresSgd(0, 0, 0); o.BatchSize = 3; _sink += o.Step(x0, x1, y) + o.Step(x0, x1, y) + o.Step(x0, x1, y) + o.Step(x0, x1, y) + o.Step(x0, x1, y);"),
        ("Step Adam with data", "var o = new P.LeastSquaresAdam(0, 0, 0); _sink += o.Step(x0, x1, y) + o.Step(x0, x1, y);"),
        ("Minimize GradientDescent", "var o = new P.RosenbrockGradientDescent(-1.2, 1.0); _sink += o.Minimize(20, 1e-12).Loss;"),
        ("Minimize GradientDescent (converging)", "var o = new P.QuadraticGradientDescent(0); _sink += o.Minimize(1000).Loss;"),
        ("Minimize GradientDescent (diverging)", "var o = new P.QuarticGradientDescent(2); _sink += o.Minimize(1000).Loss;"),
        ("Minimize Adam (8 parameters)", "var o = new P.Rosen8Adam(1, 2, 3, 4, 5, 6, 7, 8); _sink += o.Minimize(20, 1e-12).Loss;"),
        ("Minimize GradientDescent with data", "var o = new P.LeastSquaresGradientDescent(0, 0, 0); _sink += o.Minimize(x0, x1, y, 20, 1e-12).Loss;"),
        ("Minimize Sgd", "var o = new P.LeastSquaresSgd(0, 0, 0); _sink += o.Minimize(x0, x1, y, 20, 1e-12).Loss;"),
        ("Minimize Adam with data", "var o = new P.LeastSquaresAdam(0, 0, 0); _sink += o.Minimize(x0, x1, y, 20).Loss;"),
        ("Minimize<Counter> GradientDescent", "var o = new P.SevenGradientDescent(1, 1, 1, 1, 1, 1, 1); var c = new Counter(); _sink += o.Minimize(20, 1e-12, ref c).Loss + c.Calls;"),
        ("Minimize<Counter> Adam", "var o = new P.FiveAdam(1, 1, 1, 1, 1); var c = new Counter(); _sink += o.Minimize(20, 1e-12, ref c).Loss + c.Calls;"),
        ("Minimize<Counter> GradientDescent with data", "var o = new P.LeastSquaresGradientDescent(0, 0, 0); var c = new Counter(); _sink += o.Minimize(x0, x1, y, 20, 1e-12, ref c).Loss + c.Calls;"),
        ("Minimize<Counter> Sgd", "var o = new P.LeastSquaresSgd(0, 0, 0); var c = new Counter(); _sink += o.Minimize(x0, x1, y, 20, 1e-12, ref c).Loss + c.Calls;"),
        ("Minimize<Counter> Adam with data", "var o = new P.LeastSquaresAdam(0, 0, 0); var c = new Counter(); _sink += o.Minimize(x0, x1, y, 20, 1e-12, ref c).Loss + c.Calls;"),
        ("Minimize<Counter> stopped by the observer", "var o = new P.Rosen8Adam(1, 2, 3, 4, 5, 6, 7, 8); var c = new Counter { StopAt = 5 }; _sink += o.Minimize(100, 1e-12, ref c).Loss + c.Calls;"),
        ("Gradient with out parameters", "_sink += P.Rosen8Gradient(1, 2, 3, 4, 5, 6, 7, 8, out var d0, out var d1, out var d2, out var d3, out var d4, out var d5, out var d6, out var d7) + d0 + d7;"),
        ("Gradient with out parameters and data", "_sink += P.LeastSquaresGradient(1, 2, 3, 0.5, 0.25, 1, out var d0, out var d1, out var d2) + d0 + d2;"),
        ("Gradient span overload", "_sink += P.Rosen8Gradient(p8, g8) + g8[7];"),
        ("Gradient span overload with data", "_sink += P.LeastSquaresGradient(p3, x0, x1, y, g3) + g3[2];"),
    ];

    /// <summary>The driver's part of the shared compilation.</summary>
    internal static string DriverCode
    {
        get
        {
            var text = new StringBuilder("""
                using System;
                using OptimDsl;

                namespace Opt;

                public struct Counter : IOptimizationObserver
                {
                    public long Calls;
                    public long StopAt;

                    public bool OnStep(long iteration, double loss, double gradientNorm)
                    {
                        Calls++;
                        return StopAt == 0 || Calls < StopAt;
                    }
                }

                public static partial class Driver
                {
                    private static double _sink;

                    public static long Allocated(int block, double[] x0, double[] x1, double[] y)
                    {
                        long least = long.MaxValue;
                        for (int attempt = 0; attempt < 3; attempt++)
                        {
                            Run(block, x0, x1, y);
                            long before = GC.GetAllocatedBytesForCurrentThread();
                            Run(block, x0, x1, y);
                            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                        }

                        return least;
                    }

                    public static (long Calls, long Iterations, long Allocated) CountWithStructObserver(double[] x0, double[] x1, double[] y)
                    {
                        var o = new P.LeastSquaresSgd(0, 0, 0);
                        var c = new Counter();
                        o.Minimize(x0, x1, y, 2, 1e-12, ref c);
                        o = new P.LeastSquaresSgd(0, 0, 0);
                        c = new Counter();
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        var result = o.Minimize(x0, x1, y, 37, 1e-12, ref c);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        return (c.Calls, result.Iterations, allocated);
                    }

                    private static void Run(int block, double[] x0, double[] x1, double[] y)
                    {
                        // (A stackalloc with an initializer allocates in a Debug compilation: fill by hand.)
                        Span<double> p8 = stackalloc double[8];
                        Span<double> g8 = stackalloc double[8];
                        Span<double> p3 = stackalloc double[3];
                        Span<double> g3 = stackalloc double[3];
                        for (int i = 0; i < 8; i++) p8[i] = i + 1;
                        p3[0] = 0.5; p3[1] = -0.5; p3[2] = 0.25;
                        for (int r = 0; r < 50; r++)
                        {
                            switch (block)
                            {

                """);
            for (var i = 0; i < Blocks.Length; i++)
            {
                text.AppendLine($"                case {i}: {{ {Blocks[i].Code} break; }}");
            }

            text.AppendLine("""
                                default: throw new ArgumentOutOfRangeException(nameof(block));
                            }
                        }
                    }
                }
                """);
            return text.ToString();
        }
    }

    public static TheoryData<int, string> Cases
    {
        get
        {
            var cases = new TheoryData<int, string>();
            for (var i = 1; i < Blocks.Length; i++)
            {
                cases.Add(i, Blocks[i].Name);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allocates_nothing(int block, string name)
    {
        var data = Objectives.LinearData(29, seed: 2);
        var bytes = Objectives.Driver.Call<long>("Allocated", block, data[0], data[1], data[2]);

        Assert.True(bytes == 0, $"{name}: {bytes} bytes allocated in 50 runs");
    }

    [Fact]
    public void The_measurement_sees_an_allocation()
    {
        var data = Objectives.LinearData(29, seed: 2);
        var bytes = Objectives.Driver.Call<long>("Allocated", 0, data[0], data[1], data[2]);

        Assert.True(bytes >= 50 * 4 * sizeof(double), $"{Blocks[0].Name}: only {bytes} bytes");
    }

    [Fact]
    public void A_struct_observer_passed_by_ref_counts_every_update_without_allocating()
    {
        var data = Objectives.LinearData(29, seed: 2);
        var (calls, iterations, allocated) = Objectives.Driver.Call<(long, long, long)>("CountWithStructObserver", data[0], data[1], data[2]);

        Assert.Equal(37, iterations);
        Assert.Equal(37, calls);
        Assert.Equal(0, allocated);
    }
}
