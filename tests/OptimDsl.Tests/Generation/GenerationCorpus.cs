namespace OptimDsl.Tests.Generation;

/// <summary>
/// Objectives that together use every construct of README, What an objective may contain, every place an objective can be
/// declared (README, What is generated) and every optimizer attribute (README, Optimizers), one theme per source. The snapshot
/// tests show what each generates; the determinism tests run all of them.
/// </summary>
internal static class GenerationCorpus
{
    /// <summary>Expression bodies; literals, unary minus, parentheses; const and static readonly fields (here and in another type); Math.PI and Math.E.</summary>
    public const string ExpressionBodies = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static class Physics
        {
            public static readonly double Gravity = 9.81;
            public const double Half = 0.5;
        }

        public static partial class Problems
        {
            private const double Offset = 3;
            private static readonly double Scale = 100;

            [Objective]
            public static double Quadratic(double theta) => (theta - Offset) * (theta - Offset);

            [Objective]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + Scale * Math.Pow(y - x * x, 2);

            [Objective]
            public static double Circle(double r) => Math.PI * r * r - Math.E * -r + 1e-3 / (2.5 + r * r);

            [Objective]
            public static double Fall(double v, double h) => Physics.Half * v * v + Physics.Gravity * h;
        }
        """;

    /// <summary>Block bodies: var and double locals, reassignment, every compound assignment, a local const.</summary>
    public const string BlockBodies = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Losses
        {
            [Objective]
            public static double Accumulated(double a, double b)
            {
                const double two = 2;
                double s = a * b;
                s += Math.Sin(a);
                s -= b / two;
                s *= s;
                s /= 1 + a * a;
                var t = s;
                t = t + a;
                return t;
            }

            [Objective]
            public static double Line(double w, double b)
            {
                var r1 = w * 1 + b - 2;
                var r2 = w * 2 + b - 3;
                return r1 * r1 + r2 * r2;
            }
        }
        """;

    /// <summary>Every System.Math function of README, What an objective may contain, Log with one and two arguments.</summary>
    public const string MathFunctions = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Functions
        {
            [Objective]
            public static double PowersAndLogarithms(double x, double y)
                => Math.Sqrt(x) + Math.Cbrt(x) + Math.Exp(y) + Math.Log(x) + Math.Log(x, 3) + Math.Log(x, y)
                 + Math.Log10(x) + Math.Log2(x) + Math.Pow(x, y) + Math.Pow(x, 3) + Math.Pow(2, y);

            [Objective]
            public static double Trigonometry(double x, double y)
                => Math.Sin(x) + Math.Cos(x) + Math.Tan(x) + Math.Asin(x / 4) + Math.Acos(x / 4) + Math.Atan(x) + Math.Atan2(y, x);

            [Objective]
            public static double Hyperbolic(double x) => Math.Sinh(x) + Math.Cosh(x) + Math.Tanh(x);

            [Objective]
            public static double Kinks(double x, double y) => Math.Abs(x) + Math.Max(x, y) + Math.Min(x, y) + Math.Clamp(y, 0, 1);
        }
        """;

    /// <summary>Conditional expressions over every comparison, with &amp;&amp;, || and !.</summary>
    public const string Conditionals = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Piecewise
        {
            private const double Delta = 1.0;

            [Objective]
            public static double Huber(double r)
            {
                var a = Math.Abs(r);
                return a <= Delta ? 0.5 * r * r : Delta * (a - 0.5 * Delta);
            }

            [Objective]
            public static double Hinge(double w, double b) => w * b < 1 ? 1 - w * b : 0;

            [Objective]
            public static double Logic(double x, double y)
                => x > 0 && y >= 0 || !(x == y) && x != 1 ? x * y : x < -1 ? -x : x * x;
        }
        """;

    /// <summary>Calls to other objectives: positional and named arguments, chains, another type's objective.</summary>
    public const string Calls = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Shapes
        {
            [Objective]
            public static double Square(double u) => u * u;
        }

        public static partial class Composition
        {
            [Objective]
            public static double Distance(double p, double q) => Math.Sqrt(Shapes.Square(p) + Shapes.Square(u: q));

            [Objective]
            public static double Chain(double h, double t) => 2 * Distance(h - t, t) + Shapes.Square(h);
        }
        """;

    /// <summary>A file-scoped namespace (its own file), nested block namespaces and the global namespace.</summary>
    public static readonly string[] Namespaces =
    [
        """
        using OptimDsl;

