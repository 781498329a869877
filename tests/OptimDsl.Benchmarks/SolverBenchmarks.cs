using System;
using System.Collections.Generic;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace OptimDsl.Benchmarks;

// The solver benchmarks of issue 12 (README.md beside this file, "Issue 12: solvers"). Objectives in SolverObjectives.cs.
//   DecayFitBenchmarks: y = a·exp(−k·t) + c, 200 points, from (1, 1, 0) until Minimize's test ‖∇f‖₂ ≤ 1e-10
//     (the same rule for all three): [LevenbergMarquardt], [Lbfgs], Adam at its tuned rate (baseline).
//     Target: LM ≥ 20× faster than Adam. SolverWork and RunsPasses split LM's run into its solver and its passes.
//   NormalEquationsWidthBenchmarks: one LM pass with 8 and with 12 parameters (which passes run four samples at a time).
//   RosenbrockBenchmarks: from (−1.2, 1) until ‖∇f‖₂ ≤ 1e-9: [Lbfgs] vs Adam at its tuned rate (baseline).
//   LogisticRegressionSolverBenchmarks: 100 features × 2^16 samples, mean log-loss, no regularisation:
//     ML.NET's LbfgsLogisticRegression Fit (baseline) vs OptimDsl's [Lbfgs] run until its loss is at most
//     the loss ML.NET's model reaches (computed here from the model's weights and bias). Target: OptimDsl faster.
// "Tuned Adam": each [GlobalSetup] runs Adam at every rate of AdamRates with the benchmark's stopping rule, prints
// the iterations, and keeps the rate that converges in the fewest iterations (every iteration costs the same, so
// that is the fastest). Each [GlobalSetup] prints every variant's iterations and final loss, and throws if a variant
// does not end where the benchmark says (converged, or at the target loss).

/// <summary>One <c>Minimize(…, maxIterations: 1, …)</c> call on <paramref name="optimizer"/>.</summary>
public delegate OptimizationResult MinimizeOne<TOptimizer>(ref TOptimizer optimizer);

/// <summary>What the solver benchmarks share: Adam's rate grid and its tuning.</summary>
public static class SolverTuning
{
    /// <summary>The learning rates tried for Adam: the brief's grid, widened by one value at each end.</summary>
    public static readonly double[] AdamRates = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

    /// <summary>
    /// Runs <paramref name="run"/> (rate → result) at every rate of <see cref="AdamRates"/>, prints each, and returns the
    /// rate that converged in the fewest iterations; throws if none converged.
    /// </summary>
    public static double TuneAdam(string what, Func<double, OptimizationResult> run)
    {
        double best = double.NaN;
        long bestIterations = long.MaxValue;
        foreach (double rate in AdamRates)
        {
            var clock = Stopwatch.StartNew();
            OptimizationResult result = run(rate);
            clock.Stop();
            Console.WriteLine($"// {what}: Adam rate {rate,5}: {result.Status,-14} {result.Iterations,7} iterations, loss {result.Loss:R}, ‖g‖ {result.GradientNorm:E2}, {clock.Elapsed.TotalMilliseconds:F2} ms (untimed setup run)");
            if (result.Status == OptimizationStatus.Converged && result.Iterations < bestIterations)
            {
                (best, bestIterations) = (rate, result.Iterations);
            }
        }

        if (double.IsNaN(best))
        {
            throw new InvalidOperationException($"{what}: Adam converged at no rate of the grid");
        }

        Console.WriteLine($"// {what}: tuned Adam rate {best} ({bestIterations} iterations)");
        return best;
    }

    /// <summary>
    /// The objective evaluations of a solver's run, counted outside the benchmark: the run is replayed one
    /// <c>Minimize(…, maxIterations: 1, …)</c> call at a time (the same trajectory: each call starts where the last
    /// ended, with the solver's state kept), reading after each the evaluations of its iteration from the struct's
    /// private solver (<c>rule.Evaluations</c>, by reflection). Returns the iterations and 1 + Σ evaluations (one
    /// at the start, as <c>Minimize</c> makes).
    /// </summary>
    public static (long Iterations, long Evaluations) CountEvaluations<TOptimizer>(ref TOptimizer optimizer, MinimizeOne<TOptimizer> minimizeOne, int maxIterations)
        where TOptimizer : struct
    {
        long iterations = 0, evaluations = 1;
        for (int i = 0; i < maxIterations; i++)
        {
            OptimizationResult result = minimizeOne(ref optimizer);
            if (result.Status == OptimizationStatus.Converged && result.Iterations == 0)
            {
                break;
            }

            evaluations += LastEvaluations(optimizer);
            iterations += result.Iterations;
            if (result.Iterations == 0)
            {
                break;
            }
        }

        return (iterations, evaluations);
    }

