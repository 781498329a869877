using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OptimDsl.Benchmarks;

/// <summary>
/// Hand-written full-batch gradients of the issue 11 objectives (VectorObjectives.cs), the baselines of
/// VectorBenchmarks.cs. Same flat layout as the generated data overloads: the trained values in
/// declaration order, the data rows back to back; they return the mean loss and write the mean gradient.
/// </summary>
public static class HandWrittenVector
{
    private const int Features = VectorObjectives.Features;
    private const int Inputs = VectorObjectives.Inputs;
    private const int Hidden = VectorObjectives.Hidden;

    /// <summary>
    /// Logistic regression, vectorised across features with Vector256: per sample, the dot product of the
    /// row with w (four accumulators, fused multiply-add), the loss and σ(z) − y in scalar code, then
    /// g += (σ(z) − y)·row over the row.
    /// </summary>
    public static double LogisticRegressionGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> gradient)
    {
        if (parameters.Length != Features + 1 || gradient.Length != Features + 1 || x.Length != y.Length * Features || y.Length == 0)
        {
            throw new ArgumentException("Wrong lengths.");
        }

        const int Chunks = Features / 4;   // 100 features: 25 vectors, no remainder
        int samples = y.Length;
        double b = parameters[Features];
        gradient.Clear();
        ref double w = ref MemoryMarshal.GetReference(parameters);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double row = ref MemoryMarshal.GetReference(x);
        double loss = 0, dB = 0;
        for (int s = 0; s < samples; s++, row = ref Unsafe.Add(ref row, Features))
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            int c = 0;
            for (; c + 4 <= Chunks; c += 4)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)(4 * c)), Vector256.LoadUnsafe(ref w, (nuint)(4 * c)), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)(4 * c + 4)), Vector256.LoadUnsafe(ref w, (nuint)(4 * c + 4)), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)(4 * c + 8)), Vector256.LoadUnsafe(ref w, (nuint)(4 * c + 8)), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)(4 * c + 12)), Vector256.LoadUnsafe(ref w, (nuint)(4 * c + 12)), a3);
            }

            for (; c < Chunks; c++)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)(4 * c)), Vector256.LoadUnsafe(ref w, (nuint)(4 * c)), a0);
            }

            double z = b + Vector256.Sum((a0 + a1) + (a2 + a3));
            double label = y[s];
            double e = Math.Exp(-Math.Abs(z));
            loss += Math.Max(z, 0) + Math.Log(1 + e) - label * z;
            double sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
            double r = sigma - label;
            dB += r;
            var rV = Vector256.Create(r);
            for (c = 0; c < Chunks; c++)
            {
                ref double gc = ref Unsafe.Add(ref g, 4 * c);
                Vector256.FusedMultiplyAdd(rV, Vector256.LoadUnsafe(ref row, (nuint)(4 * c)), Vector256.LoadUnsafe(ref gc)).StoreUnsafe(ref gc);
            }
        }

        double inverse = 1.0 / samples;
        for (int i = 0; i < Features; i++)
        {
            gradient[i] *= inverse;
        }

        gradient[Features] = dB * inverse;
        return loss * inverse;
    }

    /// <summary>
    /// <see cref="LogisticRegressionGradient"/> in float (issue 13), summed as the generated float data overload sums:
    /// each sample's loss and gradient in float (<see cref="AddFloatSample"/>), added in float over blocks of eight
    /// samples, each block widened to double and added to double sums; the means divided in double and rounded to
    /// float once (README, Float objectives).
    /// </summary>
    public static float FloatLogisticRegressionGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
    {
        CheckFloatLengths(parameters, x, y, gradient);
        int samples = y.Length;
        float b = parameters[Features];
        Span<float> block = stackalloc float[Features + 1];
        Span<double> sums = stackalloc double[Features + 1];
        block.Clear();
        sums.Clear();
        ref float w = ref MemoryMarshal.GetReference(parameters);
        ref float row = ref MemoryMarshal.GetReference(x);
        ref float g = ref MemoryMarshal.GetReference(block);
        double loss = 0;
        float blockLoss = 0;
        for (int s = 0; s < samples; s++, row = ref Unsafe.Add(ref row, Features))
        {
            blockLoss += AddFloatSample(ref w, ref row, b, y[s], ref g);
            if ((s & 7) == 7 || s == samples - 1)
            {
                loss += blockLoss;
                blockLoss = 0;
                AddFloatBlock(sums, block);
            }
        }

        for (int i = 0; i <= Features; i++)
        {
            gradient[i] = (float)(sums[i] / samples);
        }

        return (float)(loss / samples);
    }

    /// <summary>
    /// <see cref="FloatLogisticRegressionGradient"/> with every sum in float: each sample's gradient added straight to
    /// <paramref name="gradient"/>, the losses to one float, then divided by the number of samples in float. Less work
    /// than the generated code's double sums, and less accurate (the error grows with the samples).
    /// </summary>
    public static float FloatLogisticRegressionGradientFloatSums(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
    {
        CheckFloatLengths(parameters, x, y, gradient);
        int samples = y.Length;
        float b = parameters[Features];
        gradient.Clear();
        ref float w = ref MemoryMarshal.GetReference(parameters);
        ref float row = ref MemoryMarshal.GetReference(x);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        float loss = 0;
        for (int s = 0; s < samples; s++, row = ref Unsafe.Add(ref row, Features))
        {
            loss += AddFloatSample(ref w, ref row, b, y[s], ref g);
        }

        for (int i = 0; i <= Features; i++)
        {
            gradient[i] /= samples;
        }

        return loss / samples;
    }

    private static void CheckFloatLengths(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
    {
        if (parameters.Length != Features + 1 || gradient.Length != Features + 1 || x.Length != y.Length * Features || y.Length == 0)
        {
            throw new ArgumentException("Wrong lengths.");
        }
    }

    /// <summary>
    /// One sample of the float logistic regression: returns its loss and adds its gradient to the 101 floats at
    /// <paramref name="g"/> (w's 100, then b's). Vectorised across the 100 features: the dot product in four
    /// Vector256&lt;float&gt; accumulators over features 0–95 and a Vector128&lt;float&gt; over 96–99, the loss and
    /// σ(z) − y in scalar code (MathF), then g += (σ(z) − y)·row in the same vectors. Multiplies and adds, no fused
    /// multiply-add: the generated code has none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddFloatSample(ref float w, ref float row, float b, float label, ref float g)
    {
        const int Whole = Features / 8 * 8;   // 96: twelve Vector256, then one Vector128 of the last four features
        var a0 = Vector256.LoadUnsafe(ref row) * Vector256.LoadUnsafe(ref w);
        var a1 = Vector256.LoadUnsafe(ref row, 8) * Vector256.LoadUnsafe(ref w, 8);
        var a2 = Vector256.LoadUnsafe(ref row, 16) * Vector256.LoadUnsafe(ref w, 16);
        var a3 = Vector256.LoadUnsafe(ref row, 24) * Vector256.LoadUnsafe(ref w, 24);
        for (nuint c = 32; c < Whole; c += 32)
        {
            a0 += Vector256.LoadUnsafe(ref row, c) * Vector256.LoadUnsafe(ref w, c);
            a1 += Vector256.LoadUnsafe(ref row, c + 8) * Vector256.LoadUnsafe(ref w, c + 8);
            a2 += Vector256.LoadUnsafe(ref row, c + 16) * Vector256.LoadUnsafe(ref w, c + 16);
            a3 += Vector256.LoadUnsafe(ref row, c + 24) * Vector256.LoadUnsafe(ref w, c + 24);
        }

        var tail = Vector128.LoadUnsafe(ref row, Whole) * Vector128.LoadUnsafe(ref w, Whole);
        float z = b + (Vector256.Sum((a0 + a1) + (a2 + a3)) + Vector128.Sum(tail));
        float e = MathF.Exp(-MathF.Abs(z));
        float loss = MathF.Max(z, 0) + MathF.Log(1 + e) - label * z;
        float r = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - label;
        var rV = Vector256.Create(r);
        for (nuint c = 0; c < Whole; c += 8)
        {
            (Vector256.LoadUnsafe(ref g, c) + rV * Vector256.LoadUnsafe(ref row, c)).StoreUnsafe(ref g, c);
        }

        (Vector128.LoadUnsafe(ref g, Whole) + Vector128.Create(r) * Vector128.LoadUnsafe(ref row, Whole)).StoreUnsafe(ref g, Whole);
        Unsafe.Add(ref g, Features) += r;
        return loss;
    }

    /// <summary><c>sums[k] += block[k]; block[k] = 0</c> over the 101 values, each float widened to double exactly.</summary>
    private static void AddFloatBlock(Span<double> sums, Span<float> block)
    {
        const int Whole = Features / 8 * 8;
        ref double sum = ref MemoryMarshal.GetReference(sums);
        ref float value = ref MemoryMarshal.GetReference(block);
        for (nuint k = 0; k < Whole; k += 8)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref value, k));
            (Vector256.LoadUnsafe(ref sum, k) + lower).StoreUnsafe(ref sum, k);
            (Vector256.LoadUnsafe(ref sum, k + 4) + upper).StoreUnsafe(ref sum, k + 4);
        }

        for (int k = Whole; k <= Features; k++)
        {
            Unsafe.Add(ref sum, k) += Unsafe.Add(ref value, k);
        }

        block.Clear();
    }

    /// <summary>Trained values of an 8-H-1 tanh network: w1 (H × Inputs), b1, w2 (H each), b2.</summary>
    public static int NetworkParameters(int hiddenUnits) => hiddenUnits * Inputs + hiddenUnits + hiddenUnits + 1;

    /// <summary>
    /// Backpropagation through the 8-H-1 tanh network (H = 32 by default), sample by sample: each hidden unit's
    /// row of 8 weights is two Vector256 (the forward dot product and the backward row update), tanh is Math.Tanh.
    /// </summary>
    public static double TanhNetworkGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> gradient, int hiddenUnits = Hidden)
    {
        if (parameters.Length != NetworkParameters(hiddenUnits) || gradient.Length != parameters.Length || input.Length != target.Length * Inputs || target.Length == 0 || hiddenUnits > 1024)
        {
            throw new ArgumentException("Wrong lengths.");
        }

        int B1 = hiddenUnits * Inputs, W2 = B1 + hiddenUnits, B2 = W2 + hiddenUnits;
        int samples = target.Length;
        gradient.Clear();
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double x = ref MemoryMarshal.GetReference(input);
        Span<double> hidden = stackalloc double[hiddenUnits];
        double b2 = parameters[B2];
        double loss = 0, dB2 = 0;
        for (int s = 0; s < samples; s++, x = ref Unsafe.Add(ref x, Inputs))
        {
            var x0 = Vector256.LoadUnsafe(ref x);
            var x1 = Vector256.LoadUnsafe(ref x, 4);
            double output = b2;
            for (int j = 0; j < hiddenUnits; j++)
            {
                ref double row = ref Unsafe.Add(ref p, j * Inputs);
                var dot = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 4), x1, Vector256.LoadUnsafe(ref row) * x0);
                double h = Math.Tanh(Unsafe.Add(ref p, B1 + j) + Vector256.Sum(dot));
                hidden[j] = h;
                output += Unsafe.Add(ref p, W2 + j) * h;
            }

            double r = output - target[s];
            loss += r * r;
            double d = 2 * r;
            dB2 += d;
            for (int j = 0; j < hiddenUnits; j++)
            {
                double h = hidden[j];
                Unsafe.Add(ref g, W2 + j) += d * h;
                double dS = d * Unsafe.Add(ref p, W2 + j) * (1 - h * h);
                Unsafe.Add(ref g, B1 + j) += dS;
                ref double gRow = ref Unsafe.Add(ref g, j * Inputs);
                var dSV = Vector256.Create(dS);
                Vector256.FusedMultiplyAdd(dSV, x0, Vector256.LoadUnsafe(ref gRow)).StoreUnsafe(ref gRow);
                Vector256.FusedMultiplyAdd(dSV, x1, Vector256.LoadUnsafe(ref gRow, 4)).StoreUnsafe(ref gRow, 4);
            }
        }

        double inverse = 1.0 / samples;
        for (int i = 0; i < B2; i++)
        {
            gradient[i] *= inverse;
        }

        gradient[B2] = dB2 * inverse;
        return loss * inverse;
    }

    /// <summary>
    /// One Adam update (learning rate 0.01, β1 0.9, β2 0.999, ε 1e-8) from a given gradient, Vector256:
    /// m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², θ −= lr/(1 − β1^t) · m / (√(v/(1 − β2^t)) + ε).
    /// </summary>
    public static double AdamUpdate(Span<double> theta, ReadOnlySpan<double> gradient, Span<double> m, Span<double> v, ref long iteration)
    {
        const double LearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        if (gradient.Length != theta.Length || m.Length != theta.Length || v.Length != theta.Length || theta.Length % 4 != 0)
        {
            throw new ArgumentException("Wrong lengths.");
        }

        iteration++;
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, iteration));
        double inverseCorrection2 = 1 / (1 - Math.Pow(Beta2, iteration));
        var beta1 = Vector256.Create(Beta1);
        var oneMinusBeta1 = Vector256.Create(1 - Beta1);
        var beta2 = Vector256.Create(Beta2);
        var oneMinusBeta2 = Vector256.Create(1 - Beta2);
        var step = Vector256.Create(stepSize);
        var correction2 = Vector256.Create(inverseCorrection2);
        var epsilon = Vector256.Create(Epsilon);
        ref double t = ref MemoryMarshal.GetReference(theta);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double vr = ref MemoryMarshal.GetReference(v);
        for (nuint i = 0; i < (nuint)theta.Length; i += 4)
        {
            var gi = Vector256.LoadUnsafe(ref g, i);
            var mi = Vector256.FusedMultiplyAdd(beta1, Vector256.LoadUnsafe(ref mr, i), oneMinusBeta1 * gi);
            var vi = Vector256.FusedMultiplyAdd(beta2, Vector256.LoadUnsafe(ref vr, i), oneMinusBeta2 * gi * gi);
            mi.StoreUnsafe(ref mr, i);
            vi.StoreUnsafe(ref vr, i);
            var ti = Vector256.LoadUnsafe(ref t, i) - step * mi / (Vector256.Sqrt(vi * correction2) + epsilon);
            ti.StoreUnsafe(ref t, i);
        }

        return theta[0];
    }

    /// <summary>
    /// <see cref="AdamUpdate"/> eight values at a time in <see cref="Vector512{T}"/> (the same operations per value), for
    /// scale on machines that accelerate it; falls back to <see cref="AdamUpdate"/> elsewhere.
    /// </summary>
    public static double AdamUpdate512(Span<double> theta, ReadOnlySpan<double> gradient, Span<double> m, Span<double> v, ref long iteration)
    {
        const double LearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        if (!Vector512.IsHardwareAccelerated)
        {
            return AdamUpdate(theta, gradient, m, v, ref iteration);
        }

        if (gradient.Length != theta.Length || m.Length != theta.Length || v.Length != theta.Length || theta.Length % 8 != 0)
        {
            throw new ArgumentException("Wrong lengths.");
        }

        iteration++;
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, iteration));
        double inverseCorrection2 = 1 / (1 - Math.Pow(Beta2, iteration));
        var beta1 = Vector512.Create(Beta1);
        var oneMinusBeta1 = Vector512.Create(1 - Beta1);
        var beta2 = Vector512.Create(Beta2);
        var oneMinusBeta2 = Vector512.Create(1 - Beta2);
        var step = Vector512.Create(stepSize);
        var correction2 = Vector512.Create(inverseCorrection2);
        var epsilon = Vector512.Create(Epsilon);
        ref double t = ref MemoryMarshal.GetReference(theta);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double vr = ref MemoryMarshal.GetReference(v);
        for (nuint i = 0; i < (nuint)theta.Length; i += 8)
        {
            var gi = Vector512.LoadUnsafe(ref g, i);
            var mi = Vector512.FusedMultiplyAdd(beta1, Vector512.LoadUnsafe(ref mr, i), oneMinusBeta1 * gi);
            var vi = Vector512.FusedMultiplyAdd(beta2, Vector512.LoadUnsafe(ref vr, i), oneMinusBeta2 * gi * gi);
            mi.StoreUnsafe(ref mr, i);
            vi.StoreUnsafe(ref vr, i);
            var ti = Vector512.LoadUnsafe(ref t, i) - step * mi / (Vector512.Sqrt(vi * correction2) + epsilon);
            ti.StoreUnsafe(ref t, i);
        }

        return theta[0];
    }

    /// <summary>The sum of <paramref name="values"/> in four <see cref="Vector256{T}"/> sums, the tail in scalars: one read of every value.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        ref double r = ref MemoryMarshal.GetReference(values);
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        nuint i = 0;
        for (; i + 16 <= (nuint)values.Length; i += 16)
        {
            s0 += Vector256.LoadUnsafe(ref r, i);
            s1 += Vector256.LoadUnsafe(ref r, i + 4);
            s2 += Vector256.LoadUnsafe(ref r, i + 8);
            s3 += Vector256.LoadUnsafe(ref r, i + 12);
        }

        double sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; i < (nuint)values.Length; i++)
        {
            sum += Unsafe.Add(ref r, i);
        }

        return sum;
    }
}
