using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimDsl.Generators;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Tests.Generation;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// User names and declarations that the generated code must survive: file names that collide
/// ignoring case or hold characters Roslyn rejects, user names equal to generated locals and
/// private members, every kind of type an objective can sit in, and C# versions too old for the
/// generated code. Each case either compiles with zero errors and computes the right values, or gets
/// the right OPTDSL diagnostic at the right place; never CS8785, never an error in a generated file.
/// </summary>
public sealed class NamingTests
{
    // ---- File names (hint names) ---------------------------------------------------------------

    [Fact]
    public void Objectives_whose_names_differ_only_in_case_get_distinct_files()
    {
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo;
            public static partial class T
            {
                [Objective] public static double Loss(double x) => x * x;
                [Objective] public static double loss(double x) => x * x * x;
                [Objective] public static double LOSS(double x) => 5 * x;
            }
            public static class Check
            {
                public static double Run()
                {
                    T.LossGradient(2, out var a);
                    T.lossGradient(2, out var b);
                    T.LOSSGradient(2, out var c);
                    return a * 10000 + b * 100 + c;
                }
            }
            """);

        // Ordinal order of the identities: LOSS < Loss < loss.
        Assert.Equal(["Demo.T.LOSS.g.cs", "Demo.T.Loss-2.g.cs", "Demo.T.loss-3.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(4 * 10000 + 12 * 100 + 5, Check(run));
    }

    [Fact]
    public void Types_and_namespaces_that_differ_only_in_case_get_distinct_files()
    {
        var run = RunCompiling(
            """
            using OptimDsl;
            namespace Demo.a { public static partial class Foo { [Objective] public static double M(double x) => x * x; } }
            namespace Demo.A { public static partial class Foo { [Objective] public static double M(double x) => 3 * x; } }
            namespace Demo.A { public static partial class foo { [Objective] public static double M(double x) => 4 * x; } }
            """,
            """
            public static class Check
            {
                public static double Run()
                {
                    Demo.a.Foo.MGradient(5, out var a);
                    Demo.A.Foo.MGradient(5, out var b);
                    Demo.A.foo.MGradient(5, out var c);
                    return a * 100 + b * 10 + c;
                }
            }
            """);

        Assert.Equal(["Demo.A.Foo.M.g.cs", "Demo.A.foo.M-2.g.cs", "Demo.a.Foo.M-3.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(10 * 100 + 3 * 10 + 4, Check(run, "Check"));
    }

    [Fact]
    public void A_namespace_and_a_nested_type_whose_dotted_names_differ_only_in_case_get_distinct_files()
    {
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo.x { public static partial class M { [Objective] public static double F(double x) => x * x; } }
            namespace Demo { public static partial class X { public static partial class M { [Objective] public static double F(double x) => 7 * x; } } }
            public static class Check
            {
                public static double Run()
                {
                    Demo.x.M.FGradient(3, out var a);
                    Demo.X.M.FGradient(3, out var b);
                    return a * 10 + b;
                }
            }
            """);

