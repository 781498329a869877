using System;
using System.Threading.Tasks;
using OptimDsl.CodeFixes;
using Xunit;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// The code fixes, before and after. Each test with several diagnostics in one document also checks
/// Fix all: the testing library applies the fix one diagnostic at a time and as Fix all in the
/// document, project and solution, and expects the same result from each.
/// </summary>
public sealed class CodeFixTests
{
    // ---- OPTDSL002: make the type partial -----------------------------------------------------------

    [Fact]
    public async Task Make_partial_adds_partial_after_the_other_modifiers()
    {
        var test = new CodeFixTest<MakeTypePartialCodeFix>(
            """
            using OptimDsl;

            public static class {|OPTDSL002:Problems|}
            {
                [Objective]
                public static double M(double x) => x * x;
            }
            """,
            """
            using OptimDsl;

            public static partial class Problems
            {
                [Objective]
                public static double M(double x) => x * x;
            }
            """,
            MakeTypePartialCodeFix.EquivalenceKey);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Make 'Problems' partial", action.Title);
        await test.RunAsync();
    }

    [Fact]
    public async Task Make_partial_keeps_indentation_and_attributes_of_a_type_without_modifiers()
    {
        var test = new CodeFixTest<MakeTypePartialCodeFix>(
            """
            using System;
            using OptimDsl;

            namespace Demo
            {
                /// <summary>Docs.</summary>
                [Serializable]
                class {|OPTDSL002:Problems|}
                {
                    [Objective]
                    public static double M(double x) => x * x;
                }
            }
            """,
            """
            using System;
            using OptimDsl;

            namespace Demo
            {
                /// <summary>Docs.</summary>
                [Serializable]
                partial class Problems
                {
                    [Objective]
                    public static double M(double x) => x * x;
                }
            }
            """,
            MakeTypePartialCodeFix.EquivalenceKey);
        await test.RunAsync();
    }

    [Fact]
    public async Task Make_partial_puts_partial_right_before_struct_and_record()
    {
        var test = new CodeFixTest<MakeTypePartialCodeFix>(
            """
            using OptimDsl;

            public readonly struct {|OPTDSL002:Point|}
            {
                [Objective]
                public static double M(double x) => x * x;
            }

            public ref struct {|OPTDSL002:Span|}
            {
                [Objective]
                public static double N(double x) => x * x;
            }

            public sealed record {|OPTDSL002:Model|}(double A)
            {
                [Objective]
                public static double P(double x) => x * x;
            }

            public record struct {|OPTDSL002:Pair|}
            {
                [Objective]
                public static double Q(double x) => x * x;
            }
            """,
            """
            using OptimDsl;

            public readonly partial struct Point
            {
                [Objective]
                public static double M(double x) => x * x;
            }

            public ref partial struct Span
            {
                [Objective]
                public static double N(double x) => x * x;
            }

            public sealed partial record Model(double A)
            {
                [Objective]
                public static double P(double x) => x * x;
            }

            public partial record struct Pair
            {
                [Objective]
                public static double Q(double x) => x * x;
            }
            """,
            MakeTypePartialCodeFix.EquivalenceKey);
        await test.RunAsync();
    }

    [Fact]
    public async Task Make_partial_fixes_every_containing_type_at_once_and_fix_all_agrees()
    {
        var test = new CodeFixTest<MakeTypePartialCodeFix>(
            """
            using OptimDsl;

            public class {|OPTDSL002:Outer|}
            {
                public partial class Middle
                {
                    public static class {|OPTDSL002:Inner|}
                    {
                        [Objective]
                        public static double M(double x) => x * x;
                    }
                }
            }

            internal static class {|OPTDSL002:Other|}
            {
                [Objective]
                public static double N(double x) => x * x;
            }
            """,
            """
            using OptimDsl;

            public partial class Outer
            {
                public partial class Middle
                {
                    public static partial class Inner
                    {
                        [Objective]
                        public static double M(double x) => x * x;
                    }
                }
            }

            internal static partial class Other
            {
                [Objective]
                public static double N(double x) => x * x;
            }
            """,
            MakeTypePartialCodeFix.EquivalenceKey);

        // One at a time, the library fixes 'Outer' first (alone), then 'Inner', then 'Other'; Fix all
        // fixes 'Outer' from both of its diagnostics, which make the same change, once.
        test.NumberOfIncrementalIterations = 3;
        await test.RunAsync();
    }

    [Fact]
    public async Task Make_partial_names_every_type_it_changes()
    {
        var titles = await DiagnosticTests.CodeFixTitlesAsync(new MakeTypePartialCodeFix(), """
            using OptimDsl;

            public class Outer
            {
                public static class Inner
                {
                    [Objective]
                    public static double M(double x) => x * x;
                }
            }
            """);

        Assert.Equal(["Make 'Outer' partial", "Make 'Outer' and 'Inner' partial"], titles);
    }

    // ---- OPTDSL002: make the objective static --------------------------------------------------------

