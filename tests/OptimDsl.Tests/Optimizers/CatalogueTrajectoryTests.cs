using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// Every optimizer of the catalogue and every flag, step by step against the reference implementations
/// that the tests write from the torch documentation's algorithm boxes (Reference/TorchOptimizers.cs):
/// the loss each <c>Step</c> returns and every parameter after it, to 1e-9 relative, on Rosenbrock
/// (2 parameters: the Vector128 path), a 5-parameter quadratic (Vector256 plus a scalar) and a
/// least-squares <c>[Data]</c> objective, full batch and with minibatches.
/// </summary>
public sealed class CatalogueTrajectoryTests
{
    private const int Steps = 40;
    private const double Tolerance = 1e-9;

    /// <summary>One optimizer configuration: its attribute and the reference that follows the same box.</summary>
    internal sealed record Case(string Attribute, Func<IReferenceOptimizer> Reference)
    {
        public override string ToString() => Attribute;
    }

    /// <summary>The configurations; each runs on every objective below.</summary>
    private static readonly Case[] Cases =
    [
        new("GradientDescent(LearningRate = 0.001)", () => new ReferenceGradientDescent(0.001)),
        new("GradientDescent(LearningRate = 0.001, Momentum = 0.9)", () => new ReferenceGradientDescent(0.001, momentum: 0.9)),
        new("GradientDescent(LearningRate = 0.001, Momentum = 0.8, Dampening = 0.3, WeightDecay = 0.05)", () => new ReferenceGradientDescent(0.001, momentum: 0.8, dampening: 0.3, weightDecay: 0.05)),
        new("GradientDescent(LearningRate = 0.001, Momentum = 0.9, Nesterov = true)", () => new ReferenceGradientDescent(0.001, momentum: 0.9, nesterov: true)),
        new("GradientDescent(LearningRate = 0.001, ClipValue = 2)", () => new ReferenceGradientDescent(0.001, clipValue: 2)),
        new("GradientDescent(LearningRate = 0.001, ClipNorm = 1.5, ClipValue = 50)", () => new ReferenceGradientDescent(0.001, clipValue: 50, clipNorm: 1.5)),
        new("Adam(LearningRate = 0.02)", () => new ReferenceAdam(0.02)),
        new("Adam(LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6, WeightDecay = 0.1)", () => new ReferenceAdam(0.02, 0.8, 0.99, 1e-6, weightDecay: 0.1)),
        new("Adam(LearningRate = 0.02, AmsGrad = true)", () => new ReferenceAdam(0.02, amsGrad: true)),
        new("Adam(LearningRate = 0.02, ClipNorm = 0.5)", () => new ReferenceAdam(0.02, clipNorm: 0.5)),
        new("AdamW(LearningRate = 0.02)", () => new ReferenceAdamW(0.02)),
        new("AdamW(LearningRate = 0.02, WeightDecay = 0.3, AmsGrad = true)", () => new ReferenceAdamW(0.02, weightDecay: 0.3, amsGrad: true)),
        new("Adamax(LearningRate = 0.02)", () => new ReferenceAdamax(0.02)),
        new("Adamax(LearningRate = 0.02, Beta1 = 0.7, WeightDecay = 0.1)", () => new ReferenceAdamax(0.02, beta1: 0.7, weightDecay: 0.1)),
        new("NAdam(LearningRate = 0.02)", () => new ReferenceNAdam(0.02)),
        new("NAdam(LearningRate = 0.02, MomentumDecay = 0.04, WeightDecay = 0.1)", () => new ReferenceNAdam(0.02, weightDecay: 0.1, momentumDecay: 0.04)),
        new("RAdam(LearningRate = 0.02)", () => new ReferenceRAdam(0.02)),
        new("RAdam(LearningRate = 0.02, Beta2 = 0.9, WeightDecay = 0.1)", () => new ReferenceRAdam(0.02, beta2: 0.9, weightDecay: 0.1)),
        new("RmsProp(LearningRate = 0.005)", () => new ReferenceRmsProp(0.005)),
        new("RmsProp(LearningRate = 0.005, Momentum = 0.5, Centered = true, WeightDecay = 0.1)", () => new ReferenceRmsProp(0.005, momentum: 0.5, centered: true, weightDecay: 0.1)),
        new("RmsProp(LearningRate = 0.005, Momentum = 0.7)", () => new ReferenceRmsProp(0.005, momentum: 0.7)),
        new("AdaGrad(LearningRate = 0.1)", () => new ReferenceAdaGrad(0.1)),
        new("AdaGrad(LearningRate = 0.1, LearningRateDecay = 0.05, InitialAccumulatorValue = 0.5, WeightDecay = 0.1)", () => new ReferenceAdaGrad(0.1, learningRateDecay: 0.05, initialAccumulatorValue: 0.5, weightDecay: 0.1)),
        new("AdaDelta(LearningRate = 1.0)", () => new ReferenceAdaDelta(1.0)),
        new("AdaDelta(LearningRate = 0.5, Rho = 0.8, Epsilon = 1e-4, WeightDecay = 0.1)", () => new ReferenceAdaDelta(0.5, rho: 0.8, epsilon: 1e-4, weightDecay: 0.1)),
        new("Rprop(LearningRate = 0.01)", () => new ReferenceRprop(0.01)),
        new("Rprop(LearningRate = 0.05, EtaMinus = 0.3, EtaPlus = 1.5, MinStep = 0.001, MaxStep = 0.2)", () => new ReferenceRprop(0.05, etaMinus: 0.3, etaPlus: 1.5, minStep: 0.001, maxStep: 0.2)),
        new("Lion(LearningRate = 0.001)", () => new ReferenceLion(0.001)),
        new("Lion(LearningRate = 0.001, Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.5)", () => new ReferenceLion(0.001, beta1: 0.8, beta2: 0.95, weightDecay: 0.5)),
    ];

