using System;
using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// README, Performance: the plain <c>Minimize(maxIterations, tolerance)</c> of an optimizer whose θ is one vector (2 or 4
/// doubles, no data) runs on a copy in registers (<c>OptimizerLoops.MinimizeInRegisters</c>), with the norm, the finiteness
/// checks and the clipping read as whole vectors. It must be the same run as the overload with an observer, which keeps the
/// loop over views of the optimizer: the same result, parameters, iteration and state (the next <c>Step</c> gives the same
/// loss and parameters), bit for bit, with clipping on, through a divergence and through both fallbacks of the norm (squares
/// that underflow and squares that overflow).
/// </summary>
public sealed class RegisterMinimizeTests
{
    private static readonly (string Name, string Start)[] Cases =
    [
        ("BoothAdam", "0, 0"), ("BoothSgd", "0, 0"), ("BoothLion", "0, 0"), ("BoothRprop", "0, 0"), ("BoothRmsProp", "0, 0"),
        ("QuarticAdam", "3, 1, -2, 4"), ("QuarticAdaDelta", "3, 1, -2, 4"), ("QuarticNAdam", "3, 1, -2, 4"), ("QuarticGradientDescent", "3, 1, -2, 4"),
        ("SteepGradientDescent", "1, 1"), ("TinyGradientDescent", "0.5, -0.25"), ("HugeAdam", "1, -2, 3, -4"),
    ];

    private static string Source => """
        using System;
        using System.Linq;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, Adam(LearningRate = 0.05, ClipNorm = 1, ClipValue = 2), Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true),
             Lion(LearningRate = 0.01), Rprop, RmsProp(LearningRate = 0.01, Centered = true, Momentum = 0.5)]
            public static double Booth(double x, double y) => Math.Pow(x + 2 * y - 7, 2) + Math.Pow(2 * x + y - 5, 2);

            [Objective, Adam(LearningRate = 0.02, ClipValue = 0.5), AdaDelta, NAdam(LearningRate = 0.01), GradientDescent(LearningRate = 0.01, ClipNorm = 3)]
            public static double Quartic(double a, double b, double c, double d)
                => Math.Pow(a - 1, 4) + Math.Pow(b + 2, 2) + (c - d) * (c - d) + Math.Cosh(d - 0.5) + a * b * 0.1;

            [Objective, GradientDescent(LearningRate = 0.3)]
            public static double Steep(double x, double y) => Math.Exp(x * x + y * y);

            [Objective, GradientDescent(LearningRate = 1e299)]
            public static double Tiny(double x, double y) => 1e-300 * (x * x + y * y);

            [Objective, Adam(LearningRate = 0.1)]
            public static double Huge(double x, double y, double z, double w) => 1e200 * (x * x + y * y + z * z + w * w);
        }

        public static class Driver
        {
            // The register run and the observer run from the same start: per run its result, iteration and θ, then the next
            // Step's loss and θ.
            public static double[][] Both(string name, int maxIterations, double tolerance)
            {
                var none = new NoObserver();
                switch (name)
                {
        {{CASES}}
                    default: throw new ArgumentException(name);
                }
            }

            private static double[] Row(OptimizationResult result, long iteration, double[] before, double loss, double[] after)
                => new double[] { (double)result.Status, result.Iterations, result.Loss, result.GradientNorm, iteration, loss }.Concat(before).Concat(after).ToArray();
        }
        """.Replace("{{CASES}}", string.Join("\n", Cases.Select(c =>
            $"case \"{c.Name}\": {{ var a = new P.{c.Name}({c.Start}); var b = a; var ra = a.Minimize(maxIterations, tolerance); var rb = b.Minimize(maxIterations, tolerance, ref none); " +
            "return new[] { Row(ra, a.Iteration, a.Parameters.ToArray(), a.Step(), a.Parameters.ToArray()), Row(rb, b.Iteration, b.Parameters.ToArray(), b.Step(), b.Parameters.ToArray()) }; }")));

    private static readonly Lazy<CompiledDriver> Driver = new(() => CompiledDriver.Compile(Source));

    [Theory]
    [InlineData("BoothAdam", 300, 1e-9)]
    [InlineData("BoothSgd", 300, 1e-9)]
    [InlineData("BoothLion", 300, 1e-9)]
    [InlineData("BoothRprop", 300, 1e-9)]
    [InlineData("BoothRmsProp", 300, 1e-9)]
    [InlineData("QuarticAdam", 300, 1e-9)]
    [InlineData("QuarticAdaDelta", 300, 1e-9)]
    [InlineData("QuarticNAdam", 300, 1e-9)]
    [InlineData("QuarticGradientDescent", 300, 1e-9)]
    [InlineData("SteepGradientDescent", 50, 0)]
    [InlineData("TinyGradientDescent", 5, 0)]
    [InlineData("HugeAdam", 20, 0)]
    public void The_run_in_registers_is_the_run_with_an_observer_bit_for_bit(string name, int maxIterations, double tolerance)
    {
        var rows = Driver.Value.Call<double[][]>("Both", name, maxIterations, tolerance);
        Assert.Equal(rows[1].Length, rows[0].Length);
        for (int k = 0; k < rows[0].Length; k++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(rows[1][k]) == BitConverter.DoubleToInt64Bits(rows[0][k]), $"{name}: value {k}: {rows[0][k]:R} in registers, {rows[1][k]:R} with an observer");
        }

        Assert.True(rows[0][1] > 0, "the run made updates");
        if (name == "SteepGradientDescent")
        {
            Assert.Equal((double)OptimizationStatus.Diverged, rows[0][0]);
        }
    }
}