    [Fact]
    public async Task Make_static_adds_static_after_the_accessibility()
    {
        var test = new CodeFixTest<MakeObjectiveStaticCodeFix>(
            """
            using OptimDsl;

            public partial class Problems
            {
                [Objective]
                protected internal double {|OPTDSL002:M|}(double x) => x * x;
            }
            """,
            """
            using OptimDsl;

            public partial class Problems
            {
                [Objective]
                protected internal static double M(double x) => x * x;
            }
            """,
            MakeObjectiveStaticCodeFix.EquivalenceKey);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Make objective 'M' static", action.Title);
        await test.RunAsync();
    }

    [Fact]
    public async Task Make_static_fix_all_handles_every_layout()
    {
        await new CodeFixTest<MakeObjectiveStaticCodeFix>(
            """
            using OptimDsl;

            public partial class Problems
            {
                [Objective]
                double {|OPTDSL002:A|}(double x) => x * x;

                [Objective] double {|OPTDSL002:B|}(double x) => x * x;

                [Objective]
                unsafe double {|OPTDSL002:C|}(double x) => x * x;

                /// <summary>Docs.</summary>
                [Objective]
                public double {|OPTDSL002:D|}(double x)
                {
                    var y = x * x;
                    return y;
                }
            }
            """,
            """
            using OptimDsl;

            public partial class Problems
            {
                [Objective]
                static double A(double x) => x * x;

                [Objective] static double B(double x) => x * x;

                [Objective]
                static unsafe double C(double x) => x * x;

                /// <summary>Docs.</summary>
                [Objective]
                public static double D(double x)
                {
                    var y = x * x;
                    return y;
                }
            }
            """,
            MakeObjectiveStaticCodeFix.EquivalenceKey).RunAsync();
    }

    [Fact]
    public async Task Make_static_is_not_offered_for_other_shape_problems()
    {
        const string Source = """
            using OptimDsl;

            public static partial class Problems
            {
                [Objective]
                public static double {|OPTDSL002:M|}<T>(double x) => x * x;
            }
            """;
        await new CodeFixTest<MakeObjectiveStaticCodeFix>(Source, Source, MakeObjectiveStaticCodeFix.EquivalenceKey).RunAsync();
    }

    // ---- OPTDSL004: add [Objective] ------------------------------------------------------------------

    [Fact]
    public async Task Optimizer_without_objective_offers_to_add_objective_or_remove_the_attribute()
    {
        var titles = await DiagnosticTests.CodeFixTitlesAsync(new OptimizerWithoutObjectiveCodeFix(), """
            using OptimDsl;

            public static partial class Problems
            {
                [OptimDsl.SgdAttribute(BatchSize = 2)]
                public static double M(double x) => x * x;
            }
            """);

        Assert.Equal(["Add [Objective] to 'M' (generates its gradient and optimizers)", "Remove [Sgd] from 'M'"], titles);
    }