    /// <summary>A minibatch configuration per optimizer: BatchSize and Seed added to the attribute.</summary>
    private static readonly (string Name, int BatchSize, int Seed)[] Minibatches = [("full batch", 0, 0), ("batches of 3", 3, 7)];

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source()));

    public static TheoryData<int> CaseIndexes => new(Enumerable.Range(0, Cases.Length));

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Rosenbrock_follows_the_reference(int index)
    {
        var init = new[] { -1.2, 1.0 };
        var actual = Driver.Value.Call<double[][]>($"Rosenbrock{index}", init, Steps);
        var expected = FullBatchReference(Cases[index], init, RosenbrockGradient);
        AssertTrajectory(expected, actual, $"Rosenbrock, [{Cases[index]}]");
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Five_parameter_quadratic_follows_the_reference(int index)
    {
        var init = new[] { 0.3, -0.7, 1.1, 2.0, 4.0 };
        var actual = Driver.Value.Call<double[][]>($"Five{index}", init, Steps);
        var expected = FullBatchReference(Cases[index], init, FiveGradient);
        AssertTrajectory(expected, actual, $"Five, [{Cases[index]}]");
    }

    /// <summary>
    /// 19 parameters, past the generator's unrolling limit of 16 (README, Performance): the update is the
    /// generated loop over the chunks of 4 (four of them), then one chunk of 2 and one of 1.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Nineteen_parameter_quadratic_updated_in_a_loop_follows_the_reference(int index)
    {
        var init = Enumerable.Range(0, Many).Select(k => 0.05 * k * k - 0.3 * k + 0.7).ToArray();
        var actual = Driver.Value.Call<double[][]>($"Many{index}", init, Steps);
        var expected = FullBatchReference(Cases[index], init, ManyGradient);
        AssertTrajectory(expected, actual, $"Many, [{Cases[index]}]");
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Least_squares_with_data_follows_the_reference_full_batch_and_on_minibatches(int index)
    {
        var (x0, x1, y) = Data();
        var init = new[] { 0.5, -0.5, 0.1 };
        for (var m = 0; m < Minibatches.Length; m++)
        {
            var (name, batchSize, seed) = Minibatches[m];
            var actual = Driver.Value.Call<double[][]>($"Fit{index}_{m}", init, Steps, x0, x1, y);
            var reference = Cases[index].Reference();
            var theta = (double[])init.Clone();
            var expected = new double[Steps][];
            var batches = batchSize == 0 ? null : new ReferenceMinibatches(x0.Length, batchSize, seed, (t, i) => SampleLoss(t, i, x0, x1, y), (t, i, g) => SampleGradient(t, i, x0, x1, y, g));
            for (var s = 0; s < Steps; s++)
            {
                double loss;
                if (batches is null)
                {
                    var g = new double[3];
                    loss = 0;
                    for (var i = 0; i < x0.Length; i++)
                    {
                        var gi = new double[3];
                        loss += SampleGradient(theta, i, x0, x1, y, gi);
                        for (var k = 0; k < 3; k++)
                        {
                            g[k] += gi[k];
                        }
                    }

                    loss /= x0.Length;
                    for (var k = 0; k < 3; k++)
                    {
                        g[k] /= x0.Length;
                    }

                    reference.Step(theta, g);
                }
                else
                {
                    loss = batches.Step(reference, theta);
                }

                expected[s] = [loss, .. theta];
            }

            AssertTrajectory(expected, actual, $"Fit, {name}, [{Cases[index]}]");
        }
    }

    private static double[][] FullBatchReference(Case c, double[] init, Func<double[], double[], double> gradient)
    {
        var reference = c.Reference();
        var theta = (double[])init.Clone();
        var trajectory = new double[Steps][];
        for (var s = 0; s < Steps; s++)
        {
            var g = new double[theta.Length];
            var loss = gradient(theta, g);
            reference.Step(theta, g);
            trajectory[s] = [loss, .. theta];
        }

        return trajectory;
    }

    private static void AssertTrajectory(double[][] expected, double[][] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var s = 0; s < expected.Length; s++)
        {
            for (var k = 0; k < expected[s].Length; k++)
            {
                var e = expected[s][k];
                var a = actual[s][k];
                var scale = Math.Max(1e-12, Math.Abs(e));
                Assert.True(Math.Abs(a - e) <= Tolerance * scale,
                    $"{what}: step {s + 1}, {(k == 0 ? "loss" : "parameter " + (k - 1))}: expected {e:R}, got {a:R}");
            }
        }
    }

    // Hand-derived gradients (not the generator's).
    private static double RosenbrockGradient(double[] t, double[] g)
    {
        double x = t[0], y = t[1], r = y - x * x;
        g[0] = -2 * (1 - x) - 400 * x * r;
        g[1] = 200 * r;
        return (1 - x) * (1 - x) + 100 * r * r;
    }

    private static double FiveGradient(double[] t, double[] g)
    {
        double a = t[0], b = t[1], c = t[2], d = t[3], e = t[4];
        g[0] = 2 * (a - 1) + e;
        g[1] = 4 * (b + 2);
        g[2] = 6 * (c - 0.5);
        g[3] = 8 * (d - 3);
        g[4] = 10 * (e + 1) + a;
        return (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e;
    }

    private const int Many = 19;

    /// <summary>The centre of parameter k of the 19-parameter quadratic.</summary>
    private static double Centre(int k) => 0.1 * k - 0.5;

    /// <summary>Σ (k + 1)(q_k − c_k)² + q₀q₁₈: ∂/∂q_k = 2(k + 1)(q_k − c_k), plus q₁₈ for k = 0 and q₀ for k = 18.</summary>
    private static double ManyGradient(double[] t, double[] g)
    {
        double loss = t[0] * t[Many - 1];
        for (var k = 0; k < Many; k++)
        {
            var d = t[k] - Centre(k);
            loss += (k + 1) * d * d;
            g[k] = 2 * (k + 1) * d;
        }

        g[0] += t[Many - 1];
        g[Many - 1] += t[0];
        return loss;
    }

    private static double SampleLoss(double[] t, int i, double[] x0, double[] x1, double[] y)
    {
        var r = t[0] * x0[i] + t[1] * x1[i] + t[2] - y[i];
        return r * r;
    }

    private static double SampleGradient(double[] t, int i, double[] x0, double[] x1, double[] y, double[] g)
    {
        var r = t[0] * x0[i] + t[1] * x1[i] + t[2] - y[i];
        g[0] = 2 * r * x0[i];
        g[1] = 2 * r * x1[i];
        g[2] = 2 * r;
        return r * r;
    }

    /// <summary>11 samples (not a multiple of the batch size) of y = 1.5·x0 − 2·x1 + 0.5 plus a deterministic wobble.</summary>
    private static (double[] X0, double[] X1, double[] Y) Data()
    {
        var x0 = new double[11];
        var x1 = new double[11];
        var y = new double[11];
        for (var i = 0; i < 11; i++)
        {
            x0[i] = Math.Sin(i * 0.7);
            x1[i] = Math.Cos(i * 1.3) * 0.5;
            y[i] = 1.5 * x0[i] - 2 * x1[i] + 0.5 + 0.1 * Math.Sin(i * 2.9);
        }

        return (x0, x1, y);
    }

    /// <summary>One objective per case and objective, and a driver that records Step's loss and the parameters.</summary>
    private static string Source()
    {
        var problems = new StringBuilder();
        var driver = new StringBuilder();
        for (var i = 0; i < Cases.Length; i++)
        {
            var attribute = Cases[i].Attribute;
            var name = attribute[..attribute.IndexOf('(')];
            problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {attribute}] public static double Rosenbrock{i}(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);");
            problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {attribute}] public static double Five{i}(double a, double b, double c, double d, double e) => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e;");
            driver.AppendLine(CultureInfo.InvariantCulture, $"    public static double[][] Rosenbrock{i}(double[] init, int steps) {{ var o = new P.Rosenbrock{i}{name}(init[0], init[1]); var r = new double[steps][]; for (int s = 0; s < steps; s++) {{ double loss = o.Step(); r[s] = new[] {{ loss, o.X, o.Y }}; }} return r; }}");
            driver.AppendLine(CultureInfo.InvariantCulture, $"    public static double[][] Five{i}(double[] init, int steps) {{ var o = new P.Five{i}{name}(init[0], init[1], init[2], init[3], init[4]); var r = new double[steps][]; for (int s = 0; s < steps; s++) {{ double loss = o.Step(); r[s] = new[] {{ loss, o.A, o.B, o.C, o.D, o.E }}; }} return r; }}");
            var many = Enumerable.Range(0, Many).ToArray();
            var manyBody = string.Join(" + ", many.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k + 1} * (q{k} - ({Centre(k):R})) * (q{k} - ({Centre(k):R}))"))) + $" + q0 * q{Many - 1}";
            problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {attribute}] public static double Many{i}({string.Join(", ", many.Select(k => $"double q{k}"))}) => {manyBody};");
            driver.AppendLine(CultureInfo.InvariantCulture, $"    public static double[][] Many{i}(double[] init, int steps) {{ var o = new P.Many{i}{name}({string.Join(", ", many.Select(k => $"init[{k}]"))}); var r = new double[steps][]; for (int s = 0; s < steps; s++) {{ double loss = o.Step(); r[s] = new[] {{ loss, {string.Join(", ", many.Select(k => $"o.Q{k}"))} }}; }} return r; }}");
            for (var m = 0; m < Minibatches.Length; m++)
            {
                var (_, batchSize, seed) = Minibatches[m];
                var withBatches = batchSize == 0 ? attribute : attribute.Replace(")", $", BatchSize = {batchSize}, Seed = {seed})", StringComparison.Ordinal);
                problems.AppendLine(CultureInfo.InvariantCulture, $"    [Objective, {withBatches}] public static double Fit{i}_{m}(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double y) {{ var r = w0 * x0 + w1 * x1 + b - y; return r * r; }}");
                driver.AppendLine(CultureInfo.InvariantCulture, $"    public static double[][] Fit{i}_{m}(double[] init, int steps, double[] x0, double[] x1, double[] y) {{ var o = new P.Fit{i}_{m}{name}(init[0], init[1], init[2]); var r = new double[steps][]; for (int s = 0; s < steps; s++) {{ double loss = o.Step(x0, x1, y); r[s] = new[] {{ loss, o.W0, o.W1, o.B }}; }} return r; }}");
            }
        }

        return $$"""
            using System;
            using OptimDsl;

            namespace Opt;

            public static partial class P
            {
            {{problems}}
            }

            public static class Driver
            {
            {{driver}}
            }
            """;
    }
}