    /// <summary>The evaluations of the last iteration of a generated solver struct: its private solver's <c>Evaluations</c>, by reflection.</summary>
    public static int LastEvaluations<TOptimizer>(TOptimizer optimizer)
        where TOptimizer : struct
    {
        object solver = typeof(TOptimizer).GetField("rule", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(optimizer)
            ?? throw new InvalidOperationException($"{typeof(TOptimizer).Name} has no field rule");
        return (int)solver.GetType().GetProperty("Evaluations")!.GetValue(solver)!;
    }

    /// <summary>Prints one variant's run and throws unless it ended with <paramref name="expected"/>.</summary>
    public static void Report(string what, OptimizationResult result, OptimizationStatus expected)
    {
        Console.WriteLine($"// {what}: {result.Status} after {result.Iterations} iterations, loss {result.Loss:R}, ‖g‖ {result.GradientNorm:E2}");
        if (result.Status != expected)
        {
            throw new InvalidOperationException($"{what} ended {result.Status}, not {expected}");
        }
    }
}

[MemoryDiagnoser]
public class DecayFitBenchmarks
{
    public const int Points = 200;
    public const double Tolerance = 1e-10;

    private readonly double[] _t = new double[Points], _y = new double[Points];
    private double _adamRate;
    private readonly double[] _point = [1, 1, 0], _passGradient = new double[3], _passHessian = new double[9], _passSums = new double[3 + 9 + 3];
    private NormalEquationsPass _normalEquations = null!;

    /// <summary>The signature of the generated LM struct's private normalEquations (sums: n + n² + n values of scratch; run at degree 1).</summary>
    public delegate double NormalEquationsPass(Span<double> point, ReadOnlySpan<double> t, ReadOnlySpan<double> y, Span<double> gradient, Span<double> hessian, Span<double> sums, int maxDegreeOfParallelism);

    /// <summary>The curve-fitting sample's points: y = 2.5·exp(−1.3·t) + 0.5 on t ∈ [0, 5), with a deterministic wobble.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Points; i++)
        {
            _t[i] = 5.0 * i / Points;
            _y[i] = 2.5 * Math.Exp(-1.3 * _t[i]) + 0.5 + 0.01 * Math.Sin(17.0 * i);
        }

        _adamRate = SolverTuning.TuneAdam("decay", rate =>
        {
            var fit = new SolverObjectives.DecayFitAdam(a: 1, k: 1, c: 0) { LearningRate = rate };
            return fit.Minimize(_t, _y, maxIterations: 100_000, tolerance: Tolerance);
        });

        var lm = new SolverObjectives.DecayFitLevenbergMarquardt(a: 1, k: 1, c: 0);
        var lmResult = lm.Minimize(_t, _y, maxIterations: 100, tolerance: Tolerance);
        SolverTuning.Report("decay, LM", lmResult, OptimizationStatus.Converged);
        var lbfgs = new SolverObjectives.DecayFitLbfgs(a: 1, k: 1, c: 0);
        var lbfgsResult = lbfgs.Minimize(_t, _y, maxIterations: 1_000, tolerance: Tolerance);
        SolverTuning.Report("decay, L-BFGS", lbfgsResult, OptimizationStatus.Converged);
        var adam = new SolverObjectives.DecayFitAdam(a: 1, k: 1, c: 0) { LearningRate = _adamRate };
        var adamResult = adam.Minimize(_t, _y, maxIterations: 100_000, tolerance: Tolerance);
        SolverTuning.Report($"decay, Adam {_adamRate}", adamResult, OptimizationStatus.Converged);

