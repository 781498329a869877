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

    private static void Verify(string[] sources, string[] expectedHintNames, [CallerMemberName] string testMethod = "")
    {
        var run = GenerationSupport.Run(sources);

        GenerationSupport.AssertCleanRun(run);
        Assert.Equal(expectedHintNames, GenerationSupport.HintNames(run));
        Snapshot.Match(run, testMethod: testMethod);
    }
}
