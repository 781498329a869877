using System;
using System.Diagnostics;
using OptimDsl;
using OptimDsl.Samples.CurveFitting;

// 200 points of y = 2.5·exp(−1.3·t) + 0.5 on t ∈ [0, 5), with a deterministic wobble for noise.
const int Points = 200;
var t = new double[Points];
var y = new double[Points];
for (int i = 0; i < Points; i++)
{
    t[i] = 5.0 * i / Points;
    y[i] = 2.5 * Math.Exp(-1.3 * t[i]) + 0.5 + 0.01 * Math.Sin(17.0 * i);
}

Console.WriteLine("Fitting y = a·exp(−k·t) + c to 200 points, from a = 1, k = 1, c = 0, until ‖∇‖ ≤ 1e-10:");
Report("Levenberg–Marquardt", () =>
{
    var fit = new Decay.FitLevenbergMarquardt(a: 1, k: 1, c: 0);
    var result = fit.Minimize(t, y, maxIterations: 100, tolerance: 1e-10);
    return (result, fit.A, fit.K, fit.C);
});
Report("L-BFGS", () =>
{
    var fit = new Decay.FitLbfgs(a: 1, k: 1, c: 0);
    var result = fit.Minimize(t, y, maxIterations: 1_000, tolerance: 1e-10);
    return (result, fit.A, fit.K, fit.C);
});
Report("Adam (learning rate 0.05)", () =>
{
    var fit = new Decay.FitAdam(a: 1, k: 1, c: 0);
    var result = fit.Minimize(t, y, maxIterations: 100_000, tolerance: 1e-10);
    return (result, fit.A, fit.K, fit.C);
});

static void Report(string name, Func<(OptimizationResult Result, double A, double K, double C)> fit)
{
    fit(); // once for the JIT, then timed
    var clock = Stopwatch.StartNew();
    var (result, a, k, c) = fit();
    clock.Stop();
    Console.WriteLine($"  {name,-26} {result.Iterations,7:N0} iterations {clock.Elapsed.TotalMilliseconds,9:F2} ms  {result.Status,-14} a = {a:F6}, k = {k:F6}, c = {c:F6}, loss {result.Loss:E3}");
}
