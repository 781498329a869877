using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Whole run (issue 5, item 5): Adam on Rosenbrock from (−1.2, 1) for 10,000 steps (tolerance 0, so
// every step is made), the generated Minimize against a hand-written loop with a hand-written gradient.

[MemoryDiagnoser]
public class MinimizeBenchmarks
{
    public const int Iterations = 10_000;

    [Benchmark]
    public double Generated()
    {
        var adam = new Objectives.RosenbrockAdam(x: -1.2, y: 1.0);
        var result = adam.Minimize(Iterations, tolerance: 0);
        return result.Loss + adam.X + adam.Y;
    }

    /// <summary>
    /// The same algorithm, written by hand (<see cref="HandWritten.AdamOnRosenbrock"/>): no finiteness
    /// checks or rollback copy (the generated run has them).
    /// </summary>
    [Benchmark(Baseline = true)]
    public double HandWrittenLoop() => HandWritten.AdamOnRosenbrock(Iterations);
}
