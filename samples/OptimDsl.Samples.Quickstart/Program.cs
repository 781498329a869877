using System;
using System.Diagnostics;
using System.IO;
using OptimDsl;
using OptimDsl.Samples.Quickstart;

// Fits the line y = w·x + b to noisy samples of y = 2x + 1 with gradient descent, SGD and Adam,
// minimises Rosenbrock's function with Adam, then shows SGD with a learning-rate schedule
// converging on 10,000 samples where SGD at a constant rate does not. Everything called on Problems
// below was written by the source generator at compile time, from the two methods in Problems.cs.

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
PrintFit("Gradient descent (full batch, learning rate 0.1)", result, descent.W, descent.B, watch.Elapsed, curve, bestW, bestB);

// SGD estimates the gradient from 64 samples at a time, visiting every sample once per epoch in an
// order drawn from its seed. That noise keeps it moving in a small region around the minimum: at
// a fixed learning rate it cannot reach 1e-8, so it gets an honest tolerance of 1e-3, checked on
// the full-batch gradient at the end of each epoch.
var sgd = new Problems.LineSgd(w: 0, b: 0);
curve = new LossCurve();
watch.Restart();
result = sgd.Minimize(xs, ys, maxIterations: 100_000, tolerance: 1e-3, ref curve);
PrintFit($"SGD (batches of {sgd.BatchSize}, seed {sgd.Seed}, learning rate {sgd.LearningRate})", result, sgd.W, sgd.B, watch.Elapsed, curve, bestW, bestB);

var adam = new Problems.LineAdam(w: 0, b: 0);
curve = new LossCurve();
watch.Restart();
result = adam.Minimize(xs, ys, maxIterations: 10_000, Tolerance, ref curve);
PrintFit("Adam (full batch, learning rate 0.05)", result, adam.W, adam.B, watch.Elapsed, curve, bestW, bestB);

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

// 5. A learning-rate schedule: SGD on 10,000 samples of the same line, in minibatches of 100
// (100 updates per epoch), for at most 10,000 updates (100 epochs).
//
// The tolerance is 1e-4, not 1e-8. With noisy data the per-sample gradients do not vanish at the
// least-squares answer (only their mean does), so every minibatch pushes the parameters off it.
// At a constant rate η the full-batch gradient norm at an epoch's end, where Minimize tests it,
// stays of order η·√(updates per epoch)·σ (σ: the spread of a minibatch's gradient), however long
// the run: measured over eight seeds, 0.003 to 0.02 at η = 0.02. A decaying rate shrinks that term
// as it goes: ExponentialDecaySchedule(0.02, 0.999) reached 1e-4 after 2,300 to 3,800 updates on
// those seeds. No minibatch method reaches 1e-8 in a budget like this one (full-batch gradient
// descent does, part 3). A constant rate can reach 1e-4 too if it is small enough from the start,
// at the price of slow early progress: η = 0.001 needed 4,800 to 6,200 updates on the same seeds.
const int ManySamples = 10_000;
var noisy = new Random(7);
var manyXs = new double[ManySamples];
var manyYs = new double[ManySamples];
for (int i = 0; i < ManySamples; i++)
{
    manyXs[i] = noisy.NextDouble() * 4 - 2;
    manyYs[i] = 2 * manyXs[i] + 1 + (noisy.NextDouble() - 0.5);
}

var (manyBestW, manyBestB) = LeastSquaresLine(manyXs, manyYs);
Console.WriteLine();
Console.WriteLine($"{ManySamples} samples; the least-squares line is w = {manyBestW:F6}, b = {manyBestB:F6}.");
const double NoisyTolerance = 1e-4;
const int NoisyBudget = 10_000;

// SGD at a constant rate: the attribute's optimizer, with its batch size and rate changed.
var constant = new Problems.LineSgd(w: 0, b: 0) { BatchSize = 100, LearningRate = 0.02 };
curve = new LossCurve();
watch.Restart();
result = constant.Minimize(manyXs, manyYs, NoisyBudget, NoisyTolerance, ref curve);
PrintFit("SGD, constant rate 0.02 (batches of 100)", result, constant.W, constant.B, watch.Elapsed, curve, manyBestW, manyBestB);

// The same with η_t = 0.02 · 0.999^(t − 1) (torch's ExponentialLR with gamma = 0.999, stepped
// every update): Minimize sets the learning rate from the schedule before each update. The
// observer and the schedule are structs passed by ref: no allocation, no virtual call.
var scheduled = new Problems.LineSgd(w: 0, b: 0) { BatchSize = 100 };
var schedule = new ExponentialDecaySchedule(initial: 0.02, gamma: 0.999);
curve = new LossCurve();
watch.Restart();
result = scheduled.Minimize(manyXs, manyYs, NoisyBudget, NoisyTolerance, ref curve, ref schedule);
PrintFit($"SGD, rate 0.02·0.999^(t−1) (batches of 100; last rate {scheduled.LearningRate:G2})", result, scheduled.W, scheduled.B, watch.Elapsed, curve, manyBestW, manyBestB);

// 6. Choosing hyperparameters. The learning-rate range test makes one Adam update per rate, the
// rates rising from 1e-5 to 10, and suggests the rate where the loss falls fastest; a grid search
// then tries rates and β₁ values on Rosenbrock, each trial a Minimize from a copy of the start.
var rangeTest = Problems.LineAdam.FindLearningRate(new Problems.LineAdam(w: 0, b: 0), xs, ys, minRate: 1e-5, maxRate: 10);
Console.WriteLine();
Console.WriteLine($"Learning-rate range test (Adam on the line): {rangeTest.Rates.Length} rates tried, suggested {rangeTest.SuggestedLearningRate:G3}");
var search = Problems.RosenbrockAdam.Search(
    new Problems.RosenbrockAdam(x: -1.2, y: 1.0),
    new Problems.RosenbrockAdam.SearchSpace
    {
        LearningRate = SearchRange.Grid(0.005, 0.02, 0.05),
        Beta1 = SearchRange.Grid(0.8, 0.9),
    },
    new SearchOptions { MaxIterations = 5_000, Tolerance = 1e-10 });
Console.WriteLine($"Grid search on Rosenbrock ({search.Trials.Count} trials): best {search.BestHyperparameters}, loss {search.BestScore:G3}");

// 7. A checkpoint: the best optimizer saved and loaded continues exactly as the original does.
var checkpoint = new MemoryStream();
var best = search.Best;
best.SaveState(checkpoint);
checkpoint.Position = 0;
var resumed = Problems.RosenbrockAdam.LoadState(checkpoint);
Console.WriteLine($"Checkpoint of {checkpoint.Length} bytes: the loaded optimizer's next step equals the original's: {resumed.Step() == best.Step()}");

return 0;

void PrintFit(string title, OptimizationResult fit, double w, double b, TimeSpan elapsed, LossCurve losses, double bestW, double bestB)
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
