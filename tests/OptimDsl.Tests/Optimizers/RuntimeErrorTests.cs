using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// README, Optimizers: bad arguments throw ArgumentException / ArgumentOutOfRangeException naming the argument,
/// and a refused call leaves the optimizer as it was (parameters, Iteration, hyperparameters, and the
/// hidden state: moments, epoch position — checked by stepping on next to an untouched copy).
/// </summary>
public sealed class RuntimeErrorTests
{
    /// <summary>
    /// How each optimizer under test is made and advanced to a non-trivial state, what is observable of
    /// it, and one valid step. Data: x0, x1, y hold 10 samples; e is empty, s holds 9, l holds 11.
    /// </summary>
    private static readonly Dictionary<string, (string Create, string Snapshot, string ValidStep)> Optimizers = new()
    {
        ["GradientDescent"] = ("var o = new P.RosenbrockGradientDescent(-1.2, 1.0); o.Step(); o.Step();", "o.X, o.Y, o.Iteration, o.LearningRate", "o.Step();"),
        ["Adam"] = ("var o = new P.RosenbrockAdam(-1.2, 1.0); o.Beta1 = 0.8; o.Step(); o.Step();", "o.X, o.Y, o.Iteration, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon", "o.Step();"),
        ["GradientDescent with data"] = ("var o = new P.LeastSquaresGradientDescent(0.1, 0.2, 0.3); o.Step(x0, x1, y);", "o.W0, o.W1, o.B, o.Iteration, o.LearningRate", "o.Step(x0, x1, y);"),
        ["Adam with data"] = ("var o = new P.LeastSquaresAdam(0.1, 0.2, 0.3); o.Step(x0, x1, y);", "o.W0, o.W1, o.B, o.Iteration, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon", "o.Step(x0, x1, y);"),
        // Three steps of 3 into an epoch of 10 samples: a refused call must not move the epoch position.
        ["Sgd"] = ("var o = new P.LeastSquaresSgd(0.1, 0.2, 0.3); o.BatchSize = 3; o.Step(x0, x1, y); o.Step(x0, x1, y); o.Step(x0, x1, y);", "o.W0, o.W1, o.B, o.Iteration, o.LearningRate, o.BatchSize, o.Seed", "o.Step(x0, x1, y);"),
    };

    private static readonly Type Range = typeof(ArgumentOutOfRangeException);
    private static readonly Type Argument = typeof(ArgumentException);

    /// <summary>(optimizer, the refused call, the exception type, the expected ParamName: alternatives separated by '|').</summary>
    private static readonly (string Optimizer, string Action, Type Exception, string ParamName)[] Cases =
    [
        ("GradientDescent", "o.LearningRate = 0;", Range, "LearningRate"),
        ("GradientDescent", "o.LearningRate = -0.5;", Range, "LearningRate"),
        ("GradientDescent", "o.LearningRate = double.NaN;", Range, "LearningRate"),
        ("GradientDescent", "o.LearningRate = double.PositiveInfinity;", Range, "LearningRate"),
        ("GradientDescent", "o.LearningRate = double.NegativeInfinity;", Range, "LearningRate"),
        ("GradientDescent", "o.Minimize(0);", Range, "maxIterations"),
        ("GradientDescent", "o.Minimize(-3, 1e-8);", Range, "maxIterations"),
        ("GradientDescent", "o.Minimize(10, -1e-9);", Range, "tolerance"),
        ("GradientDescent", "o.Minimize(10, double.NaN);", Range, "tolerance"),
        ("GradientDescent", "o.Minimize(10, double.NegativeInfinity);", Range, "tolerance"),
        ("GradientDescent", "var c = new Counter(); o.Minimize(0, 1e-8, ref c);", Range, "maxIterations"),
        ("GradientDescent", "var c = new Counter(); o.Minimize(5, double.NaN, ref c);", Range, "tolerance"),
        ("Adam", "o.LearningRate = 0;", Range, "LearningRate"),
        ("Adam", "o.LearningRate = double.NaN;", Range, "LearningRate"),
        ("Adam", "o.LearningRate = double.PositiveInfinity;", Range, "LearningRate"),
        ("Adam", "o.Beta1 = 1;", Range, "Beta1"),
        ("Adam", "o.Beta1 = 1.5;", Range, "Beta1"),
        ("Adam", "o.Beta1 = -1e-3;", Range, "Beta1"),
        ("Adam", "o.Beta1 = double.NaN;", Range, "Beta1"),
        ("Adam", "o.Beta2 = 1;", Range, "Beta2"),
        ("Adam", "o.Beta2 = -0.5;", Range, "Beta2"),
        ("Adam", "o.Beta2 = double.NaN;", Range, "Beta2"),
        ("Adam", "o.Epsilon = 0;", Range, "Epsilon"),
        ("Adam", "o.Epsilon = -1e-8;", Range, "Epsilon"),
        ("Adam", "o.Epsilon = double.NaN;", Range, "Epsilon"),
        ("Adam", "o.Minimize(0);", Range, "maxIterations"),
        ("Adam", "o.Minimize(5, -1);", Range, "tolerance"),
        ("Adam", "var c = new Counter(); o.Minimize(int.MinValue, 1e-8, ref c);", Range, "maxIterations"),
        ("GradientDescent with data", "o.LearningRate = double.NaN;", Range, "LearningRate"),
        ("GradientDescent with data", "o.Step(e, e, e);", Argument, "x0"),
        ("GradientDescent with data", "o.Step(x0, x1, s);", Argument, "y"),
        ("GradientDescent with data", "o.Step(x0, l, y);", Argument, "x1"),
        ("GradientDescent with data", "o.Step(s, x1, y);", Argument, "x0|x1|y"),
        ("GradientDescent with data", "o.Minimize(x0, x1, s, 5);", Argument, "y"),
        ("GradientDescent with data", "o.Minimize(e, e, e, 5);", Argument, "x0"),
        ("GradientDescent with data", "o.Minimize(x0, x1, y, 0);", Range, "maxIterations"),
        ("GradientDescent with data", "var c = new Counter(); o.Minimize(x0, e, y, 5, 1e-8, ref c);", Argument, "x1"),
        ("Adam with data", "o.Beta2 = 1;", Range, "Beta2"),
        ("Adam with data", "o.Step(e, e, e);", Argument, "x0"),
        ("Adam with data", "o.Step(x0, s, y);", Argument, "x1"),
        ("Adam with data", "o.Step(x0, x1, l);", Argument, "y"),
        ("Adam with data", "o.Minimize(x0, x1, s, 5);", Argument, "y"),
        ("Adam with data", "o.Minimize(e, e, e, 5);", Argument, "x0"),
        ("Adam with data", "o.Minimize(x0, x1, y, 5, double.NaN);", Range, "tolerance"),
        ("Sgd", "o.BatchSize = 0;", Range, "BatchSize"),
        ("Sgd", "o.BatchSize = -4;", Range, "BatchSize"),
        ("Sgd", "o.BatchSize = int.MinValue;", Range, "BatchSize"),
        ("Sgd", "o.LearningRate = -1;", Range, "LearningRate"),
        ("Sgd", "o.LearningRate = double.PositiveInfinity;", Range, "LearningRate"),
        ("Sgd", "o.Step(e, e, e);", Argument, "x0"),
        ("Sgd", "o.Step(x0, s, y);", Argument, "x1"),
        ("Sgd", "o.Step(x0, x1, l);", Argument, "y"),
        ("Sgd", "o.Step(x0, x1, e);", Argument, "y"),
        ("Sgd", "o.Minimize(x0, x1, y, 0);", Range, "maxIterations"),
        ("Sgd", "o.Minimize(x0, x1, y, 5, -1);", Range, "tolerance"),
        ("Sgd", "o.Minimize(e, e, e, 5);", Argument, "x0"),
        ("Sgd", "o.Minimize(x0, s, y, 5);", Argument, "x1"),
        ("Sgd", "var c = new Counter(); o.Minimize(x0, x1, l, 5, 1e-8, ref c);", Argument, "y"),
    ];

