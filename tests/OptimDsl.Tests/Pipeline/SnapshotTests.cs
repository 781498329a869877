using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Pipeline;

/// <summary>
/// End-to-end snapshots of the generated files: together these objectives use every construct of
/// SPEC §3 and every generated member of SPEC §4. Accept deliberate changes with
/// <c>OPTIMDSL_ACCEPT_SNAPSHOTS=1 dotnet test tests/OptimDsl.Tests</c> and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Expression_bodies_fields_and_constants()
    {
        Verify("""
            using System;
            using OptimDsl;

            namespace Demo;

            public static partial class Problems
            {
                private const double Offset = 3;
                private static readonly double Scale = 100;

                [Objective]
                public static double Quadratic(double theta) => (theta - Offset) * (theta - Offset);

                [Objective]
                public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + Scale * Math.Pow(y - x * x, 2);

                [Objective]
                public static double Circle(double r) => Math.PI * r * r - Math.E * r;
            }
            """);
    }

    [Fact]
    public void Block_bodies_with_locals_and_compound_assignments()
    {
        Verify("""
            using System;
            using OptimDsl;

            namespace Demo
            {
                public static partial class Losses
                {
                    [Objective]
                    public static double Accumulated(double a, double b)
                    {
                        double s = a * b;
                        s += Math.Sin(a);
                        s -= b / 2;
                        s *= s;
                        s /= 1 + a * a;
                        var t = s;
                        t++;
                        return t;
                    }
                }
            }
            """);
    }

    [Fact]
    public void Every_math_function()
    {
        Verify("""
            using System;
            using OptimDsl;

            public static partial class Functions
            {
                [Objective]
                public static double All(double x, double y)
                    => Math.Sqrt(x) + Math.Cbrt(x) + Math.Exp(x) + Math.Log(x) + Math.Log(x, 3) + Math.Log10(x) + Math.Log2(x)
                     + Math.Pow(x, y) + Math.Pow(x, 3) + Math.Pow(x, 0.5) + Math.Sin(x) + Math.Cos(x) + Math.Tan(x)
                     + Math.Asin(x / 4) + Math.Acos(x / 4) + Math.Atan(x) + Math.Atan2(y, x)
                     + Math.Sinh(x) + Math.Cosh(x) + Math.Tanh(x) + Math.Abs(y) + Math.Max(x, y) + Math.Min(x, y)
                     + Math.Clamp(y, 0, 1);
            }
            """);
    }

    [Fact]
    public void Piecewise_objectives_and_inlined_calls()
    {
        Verify("""
            using System;
            using OptimDsl;

            namespace Demo.Robust;

            public static partial class Losses
            {
                [Objective]
                public static double Huber(double mu, [Data] double y)
                {
                    const double delta = 1.0;
                    var r = mu - y;
                    return Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);
                }

                [Objective]
                public static double Hinge(double w, [Data] double x, [Data] double label)
                    => label * w * x < 1 && !(x == 0) || label > 2 ? 1 - label * w * x : 0;

                [Objective]
                public static double Square(double u) => u * u;

                [Objective]
                public static double Composed(double h, double t) => Square(h - t) + 2 * Square(t);
            }
            """);
    }

    [Fact]
    public void Nested_and_generic_types_and_accessibility()
    {
        Verify("""
            using OptimDsl;

            namespace Deep.Space
            {
                public partial class Outer<T>
                {
                    internal static partial class Inner
                    {
                        [Objective]
                        internal static double Entropy(double p) => p * System.Math.Log(p);
                    }
                }

                public partial record Settings
                {
                    [Objective]
                    private static double Private(double value, double g) => value * value + g;
                }

                public partial struct Point
                {
                    [Objective]
                    public static double Distance(double x, double y) => System.Math.Sqrt(x * x + y * y);
                }
            }
            """);
    }

    [Fact]
    public void Optimizers()
    {
        Verify("""
            using System;
            using OptimDsl;

            namespace Demo;

            public static partial class Fits
            {
                [Objective, GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.1)]
                public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

                [Objective, Adam(LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-7)]
                public static double Sphere(double a, double b, double c, double d, double e, double f, double g)
                    => a * a + b * b + c * c + d * d + e * e + f * f + g * g;

                [Objective, Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1), GradientDescent, Adam]
                public static double Logistic(double w, double b, [Data] double x, [Data] double label)
                    => Math.Log(1 + Math.Exp(-label * (w * x + b)));
            }
            """);
    }

    private static void Verify(string source, [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), source);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
        Assert.NotEmpty(run.GeneratedSources);
        Snapshot.Match(run, testMethod: testMethod);
    }
}
