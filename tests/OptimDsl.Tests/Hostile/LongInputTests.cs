using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// Long and deep inputs: chains of every operator, long statement lists, deep nesting, objectives
/// calling each other many times. Each builds with the right gradient or gets the documented
/// OPTDSL001 at the right place; none crashes the compiler, throws in the generator (CS8785) or
/// produces an error in a generated file. The generator and the analyzer run on a thread with a
/// 1 MB stack, what an IDE's analyzer host gives, so that recursion proportional to the input's
/// length fails here instead of passing on a big stack by luck.
/// </summary>
public sealed class LongInputTests
{
    private const string Header = "using System;\nusing OptimDsl;\n\npublic static partial class P\n{\n";
    private const string Footer = "}\n";

    [Theory]
    [InlineData("+", 3.0, 3_000.0, 1_000.0)]                 // 1,000 x: value 3n, gradient n
    [InlineData("-", 3.0, 3.0 - (999 * 3.0), 1.0 - 999)]      // x - x - … : (2 - n)x
    [InlineData("*", 1.0, 1.0, 1_000.0)]                      // x^n at 1: value 1, gradient n
    [InlineData("/", 1.0, 1.0, 2.0 - 1_000)]                  // x^(2-n) at 1: gradient 2 - n
    public void ChainOf1000TermsBuildsWithTheRightGradient(string symbol, double x, double value, double gradient)
    {
        var body = string.Join($" {symbol} ", Enumerable.Repeat("x", 1_000));
        var source = Header + $"    [Objective] public static double F(double x) => {body};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt();
        outcome.AssertGradient("F", [x], value, [gradient]);
    }

    [Fact]
    public void ChainsOfMoreThan1000OperatorsAreReportedAtTheOutermostOperator()
    {
        // 100,000 terms: refused at once, on the syntax alone (the limit is documented in the README).
        var body = string.Join(" + ", Enumerable.Repeat("x", 100_000));
        var source = Header + $"    [Objective] public static double F(double x) => {body};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        var outermost = source.LastIndexOf(" + ", StringComparison.Ordinal) + 1;
        outcome.AssertOnlyError("OPTDSL001", new TextSpan(outermost, 1), "A chain of more than 1,000 operators");
    }

    [Fact]
    public void LogicalAndComparisonChainsOf400TermsBuild()
    {
        // x > -1 && x > -2 && …: true for x = 3; x == -1 || x == -2 || …: false there.
        var and = string.Join(" && ", Enumerable.Range(1, 400).Select(k => $"x > -{k}.0"));
        var or = string.Join(" || ", Enumerable.Range(1, 400).Select(k => $"x == -{k}.0"));
        var source = Header
            + $"    [Objective] public static double F(double x) => {and} ? x * x : -x;\n"
            + $"    [Objective] public static double G(double x) => {or} ? x * x : -x;\n"
            + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt(infos: 2);
        outcome.AssertGradient("F", [3.0], 9.0, [6.0]);
        outcome.AssertGradient("F", [-400.5], 400.5, [-1.0]);
        outcome.AssertGradient("G", [3.0], -3.0, [-1.0]);
        outcome.AssertGradient("G", [-7.0], 49.0, [-14.0]);
    }

    [Fact]
    public void ChainOf100ConditionalsBuilds()
    {
        // x < 1 ? 1x : x < 2 ? 2x : … : 0: at x = 2.5 the branch k = 3 is taken.
        var source = Header + $"    [Objective] public static double F(double x) => {ConditionalChain(100)};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt(infos: 100); // OPTDSL007 at each conditional
        outcome.AssertGradient("F", [2.5], 7.5, [3.0]);
        outcome.AssertGradient("F", [99.5], 100.0 * 99.5, [100.0]);
    }

    [Fact]
    public void ChainOf10000ConditionalsGetsTheCompilersOwnError()
    {
        // The compiler binds a ?: chain recursively and refuses one this long itself (CS8078, in the
        // user's file); the generator neither throws nor adds errors of its own.
        var source = Header + $"    [Objective] public static double F(double x) => {ConditionalChain(10_000)};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertOnlyCompilerError("CS8078", "Source0.cs");
    }