        namespace Demo.FileScoped;

        public static partial class Problems
        {
            [Objective]
            public static double Parabola(double x) => x * x - 2 * x;
        }
        """,
        """
        using OptimDsl;

        namespace Demo
        {
            namespace Blocks
            {
                public static partial class Problems
                {
                    [Objective]
                    public static double Parabola(double x) => x * x + 2 * x;
                }
            }
        }
        """,
        """
        using OptimDsl;

        public static partial class GlobalProblems
        {
            [Objective]
            public static double Parabola(double x) => x * x + 1;
        }
        """,
    ];

    /// <summary>Nested partial types: a generic containing type, a record, a struct, a record struct.</summary>
    public const string NestedTypes = """
        using System;
        using OptimDsl;

        namespace Deep.Space
        {
            public partial class Outer<T> where T : notnull
            {
                internal static partial class Inner
                {
                    [Objective]
                    internal static double Entropy(double p) => p * Math.Log(p);
                }
            }

            public partial record Settings(string Name)
            {
                [Objective]
                public static double Penalty(double value) => value * value;
            }

            public partial struct Point
            {
                public partial class Cell
                {
                    [Objective]
                    public static double Distance(double x, double y) => Math.Sqrt(x * x + y * y);
                }
            }

            public readonly partial record struct Pair
            {
                [Objective]
                public static double Product(double a, double b) => a * b;
            }
        }
        """;

    /// <summary>Every accessibility an objective can have; the generated members take it.</summary>
    public const string Accessibility = """
        using OptimDsl;

        namespace Demo;

        public partial class Access
        {
            [Objective]
            public static double Public(double x) => x * x;

            [Objective]
            internal static double Internal(double x) => x * x;

            [Objective]
            private static double Private(double x) => x * x;

            [Objective]
            protected internal static double ProtectedInternal(double x) => x * x;

            [Objective]
            private protected static double PrivateProtected(double x) => x * x;
        }
        """;

    /// <summary>[Data] parameters without an optimizer, including data declared between trainable parameters.</summary>
    public const string DataParameters = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Regression
        {
            [Objective]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            [Objective]
            public static double Interleaved([Data] double x, double scale, [Data] double y, double shift)
                => Math.Pow(scale * x + shift - y, 2);
        }
        """;

    /// <summary>[GradientDescent] with a learning rate and with its defaults, without and with data.</summary>
    public const string GradientDescent = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Descent
        {
            [Objective, GradientDescent(LearningRate = 0.1)]
            public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

            [Objective, GradientDescent]
            public static double Fit(double w, [Data] double x, [Data] double y) => (w * x - y) * (w * x - y);
        }
        """;

    /// <summary>[Sgd] on an objective with data.</summary>
    public const string Sgd = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Stochastic
        {
            [Objective, Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1)]
            public static double Logistic(double w, double b, [Data] double x, [Data] double label)
                => Math.Log(1 + Math.Exp(-label * (w * x + b)));
        }
        """;

    /// <summary>[Adam] with every hyperparameter set, and with its defaults next to another optimizer.</summary>
    public const string Adam = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Adaptive
        {
            [Objective, Adam(LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-7)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, GradientDescent(LearningRate = 0.1), Adam]
            public static double Bowl(double a, double b, double c) => a * a + 2 * b * b + 3 * c * c;
        }
        """;

    /// <summary>
    /// Float objectives with every optimizer family, with and without data (README, Float objectives): first-order
    /// optimizers with minibatches, L-BFGS and Levenberg–Marquardt.
    /// </summary>
    public const string Floats = """
        using System;
        using OptimDsl;

        namespace Demo.FloatCorpus;

        public static partial class Fits
        {
            [Objective, Adam(LearningRate = 0.01), Sgd(BatchSize = 2), Lbfgs, LevenbergMarquardt]
            public static float Line(float w, float b, [Data] float x, [Data] float y) => (w * x + b - y) * (w * x + b - y);

            [Objective, RmsProp, Lbfgs, LevenbergMarquardt]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        """;

    /// <summary>Every theme, one compilation's worth of sources each.</summary>
    public static readonly string[][] All =
    [
        [ExpressionBodies],
        [BlockBodies],
        [MathFunctions],
        [Conditionals],
        [Calls],
        Namespaces,
        [NestedTypes],
        [Accessibility],
        [DataParameters],
        [GradientDescent],
        [Sgd],
        [Adam],
        [Floats],
    ];
}