        var countedLm = new SolverObjectives.DecayFitLevenbergMarquardt(a: 1, k: 1, c: 0);
        var lmCount = SolverTuning.CountEvaluations(ref countedLm, (ref SolverObjectives.DecayFitLevenbergMarquardt o) => o.Minimize(_t, _y, 1, Tolerance), 100);
        var countedLbfgs = new SolverObjectives.DecayFitLbfgs(a: 1, k: 1, c: 0);
        var lbfgsCount = SolverTuning.CountEvaluations(ref countedLbfgs, (ref SolverObjectives.DecayFitLbfgs o) => o.Minimize(_t, _y, 1, Tolerance), 1_000);
        Console.WriteLine($"// decay: evaluations (passes over the 200 points, including the one at the start): LM {lmCount.Evaluations} in {lmCount.Iterations} iterations, L-BFGS {lbfgsCount.Evaluations} in {lbfgsCount.Iterations}, Adam {adamResult.Iterations + 1} in {adamResult.Iterations}");

        _normalEquations = typeof(SolverObjectives.DecayFitLevenbergMarquardt)
            .GetMethod("normalEquations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .CreateDelegate<NormalEquationsPass>();

        // The hand-written pass agrees with the generated one (to rounding: the sums run in another order).
        double generatedPass = _normalEquations(_point, _t, _y, _passGradient, _passHessian, _passSums, 1);
        double[] generatedGradient = [.. _passGradient], generatedHessian = [.. _passHessian];
        double handPass = HandWrittenNormalEquations(_point, _t, _y, _passGradient, _passHessian);
        VectorAgreement.Check("decay normal equations, generated vs hand-written (gradient)", generatedPass, generatedGradient, handPass, _passGradient);
        VectorAgreement.Check("decay normal equations, generated vs hand-written (Gauss–Newton matrix)", generatedPass, generatedHessian, handPass, _passHessian);

        // SolverWork's recording: the generated struct's run, step for step (the same parameters' bits).
        double replayed = RunSolver(record: true);
        Console.WriteLine($"// decay: SolverWork replays {_evaluations.Count} evaluations");
        if (BitConverter.DoubleToInt64Bits(replayed) != BitConverter.DoubleToInt64Bits(lmResult.Loss)
            || BitConverter.DoubleToInt64Bits(_theta[0]) != BitConverter.DoubleToInt64Bits(lm.A)
            || BitConverter.DoubleToInt64Bits(_theta[2]) != BitConverter.DoubleToInt64Bits(lm.C))
        {
            throw new InvalidOperationException("decay: the solver loop of SolverWork does not retrace the generated LM run");
        }

        // The same optimum: at ‖∇f‖ ≤ 1e-10 the losses agree far below 1e-12 relative.
        double spread = Math.Max(Math.Abs(lmResult.Loss - adamResult.Loss), Math.Abs(lbfgsResult.Loss - adamResult.Loss)) / adamResult.Loss;
        Console.WriteLine($"// decay: (a, k, c) LM ({lm.A:R}, {lm.K:R}, {lm.C:R}), losses' spread {spread:E2} relative");
        if (!(spread <= 1e-12))
        {
            throw new InvalidOperationException($"decay: the three runs end at losses {spread:E2} apart (relative)");
        }
    }

    [Benchmark]
    public double LevenbergMarquardt()
    {
        var fit = new SolverObjectives.DecayFitLevenbergMarquardt(a: 1, k: 1, c: 0);
        return fit.Minimize(_t, _y, maxIterations: 100, tolerance: Tolerance).Loss;
    }

    [Benchmark]
    public double Lbfgs()
    {
        var fit = new SolverObjectives.DecayFitLbfgs(a: 1, k: 1, c: 0);
        return fit.Minimize(_t, _y, maxIterations: 1_000, tolerance: Tolerance).Loss;
    }

    /// <summary>Adam at the grid's fastest converging rate (printed by the setup).</summary>
    [Benchmark(Baseline = true)]
    public double TunedAdam()
    {
        var fit = new SolverObjectives.DecayFitAdam(a: 1, k: 1, c: 0) { LearningRate = _adamRate };
        return fit.Minimize(_t, _y, maxIterations: 100_000, tolerance: Tolerance).Loss;
    }

    /// <summary>One pass of Adam's and L-BFGS's evaluation: the mean loss and gradient over the 200 points (the generated data overload).</summary>
    [Benchmark]
    public double OneGradientPass() => SolverObjectives.DecayFitGradient(_point, _t, _y, _passGradient);

