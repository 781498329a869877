using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// The generator and the analyzer agree: over a corpus of small objectives, valid and invalid, the
/// generator emits a file for objective <c>M</c> exactly when nothing reports an error for it.
/// </summary>
/// <remarks>
/// "Nothing" is the analyzer and the compiler: code the compiler rejects (an unknown name, a
/// missing return) gets no OptimDsl diagnostic and no generated code. OPTDSL003 is the one error
/// that keeps the gradient: only the optimizer whose hyperparameter is invalid is dropped.
/// </remarks>
public sealed class GeneratorAnalyzerAgreementTests
{
    /// <summary>Objectives that are generated (OPTDSL003 included: its gradient is).</summary>
    private static readonly Dictionary<string, string> Valid = new(StringComparer.Ordinal)
    {
        ["square"] = Members("public static double M(double x) => x * x;"),
        ["float"] = Members("public static float M(float x, [Length(2)] ReadOnlySpan<float> v) => x * x + MathF.Exp(v[0] * 0.5f) * v[1];"),
        ["float with data"] = Members("public static float M(float w, [Data] float x, [Data, Length(2)] ReadOnlySpan<float> r) => (w - x) * (w - r[1]) + MathF.Log(1 + r[0] * r[0]);"),
        ["float with an optimizer"] = Members("[Adam(ClipNorm = 1)] public static float M(float x, [Length(2)] ReadOnlySpan<float> v) => x * x + v[0] * v[1];"),
        ["float with data and optimizers"] = Members("[Sgd(BatchSize = 4, Momentum = 0.9), Adam(ClipNorm = 1)] public static float M(float w, [Data] float x, [Data, Length(2)] ReadOnlySpan<float> r) => (w - x) * (w - r[1]);"),
        ["float with L-BFGS"] = Members("[Lbfgs] public static float M(float x) => x * x;"),
        ["float with data and the solvers"] = Members("[Lbfgs, LevenbergMarquardt] public static float M(float w, [Data] float x) => (w - x) * (w - x);"),
        ["float with data, a solver and an optimizer"] = Members("[Lbfgs, Adam] public static float M(float w, [Data] float x) => (w - x) * (w - x);"),
        ["rosenbrock"] = Members("[Adam(LearningRate = 0.01)] public static double M(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);"),
        ["locals and compound assignments"] = Members("""
            public static double M(double x, double y)
            {
                var a = x * y;
                double b = a + 1;
                a += b; a -= x; a *= y; a /= 2.0;
                b++; --b;
                return a * b;
            }
            """),
        ["data and sgd"] = Members("[Sgd(LearningRate = 0.05, BatchSize = 8, Seed = 1), GradientDescent] public static double M(double w, double b, [Data] double x, [Data] double y) { var r = w * x + b - y; return r * r; }"),
        ["huber"] = Members("public static double M(double r) => Math.Abs(r) <= 1 ? 0.5 * r * r : Math.Abs(r) - 0.5;"),
        ["calls an objective"] = Members("public static double M(double x) => Inner(x) + Inner(b: x, a: 3);", "[Objective] public static double Inner(double a, double b = 2) => a * b;"),
        ["fields and constants"] = Members("public static double M(double x) => K * x + R * Math.PI - Math.E + double.Epsilon;", "private const double K = 2; private static readonly double R = 0.5;"),
        ["every math function"] = Members("""
            public static double M(double x, double y) =>
                Math.Sqrt(x) + Math.Cbrt(x) + Math.Exp(x) + Math.Log(x) + Math.Log(x, y) + Math.Log10(x) + Math.Log2(x)
                + Math.Pow(x, y) + Math.Sin(x) + Math.Cos(x) + Math.Tan(x) + Math.Asin(x) + Math.Acos(x) + Math.Atan(x)
                + Math.Atan2(x, y) + Math.Sinh(x) + Math.Cosh(x) + Math.Tanh(x) + Math.Abs(x) + Math.Max(x, y)
                + Math.Min(x, y) + Math.Clamp(x, -1.0, y);
            """),
        ["nested generic types"] = """
            using OptimDsl;
            namespace A.B
            {
                internal partial class Outer<T>
                {
                    private partial struct Inner
                    {
                        [Objective, Adam] internal static double M(double x) => x * x;
                    }
                }
            }
            """,
        ["record container"] = """
            using OptimDsl;
            public partial record Model(double A)
            {
                [Objective] private static double M(double x) => x * x;
            }
            """,
        ["every hyperparameter"] = Members("[Adam(LearningRate = 0.1, Beta1 = 0, Beta2 = 0.5, Epsilon = 1e-3)] public static double M(double x) => x * x;"),
        ["casts and int literals"] = Members("public static double M(double x) => (double)2 * x + 3 / 2.0 + (double)x;"),
        ["logical conditions"] = Members("public static double M(double x, double y) => x > 0 && y > 0 || x == y ? x * y : !(x < y) ? x : y;"),
        ["const local, nested block, empty statement"] = Members("public static double M(double x) { const double k = 3; ; { var y = k * x; } return x * k; }"),
        ["keyword parameter name"] = Members("public static double M(double @in, double @double) => @in * @double;"),
        ["constant objective"] = Members("public static double M(double x) => 1.0;"),
        ["division by a zero literal"] = Members("public static double M(double x) => x / 0.0 + 1 / (x - x);"),
        ["negative learning rate (OPTDSL003)"] = Members("[Adam(LearningRate = -1), GradientDescent] public static double M(double x) => x * x;"),
        ["zero batch size (OPTDSL003)"] = Members("[Sgd(BatchSize = 0)] public static double M(double x, [Data] double t) => (x - t) * (x - t);"),
        ["sgd without data (OPTDSL005)"] = Members("[Sgd] public static double M(double x) => x * x;"),
        ["for and an int local"] = Members("public static double M(double x) { var r = 0.0; int n = 2; for (var i = 0; i < 3; i++) { r += x * n; } return r; }"),
        ["vectors, loops and a local vector"] = Members("""
            [Adam] public static double M([Length(3)] ReadOnlySpan<double> w, double b, [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
            {
                Span<double> h = stackalloc double[3];
                for (int i = 0; i < 3; i++) h[i] = Math.Tanh(w[i] * x[i]);
                var r = b + h[0] + h[1] + h[2] - y;
                return r * r;
            }
            """),
        ["a rolled map read by a rolled sum"] = Members("""
            [Adam, Lbfgs] public static double M([Length(64)] ReadOnlySpan<double> w, [Length(64)] ReadOnlySpan<double> v, [Data] double x, [Data] double y)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++) h[j] = Math.Tanh(w[j] * x);
                double p = 0;
                for (int j = 0; j < 64; j++) p += v[j] * h[j];
                return (p - y) * (p - y);
            }
            """),
        ["a rolled map with an element nothing reads (OPTDSL010)"] = Members("""
            public static double M([Length(65)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[65];
                for (int j = 0; j < 65; j++) h[j] = Math.Sin(w[j]);
                double s = 0;
                for (int j = 0; j < 64; j++) s += h[j] * h[j];
                return s;
            }
            """),
    };