    [Theory]
    [InlineData("AdamW")]
    [InlineData("RmsProp(Centered = true)")]
    [InlineData("Lion")]
    [InlineData("Rprop(EtaPlus = 1.5)")]
    public async Task Add_objective_is_offered_for_every_optimizer_of_the_catalogue(string attribute)
    {
        var test = new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            $$"""
            using OptimDsl;

            public static partial class Problems
            {
                [{|OPTDSL004:{{attribute}}|}]
                public static double M(double x) => x * x;
            }
            """,
            $$"""
            using OptimDsl;

            public static partial class Problems
            {
                [Objective, {{attribute}}]
                public static double M(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.AddObjectiveKey);
        await test.RunAsync();
    }

    [Fact]
    public async Task Add_objective_puts_it_first_in_the_optimizer_attribute_list()
    {
        var test = new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Obsolete]
                [{|OPTDSL004:Adam(LearningRate = 0.1)|}]
                public static double M(double x) => x * x;
            }
            """,
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Obsolete]
                [Objective, Adam(LearningRate = 0.1)]
                public static double M(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.AddObjectiveKey);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Add [Objective] to 'M' (generates its gradient and optimizers)", action.Title);
        await test.RunAsync();
    }

    [Fact]
    public async Task Add_objective_writes_it_the_way_the_optimizer_attribute_is_written()
    {
        await new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using A = OptimDsl.AdamAttribute;

            public static partial class Problems
            {
                [{|OPTDSL004:OptimDsl.Adam|}]
                public static double Qualified(double x) => x * x;

                [{|OPTDSL004:global::OptimDsl.GradientDescentAttribute(LearningRate = 0.5)|}]
                public static double GlobalWithSuffix(double x) => x * x;

                [{|OPTDSL004:A|}]
                public static double Aliased(double x) => x * x;
            }
            """,
            """
            using A = OptimDsl.AdamAttribute;

            public static partial class Problems
            {
                [OptimDsl.Objective, OptimDsl.Adam]
                public static double Qualified(double x) => x * x;

                [global::OptimDsl.ObjectiveAttribute, global::OptimDsl.GradientDescentAttribute(LearningRate = 0.5)]
                public static double GlobalWithSuffix(double x) => x * x;

                [global::OptimDsl.Objective, A]
                public static double Aliased(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.AddObjectiveKey).RunAsync();
    }

    [Fact]
    public async Task Add_objective_fix_all_adds_it_once_per_method()
    {
        var test = new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using OptimDsl;

            public static partial class Problems
            {
                [{|OPTDSL004:GradientDescent|}]
                [{|OPTDSL004:Adam|}]
                public static double M(double x) => x * x;

                [{|OPTDSL004:Adam|}, {|OPTDSL004:Sgd|}]
                public static double N(double w, [Data] double t) => (w - t) * (w - t);
            }
            """,
            """
            using OptimDsl;

            public static partial class Problems
            {
                [Objective, GradientDescent]
                [Adam]
                public static double M(double x) => x * x;

                [Objective, Adam, Sgd]
                public static double N(double w, [Data] double t) => (w - t) * (w - t);
            }
            """,
            OptimizerWithoutObjectiveCodeFix.AddObjectiveKey);
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync();
    }

    // ---- OPTDSL004: remove the optimizer attribute --------------------------------------------------

    [Fact]
    public async Task Remove_attribute_removes_its_list_when_it_was_alone()
    {
        var test = new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using OptimDsl;

            public static partial class Problems
            {
                /// <summary>Docs.</summary>
                [{|OPTDSL004:Adam(LearningRate = 0.1)|}]
                public static double M(double x) => x * x;
            }
            """,
            """
            using OptimDsl;

            public static partial class Problems
            {
                /// <summary>Docs.</summary>
                public static double M(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.RemoveAttributeKey);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Remove [Adam] from 'M'", action.Title);
        await test.RunAsync();
    }

    [Fact]
    public async Task Remove_attribute_fix_all_handles_every_layout()
    {
        await new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Obsolete, {|OPTDSL004:Adam|}]
                public static double A(double x) => x * x;

                [{|OPTDSL004:Sgd|}, Obsolete]
                public static double B(double x) => x * x;

                [Obsolete]
                [{|OPTDSL004:GradientDescent|}]
                public static double C(double x) => x * x;

                [{|OPTDSL004:OptimDsl.Adam|}] public static double D(double x) => x * x;

                [{|OPTDSL004:Adam|}][Obsolete]
                public static double E(double x) => x * x;
            }
            """,
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Obsolete]
                public static double A(double x) => x * x;

                [Obsolete]
                public static double B(double x) => x * x;

                [Obsolete]
                public static double C(double x) => x * x;

                public static double D(double x) => x * x;

                [Obsolete]
                public static double E(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.RemoveAttributeKey).RunAsync();
    }

    [Fact]
    public async Task Remove_attribute_fix_all_removes_several_from_one_list()
    {
        await new CodeFixTest<OptimizerWithoutObjectiveCodeFix>(
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [{|OPTDSL004:GradientDescent|}, {|OPTDSL004:Adam|}, Obsolete, {|OPTDSL004:Sgd|}]
                public static double A(double x) => x * x;

                [{|OPTDSL004:Adam|}, {|OPTDSL004:Sgd|}]
                public static double B(double x) => x * x;
            }
            """,
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                [Obsolete]
                public static double A(double x) => x * x;

                public static double B(double x) => x * x;
            }
            """,
            OptimizerWithoutObjectiveCodeFix.RemoveAttributeKey).RunAsync();
    }

    [Fact]
    public async Task Divide_as_doubles_makes_an_integer_literal_a_double_and_casts_a_constant()
    {
        var test = new CodeFixTest<DivideAsDoublesCodeFix>(
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                private const int N = 7;

                [Objective]
                public static double M(double x) => {|OPTDSL011:1 / 2|} * x * x + x * ({|OPTDSL011:N / 2|}) + Math.Pow(x, {|OPTDSL011:(N + 1) / 3|});
            }
            """,
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                private const int N = 7;

                [Objective]
                public static double M(double x) => 1.0 / 2 * x * x + x * ((double)N / 2) + Math.Pow(x, (double)(N + 1) / 3);
            }
            """,
            DivideAsDoublesCodeFix.EquivalenceKey);
        test.CodeActionVerifier = (action, verifier) => verifier.True(action.Title.StartsWith("Divide as doubles: '", StringComparison.Ordinal), action.Title);
        await test.RunAsync();
    }

    [Fact]
    public async Task Divide_as_floats_in_a_float_objective()
    {
        var test = new CodeFixTest<DivideAsDoublesCodeFix>(
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                private const int N = 7;

                [Objective]
                public static float M(float x) => {|OPTDSL011:1 / 2|} * x * x + x * ({|OPTDSL011:N / 2|});
            }
            """,
            """
            using System;
            using OptimDsl;

            public static partial class Problems
            {
                private const int N = 7;

                [Objective]
                public static float M(float x) => 1f / 2 * x * x + x * ((float)N / 2);
            }
            """,
            DivideAsDoublesCodeFix.EquivalenceKey);
        test.CodeActionVerifier = (action, verifier) => verifier.True(action.Title.StartsWith("Divide as floats: '", StringComparison.Ordinal), action.Title);
        await test.RunAsync();
    }
}
