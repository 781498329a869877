using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Vector parameters (issue 11). Objectives in VectorObjectives.cs, hand-written baselines in HandWrittenVector.cs.
//   LogisticRegressionBenchmarks: full-batch mean loss + gradient, 100 features × 2^16 samples.
//     Generated: the generated data overload. ScalarLoop: the generated per-sample named overload,
//     called per sample and summed (baseline). HandWritten: Vector256 across features.
//     Targets: generated ≥ 3× faster than ScalarLoop, ≤ 1.25× HandWritten.
//   FloatLogisticRegressionBenchmarks (issue 13): the same regression in float (the same data rounded to float).
//     Generated: the generated float data overload. HandWritten (baseline): Vector256<float> across features, its sums
//     kept as the generated code keeps them (float blocks of eight samples, then double). HandWrittenFloatSums: the
//     same per-sample code with every sum in float. Target: generated ≤ 1.25× HandWritten.
//   TanhNetworkBenchmarks: 8-32-1 and 8-128-1 tanh networks (the wide one's hidden layer a rolled map), full-batch gradient over 4,096 samples.
//     Generated: the data overload. HandWritten: backpropagation (baseline). Target: ≤ 1.5×.
//   AdamBandwidthBenchmarks: one Adam Step() over 10,000 trained values vs a STREAM triad over
//     arrays of 10,000 values. Target: the step moves its bytes (θ, g, m, v read; θ, m, v written:
//     56 bytes per value) at ≥ 80% of the triad's bytes per second (24 bytes per value).
// Each class's [GlobalSetup] checks (outside the timed part) that its variants agree to 1e-9
// relative, and throws if not, so a disagreeing benchmark fails instead of reporting a time.

/// <summary>Agreement of two gradients, measured relative to the larger one.</summary>
public static class VectorAgreement
{
    public const double Tolerance = 1e-9;

    /// <summary>
    /// Throws unless the losses agree to <see cref="Tolerance"/> relative, and every component of the
    /// gradients to <see cref="Tolerance"/> relative to the larger gradient's largest component (the
    /// sums run in different orders, so a component that cancels to near zero can only be held to the
    /// gradient's scale). Prints the errors, and the worst component-wise relative error for information.
    /// </summary>
    public static void Check(string what, double loss, ReadOnlySpan<double> gradient, double otherLoss, ReadOnlySpan<double> otherGradient)
        => Check(what, loss, gradient, otherLoss, otherGradient, Tolerance);

    /// <summary>As <see cref="Check(string, double, ReadOnlySpan{double}, double, ReadOnlySpan{double})"/>, to <paramref name="tolerance"/>.</summary>
    public static void Check(string what, double loss, ReadOnlySpan<double> gradient, double otherLoss, ReadOnlySpan<double> otherGradient, double tolerance)
    {
        double scale = Math.Max(Math.Abs(TensorPrimitives.MaxMagnitude(gradient)), Math.Abs(TensorPrimitives.MaxMagnitude(otherGradient)));
        double worstNormwise = 0, worstComponent = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            double difference = Math.Abs(gradient[i] - otherGradient[i]);
            worstNormwise = Math.Max(worstNormwise, difference / scale);
            double larger = Math.Max(Math.Abs(gradient[i]), Math.Abs(otherGradient[i]));
            worstComponent = Math.Max(worstComponent, larger == 0 ? 0 : difference / larger);
        }

        double lossError = Math.Abs(loss - otherLoss) / Math.Max(Math.Abs(loss), Math.Abs(otherLoss));
        Console.WriteLine($"// agreement {what}: loss {lossError:E2}, gradient {worstNormwise:E2} of its largest component (worst component-wise {worstComponent:E2})");
        if (!(lossError <= tolerance && worstNormwise <= tolerance))
        {
            throw new InvalidOperationException($"{what} disagree: loss {lossError:E2}, gradient {worstNormwise:E2}");
        }
    }
}

[MemoryDiagnoser]
public class LogisticRegressionBenchmarks
{
    private const int Features = VectorObjectives.Features;
    public const int Samples = 1 << 16;

    private readonly double[] _parameters = new double[Features + 1];
    private readonly double[] _gradient = new double[Features + 1];
    private readonly double[] _sampleGradient = new double[Features];
    private double[] _x = [], _y = [];

