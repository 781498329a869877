using System;
using System.Diagnostics;
using OptimDsl;
using OptimDsl.Samples.Quickstart;

// Fits the line y = w·x + b to noisy samples of y = 2x + 1 with each of OptimDsl's three optimizers,
// then minimises Rosenbrock's function with Adam. Everything called on Problems below was written
// by the source generator at compile time, from the two methods in Problems.cs.

// 1. The data: 1,000 samples of y = 2x + 1 plus noise uniform in [-0.5, 0.5), from a fixed seed.
const int SampleCount = 1_000;
var random = new Random(42);
var xs = new double[SampleCount];
var ys = new double[SampleCount];
for (int i = 0; i < SampleCount; i++)
{
    xs[i] = random.NextDouble() * 4 - 2;
    ys[i] = 2 * xs[i] + 1 + (random.NextDouble() - 0.5);
}

// The noise moves the best line a little away from (2, 1). Least squares has a closed form, so we
// know the exact answer each optimizer should find.
var (bestW, bestB) = LeastSquaresLine(xs, ys);
Console.WriteLine($"{SampleCount} samples of y = 2x + 1 + noise; the least-squares line is w = {bestW:F6}, b = {bestB:F6}.");

// 2. The generated gradient: the mean loss over the data set and its mean gradient, in one pass.
Span<double> gradient = stackalloc double[2];
double meanLoss = Problems.LineGradient([0.0, 0.0], xs, ys, gradient);
Console.WriteLine($"At (w, b) = (0, 0): mean loss {meanLoss:F4}, gradient ({gradient[0]:F4}, {gradient[1]:F4}).");

// 3. The generated optimizers. Each is a struct holding the parameters; Minimize runs until the
// full-batch gradient's norm is at most the tolerance. The LossCurve observer records the loss as
// it goes (a struct passed by ref: nothing is allocated per step). Under `dotnet run` the times
// include the JIT compiling each optimizer on its first call; the NativeAOT build runs them
// precompiled, in a fraction of a millisecond.
Console.WriteLine();
const double Tolerance = 1e-8;

var descent = new Problems.LineGradientDescent(w: 0, b: 0);
var curve = new LossCurve();
var watch = Stopwatch.StartNew();
var result = descent.Minimize(xs, ys, maxIterations: 10_000, Tolerance, ref curve);
PrintFit("Gradient descent (full batch, learning rate 0.1)", result, descent.W, descent.B, watch.Elapsed, curve);

// SGD estimates the gradient from 64 samples at a time, visiting every sample once per epoch in an
// order drawn from its seed. That noise keeps it moving in a small region around the minimum: at
// a fixed learning rate it cannot reach 1e-8, so it gets an honest tolerance of 1e-3, checked on
// the full-batch gradient at the end of each epoch.
var sgd = new Problems.LineSgd(w: 0, b: 0);
curve = new LossCurve();
watch.Restart();
result = sgd.Minimize(xs, ys, maxIterations: 100_000, tolerance: 1e-3, ref curve);
PrintFit($"SGD (batches of {sgd.BatchSize}, seed {sgd.Seed}, learning rate {sgd.LearningRate})", result, sgd.W, sgd.B, watch.Elapsed, curve);

var adam = new Problems.LineAdam(w: 0, b: 0);
curve = new LossCurve();
watch.Restart();
result = adam.Minimize(xs, ys, maxIterations: 10_000, Tolerance, ref curve);
PrintFit("Adam (full batch, learning rate 0.05)", result, adam.W, adam.B, watch.Elapsed, curve);

// 4. A function of two parameters without data: Rosenbrock's valley, from the classic start (-1.2, 1).
double value = Problems.RosenbrockGradient(-1.2, 1.0, out double dX, out double dY);
Console.WriteLine($"Rosenbrock(-1.2, 1) = {value:G6}, gradient ({dX:G6}, {dY:G6})");
var rosenbrock = new Problems.RosenbrockAdam(x: -1.2, y: 1.0);
curve = new LossCurve();
watch.Restart();
result = rosenbrock.Minimize(maxIterations: 20_000, tolerance: 1e-10, ref curve);
watch.Stop();
Console.WriteLine($"Adam on Rosenbrock: {result.Status} after {result.Iterations} steps in {watch.Elapsed.TotalMilliseconds:F2} ms");
Console.WriteLine($"  (x, y) = ({rosenbrock.X:F6}, {rosenbrock.Y:F6}), the minimum is (1, 1); loss {result.Loss:G3}, gradient norm {result.GradientNorm:G3}");
Console.WriteLine($"  loss {curve.Sparkline()}");

return 0;

void PrintFit(string title, OptimizationResult fit, double w, double b, TimeSpan elapsed, LossCurve losses)
{
    double distance = Math.Sqrt((w - bestW) * (w - bestW) + (b - bestB) * (b - bestB));
    Console.WriteLine($"{title}: {fit.Status} after {fit.Iterations} steps in {elapsed.TotalMilliseconds:F2} ms");
    Console.WriteLine($"  w = {w:F6}, b = {b:F6}: {distance:G2} from the least-squares line; mean loss {fit.Loss:F6}, full-batch gradient norm {fit.GradientNorm:G2}");
    Console.WriteLine($"  loss {losses.Sparkline()}");
}

// The least-squares line through (xs, ys): w = cov(x, y) / var(x), b = mean(y) − w·mean(x).
static (double W, double B) LeastSquaresLine(double[] xs, double[] ys)
{
    double meanX = 0, meanY = 0;
    for (int i = 0; i < xs.Length; i++)
    {
        meanX += xs[i];
        meanY += ys[i];
    }

    meanX /= xs.Length;
    meanY /= xs.Length;
    double covariance = 0, variance = 0;
    for (int i = 0; i < xs.Length; i++)
    {
        covariance += (xs[i] - meanX) * (ys[i] - meanY);
        variance += (xs[i] - meanX) * (xs[i] - meanX);
    }

    double w = covariance / variance;
    return (w, meanY - w * meanX);
}
