using System.Runtime.CompilerServices;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Generation;

/// <summary>
/// End-to-end snapshots: every file the generator writes for each theme of
/// <see cref="GenerationCorpus"/>, one file per objective named after its namespace, types and method.
/// Each run must compile without a warning. Accept deliberate changes with
/// <c>OPTIMDSL_ACCEPT_SNAPSHOTS=1 dotnet test tests/OptimDsl.Tests</c> and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Expression_bodies_constants_and_fields() => Verify(
        [GenerationCorpus.ExpressionBodies],
        ["Demo.Problems.Circle.g.cs", "Demo.Problems.Fall.g.cs", "Demo.Problems.Quadratic.g.cs", "Demo.Problems.Rosenbrock.g.cs"]);

    [Fact]
    public void Block_bodies_with_locals_and_compound_assignments() => Verify(
        [GenerationCorpus.BlockBodies],
        ["Demo.Losses.Accumulated.g.cs", "Demo.Losses.Line.g.cs"]);

    [Fact]
    public void Every_math_function() => Verify(
        [GenerationCorpus.MathFunctions],
        ["Demo.Functions.Hyperbolic.g.cs", "Demo.Functions.Kinks.g.cs", "Demo.Functions.PowersAndLogarithms.g.cs", "Demo.Functions.Trigonometry.g.cs"]);

    [Fact]
    public void Conditionals_with_comparisons_and_logical_operators() => Verify(
        [GenerationCorpus.Conditionals],
        ["Demo.Piecewise.Hinge.g.cs", "Demo.Piecewise.Huber.g.cs", "Demo.Piecewise.Logic.g.cs"]);

    [Fact]
    public void Calls_to_other_objectives() => Verify(
        [GenerationCorpus.Calls],
        ["Demo.Composition.Chain.g.cs", "Demo.Composition.Distance.g.cs", "Demo.Shapes.Square.g.cs"]);

    [Fact]
    public void File_scoped_block_and_global_namespaces() => Verify(
        GenerationCorpus.Namespaces,
        ["Demo.Blocks.Problems.Parabola.g.cs", "Demo.FileScoped.Problems.Parabola.g.cs", "GlobalProblems.Parabola.g.cs"]);

    [Fact]
    public void Nested_partial_types_generic_record_and_struct() => Verify(
        [GenerationCorpus.NestedTypes],
        ["Deep.Space.Outer`1.Inner.Entropy.g.cs", "Deep.Space.Pair.Product.g.cs", "Deep.Space.Point.Cell.Distance.g.cs", "Deep.Space.Settings.Penalty.g.cs"]);

    [Fact]
    public void Every_accessibility() => Verify(
        [GenerationCorpus.Accessibility],
        ["Demo.Access.Internal.g.cs", "Demo.Access.Private.g.cs", "Demo.Access.PrivateProtected.g.cs", "Demo.Access.ProtectedInternal.g.cs", "Demo.Access.Public.g.cs"]);

    [Fact]
    public void Data_parameters() => Verify(
        [GenerationCorpus.DataParameters],
        ["Demo.Regression.Interleaved.g.cs", "Demo.Regression.Line.g.cs"]);

    [Fact]
    public void Gradient_descent_optimizer() => Verify(
        [GenerationCorpus.GradientDescent],
        ["Demo.Descent.Fit.g.cs", "Demo.Descent.Quadratic.g.cs"]);

    [Fact]
    public void Sgd_optimizer_with_data() => Verify(
        [GenerationCorpus.Sgd],
        ["Demo.Stochastic.Logistic.g.cs"]);

    [Fact]
    public void Adam_optimizer() => Verify(
        [GenerationCorpus.Adam],
        ["Demo.Adaptive.Bowl.g.cs", "Demo.Adaptive.Rosenbrock.g.cs"]);

    /// <summary>Optimizers of the catalogue (README, Optimizers): their state fields, constructor fills, flags and minibatches.</summary>
    private const string Catalogue = """
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Catalogue
        {
            [Objective, AdamW(LearningRate = 0.01, WeightDecay = 0.05, AmsGrad = true, ClipNorm = 5)]
            public static double Bowl(double a, double b, double c) => a * a + 2 * b * b + 3 * c * c;

            [Objective, RmsProp(LearningRate = 0.005, Momentum = 0.9, Centered = true, BatchSize = 4, Seed = 7)]
            public static double Line(double w, double b, [Data] double x, [Data] double y)
            {
                var r = w * x + b - y;
                return r * r;
            }

            [Objective, Lion(LearningRate = 0.001, Beta1 = 0.95, WeightDecay = 0.1, ClipValue = 1)]
            public static double Valley(double x, double y) => Math.Log(1 + x * x) + (y - 1) * (y - 1);

            // 17 parameters, one past the unrolling limit: the chunks of four are a loop.
            [Objective, Adam]
            public static double Wide(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7, double p8,
                                      double p9, double p10, double p11, double p12, double p13, double p14, double p15, double p16)
                => p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3 + p4 * p4 + p5 * p5 + p6 * p6 + p7 * p7 + p8 * p8
                 + p9 * p9 + p10 * p10 + p11 * p11 + p12 * p12 + p13 * p13 + p14 * p14 + p15 * p15 + p16 * p16;

            [Objective, Rprop(LearningRate = 0.05, EtaMinus = 0.4, EtaPlus = 1.3, MinStep = 1e-5, MaxStep = 2), AdaGrad(InitialAccumulatorValue = 0.1, LearningRateDecay = 0.01)]
            public static double Saddle(double u, double v) => u * u - 0.5 * v * v + 0.25 * v * v * v * v;
        }
        """;

    [Fact]
    public void Catalogue_optimizers() => Verify(
        [Catalogue],
        ["Demo.Catalogue.Bowl.g.cs", "Demo.Catalogue.Line.g.cs", "Demo.Catalogue.Saddle.g.cs", "Demo.Catalogue.Valley.g.cs", "Demo.Catalogue.Wide.g.cs"]);

    /// <summary>README, Which optimizer?: L-BFGS and Levenberg–Marquardt on an exponential-decay fit (one residual per sample) and on a two-residual objective without data.</summary>
    private const string Solvers = """
        using System;
        using OptimDsl;

        namespace Demo.Solvers;

        public static partial class Fits
        {
            [Objective, LevenbergMarquardt, Lbfgs]
            public static double Decay(double a, double k, double c, [Data] double t, [Data] double y)
            {
                var r = a * Math.Exp(-k * t) + c - y;
                return r * r;
            }

            [Objective, LevenbergMarquardt(InitialDamping = 0.01), Lbfgs(History = 5, LineSearch = LineSearch.None, LearningRate = 0.5)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);
        }
        """;

    [Fact]
    public void Lbfgs_and_Levenberg_Marquardt() => Verify(
        [Solvers],
        ["Demo.Solvers.Fits.Decay.g.cs", "Demo.Solvers.Fits.Rosenbrock.g.cs"]);

    /// <summary>SPEC §8's linear regression: a trained vector and scalar, a data row of <c>Features</c> values and a data scalar, Adam with minibatches.</summary>
    private const string LinearRegression = """
        using System;
        using OptimDsl;

        namespace Demo.Vectors;

        public static partial class Models
        {
            public const int Features = 10;

            // Linear regression over 10 features: w is trained; x is one sample's feature row.
            [Objective, Adam(LearningRate = 0.05, BatchSize = 64)]
            public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                        [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double prediction = b;
                for (int i = 0; i < w.Length; i++)
                    prediction += w[i] * x[i];
                double r = prediction - y;
                return r * r;
            }
        }
        """;

    /// <summary>SPEC §8's network: 2 inputs, 4 tanh hidden units in a local vector, 1 output, Adam.</summary>
    private const string XorNetwork = """
        using System;
        using OptimDsl;

        namespace Demo.Vectors;

        public static partial class Networks
        {
            // A small network: 2 inputs, 4 tanh hidden units, 1 output.
            [Objective, Adam(LearningRate = 0.05)]
            public static double Xor([Length(8)] ReadOnlySpan<double> w1, [Length(4)] ReadOnlySpan<double> b1,
                                     [Length(4)] ReadOnlySpan<double> w2, double b2,
                                     [Data, Length(2)] ReadOnlySpan<double> input, [Data] double target)
            {
                Span<double> hidden = stackalloc double[4];
                for (int j = 0; j < 4; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < 2; i++)
                        s += w1[j * 2 + i] * input[i];
                    hidden[j] = Math.Tanh(s);
                }
                double output = b2;
                for (int j = 0; j < 4; j++)
                    output += w2[j] * hidden[j];
                return (output - target) * (output - target);
            }
        }
        """;

    /// <summary>
    /// No data: scalars around a vector, a slice of it passed to a helper objective, a triangular double
    /// loop that counts its iterations in an <c>int</c> local, and gradient descent.
    /// </summary>
    /// <summary>Loops long enough to stay loops (README, Large loops and large models): a logistic regression over 100 features and a smoothed fit of 600 values, past the inline state limit.</summary>
    private const string RolledLoops = """
        using System;
        using OptimDsl;

        namespace Demo.Vectors;

        public static partial class Rolled
        {
            public const int Features = 100;

            [Objective, Adam(LearningRate = 0.05)]
            public static double Logistic([Length(Features)] ReadOnlySpan<double> w, double b,
                                          [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
            {
                double z = b;
                for (int i = 0; i < Features; i++)
                    z += w[i] * x[i];
                double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                return softplus - y * z;
            }

            [Objective, GradientDescent(LearningRate = 0.1)]
            public static double Smooth([Length(600)] ReadOnlySpan<double> v, double level)
            {
                double fit = 0, rough = 0;
                for (int i = 1; i < 600; i++)
                {
                    fit += (v[i] - level) * (v[i] - level);
                    rough += (v[i] - v[i - 1]) * (v[i] - v[i - 1]);
                }

                return fit + 0.5 * rough + v[0] * v[0];
            }
        }
        """;

    /// <summary>README, Large loops and large models: a hidden layer of 64 units as a rolled map, read by a rolled sum and at a fixed index.</summary>
    private const string RolledMap = """
        using System;
        using OptimDsl;

        namespace Demo.Vectors;

        public static partial class Network
        {
            [Objective]
            public static double Hidden64([Length(128)] ReadOnlySpan<double> w1, [Length(64)] ReadOnlySpan<double> b1, [Length(64)] ReadOnlySpan<double> w2,
                                          [Data, Length(2)] ReadOnlySpan<double> x, [Data] double y)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++)
                    h[j] = Math.Tanh(b1[j] + w1[2 * j] * x[0] + w1[2 * j + 1] * x[1]);
                double p = 0;
                for (int j = 0; j < 64; j++)
                    p += w2[j] * h[j];
                return (p - y) * (p - y) + 0.01 * h[0] * h[0];
            }
        }
        """;

    [Fact]
    public void Rolled_map_into_a_local_vector() => Verify(
        [RolledMap],
        ["Demo.Vectors.Network.Hidden64.g.cs"]);

    private const string MixedVector = """
        using System;
        using OptimDsl;

        namespace Demo.Vectors;

        public static partial class Mixed
        {
            // The squared norm of three values.
            [Objective]
            public static double Norm2([Length(3)] ReadOnlySpan<double> v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                    s += v[i] * v[i];
                return s;
            }

            [Objective, GradientDescent(LearningRate = 0.01)]
            public static double Coupled(double scale, [Length(6)] ReadOnlySpan<double> w, double offset)
            {
                double total = Norm2(w.Slice(2, 3));
                int pairs = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        total += scale * w[i] * w[j] / (1 + pairs);
                        pairs += 1;
                    }
                }

                double shift = offset - 0.5 * pairs;
                return total + shift * shift;
            }
        }
        """;

    [Fact]
    public void Vector_linear_regression_with_data_rows_and_minibatches() => Verify(
        [LinearRegression],
        ["Demo.Vectors.Models.Linear.g.cs"]);

    [Fact]
    public void Vector_network_with_a_local_hidden_vector() => Verify(
        [XorNetwork],
        ["Demo.Vectors.Networks.Xor.g.cs"]);

    [Fact]
    public void Vectors_scalars_slices_triangular_loops_and_int_locals() => Verify(
        [MixedVector],
        ["Demo.Vectors.Mixed.Coupled.g.cs", "Demo.Vectors.Mixed.Norm2.g.cs"]);

    [Fact]
    public void Rolled_loops_and_heap_state() => Verify(
        [RolledLoops],
        ["Demo.Vectors.Rolled.Logistic.g.cs", "Demo.Vectors.Rolled.Smooth.g.cs"]);

    /// <summary>README, Float objectives: a float objective's gradient, in float throughout (MathF, float literals, chunks of 8 and 4).</summary>
    private const string Floats = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Problems
        {
            private static readonly float Weight = 0.1f;

            [Objective]
            public static float Smooth([Length(10)] ReadOnlySpan<float> w, float b)
            {
                var s = b * b + MathF.Log(1 + MathF.Exp(-b));
                for (var i = 0; i < 10; i++)
                {
                    s += w[i] > 0.5f ? Weight * w[i] * w[i] : MathF.Abs(w[i] - b) / 3;
                }

                return MathF.Sqrt(s + 1) + MathF.Max(b, 0.25f) * MathF.PI;
            }
        }
        """;

    [Fact]
    public void Float_objective() => Verify(
        [Floats],
        ["Demo.Floats.Problems.Smooth.g.cs"]);

    /// <summary>README, Float objectives: a float objective with [Data] scalars and rows: lanes of 8 floats, sums in double, the mean rounded once.</summary>
    private const string FloatData = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Fits
        {
            [Objective]
            public static float Logistic([Length(2)] ReadOnlySpan<float> w, float b, [Data, Length(2)] ReadOnlySpan<float> x, [Data] float y)
            {
                var z = b;
                for (var k = 0; k < 2; k++)
                {
                    z += w[k] * x[k];
                }

                return MathF.Log(1 + MathF.Exp(-y * z)) + (z > 4 ? 0.5f * (z - 4) * (z - 4) : 0) + 0.01f * b * b;
            }
        }
        """;

    [Fact]
    public void Float_data_objective() => Verify(
        [FloatData],
        ["Demo.Floats.Fits.Logistic.g.cs"]);

    /// <summary>
    /// README, Float objectives: a float objective's Adam, its float state, BeginSingle's entry points in chunks of 8, 4
    /// and 1 over 13 parameters, the buffer an IParameterObserver sees θ widened in, and the float checkpoint layout.
    /// </summary>
    private const string FloatAdam = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Adaptive
        {
            [Objective, Adam(LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-7)]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Objective, Adam(ClipNorm = 5)]
            public static float Bowl([Length(12)] ReadOnlySpan<float> w, float b)
            {
                var s = b * b;
                for (var i = 0; i < 12; i++)
                {
                    s += (i + 1) * w[i] * w[i];
                }

                return s;
            }
        }
        """;

    [Fact]
    public void Float_adam_optimizer() => Verify(
        [FloatAdam],
        ["Demo.Floats.Adaptive.Bowl.g.cs", "Demo.Floats.Adaptive.Rosenbrock.g.cs"]);

    /// <summary>
    /// README, Float objectives: Adam on a float objective with [Data] rows: Step(data) returning the float loss, the
    /// float data overload's gradient for the full batch, a minibatch's float sample gradients summed in double in the
    /// observer's buffer and each mean rounded once, MinimizeRun's float views, and Search over ReadOnlyMemory&lt;float&gt;.
    /// </summary>
    private const string FloatDataAdam = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Fitted
        {
            [Objective, Adam(LearningRate = 0.01, ClipNorm = 5)]
            public static float Linear([Length(3)] ReadOnlySpan<float> w, float b, [Data, Length(3)] ReadOnlySpan<float> x, [Data] float y)
            {
                var z = b;
                for (var k = 0; k < 3; k++)
                {
                    z += w[k] * x[k];
                }

                return (z - y) * (z - y);
            }
        }
        """;

    [Fact]
    public void Float_data_adam_optimizer() => Verify(
        [FloatDataAdam],
        ["Demo.Floats.Fitted.Linear.g.cs"]);

    // Float L-BFGS (README, Float objectives): θ, g, the pairs and the direction in float, ρ and α in double; without data
    // (the flat gradient) and with data (the float data overload's gradient, a History of 3).
    private const string FloatLbfgs = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Solvers
        {
            [Objective, Lbfgs]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Objective, Lbfgs(History = 3)]
            public static float Line(float w, float b, [Data] float x, [Data] float y)
            {
                var r = w * x + b - y;
                return r * r;
            }
        }
        """;

    [Fact]
    public void Float_lbfgs_optimizer() => Verify(
        [FloatLbfgs],
        ["Demo.Floats.Solvers.Line.g.cs", "Demo.Floats.Solvers.Rosenbrock.g.cs"]);

    // Float Levenberg–Marquardt (README, Float objectives): θ and the trial point in float, the residuals and their rows
    // in float, g, H and the step in double; with data (one residual a sample) and without (two residuals, one weighted).
    private const string FloatLevenbergMarquardt = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Fits
        {
            [Objective, LevenbergMarquardt]
            public static float Decay(float a, float k, float c, [Data] float t, [Data] float y)
            {
                var r = a * MathF.Exp(-k * t) + c - y;
                return r * r;
            }

            [Objective, LevenbergMarquardt(InitialDamping = 0.01)]
            public static float Rosenbrock(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        """;

    [Fact]
    public void Float_levenberg_marquardt_optimizer() => Verify(
        [FloatLevenbergMarquardt],
        ["Demo.Floats.Fits.Decay.g.cs", "Demo.Floats.Fits.Rosenbrock.g.cs"]);

    private static void Verify(string[] sources, string[] expectedHintNames, [CallerMemberName] string testMethod = "")
    {
        var run = GenerationSupport.Run(sources);

        GenerationSupport.AssertCleanRun(run);
        Assert.Equal(expectedHintNames, GenerationSupport.HintNames(run));
        Snapshot.Match(run, testMethod: testMethod);
    }

    // A rolled float loop (README, Float objectives): 70 iterations, eight per Vector256<float> (two sets to 64, then a
    // tail of 6), OptimDsl's Exp and Log in the lanes, a trained scalar whose partial derivative sums over the iterations.
    private const string FloatRolled = """
        using System;
        using OptimDsl;

        namespace Demo.Floats;

        public static partial class Rolled
        {
            [Objective]
            public static float Softplus([Length(70)] ReadOnlySpan<float> w, float c)
            {
                var s = c * c;
                for (var i = 0; i < 70; i++)
                {
                    s += MathF.Log(1 + MathF.Exp(w[i] - c)) * 0.5f;
                }

                return s;
            }
        }
        """;

    [Fact]
    public void Float_rolled_objective() => Verify(
        [FloatRolled],
        ["Demo.Floats.Rolled.Softplus.g.cs"]);
}