    /// <summary>One pass of LM's evaluation: loss, gradient and Gauss–Newton matrix (the struct's private normalEquations, through a delegate).</summary>
    [Benchmark]
    public double OneNormalEquationsPass() => _normalEquations(_point, _t, _y, _passGradient, _passHessian, _passSums, 1);

    /// <summary>
    /// The LM run without its passes over the data: the loop of the generated Minimize over the runtime solver (Cholesky
    /// of the damped 3 × 3 system, λ, the copies and finiteness checks) and MinimizeRun, each evaluation replaced by the
    /// real one's result recorded in the setup (its loss, and g and H copied into the trial buffers). LM's own work.
    /// </summary>
    [Benchmark]
    public double SolverWork() => RunSolver(record: false);

    /// <summary>LM's passes alone: the generated pass (through the delegate) at the points the run evaluates, in its order (6).</summary>
    [Benchmark]
    public double RunsPasses()
    {
        double sum = 0;
        foreach (var point in _evaluatedPoints)
        {
            sum += _normalEquations(point, _t, _y, _passGradient, _passHessian, _passSums, 1);
        }

        return sum;
    }

    private readonly List<(double Loss, double[] Gradient, double[] Hessian)> _evaluations = [];
    private readonly List<double[]> _evaluatedPoints = [];
    private readonly double[] _theta = new double[3], _gradient = new double[3], _hessian = new double[9], _trialPoint = new double[3],
        _trialGradient = new double[3], _trialHessian = new double[9], _factor = new double[9], _step = new double[3];

    /// <summary>
    /// The generated Minimize's loop from (1, 1, 0) with the attribute's defaults (λ₀ = 1e-3, factor 10): with
    /// <paramref name="record"/>, evaluating by the generated pass and recording each result; else replaying them.
    /// </summary>
    private double RunSolver(bool record)
    {
        (_theta[0], _theta[1], _theta[2]) = (1, 1, 0);
        var storage = new OptimDsl.Rules.LevenbergMarquardtStorage<double>(_theta, _gradient, _hessian, _trialPoint, _trialGradient, _trialHessian, _factor, _step);
        var solver = new OptimDsl.Rules.LevenbergMarquardtSolver(1e-3, 10);
        int evaluation = 0;
        double loss = Evaluate(_theta, _gradient, _hessian);
        var run = new MinimizeRun(100, Tolerance);
        run.Start(loss, _gradient, _theta);
        NoObserver none = default;
        while (run.Continues)
        {
            solver.Begin(storage, loss);
            while (solver.NextTrial(storage))
            {
                solver.Evaluated(storage, Evaluate(_trialPoint, _trialGradient, _trialHessian));
            }

            loss = solver.Loss;
            run.SolverStepped(solver.Accepted, loss, _gradient, _theta, solver.Iteration, ref none);
        }

        return run.Result.Loss;

        double Evaluate(double[] point, double[] gradient, double[] hessian)
        {
            if (record)
            {
                double value = _normalEquations(point, _t, _y, gradient, hessian, _passSums, 1);
                _evaluations.Add((value, [.. gradient], [.. hessian]));
                _evaluatedPoints.Add([.. point]);
                return value;
            }

            var (recorded, g, h) = _evaluations[evaluation++];
            g.CopyTo(gradient, 0);
            h.CopyTo(hessian, 0);
            return recorded;
        }
    }

    /// <summary>
    /// The same pass written by hand for this model, scalar: the residual, its Jacobian row (e, −a·t·e, 1) with
    /// e = exp(−k·t), and the six values of H's lower triangle and g accumulated in locals. What an LM pass can cost here.
    /// </summary>
    [Benchmark]
    public double HandWrittenNormalEquationsPass() => HandWrittenNormalEquations(_point, _t, _y, _passGradient, _passHessian);

