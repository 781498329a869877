using System;
using System.Diagnostics;
using OptimDsl;
using OptimDsl.Samples.Vectors;

// Vector parameters and loops (README, "Vectors and loops"): a linear regression over ten features,
// a 2-4-1 tanh network fitted to XOR, and a 1-64-1 tanh network fitted to a sine wave. Everything
// called on Models below was written by the source generator at compile time from the methods in
// Models.cs.

// 1. The data: 500 samples of y = w·x + b with ten features uniform in [-1, 1) and a little noise
// (uniform in [-0.005, 0.005)), from a fixed seed. The rows go back to back in one array: sample s
// is xs[10s .. 10s + 10).
const int SampleCount = 500;
const int Features = Models.Features;
double[] trueW = [1.5, -2, 0.5, 3, -1, 0.25, 2, -0.75, 1, -3];
const double TrueB = 0.5;
var random = new Random(42);
var xs = new double[SampleCount * Features];
var ys = new double[SampleCount];
for (int s = 0; s < SampleCount; s++)
{
    double y = TrueB;
    for (int k = 0; k < Features; k++)
    {
        xs[s * Features + k] = random.NextDouble() * 2 - 1;
        y += trueW[k] * xs[s * Features + k];
    }

    ys[s] = y + (random.NextDouble() - 0.5) * 0.01;
}

// 2. Adam from w = 0, b = 0: the constructor takes a span for the vector and a double for the scalar.
var linear = new Models.LinearAdam(new double[Features], 0);
var watch = Stopwatch.StartNew();
var result = linear.Minimize(xs, ys, maxIterations: 20_000, tolerance: 1e-8);
Console.WriteLine($"Linear regression, {SampleCount} samples of {Features} features, Adam: {result.Status} after {result.Iterations} steps ({watch.Elapsed.TotalMilliseconds:F0} ms), mean loss {result.Loss:G3}");
Console.WriteLine("  feature   true w   fitted w");
for (int k = 0; k < Features; k++)
{
    // linear.W is a view of the optimizer's own storage.
    Console.WriteLine($"  {k,7}   {trueW[k],6:F3}   {linear.W[k],8:F4}");
}

Console.WriteLine($"  {"b",7}   {TrueB,6:F3}   {linear.B,8:F4}");

// 3. XOR with a 2-4-1 tanh network: four samples, inputs back to back. A network started at zero
// would keep its four hidden units identical, so the weights start small and random (seeded).
double[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
double[] targets = [0, 1, 1, 0];
var init = new Random(7);
double[] theta = new double[Models.XorParameterCount];   // w1 (8), b1 (4), w2 (4), b2 (1), in declaration order
for (int i = 0; i < theta.Length; i++)
{
    theta[i] = init.NextDouble() - 0.5;
}

var net = new Models.XorAdam(theta);   // the flat constructor: all 17 values in declaration order
watch.Restart();
result = net.Minimize(inputs, targets, maxIterations: 5_000, tolerance: 1e-6);
Console.WriteLine();
Console.WriteLine($"XOR, 2-4-1 tanh network ({Models.XorParameterCount} trained values), Adam: {result.Status} after {result.Iterations} steps ({watch.Elapsed.TotalMilliseconds:F0} ms), mean loss {result.Loss:G3}");
for (int s = 0; s < 4; s++)
{
    ReadOnlySpan<double> input = inputs.AsSpan(2 * s, 2);
    double output = Models.Network(net.W1, net.B1, net.W2, net.B2, input);   // the objective is ordinary C#: call it
    Console.WriteLine($"  {input[0]} xor {input[1]} = {targets[s]}: the network says {output:0.0000;-0.0000;0.0000}");   // a tiny negative prints as 0.0000, not -0.0000
}

// 4. A sine wave with a 1-64-1 tanh network: 200 points of y = sin(2x) on [-1.5, 1.5], fitted with
// L-BFGS from small random weights. The hidden layer's loop has 64 iterations, so the generated
// gradient keeps it a loop (a rolled map) instead of writing 64 copies of its body.
const int Points = 200;
var waveX = new double[Points];
var waveY = new double[Points];
for (int s = 0; s < Points; s++)
{
    waveX[s] = -1.5 + 3.0 * s / (Points - 1);
    waveY[s] = Math.Sin(2 * waveX[s]);
}

var waveInit = new Random(11);
double[] waveTheta = new double[Models.WaveParameterCount];   // w1 (64), b1 (64), w2 (64), b2
for (int i = 0; i < waveTheta.Length; i++)
{
    waveTheta[i] = waveInit.NextDouble() - 0.5;
}

var wave = new Models.WaveLbfgs(waveTheta);
watch.Restart();
result = wave.Minimize(waveX, waveY, maxIterations: 5_000, tolerance: 1e-5);
Console.WriteLine();
Console.WriteLine($"sin(2x), 1-{Models.Hidden}-1 tanh network ({Models.WaveParameterCount} trained values), L-BFGS: {result.Status} after {result.Iterations} iterations ({watch.Elapsed.TotalMilliseconds:F0} ms), mean loss {result.Loss:G3}");
Console.WriteLine("      x   sin(2x)   network");
foreach (double x in new[] { -1.5, -0.75, 0.0, 0.4, 1.0, 1.5 })
{
    double output = Models.WaveOutput(wave.W1, wave.B1, wave.W2, wave.B2, x);
    Console.WriteLine($"  {x,5:F2}   {Math.Sin(2 * x),7:F4}   {output,7:F4}");
}
