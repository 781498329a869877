using System;
using System.IO;
using System.Linq;
using System.Reflection;
using OptimDsl.Tests.Infrastructure;
using Xunit;
using static OptimDsl.Tests.Optimizers.SimdCheckProgram;

namespace OptimDsl.Tests.Float;

/// <summary>
/// The hand-written baselines of FloatLogisticRegressionBenchmarks (tests/OptimDsl.Benchmarks/HandWrittenVector.cs)
/// compute the gradient of the generated float objective they are timed against (VectorObjectives.cs), to float
/// rounding, so that the benchmark compares correct code. Both files are compiled here as they are, with the generator.
/// </summary>
/// <remarks>
/// <para>
/// The bound, with u = 2⁻²⁴ and γₙ = nu/(1 − nu). Per sample the two codes add z = b + Σ wₖxₖ over the 100 features in
/// different orders, each within γ₁₀₁·(|b| + Σ|wₖxₖ|) of the exact sum, so their z differ by δz at most twice that. The
/// loss ℓ(z) = max(z, 0) + log(1 + e^−|z|) − yz has |ℓ'(z)| = |σ(z) − y| ≤ 1 and r = σ(z) − y has |r'(z)| ≤ 1/4; both
/// evaluate them with the same MathF.Exp and MathF.Log (each within an ulp) and a few float operations on values of
/// magnitude at most 2 (|r| ≤ 1, σ ≤ 1), so the loss differs by at most δz + 8u·(|max(z, 0)| + log 2 + |yz|) and r by
/// δz/4 + 8u. A gradient term rxₖ then differs by at most |δr|·|xₖ| + 2u·|rxₖ|. Both add the terms in float over blocks
/// of at most eight samples (7u of their magnitudes each, 14u for the two) and the blocks in double (2N·2⁻⁵³, N below
/// 2¹⁴ here), and round each mean to float once (u·|mean| each).
/// </para>
/// <para>
/// The variant with every sum in float (HandWrittenFloatSums) adds the N terms in float instead: within γ_{N−1} of their
/// magnitudes (Higham, Accuracy and Stability of Numerical Algorithms, §4.2), so it is held to that beside the per-sample
/// differences above.
/// </para>
/// </remarks>
public sealed class FloatLogisticBaselineTests
{
    private const int Features = 100;

    /// <summary>u = 2⁻²⁴, a float's unit roundoff.</summary>
    private const double U = 1.0 / (1 << 24);

    private delegate float GradientCall(float[] parameters, float[] x, float[] y, float[] gradient);