    /// <summary>Loss, gradient 2/N·Σ r·∇r and Gauss–Newton matrix 2/N·Σ ∇r∇rᵀ (row-major, both triangles) of the decay fit.</summary>
    public static double HandWrittenNormalEquations(ReadOnlySpan<double> point, ReadOnlySpan<double> t, ReadOnlySpan<double> y, Span<double> gradient, Span<double> hessian)
    {
        double a = point[0], k = point[1], c = point[2];
        double loss = 0, g0 = 0, g1 = 0, g2 = 0, h00 = 0, h10 = 0, h11 = 0, h20 = 0, h21 = 0, h22 = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double ti = t[i];
            double e = Math.Exp(-(k * ti));
            double j1 = -(ti * (a * e));
            double r = c + a * e - y[i];
            loss += r * r;
            g0 += r * e;
            g1 += r * j1;
            g2 += r;
            h00 += e * e;
            h10 += j1 * e;
            h11 += j1 * j1;
            h20 += e;
            h21 += j1;
            h22 += 1;
        }

        double scale = 2.0 / t.Length;
        (gradient[0], gradient[1], gradient[2]) = (scale * g0, scale * g1, scale * g2);
        (hessian[0], hessian[1], hessian[2]) = (scale * h00, scale * h10, scale * h20);
        (hessian[3], hessian[4], hessian[5]) = (scale * h10, scale * h11, scale * h21);
        (hessian[6], hessian[7], hessian[8]) = (scale * h20, scale * h21, scale * h22);
        return loss / t.Length;
    }
}

/// <summary>
/// One Levenberg–Marquardt pass (loss, g and the Gauss–Newton matrix) over 200 points with 8 and with 12 parameters: the
/// private normalEquations of FourDecaysLevenbergMarquardt and SixDecaysLevenbergMarquardt through a delegate. What chose
/// the widest pass that runs four samples at a time (tests/OptimDsl.Benchmarks/README.md, issue 12, the lanes).
/// </summary>
[MemoryDiagnoser]
public class NormalEquationsWidthBenchmarks
{
    private readonly double[] _t = new double[DecayFitBenchmarks.Points], _y = new double[DecayFitBenchmarks.Points];
    private readonly double[] _point8 = [1, 0.5, 1, 1, 1, 2, 1, 4], _gradient8 = new double[8], _hessian8 = new double[64], _sums8 = new double[8 + 64 + 8];
    private readonly double[] _point12 = [1, 0.5, 1, 1, 1, 2, 1, 4, 1, 3, 1, 5], _gradient12 = new double[12], _hessian12 = new double[144], _sums12 = new double[12 + 144 + 12];
    private DecayFitBenchmarks.NormalEquationsPass _pass8 = null!, _pass12 = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _t.Length; i++)
        {
            _t[i] = 5.0 * i / _t.Length;
            _y[i] = 2.5 * Math.Exp(-1.3 * _t[i]) + 0.7 * Math.Exp(-3.1 * _t[i]) + 0.01 * Math.Sin(17.0 * i);
        }

        _pass8 = Pass(typeof(SolverObjectives.FourDecaysLevenbergMarquardt));
        _pass12 = Pass(typeof(SolverObjectives.SixDecaysLevenbergMarquardt));
        Console.WriteLine($"// four decays: loss {_pass8(_point8, _t, _y, _gradient8, _hessian8, _sums8, 1):R}, H[7, 7] {_hessian8[63]:R}");
        Console.WriteLine($"// six decays: loss {_pass12(_point12, _t, _y, _gradient12, _hessian12, _sums12, 1):R}, H[11, 11] {_hessian12[143]:R}");
    }

    private static DecayFitBenchmarks.NormalEquationsPass Pass(Type optimizer)
        => optimizer.GetMethod("normalEquations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .CreateDelegate<DecayFitBenchmarks.NormalEquationsPass>();

    [Benchmark]
    public double EightParameterPass() => _pass8(_point8, _t, _y, _gradient8, _hessian8, _sums8, 1);

    [Benchmark]
    public double TwelveParameterPass() => _pass12(_point12, _t, _y, _gradient12, _hessian12, _sums12, 1);
}