    private static string ConditionalChain(int links)
        => string.Concat(Enumerable.Range(1, links).Select(k => $"x < {k}.0 ? {k}.0 * x : ")) + "0.0";

    [Fact]
    public void BodyOf2000CompoundAssignmentsBuilds()
    {
        var statements = string.Concat(Enumerable.Repeat("        s += x;\n", 1_999));
        var source = Header + "    [Objective] public static double F(double x)\n    {\n        double s = x;\n" + statements + "        return s;\n    }\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt();
        outcome.AssertGradient("F", [3.0], 6_000.0, [2_000.0]);
    }

    [Fact]
    public void ChainOf2000LocalsBuilds()
    {
        // a_k = 0.5·a_(k-1) + x: ∂a_n/∂x = Σ 0.5^k = 2 - 0.5^(n-1).
        var statements = new StringBuilder("        var a0 = x;\n");
        for (var k = 1; k < 2_000; k++)
        {
            statements.Append($"        var a{k} = 0.5 * a{k - 1} + x;\n");
        }

        var source = Header + "    [Objective] public static double F(double x)\n    {\n" + statements + "        return a1999;\n    }\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt();
        outcome.AssertGradient("F", [1.0], 2.0, [2.0], tolerance: 1e-12);
    }

    [Fact]
    public void RightNestedSumWithinTheNestingLimitBuilds()
    {
        // x + (x + (… + x)): 200 levels of parentheses, a right-nested chain.
        var source = Header + $"    [Objective] public static double F(double x) => {RightNested(200)};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        outcome.AssertBuilt();
        outcome.AssertGradient("F", [3.0], 603.0, [201.0]);
    }

    [Fact]
    public void RightNestedSumPastTheNestingLimitIsReportedWhereItPassesTheLimit()
    {
        var source = Header + $"    [Objective] public static double F(double x) => {RightNested(400)};\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        // The operand entered at depth MaxNestingDepth: the 256th parenthesis, to its match.
        var open = NthIndexOf(source, '(', 257); // the first '(' is the parameter list's
        outcome.AssertOnlyError("OPTDSL001", TextSpan.FromBounds(open, MatchingParenthesis(source, open) + 1), "nested more than 256 levels deep");
    }

    [Fact]
    public void NestedMathCallsWithinTheLimitBuildAndPastItAreReported()
    {
        // sin(sin(…sin(x))): the gradient is the product of cos of each inner value.
        var inner = string.Concat(Enumerable.Repeat("Math.Sin(", 100)) + "x" + new string(')', 100);
        var deep = string.Concat(Enumerable.Repeat("Math.Sin(", 300)) + "x" + new string(')', 300);
        var source = Header
            + $"    [Objective] public static double F(double x) => {inner};\n"
            + $"    [Objective] public static double G(double x) => {deep};\n"
            + Footer;

        var outcome = OnSmallStack(() => Build(source));

        var x = 0.7;
        var (value, derivative) = (x, 1.0);
        for (var k = 0; k < 100; k++)
        {
            derivative *= Math.Cos(value);
            value = Math.Sin(value);
        }

        outcome.AssertGradient("F", [x], value, [derivative], tolerance: 1e-14);
        var g = source.IndexOf("G(double x) => ", StringComparison.Ordinal) + "G(double x) => ".Length;
        var at = g + (256 * "Math.Sin(".Length); // the call entered at depth 256, the 257th
        outcome.AssertOnlyError("OPTDSL001", TextSpan.FromBounds(at, at + ("Math.Sin(".Length * 44) + "x".Length + 44), "nested more than 256 levels deep");
    }