    private static readonly Lazy<LoadedAssembly> Compiled = new(() =>
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "OptimDsl.Benchmarks");
        const string Harness = """
            namespace OptimDsl.Benchmarks;

            public static class Harness
            {
                public static float Generated(float[] p, float[] x, float[] y, float[] g) => VectorObjectives.FloatLogisticRegressionGradient(p, x, y, g);

                public static float HandWritten(float[] p, float[] x, float[] y, float[] g) => HandWrittenVector.FloatLogisticRegressionGradient(p, x, y, g);

                public static float HandWrittenFloatSums(float[] p, float[] x, float[] y, float[] g) => HandWrittenVector.FloatLogisticRegressionGradientFloatSums(p, x, y, g);
            }
            """;
        var run = Generation.GenerationSupport.Run(
            File.ReadAllText(Path.Combine(folder, "VectorObjectives.cs")),
            File.ReadAllText(Path.Combine(folder, "HandWrittenVector.cs")),
            Harness);
        Generation.GenerationSupport.AssertCleanRun(run);
        return LoadedAssembly.Emit(run.OutputCompilation);
    });

    private static GradientCall Call(string name) =>
        Compiled.Value.GetType("OptimDsl.Benchmarks.Harness").GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<GradientCall>();

    /// <summary>Sample counts: one, a partial block, two shards with their boundary inside a block, and a tail.</summary>
    public static TheoryData<int> Sizes() => new(1, 7, 9, 64, 8197);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_hand_written_gradient_is_the_generated_one_to_float_rounding(int samples)
    {
        var (parameters, x, y) = Draw(samples, seed: samples);
        var generated = new float[Features + 1];
        var generatedLoss = Call("Generated")(parameters, x, y, generated);
        var handWritten = new float[Features + 1];
        var handWrittenLoss = Call("HandWritten")(parameters, x, y, handWritten);

        var bound = Bounds(parameters, x, y, blockSums: (14 * U) + (2 * samples * Math.Pow(2, -53)));
        AssertWithin(generatedLoss, handWrittenLoss, bound.Loss + (2 * U * Math.Abs(generatedLoss)), $"{samples} samples: loss");
        for (var k = 0; k <= Features; k++)
        {
            AssertWithin(generated[k], handWritten[k], bound.Gradient[k] + (2 * U * Math.Abs(generated[k])), $"{samples} samples: ∂{k}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_hand_written_gradient_with_float_sums_is_the_generated_one_to_the_rounding_of_its_sums(int samples)
    {
        var (parameters, x, y) = Draw(samples, seed: 3 * samples);
        var generated = new float[Features + 1];
        var generatedLoss = Call("Generated")(parameters, x, y, generated);
        var floatSums = new float[Features + 1];
        var floatSumsLoss = Call("HandWrittenFloatSums")(parameters, x, y, floatSums);

        // The generated blocks (7u) and the float sums over all N samples (γ_{N−1}), then a float division each.
        var bound = Bounds(parameters, x, y, blockSums: (7 * U) + Gamma(samples - 1));
        AssertWithin(generatedLoss, floatSumsLoss, bound.Loss + (2 * U * Math.Abs(generatedLoss)), $"{samples} samples: loss");
        for (var k = 0; k <= Features; k++)
        {
            AssertWithin(generated[k], floatSums[k], bound.Gradient[k] + (2 * U * Math.Abs(generated[k])), $"{samples} samples: ∂{k}");
        }
    }

    /// <summary>
    /// The bound of the remarks on the difference of the two means, less the final roundings: the per-sample differences
    /// and <paramref name="blockSums"/> (the two codes' summation errors, relative to the terms' magnitudes), over N.
    /// </summary>
    private static (double Loss, double[] Gradient) Bounds(float[] parameters, float[] x, float[] y, double blockSums)
    {
        var samples = y.Length;
        double b = parameters[Features];
        double loss = 0;
        var gradient = new double[Features + 1];
        for (var i = 0; i < samples; i++)
        {
            double z = b, magnitude = Math.Abs(b);
            for (var k = 0; k < Features; k++)
            {
                z += parameters[k] * (double)x[(Features * i) + k];
                magnitude += Math.Abs(parameters[k] * (double)x[(Features * i) + k]);
            }

            var deltaZ = 2 * Gamma(Features + 1) * magnitude;
            var sampleLoss = Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - (y[i] * z);
            loss += deltaZ + (8 * U * (Math.Max(z, 0) + Math.Log(2) + Math.Abs(y[i] * z))) + (blockSums * Math.Abs(sampleLoss));
            var r = (1 / (1 + Math.Exp(-z))) - y[i];
            var deltaR = (deltaZ / 4) + (8 * U);
            for (var k = 0; k < Features; k++)
            {
                var xk = Math.Abs((double)x[(Features * i) + k]);
                gradient[k] += (deltaR * xk) + (2 * U * Math.Abs(r) * xk) + (blockSums * Math.Abs(r) * xk);
            }

            gradient[Features] += deltaR + (2 * U * Math.Abs(r)) + (blockSums * Math.Abs(r));
        }

        return (loss / samples, [.. gradient.Select(g => g / samples)]);
    }

    private static double Gamma(int n) => n * U / (1 - (n * U));

    /// <summary>Parameters uniform in [−0.3, 0.3) (b = 0.1), features uniform in [−1, 1), labels 0 or 1, as the benchmark draws them.</summary>
    private static (float[] Parameters, float[] X, float[] Y) Draw(int samples, int seed)
    {
        var random = new Random(seed);
        var parameters = Enumerable.Range(0, Features).Select(_ => (float)((random.NextDouble() * 0.6) - 0.3)).Append(0.1f).ToArray();
        var x = Enumerable.Range(0, samples * Features).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = Enumerable.Range(0, samples).Select(_ => (float)random.Next(2)).ToArray();
        return (parameters, x, y);
    }

    private static void AssertWithin(double expected, double actual, double bound, string what) =>
        Assert.True(Math.Abs(actual - expected) <= bound, $"{what}: {actual:R} against {expected:R}, off by {Math.Abs(actual - expected):E3}, bound {bound:E3}");
}