    /// <summary>Objectives that are not generated.</summary>
    private static readonly Dictionary<string, string> Invalid = new(StringComparer.Ordinal)
    {
        // ---- OPTDSL001 ---------------------------------------------------------------------------
        ["if"] = Members("public static double M(double x) { var r = 0.0; if (x > 0) { r = x; } return r; }"),
        ["for with a bound that is not a compile-time integer"] = Members("public static double M(double x) { var r = 0.0; for (var i = 0; i < x; i++) { r += x; } return r; }"),
        ["floor"] = Members("public static double M(double x) => Math.Floor(x) * x;"),
        ["sign"] = Members("public static double M(double x) => Math.Sign(x) * x;"),
        ["ordinary call"] = Members("public static double M(double x) => H(x);", "private static double H(double v) => v;"),
        ["remainder"] = Members("public static double M(double x) => x % 2.0;"),
        ["property"] = Members("public static double M(double x) => P * x;", "private static double P => 2;"),
        ["switch expression"] = Members("public static double M(double x) => x switch { > 0 => x, _ => -x };"),
        ["early return"] = Members("public static double M(double x) { return x; return x * x; }"),
        ["assignment to parameter"] = Members("public static double M(double x) { x = 2 * x; return x; }"),
        ["long local"] = Members("public static double M(double x) { long n = 2; return x * n; }"),
        ["index out of range (OPTDSL008)"] = Members("public static double M([Length(2)] ReadOnlySpan<double> w) => w[2] * w[0];"),
        ["span without a length (OPTDSL002)"] = Members("public static double M(ReadOnlySpan<double> w) => w[0] * w[0];"),
        ["lambda"] = Members("public static double M(double x) => ((Func<double, double>)(v => v))(x);"),
        ["indexing"] = Members("public static double M(double x) => A[0] * x;", "private static readonly double[] A = { 1 };"),
        ["recursion"] = Members("public static double M(double x) => x < 1 ? x : M(x - 1);"),
        ["call to an invalid objective"] = Members("public static double M(double x) => Bad(x) * x;", "[Objective] public static double Bad(double v) => Math.Round(v);"),
        ["increment of a parameter"] = Members("public static double M(double x) { x++; return x; }"),

        // ---- OPTDSL002 ---------------------------------------------------------------------------
        ["not static"] = """
            using OptimDsl;
            public partial class Problems { [Objective] public double M(double x) => x * x; }
            """,
        ["generic"] = Members("public static double M<T>(double x) => x * x;"),
        ["float with Math"] = Members("public static float M(float x) => x * (float)Math.Sqrt(x);"),
        ["float with a double literal"] = Members("public static float M(float x) => (float)(x * 2.5);"),
        ["int parameter"] = Members("public static double M(double x, int n) => x * n;"),
        ["ref parameter"] = Members("public static double M(ref double x) => x * x;"),
        ["params array"] = Members("public static double M(double x, params double[] rest) => x * x;"),
        ["only data"] = Members("public static double M([Data] double x) => x * x;"),
        ["not partial"] = """
            using OptimDsl;
            public static class Problems { [Objective] public static double M(double x) => x * x; }
            """,
        ["outer not partial"] = """
            using OptimDsl;
            public class Outer { public static partial class Problems { [Objective] public static double M(double x) => x * x; } }
            """,
        ["file-local"] = """
            using OptimDsl;
            file static partial class Problems { [Objective] public static double M(double x) => x * x; }
            """,

        // ---- OPTDSL006 ---------------------------------------------------------------------------
        ["existing gradient member"] = Members("public static double M(double x) => x * x;", "public static int MGradient;"),
        ["x and X"] = Members("public static double M(double x, double X) => x * X;"),
        ["learningRate parameter"] = Members("[Adam] public static double M(double learningRate) => learningRate * learningRate;"),
        ["overloads"] = Members("public static double M(double x) => x * x;", "[Objective] public static double M(double x, double y) => x * y;"),

        // ---- compiler errors only ----------------------------------------------------------------
        ["unknown name"] = Members("public static double M(double x) => x * unknown;"),
        ["missing return"] = Members("public static double M(double x) { var y = x; }"),
        ["syntax error"] = Members("public static double M(double x) => x * ;"),
        ["comparison as the value"] = Members("public static double M(double x) => x <= 0.5;"),
        ["parameter without a name"] = Members("public static double M(double x, double ) => x * x;"),
        ["method outside a type"] = """
            using OptimDsl;
            namespace Corpus
            {
                [Objective]
                public static double M(double x) => x * x;
            }
            """,
    };