    /// <summary>
    /// The trained values at which the gradient is taken (uniform in [−0.3, 0.3), b = 0.1), the rows (uniform in
    /// [−1, 1)) and labels drawn from a noisy linear model; also the float twin's, rounded to float.
    /// </summary>
    public static (double[] Parameters, double[] X, double[] Y) Data()
    {
        var random = new Random(23);
        var truth = new double[Features];
        var parameters = new double[Features + 1];
        for (int i = 0; i < Features; i++)
        {
            truth[i] = random.NextDouble() * 0.6 - 0.3;
            parameters[i] = random.NextDouble() * 0.6 - 0.3;
        }

        parameters[Features] = 0.1;
        var x = new double[Samples * Features];
        var y = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            double z = 0.2;
            for (int i = 0; i < Features; i++)
            {
                double value = random.NextDouble() * 2 - 1;
                x[s * Features + i] = value;
                z += truth[i] * value;
            }

            y[s] = z + 0.5 * (random.NextDouble() - 0.5) > 0 ? 1 : 0;
        }

        return (parameters, x, y);
    }

    [GlobalSetup]
    public void Setup()
    {
        (double[] parameters, _x, _y) = Data();
        parameters.CopyTo(_parameters, 0);
        var generated = new double[Features + 1];
        double generatedLoss = VectorObjectives.LogisticRegressionGradient(_parameters, _x, _y, generated);
        double scalarLoss = ScalarLoop();
        VectorAgreement.Check("logistic regression, generated vs scalar loop", generatedLoss, generated, scalarLoss, _gradient);
        double handWrittenLoss = HandWritten();
        VectorAgreement.Check("logistic regression, generated vs hand-written", generatedLoss, generated, handWrittenLoss, _gradient);
    }

    [Benchmark]
    public double Generated() => VectorObjectives.LogisticRegressionGradient(_parameters, _x, _y, _gradient);

    /// <summary>The generated per-sample named overload, sample by sample, its gradients summed in a scalar loop.</summary>
    [Benchmark(Baseline = true)]
    public double ScalarLoop()
    {
        ReadOnlySpan<double> w = _parameters.AsSpan(0, Features);
        double b = _parameters[Features];
        double[] x = _x, y = _y, sum = _gradient, sample = _sampleGradient;
        Array.Clear(sum);
        double loss = 0, dB = 0;
        for (int s = 0; s < y.Length; s++)
        {
            loss += VectorObjectives.LogisticRegressionGradient(w, b, x.AsSpan(s * Features, Features), y[s], sample, out double sampleDB);
            for (int i = 0; i < Features; i++)
            {
                sum[i] += sample[i];
            }

            dB += sampleDB;
        }

        double inverse = 1.0 / y.Length;
        for (int i = 0; i < Features; i++)
        {
            sum[i] *= inverse;
        }

        sum[Features] = dB * inverse;
        return loss * inverse;
    }

    [Benchmark]
    public double HandWritten() => HandWrittenVector.LogisticRegressionGradient(_parameters, _x, _y, _gradient);

    /// <summary>The generated data overload with <c>maxDegreeOfParallelism: 2</c>: the same bits, the samples in two shards.</summary>
    [Benchmark]
    public double GeneratedTwoCores() => VectorObjectives.LogisticRegressionGradient(_parameters, _x, _y, _gradient, maxDegreeOfParallelism: 2);

    /// <summary>
    /// The floor of every single-threaded gradient here: the rows read once and summed (four <see cref="System.Runtime.Intrinsics.Vector256{T}"/>
    /// sums), 52 MB that do not fit in the cache.
    /// </summary>
    [Benchmark]
    public double RowsReadOnly() => HandWrittenVector.Sum(_x);
}

[MemoryDiagnoser]
public class FloatLogisticRegressionBenchmarks
{
    private const int Features = VectorObjectives.Features;
    public const int Samples = LogisticRegressionBenchmarks.Samples;

    /// <summary>
    /// The float variants' agreement, relative as in <see cref="VectorAgreement"/>: float rounding (u = 2⁻²⁴ ≈ 6·10⁻⁸)
    /// over the 100-term dot product, exp and log, and the float-summed variant's 2^16-term float sums (a few 10⁻⁵ at
    /// worst, √N·u typically). tests/OptimDsl.Tests' HandWrittenFloatLogisticTests bounds the same with the error analysis.
    /// </summary>
    private const double FloatTolerance = 1e-4;

    private readonly float[] _parameters = new float[Features + 1];
    private readonly float[] _gradient = new float[Features + 1];
    private float[] _x = [], _y = [];

