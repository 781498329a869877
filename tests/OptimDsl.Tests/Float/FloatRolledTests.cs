using System;
using System.Linq;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives and Large loops and large models: a float objective's loops of 64 or more iterations stay
/// loops, eight iterations per Vector256&lt;float&gt; (two Vector128&lt;float&gt; otherwise), and the adjoint sweep too.
/// Each corpus objective (<see cref="FloatRolledCorpus"/>) is compared with its gradient derived by hand and evaluated in
/// float, with central finite differences of a double transcription, and with its unrolled twin; the named and flat
/// overloads give the same bits. SimdEquivalenceTests checks a rolled float objective with AVX2 off and SIMD off.
/// </summary>
/// <remarks>
/// Tolerances. ε = 2⁻²³ ≈ 1.2·10⁻⁷. A component that is no sum over a loop is a few float operations in another
/// order than the hand-derived one: within 20ε relative to max(1, |∂|), <see cref="FloatTolerance"/> = 4·10⁻⁶, as in
/// FloatGradientTests. A float sum of n terms in any order is within (n − 1)·ε/2·Σ|tᵢ| of the exact sum (Higham,
/// Accuracy and Stability of Numerical Algorithms, 4.2), so two float sums of the same n terms (the generated one in
/// lanes, the hand-derived one in order) are within n·ε·Σ|tᵢ| of each other; a component computed from such sums gets
/// n·ε times the corpus's bound on the magnitude of its terms (<see cref="FloatRolledCorpus.Case.Hand"/>) on top. The
/// value is a sum of n ≤ 1000 terms, within (n + 20)·ε·Σ|tᵢ| (20 for the operations of a term and the lane tree);
/// at the corpus's points Σ|tᵢ| is |value| (the terms have one sign), so 1020·ε·max(1, |value|) ≤ 1.22·10⁻⁴ relative
/// bounds it, except in Kink (n = 90), whose 90 terms w + 0.5w² or 0.25w + 0.5w² are each above −0.032: Σ|tᵢ| ≤
/// |value| + 6 ≤ 7·max(1, |value|), and 110·ε·7 ≤ 0.92·10⁻⁴. <see cref="ValueTolerance"/> = 1.6·10⁻⁴ relative
/// covers both. Finite differences (h = 10⁻⁶, in double, error ~10⁻¹⁰)
/// are far below all of these.
/// </remarks>
public sealed class FloatRolledTests
{
    private const double FloatTolerance = 4e-6;
    private const double ValueTolerance = 1.6e-4;
    private const double Epsilon = 1.0 / (1 << 23);

    private static readonly Lazy<(GeneratorRun Run, LoadedAssembly Assembly)> Compiled = new(() =>
    {
        var run = Generation.GenerationSupport.Run(FloatRolledCorpus.Source());
        return (run, LoadedAssembly.Emit(run.OutputCompilation));
    });

    public static TheoryData<string> Names() => new(FloatRolledCorpus.Cases.Select(c => c.Name));

    public static TheoryData<string> Twins() => new(FloatRolledCorpus.Cases.Where(c => c.Twin).Select(c => c.Name));