    /// <summary>A source with <paramref name="objective"/>, marked [Objective], and <paramref name="others"/> in a static partial class.</summary>
    private static string Members(string objective, string others = "") => $$"""
        using System;
        using OptimDsl;

        namespace Corpus;

        public static partial class Problems
        {
            [Objective]
            {{objective}}

            {{others}}
        }
        """;

    public static TheoryData<string> Cases => [.. Valid.Keys, .. Invalid.Keys];

    [Fact]
    public void The_corpus_is_large_and_mixed()
    {
        Assert.True(Valid.Count >= 15 && Invalid.Count >= 25, $"{Valid.Count} valid, {Invalid.Count} invalid");
        Assert.Empty(Valid.Keys.Intersect(Invalid.Keys));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Generator_emits_an_objective_exactly_when_nothing_reports_an_error_for_it(string name)
    {
        var isValid = Valid.TryGetValue(name, out var source);
        source ??= Invalid[name];
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), source);
        Assert.Null(run.Result.Exception);

        var analyzerDiagnostics = await run.InputCompilation
            .WithAnalyzers([new ObjectiveAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        var errors = analyzerDiagnostics
            .Concat(run.InputCompilation.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "OPTDSL003")
            .ToList();

        var generated = run.GeneratedSources.Where(s => DiagnosticTests.ObjectiveOf(s.HintName) == "M").ToList();
        Assert.True(
            generated.Count == (errors.Count == 0 ? 1 : 0),
            $"generated {generated.Count} file(s) for M; errors:{Environment.NewLine}{GeneratorRun.Format(errors)}");
        Assert.Equal(isValid, generated.Count == 1);

        if (generated.Count == 1)
        {
            var generatedTrees = run.RunResult.GeneratedTrees.ToHashSet();
            var errorsInGeneratedCode = run.OutputCompilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree));
            Assert.Empty(errorsInGeneratedCode);

            // OPTDSL003 drops that optimizer and no other.
            var text = generated[0].SourceText.ToString();
            foreach (var optimizer in new[] { "GradientDescent", "Sgd", "Adam" })
            {
                var asked = source.Contains("[" + optimizer, StringComparison.Ordinal) || source.Contains(", " + optimizer, StringComparison.Ordinal);
                var invalid = analyzerDiagnostics.Any(d => d.Id == "OPTDSL003" && d.Location.SourceTree!.GetText().ToString(
                    d.Location.SourceTree.GetRoot().FindNode(d.Location.SourceSpan).Parent!.Parent!.Span).StartsWith(optimizer, StringComparison.Ordinal));
                Assert.Equal(asked && !invalid, text.Contains("struct M" + optimizer, StringComparison.Ordinal));
            }
        }
    }
}
