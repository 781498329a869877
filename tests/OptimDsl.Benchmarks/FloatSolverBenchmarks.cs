using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

/// <summary>The decay fit of <see cref="DecayFitBenchmarks"/> written in float (README, Float objectives).</summary>
public static partial class FloatSolverObjectives
{
    [Objective, LevenbergMarquardt, Lbfgs]
    public static float FloatDecayFit(float a, float k, float c, [Data] float t, [Data] float y)
    {
        var r = a * MathF.Exp(-k * t) + c - y;
        return r * r;
    }
}

/// <summary>
/// The float solvers against the double ones on the decay fit's 200 points (README, Float objectives): one
/// Levenberg–Marquardt pass (the float one eight samples at a time in float lanes widened to double, the double one four
/// samples at a time), and whole runs of
/// LM from (1, 1, 0) to ‖∇f‖₂ ≤ 1e-6 and L-BFGS to 1e-5 (float's gradient cannot reach double's 1e-10).
/// </summary>
[MemoryDiagnoser]
public class FloatSolverBenchmarks
{
    private const int Points = DecayFitBenchmarks.Points;
    private const double Tolerance = 1e-6;

    /// <summary>Float L-BFGS stalls at ‖∇f‖₂ = 1.6e-6 on this fit (the float gradient's rounding), so its runs stop at 1e-5.</summary>
    private const double LbfgsTolerance = 1e-5;

    private readonly double[] _t = new double[Points], _y = new double[Points];
    private readonly float[] _tf = new float[Points], _yf = new float[Points];
    private readonly double[] _point = [1, 1, 0], _gradient = new double[3], _hessian = new double[9], _sums = new double[3 + 9 + 3];
    private readonly float[] _pointF = [1, 1, 0];
    private readonly double[] _sumsF = new double[3 + 9];
    private DecayFitBenchmarks.NormalEquationsPass _double = null!;
    private FloatNormalEquationsPass _float = null!;

    /// <summary>The float LM struct's private normalEquations (sums: n + n² values; run at degree 1).</summary>
    public delegate double FloatNormalEquationsPass(Span<float> point, ReadOnlySpan<float> t, ReadOnlySpan<float> y, Span<double> gradient, Span<double> hessian, Span<double> sums, int maxDegreeOfParallelism);

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Points; i++)
        {
            _t[i] = 5.0 * i / Points;
            _y[i] = 2.5 * Math.Exp(-1.3 * _t[i]) + 0.5 + 0.01 * Math.Sin(17.0 * i);
            _tf[i] = (float)_t[i];
            _yf[i] = (float)_y[i];
        }

        _double = typeof(SolverObjectives.DecayFitLevenbergMarquardt)
            .GetMethod("normalEquations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .CreateDelegate<DecayFitBenchmarks.NormalEquationsPass>();
        _float = typeof(FloatSolverObjectives.FloatDecayFitLevenbergMarquardt)
            .GetMethod("normalEquations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .CreateDelegate<FloatNormalEquationsPass>();

        var lm = new FloatSolverObjectives.FloatDecayFitLevenbergMarquardt(a: 1, k: 1, c: 0);
        var lbfgs = new FloatSolverObjectives.FloatDecayFitLbfgs(a: 1, k: 1, c: 0);
        var doubleLm = new SolverObjectives.DecayFitLevenbergMarquardt(a: 1, k: 1, c: 0);
        var doubleLbfgs = new SolverObjectives.DecayFitLbfgs(a: 1, k: 1, c: 0);
        SolverTuning.Report("float decay, LM", lm.Minimize(_tf, _yf, 100, Tolerance), OptimizationStatus.Converged);
        SolverTuning.Report("float decay, L-BFGS", lbfgs.Minimize(_tf, _yf, 1_000, LbfgsTolerance), OptimizationStatus.Converged);
        SolverTuning.Report("double decay, LM", doubleLm.Minimize(_t, _y, 100, Tolerance), OptimizationStatus.Converged);
        SolverTuning.Report("double decay, L-BFGS", doubleLbfgs.Minimize(_t, _y, 1_000, LbfgsTolerance), OptimizationStatus.Converged);
        Console.WriteLine($"// float decay: (a, k, c) LM ({lm.A:R}, {lm.K:R}, {lm.C:R}), double LM ({doubleLm.A:R}, {doubleLm.K:R}, {doubleLm.C:R})");
    }

    [Benchmark(Baseline = true)]
    public double DoublePass() => _double(_point, _t, _y, _gradient, _hessian, _sums, 1);

    [Benchmark]
    public double FloatPass() => _float(_pointF, _tf, _yf, _gradient, _hessian, _sumsF, 1);

    [Benchmark]
    public double DoubleLevenbergMarquardt() => new SolverObjectives.DecayFitLevenbergMarquardt(a: 1, k: 1, c: 0).Minimize(_t, _y, 100, Tolerance).Loss;

    [Benchmark]
    public double FloatLevenbergMarquardt() => new FloatSolverObjectives.FloatDecayFitLevenbergMarquardt(a: 1, k: 1, c: 0).Minimize(_tf, _yf, 100, Tolerance).Loss;

    [Benchmark]
    public double DoubleLbfgs() => new SolverObjectives.DecayFitLbfgs(a: 1, k: 1, c: 0).Minimize(_t, _y, 1_000, LbfgsTolerance).Loss;

    [Benchmark]
    public double FloatLbfgs() => new FloatSolverObjectives.FloatDecayFitLbfgs(a: 1, k: 1, c: 0).Minimize(_tf, _yf, 1_000, LbfgsTolerance).Loss;
}