[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    public const double Tolerance = 1e-9;
    public const int AdamMaxIterations = 1_000_000;

    private double _adamRate;

    [GlobalSetup]
    public void Setup()
    {
        _adamRate = SolverTuning.TuneAdam("Rosenbrock", rate =>
        {
            var adam = new SolverObjectives.RosenbrockAdam(x: -1.2, y: 1) { LearningRate = rate };
            return adam.Minimize(AdamMaxIterations, Tolerance);
        });

        var lbfgs = new SolverObjectives.RosenbrockLbfgs(x: -1.2, y: 1);
        SolverTuning.Report("Rosenbrock, L-BFGS", lbfgs.Minimize(1_000, Tolerance), OptimizationStatus.Converged);
        var adam = new SolverObjectives.RosenbrockAdam(x: -1.2, y: 1) { LearningRate = _adamRate };
        SolverTuning.Report($"Rosenbrock, Adam {_adamRate}", adam.Minimize(AdamMaxIterations, Tolerance), OptimizationStatus.Converged);
        var counted = new SolverObjectives.RosenbrockLbfgs(x: -1.2, y: 1);
        var count = SolverTuning.CountEvaluations(ref counted, (ref SolverObjectives.RosenbrockLbfgs o) => o.Minimize(1, Tolerance), 1_000);
        Console.WriteLine($"// Rosenbrock: L-BFGS {count.Evaluations} evaluations (including the one at the start) in {count.Iterations} iterations");
        Console.WriteLine($"// Rosenbrock: L-BFGS at ({lbfgs.X:R}, {lbfgs.Y:R}), Adam at ({adam.X:R}, {adam.Y:R})");
    }

    [Benchmark]
    public double Lbfgs()
    {
        var lbfgs = new SolverObjectives.RosenbrockLbfgs(x: -1.2, y: 1);
        return lbfgs.Minimize(1_000, Tolerance).Loss;
    }

    [Benchmark(Baseline = true)]
    public double TunedAdam()
    {
        var adam = new SolverObjectives.RosenbrockAdam(x: -1.2, y: 1) { LearningRate = _adamRate };
        return adam.Minimize(AdamMaxIterations, Tolerance).Loss;
    }

    /// <summary>
    /// 64 loss-and-gradient evaluations (the generated span overload) at points along the way: the per-evaluation cost
    /// is this mean / 64.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public double SixtyFourGradients()
    {
        Span<double> point = stackalloc double[2];
        Span<double> gradient = stackalloc double[2];
        double sum = 0;
        for (int i = 0; i < 64; i++)
        {
            point[0] = -1.2 + i / 32.0;
            point[1] = 1 - i / 64.0;
            sum += SolverObjectives.RosenbrockGradient(point, gradient) + gradient[0];
        }

        return sum;
    }
}

/// <summary>Stops a run at the first update that saw a loss at most <see cref="Target"/>.</summary>
public struct StopAtLoss(double target) : IOptimizationObserver
{
    public readonly double Target = target;

    /// <summary>The optimizer's iteration count at the update that saw the target loss (0 while not reached).</summary>
    public long ReachedAt;

    public bool OnStep(long iteration, double loss, double gradientNorm)
    {
        if (loss <= Target)
        {
            ReachedAt = iteration;
            return false;
        }

        return true;
    }
}

[MemoryDiagnoser]
public class LogisticRegressionSolverBenchmarks
{
    private const int Features = SolverObjectives.Features;
    public const int Samples = 1 << 16;
    public const int MaxIterations = 10_000;

    /// <summary>One row of ML.NET's data view: the same float features the double arrays hold.</summary>
    public sealed class Row
    {
        [VectorType(SolverObjectives.Features)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private double[] _x = [], _y = [];
    private readonly double[] _start = new double[Features + 1], _gradient = new double[Features + 1];
    private MLContext _ml = null!;
    private IDataView _data = null!;
    private double _target;
    private int _iterationsToTarget;

    /// <summary>ML.NET's trainer: defaults but no regularisation (L1 = L2 = 0) and, when given, a thread count.</summary>
    private LbfgsLogisticRegressionBinaryTrainer Trainer(int? threads) =>
        _ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 0,
            OptimizationTolerance = 1e-7f, // ML.NET's default, written out
            NumberOfThreads = threads,
        });

    /// <summary>
    /// Features uniform in [−1, 1) (rounded to float: ML.NET's features are float, and both sides see the same values),
    /// labels drawn from the logistic model z = 0.2 + truth·x with truth uniform in [−0.3, 0.3) (not separable).
    /// Both start at w = 0, b = 0 (ML.NET's InitialWeightsDiameter is 0 by default).
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(31);
        var truth = new double[Features];
        for (int i = 0; i < Features; i++)
        {
            truth[i] = random.NextDouble() * 0.6 - 0.3;
        }