    [Fact]
    public void The_corpus_generates_float_loops_in_eight_lanes_without_a_double()
    {
        var run = Compiled.Value.Run;
        Generation.GenerationSupport.AssertCleanRun(run);
        Assert.True(FloatRolledCorpus.Cases.Length >= 6);
        var files = Generation.GenerationSupport.Files(run);
        foreach (var c in FloatRolledCorpus.Cases)
        {
            var file = files[$"FloatRolled.Objectives.{c.Name}.g.cs"];
            var code = string.Join("\n", file.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            Assert.DoesNotContain("double", code, StringComparison.Ordinal);
            Assert.Contains("// Rolled loop 1: ", file, StringComparison.Ordinal);
            Assert.Contains("eight at a time in SIMD lanes", file, StringComparison.Ordinal);
            Assert.Contains("global::System.Runtime.Intrinsics.Vector256<float>", file, StringComparison.Ordinal);
            Assert.Contains("global::System.Runtime.Intrinsics.Vector128<float>", file, StringComparison.Ordinal);
            if (c.Twin)
            {
                Assert.DoesNotContain("// Rolled loop", files[$"FloatRolled.Objectives.{c.Name}Unrolled.g.cs"], StringComparison.Ordinal);
            }
        }

        // 100 = 6·16 + 4: two sets of eight lanes to 96, then the last 4 in scalar code.
        var squares = files["FloatRolled.Objectives.Squares100.g.cs"];
        Assert.Contains("for (; t < 96; t += 16)", squares, StringComparison.Ordinal);
        Assert.Contains("for (; t < 100; t++)", squares, StringComparison.Ordinal);
        Assert.Contains("global::OptimDsl.VectorMath.SumLanes(sSumEvenV + sSumOddV)", squares, StringComparison.Ordinal);
        Assert.Contains("global::OptimDsl.VectorMath.SumLanes(sSumEvenLow + sSumOddLow, sSumEvenHigh + sSumOddHigh)", squares, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_gradient_is_the_hand_derived_one_in_float(string name)
    {
        var c = FloatRolledCorpus.Cases.Single(k => k.Name == name);
        for (var seed = 1; seed <= 3; seed++)
        {
            var point = FloatRolledCorpus.Point(c, seed);
            var (_, gradient) = Flat(c.Name, point);
            var (expected, magnitude) = c.Hand(point);
            for (var k = 0; k < c.Count; k++)
            {
                var tolerance = Tolerance(c, expected[k], magnitude[k]);
                Assert.True(Math.Abs(gradient[k] - expected[k]) <= tolerance, $"{name}: ∂{k} (seed {seed}) is {gradient[k]:R}, by hand {expected[k]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_gradient_agrees_with_finite_differences_and_the_value_with_the_objective(string name)
    {
        var c = FloatRolledCorpus.Cases.Single(k => k.Name == name);
        const double h = 1e-6;
        var point = FloatRolledCorpus.Point(c, 7);
        var (value, gradient) = Flat(c.Name, point);
        var (_, magnitude) = c.Hand(point);
        var at = point.Select(v => (double)v).ToArray();
        var exact = c.Transcription(at);
        Assert.True(Math.Abs(value - exact) <= ValueTolerance * Math.Max(1, Math.Abs(exact)), $"{name} is {value:R}, in double {exact:R}");
        foreach (var k in new[] { 0, 1, 7, 8, 15, 63, 64, c.Count / 2, c.Count - 2, c.Count - 1 }.Distinct())
        {
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[k] += h;
            down[k] -= h;
            var difference = (c.Transcription(up) - c.Transcription(down)) / (2 * h);
            var tolerance = Tolerance(c, difference, magnitude[k]);
            Assert.True(Math.Abs(gradient[k] - difference) <= tolerance, $"{name}: ∂{k} is {gradient[k]:R}, finite differences {difference:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Twins))]
    public void The_rolled_form_agrees_with_the_unrolled_one(string name)
    {
        var c = FloatRolledCorpus.Cases.Single(k => k.Name == name);
        for (var seed = 1; seed <= 3; seed++)
        {
            var point = FloatRolledCorpus.Point(c, seed);
            var (value, rolled) = Flat(c.Name, point);
            var (unrolledValue, unrolled) = Flat(c.Name + "Unrolled", point);
            var (_, magnitude) = c.Hand(point);
            Assert.True(Math.Abs(value - unrolledValue) <= ValueTolerance * Math.Max(1, Math.Abs(unrolledValue)), $"{name}: {value:R} rolled, {unrolledValue:R} unrolled");
            for (var k = 0; k < c.Count; k++)
            {
                Assert.True(Math.Abs(rolled[k] - unrolled[k]) <= Tolerance(c, unrolled[k], magnitude[k]), $"{name}: ∂{k} (seed {seed}) is {rolled[k]:R} rolled, {unrolled[k]:R} unrolled");
            }
        }
    }

    [Theory]
    [InlineData("Squares1000")]
    [InlineData("Dot")]
    [InlineData("Softplus")]
    public void The_named_overload_gives_the_flat_overloads_bits(string name)
    {
        var c = FloatRolledCorpus.Cases.Single(k => k.Name == name);
        var point = FloatRolledCorpus.Point(c, 11);
        var (flatValue, flat) = Flat(name, point);
        var named = new float[c.Count];
        var namedValue = (float)Compiled.Value.Assembly.Invoke("FloatRolled.Harness", "Named" + name, point, named)!;
        Assert.Equal(BitConverter.SingleToInt32Bits(flatValue), BitConverter.SingleToInt32Bits(namedValue));
        Assert.Equal(flat.Select(BitConverter.SingleToInt32Bits), named.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_float_vector_of_10000_values_builds_and_runs_without_allocating()
    {
        const string source = """
            using System;
            using OptimDsl;

            namespace FloatRolled;

            public static partial class Large
            {
                [Objective]
                public static float Wide([Length(10000)] ReadOnlySpan<float> w, float c)
                {
                    var s = 0f;
                    for (var i = 0; i < 10000; i++)
                    {
                        s += 0.5f * (w[i] - c * i) * (w[i] - c * i);
                    }

                    return s;
                }

                public static long Run(float[] p, float[] g, float[] value)
                {
                    value[0] = WideGradient(p, g);
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var k = 0; k < 5; k++)
                    {
                        value[0] = WideGradient(p, g);
                    }

                    return GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
            """;
        var run = Generation.GenerationSupport.Run(source);
        Generation.GenerationSupport.AssertCleanRun(run);
        var file = Generation.GenerationSupport.Files(run)["FloatRolled.Large.Wide.g.cs"];
        Assert.Contains("// Rolled loop 1: 10000 iterations adding to s, eight at a time in SIMD lanes.", file, StringComparison.Ordinal);
        Assert.True(file.Length < 40_000, $"{file.Length} characters");

        using var assembly = LoadedAssembly.Emit(run.OutputCompilation);
        var random = new Random(3);
        var p = Enumerable.Range(0, 10001).Select(_ => random.NextSingle()).ToArray();
        p[10000] = 1e-4f;
        var g = new float[10001];
        var value = new float[1];
        var allocated = (long)assembly.Invoke("FloatRolled.Large", "Run", p, g, value)!;
        Assert.Equal(0, allocated);

        // By hand, in float: ∂w_i = w_i − c·i; ∂c = −Σ i·(w_i − c·i), a sum of 10,000 terms (tolerance as in the remarks).
        var c = p[10000];
        var sum = 0f;
        var magnitude = 0.0;
        var expectedValue = 0.0;
        for (var i = 0; i < 10000; i++)
        {
            var r = p[i] - (c * i);
            Assert.True(Math.Abs(g[i] - r) <= FloatTolerance * Math.Max(1, Math.Abs(r)), $"∂w[{i}] is {g[i]:R}, by hand {r:R}");
            sum += i * r;
            magnitude += Math.Abs((double)i * r);
            expectedValue += 0.5 * ((double)p[i] - ((double)c * i)) * ((double)p[i] - ((double)c * i));
        }

        Assert.True(Math.Abs(g[10000] + sum) <= (FloatTolerance * Math.Max(1, Math.Abs(sum))) + (10000 * Epsilon * magnitude), $"∂c is {g[10000]:R}, by hand {-sum:R}");
        Assert.True(Math.Abs(value[0] - expectedValue) <= 10020 * Epsilon * expectedValue, $"{value[0]:R} against {expectedValue:R} in double");
    }

    [Fact]
    public void Rolled_float_loops_give_the_same_bits_with_AVX2_off_and_with_intrinsics_off()
    {
        // tests/OptimDsl.SimdCheck/FloatRolled.cs: two rolled float objectives (strided loads, a tail, one pass into the
        // first set, Exp, Log, Tanh, a condition per lane, an adjoint loop one iteration at a time).
        var accelerated = Optimizers.SimdCheckProgram.ResultsByName(Optimizers.SimdCheckProgram.Net10(null));
        foreach (var mode in new[] { "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic" })
        {
            var other = Optimizers.SimdCheckProgram.ResultsByName(Optimizers.SimdCheckProgram.Net10(mode));
            foreach (var name in new[] { "float rolled mix gradient", "float rolled smooth gradient" })
            {
                Assert.Equal(name == "float rolled mix gradient" ? 152 : 79, accelerated[name].Length);
                Assert.Equal(accelerated[name], other[name]);
            }
        }
    }

    private static double Tolerance(FloatRolledCorpus.Case c, double expected, double magnitude)
        => (FloatTolerance * Math.Max(1, Math.Abs(expected))) + (c.Terms * Epsilon * magnitude);

    private static (float Value, float[] Gradient) Flat(string name, float[] point)
    {
        var gradient = new float[point.Length];
        var value = (float)Compiled.Value.Assembly.Invoke("FloatRolled.Harness", "Flat" + name, point, gradient)!;
        return (value, gradient);
    }
}