        // Identities "Demo.x|M" < "Demo|X+M" (ordinal): the namespace's objective keeps the plain name.
        Assert.Equal(["Demo.X.M.F-2.g.cs", "Demo.x.M.F.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(6 * 10 + 7, Check(run, "Check"));
    }

    [Theory]
    [InlineData("namespace Company.@event;", "Company.event.T.M.g.cs", "Company.@event.T")]
    [InlineData("namespace @Company.@class.@int;", "Company.class.int.T.M.g.cs", "Company.@class.@int.T")]
    [InlineData("namespace \\u0044emo;", "Demo.T.M.g.cs", "Demo.T")]
    [InlineData("namespace Größe.变量;", "Größe.变量.T.M.g.cs", "Größe.变量.T")]
    [InlineData("", "T.M.g.cs", "T")]
    public void Escaped_keyword_and_Unicode_names_give_valid_file_names(string namespaceLine, string hint, string type)
    {
        var run = RunCompiling($$"""
            using OptimDsl;
            {{namespaceLine}}
            public static partial class T { [Objective, Adam] public static double M(double x) => x * x; }
            public static class Check
            {
                public static double Run() { {{type}}.MGradient(1.5, out var d); return d; }
            }
            """);

        Assert.Equal([hint], GenerationSupport.HintNames(run));
        Assert.Equal(3, Check(run, CheckTypeIn(namespaceLine)));
    }

    [Fact]
    public void Escaped_and_Unicode_type_and_method_names_give_valid_file_names()
    {
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo;
            public static partial class @class
            {
                [Objective] public static double @double(double x) => x * x;
                [Objective] public static double \u0061bc(double x) => 2 * x;
                [Objective] public static double Verlust_ä(double x) => 3 * x;
                [Objective] public static double 損失(double x) => 4 * x;
            }
            public static class Check
            {
                public static double Run()
                {
                    @class.doubleGradient(1, out var a);
                    @class.abcGradient(1, out var b);
                    @class.Verlust_äGradient(1, out var c);
                    @class.損失Gradient(1, out var d);
                    return a * 1000 + b * 100 + c * 10 + d;
                }
            }
            """);

        Assert.Equal(["Demo.class.Verlust_ä.g.cs", "Demo.class.abc.g.cs", "Demo.class.double.g.cs", "Demo.class.損失.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(2 * 1000 + 2 * 100 + 3 * 10 + 4, Check(run, "Demo.Check"));
    }

    [Fact]
    public void Generic_types_of_different_arity_and_nested_types_get_distinct_files()
    {
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo;
            public static partial class G { [Objective] public static double M(double x) => x * x; }
            public static partial class G<T> { [Objective] public static double M(double x) => 2 * x; }
            public static partial class G<T, U>
            {
                [Objective] public static double M(double x) => 3 * x;
                public static partial class H { [Objective, GradientDescent] public static double M(double x) => 4 * x; }
            }
            public static class Check
            {
                public static double Run()
                {
                    G.MGradient(1, out var a);
                    G<int>.MGradient(1, out var b);
                    G<int, string>.MGradient(1, out var c);
                    G<int, string>.H.MGradient(1, out var d);
                    return a * 1000 + b * 100 + c * 10 + d;
                }
            }
            """);

        Assert.Equal(["Demo.G.M.g.cs", "Demo.G`1.M.g.cs", "Demo.G`2.H.M.g.cs", "Demo.G`2.M.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(2 * 1000 + 2 * 100 + 3 * 10 + 4, Check(run, "Demo.Check"));
    }

    [Fact]
    public void A_partial_type_spread_over_files_with_file_scoped_namespaces_gets_one_file_per_objective()
    {
        var run = RunCompiling(
            "using OptimDsl;\nnamespace Demo;\npublic static partial class P { [Objective] public static double A(double x) => x * x; }",
            "using OptimDsl;\nnamespace Demo;\npublic static partial class P { [Objective] public static double a(double x) => 2 * x * x; }",
            "namespace Demo;\npublic static class Check { public static double Run() { P.AGradient(1, out var a); P.aGradient(1, out var b); return a * 10 + b; } }");

        Assert.Equal(["Demo.P.A.g.cs", "Demo.P.a-2.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(2 * 10 + 4, Check(run, "Demo.Check"));
    }

    [Fact]
    public void A_partial_method_with_Objective_on_both_parts_is_generated_once_without_throwing()
    {
        var run = RunOn(LanguageVersion.Latest, """
            using OptimDsl;
            namespace Demo;
            public static partial class P
            {
                [Objective] public static partial double F(double x);
                [Objective] public static partial double F(double x) => x * x;
            }
            """);

        Assert.Null(run.Result.Exception);
        Assert.Equal(["Demo.P.F.g.cs"], GenerationSupport.HintNames(run));
        var errors = Errors(run);
        Assert.All(errors, e => Assert.Equal("CS0579", e.Id)); // the duplicate attribute, in the user's file
        Assert.NotEmpty(errors);
        AssertNothingInGeneratedFiles(run);
    }

    [Fact]
    public void File_names_stay_cached_while_no_objective_is_added_and_adding_one_redoes_only_its_file()
    {
        const string Before = """
            using OptimDsl;
            namespace Demo;
            public static partial class T
            {
                [Objective] public static double Loss(double x) => x * x;
                [Objective] public static double Other(double x) => x * x * x;
            }
            """;
        var first = RunOn(LanguageVersion.Latest, Before);
        var edited = first.RunAgain(ReplaceSource(first, Before.Replace("x * x * x", "x * x * x * x", StringComparison.Ordinal)));
        // Appended, because the driver matches a stage's outputs by position.
        var added = edited.RunAgain(ReplaceSource(edited, Before.Replace(
            "x * x * x;\n",
            "x * x * x * x;\n    [Objective] public static double loss(double x) => 2 * x;\n",
            StringComparison.Ordinal)));

        // A body edit: the file names are the same, and only Other's file is written again.
        Assert.All(StageReasons(edited, ObjectiveGenerator.Stages.FileNames), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Single(OutputReasons(edited), r => r == IncrementalStepRunReason.Modified);
        Assert.All(OutputReasons(edited), r => Assert.True(r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // A new objective whose name collides with Loss ignoring case: new names, but the existing
        // files keep theirs ("loss" sorts after "Loss") and are not written again.
        Assert.All(StageReasons(added, ObjectiveGenerator.Stages.FileNames), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.Equal(["Demo.T.Loss.g.cs", "Demo.T.Other.g.cs", "Demo.T.loss-2.g.cs"], GenerationSupport.HintNames(added));
        Assert.Single(OutputReasons(added), r => r == IncrementalStepRunReason.New);
        Assert.All(OutputReasons(added), r => Assert.True(r is IncrementalStepRunReason.New or IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        AssertCompiles(added);
    }

    private static Compilation ReplaceSource(GeneratorRun run, string source)
    {
        var old = run.InputCompilation.SyntaxTrees.Single();
        return run.InputCompilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, (CSharpParseOptions)old.Options, old.FilePath));
    }

    private static IncrementalStepRunReason[] StageReasons(GeneratorRun run, string stage)
        => [.. run.Result.TrackedSteps[stage].SelectMany(step => step.Outputs).Select(o => o.Reason)];

    private static IncrementalStepRunReason[] OutputReasons(GeneratorRun run)
        => [.. run.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(o => o.Reason)];

    // ---- User names equal to generated names ---------------------------------------------------

    /// <summary>
    /// Objectives whose parameter names are names the emitters write (locals, private members,
    /// parameters of generated methods, keywords); the check computes a gradient (hand-derived) and
    /// runs an optimizer so that every generated method is compiled and called.
    /// </summary>
    public static TheoryData<string, string, string, double> NameCases() => new()
    {
        // [Data] parameters named like Minimize's, Step's and the data gradient's locals.
        { "data named loss", "[Objective, GradientDescent, Sgd(BatchSize = 2), Adam] public static double M(double w, [Data] double loss) => (w - loss) * (w - loss);",
            "var xs = new double[] { 1, 3 }; var o = new T.MSgd(0); o.Step(xs); var g = new T.MGradientDescent(0); g.Minimize(xs, 5); var a = new T.MAdam(0); a.Minimize(xs, 3); return T.MGradient(new double[] { 0 }, xs, new double[1]);", 5 },
        { "data named like Minimize's locals", "[Objective, GradientDescent, Sgd, Adam] public static double M(double w, [Data] double norm, [Data] double updates, [Data] double stepLoss, [Data] double checkpoint, [Data] double previous, [Data] double diverged, [Data] double stop, [Data] double previousParameters, [Data] double loss2) => w * (norm + updates + stepLoss + checkpoint + previous + diverged + stop + previousParameters + loss2);",
            "var s = new double[] { 1 }; var o = new T.MGradientDescent(2); o.Minimize(s, s, s, s, s, s, s, s, s, 2); var q = new T.MSgd(2); q.Minimize(s, s, s, s, s, s, s, s, s, 2); var a = new T.MAdam(2); a.Minimize(s, s, s, s, s, s, s, s, s, 2); return T.MGradient(new double[] { 2 }, s, s, s, s, s, s, s, s, s, new double[1]);", 18 },
        { "data named like the minibatch's and the data gradient's locals", "[Objective, Sgd] public static double M(double w, [Data] double count, [Data] double order, [Data] double batch, [Data] double k, [Data] double sample, [Data] double i, [Data] double p0, [Data] double sum0, [Data] double lossLane0, [Data] double countRef, [Data] double t0, [Data] double u0, [Data] double v0) => w * w * (count + order + batch + k + sample + i + p0 + sum0 + lossLane0 + countRef + t0 + u0 + v0);",
            "var s = new double[] { 1, 1, 1, 1, 1 }; var o = new T.MSgd(1); o.Step(s, s, s, s, s, s, s, s, s, s, s, s, s); var g = new double[1]; T.MGradient(new double[] { 1 }, s, s, s, s, s, s, s, s, s, s, s, s, s, g); return g[0];", 26 },

        { "data named like Minimize's type parameter", "[Objective, GradientDescent, Sgd] public static double M(double w, [Data] double TObserver, [Data] double TObserver2) => w * w * (TObserver + TObserver2);",
            "var s = new double[] { 1, 2 }; var o = new T.MGradientDescent(1); o.Minimize(s, s, 2); var q = new T.MSgd(1); q.Minimize(s, s, 2); return T.MGradient(new double[] { 1 }, s, s, new double[1]);", 3 },

        // Trainable parameters whose properties are named like the struct's private members.
        { "trainable named like private methods", "[Objective, GradientDescent, Adam, Sgd] public static double M(double update, double evaluate, double gradientNorm, double isFinite, double ensureConstructed, [Data] double y) => update * update + evaluate + gradientNorm + isFinite + ensureConstructed * y;",
            "var y = new double[] { 1, 1 }; var o = new T.MAdam(1, 1, 1, 1, 1); o.Update = 3; o.Step(y); var g = new T.MGradientDescent(1, 1, 1, 1, 1); g.Minimize(y, 2); var s = new T.MSgd(3, 0, 0, 0, 0); s.Step(y); T.MGradient(3, 0, 0, 0, 0, 1, out var d, out _, out _, out _, out _); return d;", 6 },
        { "trainable named like private fields and types", "[Objective, Adam, Sgd] public static double M(double _parameters, double _m, double _gradient, double _iteration, double noObserver, double parameterVector, double adamCoefficients, double descendScalar, double m, double v, double parameterCount, double gradient, [Data] double z) => _parameters * _m + _gradient + _iteration + noObserver + parameterVector + adamCoefficients + descendScalar + m * v + parameterCount * gradient * z;",
            "var z = new double[] { 2 }; var o = new T.MAdam(2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); o.Minimize(z, 2); var s = new T.MSgd(2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); s.Step(z); T.MGradient(2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 5, 7, 2, out var a, out var b, out _, out _, out _, out _, out _, out _, out _, out _, out var p, out _); return a * 100 + b * 10 + p;", 3 * 100 + 2 * 10 + 14 },
        { "trainable named like generated locals and parameters", "[Objective, GradientDescent, Adam] public static double M(double loss, double value, double result, double i, double n, double t0, double learning, double c, double maxIterations, double tolerance, double observer) => loss * value + result * i + n * t0 + learning * c + maxIterations * tolerance * observer;",
            "var o = new T.MAdam(1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0); o.Minimize(2); o.Value = 4; var g = new T.MGradientDescent(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1); g.Step(); T.MGradient(1, 2, 0, 0, 0, 0, 0, 0, 3, 5, 7, out var dl, out _, out _, out _, out _, out _, out _, out _, out var dm, out _, out _); return dl * 100 + dm;", 2 * 100 + 35 },
        { "locals of the objective named like generated names", "[Objective, GradientDescent] public static double M(double x, double y) { var parameters = x * y; var gradient = parameters * parameters; var t0 = gradient + x; var dX = t0 * t0; var i = dX + parameters; return i + parameters; }",
            "var o = new T.MGradientDescent(1, 1); o.Step(); return T.MGradient(new double[] { 1, 2 }, new double[2]);", (4 + 1) * (4 + 1) + 2 + 2 },

        // Keywords as parameter names.
        { "keywords as parameter names", "[Objective, GradientDescent, Adam, Sgd] public static double M(double @double, double @event, double @class, [Data] double @int) => @double * @event + @class * @int;",
            "var d = new double[] { 3 }; var o = new T.MAdam(1, 1, 1); o.Double = 2; o.Event = 5; o.Step(d); var s = new T.MSgd(1, 1, 1); s.Minimize(d, 2); var g = new T.MGradientDescent(1, 1, 1); g.Step(d); T.MGradient(2, 5, 1, 3, out var a, out var b, out var c); return a * 100 + b * 10 + c;", 5 * 100 + 2 * 10 + 3 },
    };

    [Theory]
    [MemberData(nameof(NameCases))]
    public void User_names_equal_to_generated_names_compile_and_compute_the_gradient(string name, string objective, string check, double expected)
    {
        _ = name;
        var run = RunCompiling($$"""
            using OptimDsl;
            public static partial class T
            {
                {{objective}}
            }
            public static class Check
            {
                public static double Run() { {{check}} }
            }
            """);

        Assert.Equal(expected, Check(run, "Check"));
    }

    // ---- Every kind of type ---------------------------------------------------------------------

    public static TheoryData<string, string, string> TypeKinds() => new()
    {
        { "class", "public partial class K", "K" },
        { "static class", "public static partial class K", "K" },
        { "sealed class", "public sealed partial class K", "K" },
        { "abstract class", "public abstract partial class K", "K" },
        { "struct", "public partial struct K", "K" },
        { "readonly struct", "public readonly partial struct K", "K" },
        { "ref struct", "public ref partial struct K", "K" },
        { "readonly ref struct", "public readonly ref partial struct K", "K" },
        { "record", "public partial record K", "K" },
        { "sealed record", "public sealed partial record K(double X)", "K" },
        { "record struct", "public partial record struct K", "K" },
        { "readonly record struct", "public readonly partial record struct K(double X)", "K" },
        { "interface", "public partial interface K", "K" },
        { "generic interface", "public partial interface K<T>", "K<string>" },
        { "generic class with constraints", "public partial class K<T, U> where T : struct, System.IComparable<T> where U : class, new()", "K<int, object>" },
        { "generic struct with unmanaged and notnull", "public partial struct K<T, U> where T : unmanaged where U : notnull", "K<int, string>" },
        { "unsafe class", "public unsafe partial class K", "K" },
        { "primary constructor whose parameters shadow generated names", "public partial class K(double loss, double parameters, double gradient, double t0, double x)", "K" },
        { "primary constructor struct", "public partial struct K(double update, double value)", "K" },
        { "internal class", "internal partial class K", "K" },
    };

    [Theory]
    [MemberData(nameof(TypeKinds))]
    public void Every_kind_of_type_gets_compiling_code(string name, string declaration, string use)
    {
        _ = name;
        var run = RunCompiling($$"""
            using OptimDsl;
            namespace Demo;
            {{declaration}}
            {
                [Objective, GradientDescent(LearningRate = 0.25), Adam, Sgd(BatchSize = 1)]
                public static double F(double x, [Data] double y) { var t0 = x - y; return t0 * t0; }
            }
            public static class Check
            {
                public static double Run()
                {
                    var ys = new double[] { 1, 3 };
                    var o = new {{use}}.FGradientDescent(0);
                    o.Minimize(ys, 100, 1e-12);
                    var a = new {{use}}.FAdam(0);
                    a.Step(ys);
                    var s = new {{use}}.FSgd(0);
                    s.Step(ys);
                    {{use}}.FGradient(5, 2, out var d);
                    return d * 100 + o.X;
                }
            }
            """);

        // ∂(x − y)²/∂x at (5, 2) = 6; gradient descent on the mean converges to the mean of y, 2.
        Assert.Equal(602, Check(run, "Demo.Check"), 1e-9);
    }

    [Fact]
    public void A_type_nested_in_generic_types_gets_compiling_code()
    {
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo;
            public partial class Outer<T> where T : class
            {
                public partial struct Middle<TObserver>
                {
                    public static partial class Inner
                    {
                        [Objective, Adam, GradientDescent]
                        public static double F(double x) => x * x * x;
                    }
                }
            }
            public static class Check
            {
                public static double Run()
                {
                    var o = new Outer<string>.Middle<int>.Inner.FAdam(1);
                    o.Step();
                    Outer<string>.Middle<int>.Inner.FGradient(2, out var d);
                    return d;
                }
            }
            """);

        Assert.Equal(12, Check(run, "Demo.Check"));
    }

    [Theory]
    [InlineData("out T", "K<string>")]
    [InlineData("in T, out U", "K<string, object>")]
    public void A_variant_interface_keeps_its_variance_and_gets_the_gradient(string typeParameters, string use)
    {
        var run = RunCompiling($$"""
            using OptimDsl;
            namespace Demo;
            public partial interface K<{{typeParameters}}>
            {
                [Objective] public static double F(double x, [Data] double y) => (x - y) * (x - y);
                [Objective] public static double G(double x) => x * x * x;
            }
            public static class Check
            {
                public static double Run() { {{use}}.FGradient(5, 2, out var d); {{use}}.GGradient(2, out var e); return d * 100 + e; }
            }
            """);

        Assert.Equal(6 * 100 + 12, Check(run, "Demo.Check"));
    }

    [Theory]
    [InlineData("out T")]
    [InlineData("in T")]
    public void An_optimizer_in_a_variant_interface_is_refused_at_the_attribute(string typeParameters)
    {
        // C# allows no struct in an interface with in or out type parameters (CS8427).
        var source = MarkedSource.Parse($$"""
            using OptimDsl;
            namespace Demo;
            public partial interface K<{{typeParameters}}>
            {
                [Objective, [|Adam|]] public static double F(double x) => x * x;
                [Objective] public static double Fine(double x) => x * x;
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Latest, source.Source);

        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OPTDSL002", error.Id);
        Assert.Equal(source.Spans.Single(), error.Location.SourceSpan);
        Assert.Contains("'in' or 'out' type parameters", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["Demo.K`1.Fine.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Fact]
    public void An_objective_in_a_CSharp_14_extension_block_is_refused_at_its_name()
    {
        var source = MarkedSource.Parse("""
            using OptimDsl;
            namespace Demo;
            public static partial class E
            {
                extension(double d)
                {
                    [Objective] public static double [|F|](double x) => x * x;
                }

                [Objective] public static double Fine(double x) => x * x;
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Preview, source.Source);

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.Equal("OPTDSL002", e.Id);
            Assert.Equal(source.Spans.Single(), e.Location.SourceSpan);
            Assert.Contains("extension block of 'E'", e.GetMessage(), StringComparison.Ordinal);
        });
        Assert.Equal(["Demo.E.Fine.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Theory]
    [InlineData("public partial class T { public class var { } [Objective] public static double [|F|](double x) => x * x; }")]
    [InlineData("public partial class T { public class nuint { } [Objective] public static double [|F|](double x, [Data] double y) => x * y; }")]
    [InlineData("public class var { } public partial class T { [Objective] public static double [|F|](double x) => x * x; }")]
    [InlineData("public partial class T<var> { [Objective] public static double [|F|](double x) => x * x; }")]
    [InlineData("public class Base { public class var { } } public partial class T : Base { [Objective] public static double [|F|](double x) => x * x; }")]
    public void A_type_named_like_a_keyword_the_generated_code_uses_is_refused_at_the_objective(string declarations)
    {
        var source = MarkedSource.Parse($$"""
            #pragma warning disable CS8981
            using OptimDsl;
            namespace Demo.Inner
            {
                {{declarations}}
            }
            namespace Other
            {
                public partial class U { [Objective, Adam] public static double Fine(double x) => x * x; }
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Latest, source.Source);

        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OPTDSL002", error.Id);
        Assert.Equal(source.Spans.Single(), error.Location.SourceSpan);
        Assert.Contains("uses as a keyword", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["Other.U.Fine.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Fact]
    public void User_types_named_like_the_runtime_helpers_do_not_disturb_the_generated_code()
    {
        // The generated code calls global::OptimDsl.VectorMath, .Rules, .MinimizeRun, .OptimizerChecks,
        // .ArgumentChecks and .OptimizerLoops, and implements .IGeneratedOptimizer.
        var run = RunCompiling("""
            using OptimDsl;
            namespace Demo;
            public partial class T
            {
                public class OptimDslVectorMath { }
                public class VectorMath { }
                public class Rules { }
                public class MinimizeRun { }
                public class OptimizerChecks { }
                public class ArgumentChecks { }
                public class OptimizerLoops { }
                public interface IGeneratedOptimizer { }
                [Objective, Adam, Sgd] public static double F(double x, [Data] double y) => System.Math.Exp(x * y) + System.Math.Log(x * x + 1);
                [Objective, GradientDescent(LearningRate = 0.25)] public static double G(double x) => (x - 1) * (x - 1);
            }
            public static class Check
            {
                public static double Run()
                {
                    var ys = new double[] { 1, 2, 3, 4, 5 };
                    var g = new double[1];
                    var descent = new T.GGradientDescent(0);
                    descent.Minimize(1);
                    return T.FGradient(new double[] { 0 }, ys, g) * 100 + g[0] + descent.X * 1000;
                }
            }
            """, """
            public class OptimDslVectorMath { }
            """);

        // At x = 0: mean of exp(0) + log(1) = 1; ∂/∂x = mean of y·exp(xy) + 2x/(x² + 1) = 3.
        // One step of gradient descent on (x − 1)² from 0 with η = 0.25: x = 0 − 0.25·(−2) = 0.5.
        Assert.Equal(100 + 3 + 500, Check(run, "Demo.Check"), 1e-12);
    }

    // ---- Fields the generated file cannot see ----------------------------------------------------

    [Fact]
    public void A_field_of_a_file_local_class_is_refused_at_the_reference()
    {
        var source = MarkedSource.Parse("""
            using OptimDsl;
            namespace Demo;
            file static class Config { public static readonly double Scale = 2; }
            public static partial class T
            {
                [Objective] public static double F(double x) => [|Config.Scale|] * x * x;
                [Objective] public static double Fine(double x) => x * x;
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Latest, source.Source);

        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OPTDSL001", error.Id);
        Assert.Equal(source.Spans.Single(), error.Location.SourceSpan);
        Assert.Contains("file-local type 'Config'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["Demo.T.Fine.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Fact]
    public void A_file_local_field_read_by_an_objective_inlined_from_another_file_is_refused_at_the_reference()
    {
        var callee = MarkedSource.Parse("""
            using OptimDsl;
            namespace Demo;
            file static class Config { public static readonly double Scale = 2; }
            public static partial class Lib
            {
                [Objective] public static double Scaled(double x) => [|Config.Scale|] * x;
            }
            """);
        var caller = """
            using OptimDsl;
            namespace Demo;
            public static partial class User
            {
                [Objective, Adam] public static double G(double x) => Lib.Scaled(x) * x;
                [Objective] public static double Fine(double x) => x * x;
            }
            """;

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Latest, callee.Source, caller);

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal("OPTDSL001", e.Id));
        Assert.Contains(errors, e => e.Location.SourceTree!.FilePath == "Source0.cs" && e.Location.SourceSpan == callee.Spans.Single()
            && e.GetMessage().Contains("file-local type 'Config'", StringComparison.Ordinal));
        Assert.Equal(["Demo.User.Fine.g.cs"], GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Fact]
    public void A_field_of_a_class_nested_in_a_file_local_class_is_refused_at_the_reference()
    {
        var source = MarkedSource.Parse("""
            using OptimDsl;
            namespace Demo;
            file static class Outer { public static class Config { public static readonly double Scale = 2; } }
            public static partial class T
            {
                [Objective] public static double F(double x) => x * [|Outer.Config.Scale|];
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(LanguageVersion.Latest, source.Source);

        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OPTDSL001", error.Id);
        Assert.Equal(source.Spans.Single(), error.Location.SourceSpan);
        Assert.Empty(GenerationSupport.HintNames(run));
    }

    [Fact]
    public void A_comment_with_a_Unicode_line_break_in_the_body_stays_a_comment()
    {
        var run = RunCompiling("using OptimDsl;\npublic static partial class T\n{\n    [Objective] public static double F(double x)\n    {\n        /* one\u2028x = 1; two\u2029three\rfour\u0085five */\n        return x * x;\n    }\n}\npublic static class Check { public static double Run() { T.FGradient(3, out var d); return d; } }");

        Assert.Equal(6, Check(run, "Check"));
    }

    // ---- OPTDSL012: the C# version ---------------------------------------------------------------

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp11)]
    public void A_language_version_below_12_gets_OPTDSL012_at_the_objective_and_no_code(LanguageVersion version)
    {
        var source = MarkedSource.Parse("""
            using OptimDsl;
            namespace Demo
            {
                public static partial class T
                {
                    [Objective, Adam]
                    public static double [|F|](double x) { return x * x; }
                }
            }
            """);

        var (run, diagnostics) = RunWithAnalyzer(version, source.Source);

        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OPTDSL012", error.Id);
        Assert.Equal(source.Spans.Single(), error.Location.SourceSpan);
        Assert.Contains("C# 12.0 or later", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains($"C# {version.ToDisplayString()}", error.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(GenerationSupport.HintNames(run));
        Assert.Empty(Errors(run));
    }

    [Fact]
    public void Language_version_12_compiles_the_generated_code()
    {
        var run = RunOn(LanguageVersion.CSharp12, """
            using OptimDsl;
            namespace Demo
            {
                public static partial class T
                {
                    [Objective, Adam, GradientDescent, Sgd]
                    public static double F(double x, [Data] double y) { return System.Math.Exp(x * y); }
                }
                public static class Check
                {
                    public static double Run() { var o = new T.FAdam(1); o.Step(new double[] { 1, 1, 1, 1, 1 }); T.FGradient(0, 2, out var d); return d; }
                }
            }
            """);

        AssertCompiles(run);
        Assert.Equal(["Demo.T.F.g.cs"], GenerationSupport.HintNames(run));
        Assert.Equal(2, Check(run, "Demo.Check"));
    }

    // ---- Support ---------------------------------------------------------------------------------

    private static string CheckTypeIn(string namespaceLine)
    {
        if (namespaceLine.Length == 0)
        {
            return "Check";
        }

        var name = namespaceLine.Substring("namespace ".Length).TrimEnd(';').Replace("@", string.Empty, StringComparison.Ordinal)
            .Replace("\\u0044", "D", StringComparison.Ordinal);
        return name + ".Check";
    }

    /// <summary>Runs the generator with user code and generated code parsed at <paramref name="version"/>, as a project with that LangVersion builds.</summary>
    private static GeneratorRun RunOn(LanguageVersion version, params string[] sources)
    {
        var options = new CSharpParseOptions(version);
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, options, path: $"Source{i}.cs"));
        var compilationOptions = GeneratorHarness.CompilationOptions.WithAllowUnsafe(true);
        if (version < LanguageVersion.CSharp8)
        {
            compilationOptions = compilationOptions.WithNullableContextOptions(NullableContextOptions.Disable);
        }

        var compilation = CSharpCompilation.Create("TestAssembly", trees, GeneratorHarness.References, compilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ObjectiveGenerator().AsSourceGenerator()],
            parseOptions: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return GeneratorRun.Start(driver, compilation);
    }

    private static (GeneratorRun Run, ImmutableArray<Diagnostic> Analyzer) RunWithAnalyzer(LanguageVersion version, params string[] sources)
    {
        var run = RunOn(version, sources);
        Assert.Null(run.Result.Exception);
        var analyzer = run.InputCompilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ObjectiveAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        AssertNothingInGeneratedFiles(run);
        return (run, analyzer);
    }

    /// <summary>Runs at the latest C# and asserts: no exception, no CS8785, zero errors, no warning or error in a generated file.</summary>
    private static GeneratorRun RunCompiling(string source, bool expectErrors = false) => RunCompiling([source], expectErrors, []);

    private static GeneratorRun RunCompiling(params string[] sources) => RunCompiling(sources, expectErrors: false, []);

    private static GeneratorRun RunCompiling(string[] sources, bool expectErrors, string[] allowWarnings)
    {
        var run = RunOn(LanguageVersion.Latest, sources);
        if (!expectErrors)
        {
            AssertCompiles(run, allowWarnings);
        }
        else
        {
            Assert.Null(run.Result.Exception);
            AssertNothingInGeneratedFiles(run, allowWarnings);
        }

        return run;
    }

    private static void AssertCompiles(GeneratorRun run, string[]? allowWarnings = null)
    {
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
        var errors = Errors(run);
        Assert.True(errors.IsEmpty, GeneratorRun.Format(errors) + Environment.NewLine + string.Join(Environment.NewLine, run.GeneratedSources.Select(s => s.SourceText.ToString())));
        AssertNothingInGeneratedFiles(run, allowWarnings);
    }

    private static ImmutableArray<Diagnostic> Errors(GeneratorRun run)
        => [.. run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];

    private static void AssertNothingInGeneratedFiles(GeneratorRun run, string[]? allowWarnings = null)
    {
        var generated = run.RunResult.GeneratedTrees.ToHashSet();
        var inGenerated = run.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .Where(d => allowWarnings is null || !allowWarnings.Contains(d.Id))
            .ToArray();
        Assert.True(inGenerated.Length == 0, GeneratorRun.Format(inGenerated));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
    }

    private static double Check(GeneratorRun run, string type = "Demo.Check")
    {
        using var loaded = run.Load();
        return (double)loaded.Invoke(type, "Run")!;
    }
}
