using System.Collections.Generic;

namespace OptimDsl.Tests.Gradients;

internal static partial class Corpus
{
    /// <summary>The corpus sources by group: each group is one compilation.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Sources = new Dictionary<string, string[]>
    {
        ["Standard"] = [StandardSource],
        ["Data"] = [DataSource],
        ["Language"] = [LanguageSource, GlobalSource, UsingStaticSource],
    };

    private const string StandardSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Standard;

        public static partial class TestFunctions
        {
            private const double A = 10;

            // The textbook first example of gradient descent: J(θ) = (θ − 3)².
            [Objective]
            public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

            [Objective]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective]
            public static double Beale(double x, double y)
                => Math.Pow(1.5 - x + x * y, 2) + Math.Pow(2.25 - x + x * y * y, 2) + Math.Pow(2.625 - x + x * y * y * y, 2);

            [Objective]
            public static double Booth(double x, double y) => Math.Pow(x + 2 * y - 7, 2) + Math.Pow(2 * x + y - 5, 2);

            [Objective]
            public static double Himmelblau(double x, double y) => Math.Pow(x * x + y - 11, 2) + Math.Pow(x + y * y - 7, 2);

            [Objective]
            public static double Matyas(double x, double y) => 0.26 * (x * x + y * y) - 0.48 * x * y;

            [Objective]
            public static double ThreeHumpCamel(double x, double y)
                => 2 * x * x - 1.05 * Math.Pow(x, 4) + Math.Pow(x, 6) / 6 + x * y + y * y;