    /// <summary>
    /// The driver's part of the shared compilation: Error{i}() makes the optimizer, takes a copy (the
    /// twin), makes the refused call on the original, then steps both three times.
    /// </summary>
    internal static string DriverCode
    {
        get
        {
            var text = new StringBuilder("""
                using System;
                using OptimDsl;

                namespace Opt;

                public static partial class Driver
                {
                """);
            text.AppendLine();
            for (var i = 0; i < Cases.Length; i++)
            {
                var (create, snapshot, validStep) = Optimizers[Cases[i].Optimizer];
                text.AppendLine($$"""
                        public static (Exception? Error, double[] Before, double[] After, double[] Stepped, double[] TwinStepped) Error{{i}}()
                        {
                            double[] x0 = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
                            double[] x1 = [1.0, -1.0, 0.5, -0.5, 0.25, -0.25, 2.0, -2.0, 0.0, 1.5];
                            double[] y = [1.0, 2.0, 3.0, 2.5, 1.5, 0.5, -1.0, 0.0, 1.0, 2.0];
                            double[] e = [], s = new double[9], l = new double[11];
                            {{create}}
                            var twin = o;
                            double[] before = [{{snapshot}}];
                            Exception? error = null;
                            try
                            {
                                {{Cases[i].Action}}
                            }
                            catch (Exception caught)
                            {
                                error = caught;
                            }
                            double[] after = [{{snapshot}}];
                            {{validStep}} {{validStep}} {{validStep}}
                            double[] stepped = [{{snapshot}}];
                            o = twin;
                            {{validStep}} {{validStep}} {{validStep}}
                            return (error, before, after, stepped, [{{snapshot}}]);
                        }

                    """);
            }

            text.AppendLine("}");
            return text.ToString();
        }
    }

    public static TheoryData<int, string, string> ErrorCases
    {
        get
        {
            var cases = new TheoryData<int, string, string>();
            for (var i = 0; i < Cases.Length; i++)
            {
                cases.Add(i, Cases[i].Optimizer, Cases[i].Action);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void A_bad_argument_throws_naming_it_and_changes_nothing(int index, string optimizer, string action)
    {
        var expected = Cases[index];
        var (error, before, after, stepped, twinStepped) =
            Objectives.Driver.Call<(Exception?, double[], double[], double[], double[])>($"Error{index}");

        Assert.True(error is not null, $"{optimizer}: `{action}` did not throw");
        if (expected.Exception == Range)
        {
            Assert.IsType<ArgumentOutOfRangeException>(error);
        }
        else
        {
            Assert.IsAssignableFrom<ArgumentException>(error);
        }

        var paramName = ((ArgumentException)error).ParamName;
        Assert.True(
            expected.ParamName.Split('|').Contains(paramName),
            $"{optimizer}: `{action}` threw {error.GetType().Name} with ParamName '{paramName}', expected '{expected.ParamName}': {error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        Compare.Bits(before, after, $"{optimizer} state (parameters, Iteration, hyperparameters) after `{action}`");
        Compare.Bits(twinStepped, stepped, $"{optimizer} three steps after `{action}`, against an untouched copy");
    }
}
