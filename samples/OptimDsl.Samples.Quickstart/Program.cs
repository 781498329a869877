using System;
using System.Diagnostics;
using OptimDsl;
using OptimDsl.Samples.Quickstart;

// 1. Gradients, generated at compile time: no tape, no reflection.
Console.WriteLine("== Gradients ==");
foreach (var theta in new[] { 0.0, 3.0, 5.0 })
{
    double j = Problems.QuadraticGradient(theta, out double dTheta);
    Console.WriteLine($"J({theta}) = {j}, dJ/dθ = {dTheta}");
}

double rosenbrock = Problems.RosenbrockGradient(-1.2, 1.0, out double dX, out double dY);
Console.WriteLine($"Rosenbrock(-1.2, 1) = {rosenbrock:R}, ∇ = ({dX:R}, {dY:R})");
double booth = Problems.BoothGradient(0, 0, out double bX, out double bY);
Console.WriteLine($"Booth(0, 0) = {booth}, ∇ = ({bX}, {bY})");

// A data set: y = 3x − 1 plus noise, from a fixed seed.
var random = new Random(42);
var xs = new double[1000];
var ys = new double[xs.Length];
for (int i = 0; i < xs.Length; i++)
{
    xs[i] = random.NextDouble() * 4 - 2;
    ys[i] = 3 * xs[i] - 1 + 0.3 * (random.NextDouble() - 0.5);
}

Span<double> gradient = stackalloc double[2];
double meanLoss = Problems.LineGradient([0.0, 0.0], xs, ys, gradient);
Console.WriteLine($"Line mean loss at (0, 0) = {meanLoss:F4}, mean ∇ = ({gradient[0]:F4}, {gradient[1]:F4})");
Span<double> huberGradient = stackalloc double[1];
double huber = Problems.HuberGradient([0.5], ys, huberGradient);
Console.WriteLine($"Huber mean loss at μ = 0.5: {huber:F4}, dμ = {huberGradient[0]:F4}");

// 2. The tutorial's three optimizers, done right.
Console.WriteLine();
Console.WriteLine("== Optimizers ==");

var gd = new Problems.QuadraticGradientDescent(theta: 0);
Report("Gradient descent on (θ − 3)²", ref gd, static (ref Problems.QuadraticGradientDescent o, ref LossCurve c) => o.Minimize(1_000, 1e-10, ref c), o => $"θ = {o.Theta:F6}");

var adamQuadratic = new Problems.QuadraticAdam(theta: 0);
Report("Adam on (θ − 3)²", ref adamQuadratic, static (ref Problems.QuadraticAdam o, ref LossCurve c) => o.Minimize(10_000, 1e-8, ref c), o => $"θ = {o.Theta:F6}");

var booths = new Problems.BoothGradientDescent(x: 0, y: 0);
Report("Gradient descent on Booth", ref booths, static (ref Problems.BoothGradientDescent o, ref LossCurve c) => o.Minimize(10_000, 1e-10, ref c), o => $"(x, y) = ({o.X:F6}, {o.Y:F6})");

var adam = new Problems.RosenbrockAdam(x: -1.2, y: 1.0);
Report("Adam on Rosenbrock", ref adam, static (ref Problems.RosenbrockAdam o, ref LossCurve c) => o.Minimize(20_000, 1e-10, ref c), o => $"(x, y) = ({o.X:F6}, {o.Y:F6})");

var data = (xs, ys);
var sgd = new Problems.LineSgd(w: 0, b: 0);
ReportWithData("SGD (batch 8) on the noisy line", ref sgd, data, static (ref Problems.LineSgd o, (double[] X, double[] Y) d, ref LossCurve c) => o.Minimize(d.X, d.Y, 50_000, 1e-2, ref c), o => $"(w, b) = ({o.W:F4}, {o.B:F4})");

var lineAdam = new Problems.LineAdam(w: 0, b: 0);
ReportWithData("Adam on the noisy line", ref lineAdam, data, static (ref Problems.LineAdam o, (double[] X, double[] Y) d, ref LossCurve c) => o.Minimize(d.X, d.Y, 20_000, 1e-8, ref c), o => $"(w, b) = ({o.W:F4}, {o.B:F4})");

var lineGd = new Problems.LineGradientDescent(w: 0, b: 0);
ReportWithData("Gradient descent on the noisy line", ref lineGd, data, static (ref Problems.LineGradientDescent o, (double[] X, double[] Y) d, ref LossCurve c) => o.Minimize(d.X, d.Y, 20_000, 1e-8, ref c), o => $"(w, b) = ({o.W:F4}, {o.B:F4})");

Console.WriteLine();
Console.WriteLine("The line's true coefficients are w = 3, b = -1; noise keeps the fit a little away from them.");
return 0;

static OptimizationResult Report<T>(string title, ref T optimizer, Run<T> run, Func<T, string> describe)
{
    var curve = new LossCurve();
    var watch = Stopwatch.StartNew();
    var result = run(ref optimizer, ref curve);
    watch.Stop();
    Print(title, result, describe(optimizer), watch.Elapsed, curve);
    return result;
}

static OptimizationResult ReportWithData<T>(string title, ref T optimizer, (double[] X, double[] Y) data, RunWithData<T> run, Func<T, string> describe)
{
    var curve = new LossCurve();
    var watch = Stopwatch.StartNew();
    var result = run(ref optimizer, data, ref curve);
    watch.Stop();
    Print(title, result, describe(optimizer), watch.Elapsed, curve);
    return result;
}

static void Print(string title, OptimizationResult result, string parameters, TimeSpan elapsed, LossCurve curve)
{
    Console.WriteLine($"{title}:");
    Console.WriteLine($"  {result.Status} after {result.Iterations} iterations in {elapsed.TotalMilliseconds:F2} ms; {parameters}; loss {result.Loss:G4}");
    Console.WriteLine($"  loss {curve.Sparkline()}");
}

delegate OptimizationResult Run<T>(ref T optimizer, ref LossCurve curve);

delegate OptimizationResult RunWithData<T>(ref T optimizer, (double[] X, double[] Y) data, ref LossCurve curve);