            [Objective]
            public static double GoldsteinPrice(double x, double y)
            {
                var a = x + y + 1;
                var b = 2 * x - 3 * y;
                return (1 + a * a * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y))
                    * (30 + b * b * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y));
            }

            [Objective]
            public static double McCormick(double x, double y) => Math.Sin(x + y) + Math.Pow(x - y, 2) - 1.5 * x + 2.5 * y + 1;

            [Objective]
            public static double StyblinskiTang(double x, double y)
                => (Math.Pow(x, 4) - 16 * x * x + 5 * x + Math.Pow(y, 4) - 16 * y * y + 5 * y) / 2;

            [Objective]
            public static double Rastrigin(double x, double y)
                => 2 * A + (x * x - A * Math.Cos(2 * Math.PI * x)) + (y * y - A * Math.Cos(2 * Math.PI * y));

            [Objective]
            public static double Ackley(double x, double y)
                => -20 * Math.Exp(-0.2 * Math.Sqrt(0.5 * (x * x + y * y)))
                    - Math.Exp(0.5 * (Math.Cos(2 * Math.PI * x) + Math.Cos(2 * Math.PI * y))) + Math.E + 20;

            [Objective]
            public static double Sphere5(double a, double b, double c, double d, double e) => a * a + b * b + c * c + d * d + e * e;

            [Objective]
            public static double ExtendedRosenbrock(double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7)
                => 100 * Math.Pow(x1 - x0 * x0, 2) + Math.Pow(1 - x0, 2)
                    + 100 * Math.Pow(x2 - x1 * x1, 2) + Math.Pow(1 - x1, 2)
                    + 100 * Math.Pow(x3 - x2 * x2, 2) + Math.Pow(1 - x2, 2)
                    + 100 * Math.Pow(x4 - x3 * x3, 2) + Math.Pow(1 - x3, 2)
                    + 100 * Math.Pow(x5 - x4 * x4, 2) + Math.Pow(1 - x4, 2)
                    + 100 * Math.Pow(x6 - x5 * x5, 2) + Math.Pow(1 - x5, 2)
                    + 100 * Math.Pow(x7 - x6 * x6, 2) + Math.Pow(1 - x6, 2);

            [Objective]
            public static double Easom(double x, double y)
                => -Math.Cos(x) * Math.Cos(y) * Math.Exp(-(Math.Pow(x - Math.PI, 2) + Math.Pow(y - Math.PI, 2)));

            [Objective]
            public static double Levi(double x, double y)
                => Math.Pow(Math.Sin(3 * Math.PI * x), 2)
                    + Math.Pow(x - 1, 2) * (1 + Math.Pow(Math.Sin(3 * Math.PI * y), 2))
                    + Math.Pow(y - 1, 2) * (1 + Math.Pow(Math.Sin(2 * Math.PI * y), 2));
        }
        """;

    private const string DataSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Losses
        {
            public static partial class Losses
            {
                private const double Delta = 1.0;

                [Objective]
                public static double Line(double w, double b, [Data] double x, [Data] double y)
                {
                    var r = w * x + b - y;
                    return r * r;
                }

                [Objective]
                public static double Logistic(double w, double b, [Data] double x, [Data] double y)
                    => Math.Log(1 + Math.Exp(-y * (w * x + b)));

                // The data overload's vectorised Exp and Log on their own (see DataGradientTests).
                [Objective]
                public static double ExpOf(double w, [Data] double x) => Math.Exp(w * x);

                [Objective]
                public static double LogOf(double w, [Data] double x) => Math.Log(w * x);

                [Objective]
                public static double Huber(double w, double b, [Data] double x, [Data] double y)
                {
                    var r = w * x + b - y;
                    return Math.Abs(r) <= Delta ? 0.5 * r * r : Delta * (Math.Abs(r) - 0.5 * Delta);
                }

                // Poisson negative log-likelihood, up to the constant log k!.
                [Objective]
                public static double Poisson(double a, double b, [Data] double x, [Data] double k)
                {
                    var rate = Math.Exp(a * x + b);
                    return rate - k * Math.Log(rate);
                }

                [Objective]
                public static double WeightedTanh(double w1, double w2, double b, [Data] double x1, [Data] double x2, [Data] double weight, [Data] double target)
                    => weight * Math.Pow(Math.Tanh(w1 * x1 + w2 * x2 + b) - target, 2);

                // The untaken branch is NaN (square root of a negative number): it must not reach the value or the gradient.
                [Objective]
                public static double GuardedSqrt(double w, double c, [Data] double x)
                {
                    var r = w * x - c;
                    return r > 0 ? Math.Sqrt(r) : -r * w;
                }

                // One condition on the parameters only (the same for every sample), one on the sample.
                [Objective]
                public static double ParameterBranch(double w, double b, [Data] double x)
                    => (w > 0 ? w * x * x + b : Math.Exp(w) * x + b * b) + (w * x > b && w < 1.5 ? Math.Sin(w * x) : Math.Cos(b * x));

                // Data parameters named like the generated method's own locals (and a keyword).
                [Objective]
                public static double CollidingData(double w, double p0, [Data] double i, [Data] double loss, [Data] double sum0,
                    [Data] double value, [Data] double p1, [Data] double v0, [Data] double iRef, [Data] double lossV, [Data] double @in)
                {
                    var t0 = w * i + p0 * loss - sum0;
                    var u0 = Math.Exp(p0);
                    return t0 * t0 * value + Math.Sin(p1 * w) * v0 + Math.Exp(p0 * v0 * 0.1) * iRef + lossV * w * w + u0 * @in;
                }

                // Data and trainable parameters interleaved: trainable order is declaration order.
                [Objective]
                public static double Interleaved([Data] double x, double w, [Data] double y, double b)
                    => Math.Pow(w * x + b - y, 2);

                // A data parameter the loss does not use: the mean of a constant loss is that loss.
                [Objective]
                public static double DataUnused(double w, [Data] double x) => w * w;

                // Parts that do not depend on the sample, and a parameter that does not occur at all.
                [Objective]
                public static double UniformParts(double w, double b, double c, double d, [Data] double x)
                    => w * x + b + 3 * c * c + Math.Exp(c);
            }
        }
        """;

    private const string LanguageSource = """
        using System;
        using OptimDsl;

        namespace Corpus.Language
        {
            public static class Limits
            {
                public static readonly double Bias = 0.125;
            }

            public static partial class Functions
            {
                public const double Scale = 2.5;
                public static readonly double Shift = 1.75;
                private const int Two = 2;

                [Objective]
                public static double Logarithms(double x, double y)
                    => Math.Sqrt(x) + Math.Exp(y / 3) + Math.Log(x * y * y + 1) + Math.Log(x + 2, 3) + Math.Log(y * y + 1, x + 1)
                        + Math.Log10(x) + Math.Log2(x + y * y);

                [Objective]
                public static double Trigonometry(double x, double y)
                    => Math.Sin(x) * Math.Cos(y) + Math.Tan(x / 2) + Math.Asin(y / 3) + Math.Acos(x / 4) + Math.Atan(x * y)
                        + Math.Atan2(y, x) + Math.Atan2(x - 3, y + 2.5);

                [Objective]
                public static double Hyperbolic(double x, double y)
                    => Math.Sinh(x) + Math.Cosh(y) * Math.Tanh(x * y) + Math.Cbrt(x * x + 1) + Math.Cbrt(x - 3)
                        + Math.Pow(x * x + 1, y) + Math.Pow(2, x) + Math.Pow(y * y + 1, 1.5) + Math.Pow(x, -3) + Math.Pow(y, 3) + Math.Pow(x, 0.5);

                [Objective]
                public static double Piecewise(double x, double y)
                    => Math.Abs(x) + Math.Abs(x * y - 1) + Math.Max(x, y) + Math.Min(x * y, 1) + Math.Clamp(x + y, -1, 1) + Math.Clamp(x, y, y + 2);

                [Objective]
                public static double Constants(double x)
                    => Math.PI * x * x + Math.E * x + Scale * x + Shift * Math.Sin(x) + Two * Math.Exp(-x) + Limits.Bias;

                [Objective]
                public static double Block(double x, double y)
                {
                    var a = x * y;
                    a += x;
                    a -= y / 2;
                    a *= 1.5;
                    a /= 2 + y * y;
                    double c = 0;
                    const double half = 0.5;
                    double m = x * half, n = y - half;
                    double q;
                    q = m * n;
                    c += q;
                    c++;
                    c += a * a;
                    ++c;
                    c--;
                    --c;
                    var e = c;
                    e *= Math.Sin(x);
                    {
                        var inner = e + a;
                        e = inner * 0.5;
                    }
                    return e + a;
                }

                [Objective]
                public static double Conditions(double x, double y)
                    => x > y && x > 0 ? x * y : (x < -1 || y >= 1 ? x - y : x * x + y * y);

                [Objective]
                public static double MoreConditions(double x, double y)
                    => (x == y ? 0 : x * y) + (!(x <= y) ? Math.Sin(x) : Math.Cos(y)) + (x != 0.5 ? Math.Exp(x) : 0);

                [Objective]
                public static double Bump(double a, double b) => a * a * b + Math.Exp(-a * a);

                // Calls to other objectives: positional, named, in another type, and one with a block body.
                [Objective]
                public static double Inlined(double x, double y)
                    => 2 * Bump(x * y, 1) + Bump(b: y, a: x) + Helpers.Wave(x - y) + Block(y, x);

                [Objective]
                public static double Colliding(double h, double t, double g, double tmp0, double value, double t0, double d0, double p0)
                {
                    var t1 = h * t + g;
                    var t2 = t1 * t1 + tmp0 * value;
                    var shared = Math.Sin(t0 * d0) * p0;
                    return t2 * shared + shared * shared + Math.Exp(t1 * 0.1) * h + value * t0 * t0;
                }

                [Objective]
                public static double MoreColliding(double sum0, double loss, double i, double parameters, double gradient, double dx, double @event)
                    => sum0 * loss + Math.Sin(i * parameters) * gradient + Math.Pow(sum0 - i, 2) + dx * dx * loss + @event * Math.Exp(@event * gradient);

                public static partial class Inner
                {
                    [Objective]
                    public static double Nested(double x, double y) => Math.Pow(x - Scale, 2) + x * Math.Sin(y);

                    internal static partial class Deeper
                    {
                        [Objective]
                        internal static double Deepest(double u) => u * u * u - u;
                    }
                }

                [Objective]
                private static double Hidden(double x, double y) => Math.Exp(x) * Math.Cos(y) + x * x * y;
            }

            internal static partial class InternalFunctions
            {
                [Objective]
                internal static double Internal(double x, double y, double z) => x * y * z + Math.Log(1 + x * x + y * y + z * z);
            }

            public partial struct Shape
            {
                [Objective]
                public static double Area(double width, double height) => width * height + Math.Sqrt(width * width + height * height);
            }

            public static partial class Helpers
            {
                [Objective]
                public static double Wave(double s) => Math.Sin(3 * s) / (1 + s * s);
            }
        }
        """;

    private const string GlobalSource = """
        using System;
        using OptimDsl;

        public static partial class GlobalFunctions
        {
            [Objective]
            public static double Global(double x, double y) => Math.Cosh(x - y) + Math.Atan(x) * y;
        }
        """;

    private const string UsingStaticSource = """
        using OptimDsl;
        using static System.Math;
        using M = System.Math;

        namespace Corpus.Language
        {
            public static partial class Functions
            {
                // Math through 'using static', an alias and a fully qualified name; Greek parameter names.
                [Objective]
                public static double Aliased(double x, double θ)
                    => Sin(x) * M.Sqrt(θ * θ + 1) + global::System.Math.Cos(θ) + System.Math.Exp(-x * x) + PI * θ;
            }
        }
        """;
}
