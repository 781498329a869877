using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// PROTOTYPE of the optimizer code the README recommends the generator emit (delete once it does).
// Identical arithmetic to the generated structs; one difference: the gradient stays in locals
// (out locals of the scalar gradient) and SIMD vectors are built from them with Vector256.Create,
// instead of being stored to the _gradient field with scalar stores and re-read with a 256-bit
// LoadUnsafe (a store-to-load forwarding failure on every vector, on the step's critical path).

[MemoryDiagnoser]
public class EmissionPrototypeBenchmarks
{
    [Params(2, 8, 64)]
    public int Parameters { get; set; }

    private const int Steps = StepBenchmarkBase.Steps;

    [Benchmark(OperationsPerInvoke = Steps)]
    public double GradientDescentAsGenerated() => Parameters switch
    {
        2 => Run(new Objectives.ShiftedSquares2GradientDescent(0, 0)),
        8 => Run(new Objectives.ShiftedSquares8GradientDescent(0, 0, 0, 0, 0, 0, 0, 0)),
        _ => Run(new Objectives.ShiftedSquares64GradientDescent(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    };

    [Benchmark(OperationsPerInvoke = Steps)]
    public double GradientDescentProposed() => Parameters switch
    {
        2 => Run(new ProposedGradientDescent2()),
        8 => Run(new ProposedGradientDescent8()),
        _ => Run(new ProposedGradientDescent64()),
    };

    [Benchmark(OperationsPerInvoke = Steps)]
    public double AdamAsGenerated() => Parameters switch
    {
        2 => Run(new Objectives.ShiftedSquares2Adam(0, 0)),
        8 => Run(new Objectives.ShiftedSquares8Adam(0, 0, 0, 0, 0, 0, 0, 0)),
        _ => Run(new Objectives.ShiftedSquares64Adam(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    };

    [Benchmark(OperationsPerInvoke = Steps)]
    public double AdamProposed() => Parameters switch
    {
        2 => Run(new ProposedAdam2()),
        8 => Run(new ProposedAdam8()),
        _ => Run(new ProposedAdam64()),
    };

    private static double Run(Objectives.ShiftedSquares2GradientDescent o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(Objectives.ShiftedSquares8GradientDescent o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(Objectives.ShiftedSquares64GradientDescent o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(Objectives.ShiftedSquares2Adam o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(Objectives.ShiftedSquares8Adam o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(Objectives.ShiftedSquares64Adam o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedGradientDescent2 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedGradientDescent8 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedGradientDescent64 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedAdam2 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedAdam8 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
    private static double Run(ProposedAdam64 o) { double s = 0; for (int i = 0; i < Steps; i++) s += o.Step(); return s; }
}

[InlineArray(2)] internal struct Doubles2 { private double _e; }
[InlineArray(8)] internal struct Doubles8 { private double _e; }
[InlineArray(64)] internal struct Doubles64 { private double _e; }

internal readonly struct AdamScalars(double learningRate, double beta1, double beta2, double epsilon, double biasCorrection1, double biasCorrection2)
{
    public readonly double LearningRate = learningRate, Beta1 = beta1, OneMinusBeta1 = 1 - beta1, Beta2 = beta2, OneMinusBeta2 = 1 - beta2,
        Epsilon = epsilon, BiasCorrection1 = biasCorrection1, BiasCorrection2 = biasCorrection2;
}

internal static class ProposedKernels
{
    // The generated kernels, with the gradient passed as a vector instead of loaded from memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Adam128(ref double parameters, Vector128<double> g, ref double m, ref double v, in AdamScalars c)
    {
        var mNew = Vector128.Create(c.Beta1) * Vector128.LoadUnsafe(ref m) + Vector128.Create(c.OneMinusBeta1) * g;
        var vNew = Vector128.Create(c.Beta2) * Vector128.LoadUnsafe(ref v) + Vector128.Create(c.OneMinusBeta2) * (g * g);
        Vector128.StoreUnsafe(mNew, ref m);
        Vector128.StoreUnsafe(vNew, ref v);
        var mHat = mNew / Vector128.Create(c.BiasCorrection1);
        var vHat = vNew / Vector128.Create(c.BiasCorrection2);
        var theta = Vector128.LoadUnsafe(ref parameters) - Vector128.Create(c.LearningRate) * mHat / (Vector128.Sqrt(vHat) + Vector128.Create(c.Epsilon));
        Vector128.StoreUnsafe(theta, ref parameters);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Adam256(ref double parameters, Vector256<double> g, ref double m, ref double v, in AdamScalars c)
    {
        var mNew = Vector256.Create(c.Beta1) * Vector256.LoadUnsafe(ref m) + Vector256.Create(c.OneMinusBeta1) * g;
        var vNew = Vector256.Create(c.Beta2) * Vector256.LoadUnsafe(ref v) + Vector256.Create(c.OneMinusBeta2) * (g * g);
        Vector256.StoreUnsafe(mNew, ref m);
        Vector256.StoreUnsafe(vNew, ref v);
        var mHat = mNew / Vector256.Create(c.BiasCorrection1);
        var vHat = vNew / Vector256.Create(c.BiasCorrection2);
        var theta = Vector256.LoadUnsafe(ref parameters) - Vector256.Create(c.LearningRate) * mHat / (Vector256.Sqrt(vHat) + Vector256.Create(c.Epsilon));
        Vector256.StoreUnsafe(theta, ref parameters);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Descend128(ref double parameters, Vector128<double> g, double learningRate)
        => Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref parameters) - Vector128.Create(learningRate) * g, ref parameters);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Descend256(ref double parameters, Vector256<double> g, double learningRate)
        => Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref parameters) - Vector256.Create(learningRate) * g, ref parameters);
}

internal struct ProposedGradientDescent2
{
    private Doubles2 _p;
    private long _iteration;
    private double _learningRate;

    public ProposedGradientDescent2() { _learningRate = 0.01; }

    public double Step()
    {
        ref var p = ref _p;
        double loss = Objectives.ShiftedSquares2Gradient(p[0], p[1], out double g0, out double g1);
        _iteration++;
        ProposedKernels.Descend128(ref p[0], Vector128.Create(g0, g1), _learningRate);
        return loss;
    }
}

internal struct ProposedGradientDescent8
{
    private Doubles8 _p;
    private long _iteration;
    private double _learningRate;

    public ProposedGradientDescent8() { _learningRate = 0.01; }

    public double Step()
    {
        ref var p = ref _p;
        double loss = Objectives.ShiftedSquares8Gradient(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], out double g0, out double g1, out double g2, out double g3, out double g4, out double g5, out double g6, out double g7);
        _iteration++;
        double lr = _learningRate;
        ProposedKernels.Descend256(ref p[0], Vector256.Create(g0, g1, g2, g3), lr);
        ProposedKernels.Descend256(ref p[4], Vector256.Create(g4, g5, g6, g7), lr);
        return loss;
    }
}

internal struct ProposedGradientDescent64
{
    private Doubles64 _p;
    private long _iteration;
    private double _learningRate;

    public ProposedGradientDescent64() { _learningRate = 0.01; }

    public double Step()
    {
        ref var p = ref _p;
        double loss = Objectives.ShiftedSquares64Gradient(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25], p[26], p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37], p[38], p[39], p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49], p[50], p[51], p[52], p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61], p[62], p[63], out double g0, out double g1, out double g2, out double g3, out double g4, out double g5, out double g6, out double g7, out double g8, out double g9, out double g10, out double g11, out double g12, out double g13, out double g14, out double g15, out double g16, out double g17, out double g18, out double g19, out double g20, out double g21, out double g22, out double g23, out double g24, out double g25, out double g26, out double g27, out double g28, out double g29, out double g30, out double g31, out double g32, out double g33, out double g34, out double g35, out double g36, out double g37, out double g38, out double g39, out double g40, out double g41, out double g42, out double g43, out double g44, out double g45, out double g46, out double g47, out double g48, out double g49, out double g50, out double g51, out double g52, out double g53, out double g54, out double g55, out double g56, out double g57, out double g58, out double g59, out double g60, out double g61, out double g62, out double g63);
        _iteration++;
        double lr = _learningRate;
        ProposedKernels.Descend256(ref p[0], Vector256.Create(g0, g1, g2, g3), lr);
        ProposedKernels.Descend256(ref p[4], Vector256.Create(g4, g5, g6, g7), lr);
        ProposedKernels.Descend256(ref p[8], Vector256.Create(g8, g9, g10, g11), lr);
        ProposedKernels.Descend256(ref p[12], Vector256.Create(g12, g13, g14, g15), lr);
        ProposedKernels.Descend256(ref p[16], Vector256.Create(g16, g17, g18, g19), lr);
        ProposedKernels.Descend256(ref p[20], Vector256.Create(g20, g21, g22, g23), lr);
        ProposedKernels.Descend256(ref p[24], Vector256.Create(g24, g25, g26, g27), lr);
        ProposedKernels.Descend256(ref p[28], Vector256.Create(g28, g29, g30, g31), lr);
        ProposedKernels.Descend256(ref p[32], Vector256.Create(g32, g33, g34, g35), lr);
        ProposedKernels.Descend256(ref p[36], Vector256.Create(g36, g37, g38, g39), lr);
        ProposedKernels.Descend256(ref p[40], Vector256.Create(g40, g41, g42, g43), lr);
        ProposedKernels.Descend256(ref p[44], Vector256.Create(g44, g45, g46, g47), lr);
        ProposedKernels.Descend256(ref p[48], Vector256.Create(g48, g49, g50, g51), lr);
        ProposedKernels.Descend256(ref p[52], Vector256.Create(g52, g53, g54, g55), lr);
        ProposedKernels.Descend256(ref p[56], Vector256.Create(g56, g57, g58, g59), lr);
        ProposedKernels.Descend256(ref p[60], Vector256.Create(g60, g61, g62, g63), lr);
        return loss;
    }
}

internal struct ProposedAdam2
{
    private Doubles2 _p, _m, _v;
    private double _beta1Power, _beta2Power;
    private long _iteration;

    public ProposedAdam2() { _beta1Power = 1; _beta2Power = 1; }

    public double Step()
    {
        ref var p = ref _p;
        double loss = Objectives.ShiftedSquares2Gradient(p[0], p[1], out double g0, out double g1);
        _iteration++;
        _beta1Power *= 0.9;
        _beta2Power *= 0.999;
        var c = new AdamScalars(0.01, 0.9, 0.999, 1e-8, 1 - _beta1Power, 1 - _beta2Power);
        ProposedKernels.Adam128(ref p[0], Vector128.Create(g0, g1), ref _m[0], ref _v[0], in c);
        return loss;
    }
}

internal struct ProposedAdam8
{
    private Doubles8 _p, _m, _v;
    private double _beta1Power, _beta2Power;
    private long _iteration;

    public ProposedAdam8() { _beta1Power = 1; _beta2Power = 1; }

    public double Step()
    {
        ref var p = ref _p;
        double loss = Objectives.ShiftedSquares8Gradient(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], out double g0, out double g1, out double g2, out double g3, out double g4, out double g5, out double g6, out double g7);
        _iteration++;
        _beta1Power *= 0.9;
        _beta2Power *= 0.999;
        var c = new AdamScalars(0.01, 0.9, 0.999, 1e-8, 1 - _beta1Power, 1 - _beta2Power);
        ProposedKernels.Adam256(ref p[0], Vector256.Create(g0, g1, g2, g3), ref _m[0], ref _v[0], in c);
        ProposedKernels.Adam256(ref p[4], Vector256.Create(g4, g5, g6, g7), ref _m[4], ref _v[4], in c);
        return loss;
    }
}

internal struct ProposedAdam64
{
    private Doubles64 _p, _m, _v;
    private double _beta1Power, _beta2Power;
    private long _iteration;

    public ProposedAdam64() { _beta1Power = 1; _beta2Power = 1; }

    public double Step()
    {
        ref var p = ref _p;
        ref var m = ref _m;
        ref var v = ref _v;
        double loss = Objectives.ShiftedSquares64Gradient(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25], p[26], p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37], p[38], p[39], p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49], p[50], p[51], p[52], p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61], p[62], p[63], out double g0, out double g1, out double g2, out double g3, out double g4, out double g5, out double g6, out double g7, out double g8, out double g9, out double g10, out double g11, out double g12, out double g13, out double g14, out double g15, out double g16, out double g17, out double g18, out double g19, out double g20, out double g21, out double g22, out double g23, out double g24, out double g25, out double g26, out double g27, out double g28, out double g29, out double g30, out double g31, out double g32, out double g33, out double g34, out double g35, out double g36, out double g37, out double g38, out double g39, out double g40, out double g41, out double g42, out double g43, out double g44, out double g45, out double g46, out double g47, out double g48, out double g49, out double g50, out double g51, out double g52, out double g53, out double g54, out double g55, out double g56, out double g57, out double g58, out double g59, out double g60, out double g61, out double g62, out double g63);
        _iteration++;
        _beta1Power *= 0.9;
        _beta2Power *= 0.999;
        var c = new AdamScalars(0.01, 0.9, 0.999, 1e-8, 1 - _beta1Power, 1 - _beta2Power);
        ProposedKernels.Adam256(ref p[0], Vector256.Create(g0, g1, g2, g3), ref m[0], ref v[0], in c);
        ProposedKernels.Adam256(ref p[4], Vector256.Create(g4, g5, g6, g7), ref m[4], ref v[4], in c);
        ProposedKernels.Adam256(ref p[8], Vector256.Create(g8, g9, g10, g11), ref m[8], ref v[8], in c);
        ProposedKernels.Adam256(ref p[12], Vector256.Create(g12, g13, g14, g15), ref m[12], ref v[12], in c);
        ProposedKernels.Adam256(ref p[16], Vector256.Create(g16, g17, g18, g19), ref m[16], ref v[16], in c);
        ProposedKernels.Adam256(ref p[20], Vector256.Create(g20, g21, g22, g23), ref m[20], ref v[20], in c);
        ProposedKernels.Adam256(ref p[24], Vector256.Create(g24, g25, g26, g27), ref m[24], ref v[24], in c);
        ProposedKernels.Adam256(ref p[28], Vector256.Create(g28, g29, g30, g31), ref m[28], ref v[28], in c);
        ProposedKernels.Adam256(ref p[32], Vector256.Create(g32, g33, g34, g35), ref m[32], ref v[32], in c);
        ProposedKernels.Adam256(ref p[36], Vector256.Create(g36, g37, g38, g39), ref m[36], ref v[36], in c);
        ProposedKernels.Adam256(ref p[40], Vector256.Create(g40, g41, g42, g43), ref m[40], ref v[40], in c);
        ProposedKernels.Adam256(ref p[44], Vector256.Create(g44, g45, g46, g47), ref m[44], ref v[44], in c);
        ProposedKernels.Adam256(ref p[48], Vector256.Create(g48, g49, g50, g51), ref m[48], ref v[48], in c);
        ProposedKernels.Adam256(ref p[52], Vector256.Create(g52, g53, g54, g55), ref m[52], ref v[52], in c);
        ProposedKernels.Adam256(ref p[56], Vector256.Create(g56, g57, g58, g59), ref m[56], ref v[56], in c);
        ProposedKernels.Adam256(ref p[60], Vector256.Create(g60, g61, g62, g63), ref m[60], ref v[60], in c);
        return loss;
    }
}