    [GlobalSetup]
    public void Setup()
    {
        // The double benchmark's data and start, rounded to float.
        (double[] parameters, double[] x, double[] y) = LogisticRegressionBenchmarks.Data();
        _x = Array.ConvertAll(x, v => (float)v);
        _y = Array.ConvertAll(y, v => (float)v);
        for (int i = 0; i <= Features; i++)
        {
            _parameters[i] = (float)parameters[i];
        }

        float generatedLoss = Generated();
        double[] generated = Array.ConvertAll(_gradient, v => (double)v);
        float handWrittenLoss = HandWritten();
        VectorAgreement.Check("float logistic regression, generated vs hand-written", generatedLoss, generated, handWrittenLoss, Array.ConvertAll(_gradient, v => (double)v), FloatTolerance);
        float floatSumsLoss = HandWrittenFloatSums();
        VectorAgreement.Check("float logistic regression, generated vs hand-written float sums", generatedLoss, generated, floatSumsLoss, Array.ConvertAll(_gradient, v => (double)v), FloatTolerance);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Generated();
        Console.WriteLine($"// Allocated by a generated call after the first: {GC.GetAllocatedBytesForCurrentThread() - before} B");
    }

    [Benchmark]
    public float Generated() => VectorObjectives.FloatLogisticRegressionGradient(_parameters, _x, _y, _gradient);

    [Benchmark(Baseline = true)]
    public float HandWritten() => HandWrittenVector.FloatLogisticRegressionGradient(_parameters, _x, _y, _gradient);

    [Benchmark]
    public float HandWrittenFloatSums() => HandWrittenVector.FloatLogisticRegressionGradientFloatSums(_parameters, _x, _y, _gradient);
}

[MemoryDiagnoser]
public class TanhNetworkBenchmarks
{
    private const int Inputs = VectorObjectives.Inputs;
    public const int Samples = 4_096;

    private double[] _parameters = [], _gradient = [];
    private double[] _input = [], _target = [];

    /// <summary>Hidden units: 32 (the hidden layer unrolled) or 128 (a rolled map).</summary>
    [Params(VectorObjectives.Hidden, VectorObjectives.WideHidden)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parameters = new double[HandWrittenVector.NetworkParameters(Hidden)];
        _gradient = new double[_parameters.Length];
        var random = new Random(29);
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = random.NextDouble() - 0.5;
        }

        _input = new double[Samples * Inputs];
        _target = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            double sum = 0;
            for (int i = 0; i < Inputs; i++)
            {
                double value = random.NextDouble() * 2 - 1;
                _input[s * Inputs + i] = value;
                sum += (i + 1) * value;
            }

            _target[s] = Math.Sin(sum / 4);
        }

        var generated = _gradient;
        double generatedLoss = Generated();
        generated = (double[])generated.Clone();
        double handWrittenLoss = HandWritten();
        VectorAgreement.Check($"8-{Hidden}-1 tanh network, generated vs hand-written", generatedLoss, generated, handWrittenLoss, _gradient);
    }

    [Benchmark]
    public double Generated() => Hidden == VectorObjectives.Hidden
        ? VectorObjectives.TanhNetworkGradient(_parameters, _input, _target, _gradient)
        : VectorObjectives.WideTanhNetworkGradient(_parameters, _input, _target, _gradient);

    [Benchmark(Baseline = true)]
    public double HandWritten() => HandWrittenVector.TanhNetworkGradient(_parameters, _input, _target, _gradient, Hidden);
}

[MemoryDiagnoser]
public class AdamBandwidthBenchmarks
{
    public const int Values = VectorObjectives.AdamValues;

    /// <summary>Bytes one Adam step moves: θ, g, m, v read and θ, m, v written, 8 bytes each.</summary>
    public const int StepBytes = 7 * 8 * Values;

    /// <summary>Bytes one triad moves: b and c read, a written (STREAM's count, no write-allocate).</summary>
    public const int TriadBytes = 3 * 8 * Values;

    private const double Scalar = 3.0;

    private VectorObjectives.WideBowlAdam _adam;
    private VectorObjectives.WideValleyAdam _moving;
    private readonly double[] _a = new double[Values], _b = new double[Values], _c = new double[Values];
    private readonly double[] _theta = new double[Values], _gradient = new double[Values], _m = new double[Values], _v = new double[Values];
    private readonly double[] _theta512 = new double[Values], _m512 = new double[Values], _v512 = new double[Values];
    private long _iteration, _iteration512;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(31);
        for (int i = 0; i < Values; i++)
        {
            _theta[i] = random.NextDouble() * 2 - 1;
            _b[i] = random.NextDouble();
            _c[i] = random.NextDouble();
        }