        _x = new double[Samples * Features];
        _y = new double[Samples];
        var rows = new List<Row>(Samples);
        for (int s = 0; s < Samples; s++)
        {
            var features = new float[Features];
            double z = 0.2;
            for (int i = 0; i < Features; i++)
            {
                features[i] = (float)(random.NextDouble() * 2 - 1);
                _x[s * Features + i] = features[i];
                z += truth[i] * features[i];
            }

            bool label = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            _y[s] = label ? 1 : 0;
            rows.Add(new Row { Features = features, Label = label });
        }

        _ml = new MLContext(seed: 1);
        _data = _ml.Data.LoadFromEnumerable(rows);

        var clock = Stopwatch.StartNew();
        var model = Trainer(null).Fit(_data);
        clock.Stop();
        LinearBinaryModelParameters linear = model.Model.SubModel;
        var mlParameters = new double[Features + 1];
        for (int i = 0; i < Features; i++)
        {
            mlParameters[i] = linear.Weights[i];
        }

        mlParameters[Features] = linear.Bias;
        var scratch = new double[Features + 1];
        _target = SolverObjectives.LogisticRegressionGradient(mlParameters, _x, _y, scratch);
        Console.WriteLine($"// ML.NET: {clock.Elapsed.TotalMilliseconds:F0} ms (untimed setup fit), training log-loss from its weights and bias {_target:R}, ‖g‖ there {Norm(scratch):E2}, b {linear.Bias:R}");
        Console.WriteLine($"// loss at the start (w = 0, b = 0): {SolverObjectives.LogisticRegressionGradient(_start, _x, _y, scratch):R} (log 2 = {Math.Log(2):R})");

        // The iterations OptimDsl's [Lbfgs] needs to reach the target: the run replayed one Minimize(…, 1, …) call at a
        // time (the same trajectory), each returning the loss at the parameters it ends at; evaluations counted alike.
        var replay = new SolverObjectives.LogisticRegressionLbfgs(_start);
        long evaluations = 1;
        for (int i = 1; i <= MaxIterations; i++)
        {
            var one = replay.Minimize(_x, _y, 1, tolerance: 0);
            evaluations += SolverTuning.LastEvaluations(replay);
            Console.WriteLine($"// OptimDsl L-BFGS iteration {i}: {one.Status}, loss {one.Loss:R} ({(one.Loss - _target) / _target:E2} relative to the target), ‖g‖ {one.GradientNorm:E2}, {evaluations} evaluations so far");
            if (one.Loss <= _target)
            {
                _iterationsToTarget = i;
                break;
            }

            if (one.Iterations == 0)
            {
                throw new InvalidOperationException($"OptimDsl's L-BFGS stalled at {one.Loss:R}, above the target {_target:R}");
            }
        }

        if (_iterationsToTarget == 0)
        {
            throw new InvalidOperationException($"OptimDsl's L-BFGS did not reach the target {_target:R} in {MaxIterations} iterations");
        }

        // The iteration after the target, from the optimum to double precision: what it costs before it stalls.
        var after = replay.Minimize(_x, _y, 1, tolerance: 0);
        Console.WriteLine($"// OptimDsl L-BFGS iteration {_iterationsToTarget + 1}: {after.Status} after {SolverTuning.LastEvaluations(replay)} evaluations, loss {after.Loss:R}");

        var lbfgs = new SolverObjectives.LogisticRegressionLbfgs(_start);
        var exact = lbfgs.Minimize(_x, _y, _iterationsToTarget, tolerance: 0);
        SolverTuning.Report($"OptimDsl L-BFGS, {_iterationsToTarget} iterations", exact, OptimizationStatus.IterationLimit);
        if (!(exact.Loss <= _target))
        {
            throw new InvalidOperationException($"{_iterationsToTarget} iterations end at {exact.Loss:R}, above the target {_target:R}");
        }