    [Fact]
    public void DeeplyNestedBlocksPastTheLimitAreReported()
    {
        var source = Header + "    [Objective] public static double F(double x)\n    {\n        double s = x;\n"
            + new string('{', 300) + " s += x; " + new string('}', 300) + "\n        return s;\n    }\n" + Footer;

        var outcome = OnSmallStack(() => Build(source));

        var at = source.IndexOf('{', source.IndexOf("double s = x;", StringComparison.Ordinal)) + 256; // the 257th block, entered at depth 256
        outcome.AssertOnlyError("OPTDSL001", TextSpan.FromBounds(at, MatchingBrace(source, at) + 1), "nested more than 256 levels deep");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ObjectivesCallingTheNextSeveralTimes22LevelsDeepBuildQuickly(int calls)
    {
        // F0 = x², Fk = F(k-1)(x) + … (calls times): F22 = calls^22 x², 2^22 or 3^22 calls as a tree.
        var source = new StringBuilder(Header);
        source.Append("    [Objective] public static double F0(double x) => x * x;\n");
        for (var k = 1; k <= 22; k++)
        {
            source.Append($"    [Objective] public static double F{k}(double x) => {string.Join(" + ", Enumerable.Repeat($"F{k - 1}(x)", calls))};\n");
        }

        source.Append(Footer);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var outcome = OnSmallStack(() => Build(source.ToString()));

        outcome.AssertBuilt();
        var factor = Math.Pow(calls, 22);
        outcome.AssertGradient("F22", [3.0], factor * 9, [factor * 6]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void ObjectivesCallingTheNextWithDifferentArguments22LevelsDeepThroughSeveralFilesBuild()
    {
        // One level per file and type: Fk(x) = F(k-1)(x) + F(k-1)(2x), so F22(x) = 5^22 x².
        var sources = new List<string> { "using OptimDsl;\npublic static partial class L0 { [Objective] public static double F(double x) => x * x; }\n" };
        for (var k = 1; k <= 22; k++)
        {
            sources.Add($"using OptimDsl;\npublic static partial class L{k} {{ [Objective] public static double F(double x) => L{k - 1}.F(x) + L{k - 1}.F(2.0 * x); }}\n");
        }

        var outcome = OnSmallStack(() => Build([.. sources]));

        outcome.AssertBuilt();
        var factor = Math.Pow(5, 22);
        outcome.AssertGradient("L22", "FGradient", [1.0], factor, [2 * factor], tolerance: 1e-12);
    }

    [Fact]
    public void ObjectivesWhoseInliningIsExponentialInDistinctNodesAreReportedAtTheObjective()
    {
        // F1 sums F0 at 60 different arguments, F2 sums F1 at 60 others: 60² sines, built. F3 would
        // have 60³ = 216,000 distinct sines and their arguments: past the size limit.
        var source = new StringBuilder(Header);
        source.Append("    [Objective] public static double F0(double x) => Math.Sin(x);\n");
        for (var k = 1; k <= 3; k++)
        {
            source.Append($"    [Objective] public static double F{k}(double x) => {string.Join(" + ", Enumerable.Range(1, 60).Select(j => $"F{k - 1}(x * {k}.{j:D2})"))};\n");
        }

        source.Append(Footer);
        var text = source.ToString();

        var outcome = OnSmallStack(() => Build(text));

        var f3 = text.IndexOf("F3(double x)", StringComparison.Ordinal);
        outcome.AssertOnlyError("OPTDSL001", new TextSpan(f3, 2), "more than 250,000 operations");
        var expected = 0.0;
        var derivative = 0.0;
        for (var j = 1; j <= 60; j++)
        {
            for (var i = 1; i <= 60; i++)
            {
                var scale = (2 + (j / 100.0)) * (1 + (i / 100.0));
                expected += Math.Sin(0.3 * scale);
                derivative += scale * Math.Cos(0.3 * scale);
            }
        }

        outcome.AssertGradient("F2", [0.3], expected, [derivative], tolerance: 1e-12);
    }

    private static string RightNested(int levels)
    {
        var text = new StringBuilder();
        for (var k = 0; k < levels; k++)
        {
            text.Append("x + (");
        }

        text.Append('x').Append(')', levels);
        return text.ToString();
    }

    private static int NthIndexOf(string text, char c, int n)
    {
        var index = -1;
        for (var k = 0; k < n; k++)
        {
            index = text.IndexOf(c, index + 1);
        }

        return index;
    }

    private static int MatchingParenthesis(string text, int open) => Matching(text, open, '(', ')');

    private static int MatchingBrace(string text, int open) => Matching(text, open, '{', '}');

    private static int Matching(string text, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] == opening ? 1 : text[i] == closing ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        throw new ArgumentException("Unbalanced.");
    }

    /// <summary>Runs <paramref name="work"/> on a thread with a 1 MB stack and returns its result (or rethrows).</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs the generator and, on the same thread and serially, the analyzer.</summary>
    private static Outcome Build(params string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), compilation);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var analyzerDiagnostics = compilation
            .WithAnalyzers([new ObjectiveAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new Outcome(run, analyzerDiagnostics);
    }

    private sealed record Outcome(GeneratorRun Run, ImmutableArray<Diagnostic> AnalyzerDiagnostics)
    {
        private ImmutableArray<Diagnostic> CompilerDiagnostics { get; } = Run.OutputCompilation.GetDiagnostics();

        /// <summary>Nothing that no input may produce: a generator exception, an error in a generated file.</summary>
        private void AssertNoGeneratorFault()
        {
            Assert.Null(Run.Result.Exception);
            Assert.DoesNotContain(Run.GeneratorDiagnostics, d => d.Id == "CS8785");
            var generated = Run.RunResult.GeneratedTrees.ToHashSet();
            var inGenerated = CompilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree));
            Assert.True(!inGenerated.Any(), GeneratorRun.Format(inGenerated.Take(5)));
        }

        /// <summary>No warning or error anywhere, and <paramref name="infos"/> OPTDSL007 notes from the analyzer.</summary>
        public void AssertBuilt(int infos = 0)
        {
            AssertNoGeneratorFault();
            var problems = AnalyzerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
                .Concat(CompilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.True(!problems.Any(), GeneratorRun.Format(problems.Take(5)));
            Assert.Equal(infos, AnalyzerDiagnostics.Count(d => d.Id == "OPTDSL007"));
            Assert.NotEmpty(Run.GeneratedSources);
        }

        /// <summary>The compiler's own error <paramref name="id"/> in the user's file, and no other warning or error.</summary>
        public void AssertOnlyCompilerError(string id, string file)
        {
            AssertNoGeneratorFault();
            var problems = AnalyzerDiagnostics.Concat(CompilerDiagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
            var error = Assert.Single(problems);
            Assert.Equal(id, error.Id);
            Assert.Equal(file, error.Location.SourceTree?.FilePath);
        }

        /// <summary>Exactly one warning or error, from the analyzer, with this id, span and message part; the user's code compiles.</summary>
        public void AssertOnlyError(string id, TextSpan span, string messagePart)
        {
            AssertNoGeneratorFault();
            var errors = AnalyzerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
            var error = Assert.Single(errors);
            Assert.Equal(id, error.Id);
            Assert.Equal(span, error.Location.SourceSpan);
            Assert.Contains(messagePart, error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Empty(CompilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        }

        public void AssertGradient(string method, double[] x, double value, double[] gradient, double tolerance = 0)
            => AssertGradient("P", method + "Gradient", x, value, gradient, tolerance);

        public void AssertGradient(string type, string method, double[] x, double value, double[] gradient, double tolerance = 0)
        {
            using var assembly = Run.Load();
            var arguments = x.Cast<object?>().Concat(gradient.Select(_ => (object?)null)).ToArray();
            var actual = (double)assembly.Invoke(type, method, arguments)!;
            AssertClose(value, actual, tolerance);
            for (var k = 0; k < gradient.Length; k++)
            {
                AssertClose(gradient[k], (double)arguments[x.Length + k]!, tolerance);
            }
        }

        private static void AssertClose(double expected, double actual, double tolerance)
            => Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
    }
}