        // The step runs on from here for the whole benchmark: Adam on a bowl takes the same path every
        // step (no branch depends on the values), so the state it starts from does not matter.
        _adam = new VectorObjectives.WideBowlAdam(_theta);
        _moving = new VectorObjectives.WideValleyAdam(_theta);
        _theta.CopyTo(_theta512, 0);
        CheckHandWrittenAdam();
        VectorObjectives.WideBowlGradient(_theta, _gradient);
        Console.WriteLine($"// Adam step: {StepBytes} bytes, triad: {TriadBytes} bytes");
    }

    /// <summary>Three steps of the generated optimizer and of the hand-written update from the same start agree.</summary>
    private void CheckHandWrittenAdam()
    {
        var generated = new VectorObjectives.WideBowlAdam(_theta);
        double[] theta = (double[])_theta.Clone(), g = new double[Values], m = new double[Values], v = new double[Values];
        double[] theta512 = (double[])_theta.Clone(), g512 = new double[Values], m512 = new double[Values], v512 = new double[Values];
        long iteration = 0, iteration512 = 0;
        for (int step = 0; step < 3; step++)
        {
            generated.Step();
            VectorObjectives.WideBowlGradient(theta, g);
            HandWrittenVector.AdamUpdate(theta, g, m, v, ref iteration);
            VectorObjectives.WideBowlGradient(theta512, g512);
            HandWrittenVector.AdamUpdate512(theta512, g512, m512, v512, ref iteration512);
        }

        double worst = 0;
        for (int i = 0; i < Values; i++)
        {
            worst = Math.Max(worst, Math.Abs(generated.W[i] - theta[i]) / Math.Max(Math.Abs(theta[i]), 1e-300));
            worst = Math.Max(worst, Math.Abs(generated.W[i] - theta512[i]) / Math.Max(Math.Abs(theta512[i]), 1e-300));
        }

        Console.WriteLine($"// agreement Adam, generated vs hand-written update, 3 steps: θ {worst:E2}");
        if (!(worst <= VectorAgreement.Tolerance))
        {
            throw new InvalidOperationException($"Adam updates disagree: {worst:E2}");
        }
    }

    /// <summary>The generated step on <see cref="VectorObjectives.WideBowl"/>, whose state the benchmark's steps drive towards zero.</summary>
    [Benchmark]
    public double AdamStep() => _adam.Step();

    /// <summary>
    /// The generated step on <see cref="VectorObjectives.WideValley"/>: every gradient component ±1, so m and v stay normal
    /// numbers however many steps the benchmark makes (v = 1 − β₂ᵗ), as in a run that is still learning.
    /// </summary>
    [Benchmark]
    public double AdamStepInMotion() => _moving.Step();

    /// <summary>The generated gradient of <see cref="VectorObjectives.WideValley"/> alone.</summary>
    [Benchmark]
    public double GradientOnlyInMotion() => VectorObjectives.WideValleyGradient(_theta, _gradient);

    /// <summary>The generated gradient alone (what the step pays besides the update).</summary>
    [Benchmark]
    public double GradientOnly() => VectorObjectives.WideBowlGradient(_theta, _gradient);

    /// <summary>
    /// For scale, not a target: a hand-written Vector256 Adam update over the same bytes (θ, g, m, v read;
    /// θ, m, v written; bias correction folded into two scalars per step), without the gradient: what the
    /// update alone costs once the gradient is cheap.
    /// </summary>
    [Benchmark]
    public double HandWrittenAdamUpdate() => HandWrittenVector.AdamUpdate(_theta, _gradient, _m, _v, ref _iteration);

    /// <summary>The same hand-written update in <see cref="System.Runtime.Intrinsics.Vector512{T}"/>, for scale.</summary>
    [Benchmark]
    public double HandWrittenAdamUpdate512() => HandWrittenVector.AdamUpdate512(_theta512, _gradient, _m512, _v512, ref _iteration512);

    /// <summary>STREAM triad a = b + s·c over 10,000 values (TensorPrimitives: AVX-512 where the machine has it).</summary>
    [Benchmark(Baseline = true)]
    public void Triad() => TensorPrimitives.MultiplyAdd(_c, Scalar, _b, _a);
}