        // What a caller who does not know the count writes: an observer that stops at the first update that saw the
        // target (one update later), or the run stalls there (the loss cannot fall further in double).
        var stopping = new StopAtLoss(_target);
        lbfgs = new SolverObjectives.LogisticRegressionLbfgs(_start);
        var stopped = lbfgs.Minimize(_x, _y, MaxIterations, tolerance: 0, ref stopping);
        Console.WriteLine($"// OptimDsl L-BFGS with StopAtLoss: {stopped.Status} after {stopped.Iterations} iterations, loss {stopped.Loss:R}, ‖g‖ {stopped.GradientNorm:E2}");
        if (!(stopped.Loss <= _target) || stopped.Status is not (OptimizationStatus.Stopped or OptimizationStatus.Stalled))
        {
            throw new InvalidOperationException($"StopAtLoss ended {stopped.Status} at {stopped.Loss:R}");
        }

        // ML.NET's iterations (its log does not print them): the smallest MaximumNumberOfIterations whose model has the
        // default run's weights and bias. Untimed.
        for (int cap = 1; cap <= 200; cap++)
        {
            var capped = _ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L1Regularization = 0,
                L2Regularization = 0,
                OptimizationTolerance = 1e-7f,
                MaximumNumberOfIterations = cap,
            }).Fit(_data).Model.SubModel;
            bool same = capped.Bias == linear.Bias;
            for (int i = 0; same && i < Features; i++)
            {
                same = capped.Weights[i] == linear.Weights[i];
            }

            for (int i = 0; i < Features; i++)
            {
                mlParameters[i] = capped.Weights[i];
            }

            mlParameters[Features] = capped.Bias;
            double cappedLoss = SolverObjectives.LogisticRegressionGradient(mlParameters, _x, _y, scratch);
            Console.WriteLine($"// ML.NET, MaximumNumberOfIterations = {cap}: loss {cappedLoss:R} ({(cappedLoss - _target) / _target:E2} relative to its default run){(same ? ", the default run's model" : "")}");
            if (same)
            {
                break;
            }
        }

        // ML.NET's own account of a fit (Quiet = false; untimed): its channels' elapsed times, and what it says.
        var verbose = new MLContext(seed: 1);
        verbose.Log += (_, e) =>
        {
            if (e.Kind != Microsoft.ML.Runtime.ChannelMessageKind.Trace || e.Message.Contains("Elapsed", StringComparison.Ordinal))
            {
                Console.WriteLine($"// ML.NET log: {e.Message}");
            }
        };
        verbose.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 0,
            OptimizationTolerance = 1e-7f,
            Quiet = false,
        }).Fit(verbose.Data.LoadFromEnumerable(rows));

        Console.WriteLine($"// threads: Environment.ProcessorCount = {Environment.ProcessorCount}");
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (double x in v)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>ML.NET's LbfgsLogisticRegression Fit, its default thread count (null: the processor count).</summary>
    [Benchmark(Baseline = true)]
    public object MlNet() => Trainer(null).Fit(_data);

    /// <summary>The same with NumberOfThreads = 1.</summary>
    [Benchmark]
    public object MlNetOneThread() => Trainer(1).Fit(_data);

    /// <summary>OptimDsl's [Lbfgs] with an observer that stops at the first update that saw a loss ≤ ML.NET's: one update past the target.</summary>
    [Benchmark]
    public double OptimDslStopAtLoss()
    {
        var stopping = new StopAtLoss(_target);
        var lbfgs = new SolverObjectives.LogisticRegressionLbfgs(_start);
        return lbfgs.Minimize(_x, _y, MaxIterations, tolerance: 0, ref stopping).Loss;
    }

    /// <summary>OptimDsl's [Lbfgs] for exactly the iterations that reach ML.NET's loss (counted by the setup).</summary>
    [Benchmark]
    public double OptimDslIterationsToTarget()
    {
        var lbfgs = new SolverObjectives.LogisticRegressionLbfgs(_start);
        return lbfgs.Minimize(_x, _y, _iterationsToTarget, tolerance: 0).Loss;
    }

    /// <summary>The same pass written by hand (HandWrittenVector.cs: Vector256 across the features, four accumulators, FMA).</summary>
    [Benchmark]
    public double HandWrittenEvaluation() => HandWrittenVector.LogisticRegressionGradient(_start, _x, _y, _gradient);

    /// <summary>One full-batch loss and gradient: the unit of an iteration's cost (an iteration makes one or more).</summary>
    [Benchmark]
    public double OneEvaluation()
    {
        Span<double> gradient = stackalloc double[Features + 1];
        return SolverObjectives.LogisticRegressionGradient(_start, _x, _y, gradient);
    }
}
