using System;
using System.Runtime.Intrinsics;
using OptimDsl;
using OptimDsl.Rules;

namespace OptimDsl.SimdCheck;

/// <summary>
/// The float side of the runtime (README, Float objectives), before the generator emits float optimizers: every
/// rule's float entry points with each option over 13 parameters unrolled as a generated optimizer would (one
/// Update256 of eight floats, one Update128 of four, one scalar), float gradient clipping, and the float vector
/// Exp and Log over special values and a sweep of the float range at both widths and in scalar. Each value is
/// printed widened to double (exact), so the three runs of SimdEquivalenceTests compare their bits.
/// </summary>
public static class FloatRules
{
    private const int Parameters = 13;
    private const int Updates = 25;

    private delegate void Chunk(int width, ref float theta, ref float gradient, float[][] state, int i);

    public static void Print(Action<string, double[]> print)
    {
        Trace(print, "float Sgd momentum, dampening, weight decay", new SgdRule(0.02, 0.9, 0.1, false, 0.01), 1, 0,
            static (ref SgdRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float Sgd Nesterov", new SgdRule(0.02, 0.9, 0, true, 0), 1, 0,
            static (ref SgdRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float Adam AmsGrad, weight decay", new AdamRule(0.01, 0.8, 0.99, 1e-8, 0.01, true), 3, 0,
            static (ref AdamRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick3(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float AdamW", new AdamRule(0.01, 0.9, 0.999, 1e-8, 0.1, false, decoupledWeightDecay: true), 3, 0,
            static (ref AdamRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick3(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float Adamax weight decay", new AdamaxRule(0.02, 0.8, 0.9, 1e-8, 0.01), 2, 0,
            static (ref AdamaxRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick2(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float NAdam", new NAdamRule(0.02, 0.8, 0.99, 1e-8, 0.01, 0.1), 2, 0,
            static (ref NAdamRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick2(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float RAdam", new RAdamRule(0.01, 0.8, 0.9, 1e-8, 0.01), 2, 0,
            static (ref RAdamRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick2(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float RmsProp Centered, momentum", new RmsPropRule(0.01, 0.9, 1e-6, 0.9, true, 0.01), 3, 0,
            static (ref RmsPropRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick3(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float AdaGrad", new AdaGradRule(0.1, 0.01, 0.1, 1e-10, 0.01), 1, 0.1f,
            static (ref AdaGradRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float AdaDelta", new AdaDeltaRule(0.5, 0.8, 1e-6, 0.01), 2, 0,
            static (ref AdaDeltaRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick2(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });
        Trace(print, "float Rprop", new RpropRule(0.01, 0.4, 1.5, 0.005, 0.02), 2, 0,
            static (ref RpropRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick2(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); },
            stepSizes: 0.01f);
        Trace(print, "float Lion weight decay", new LionRule(0.01, 0.8, 0.95, 0.1), 1, 0,
            static (ref LionRule r) => { var s = r.BeginSingle(); return (int w, ref float t, ref float g, float[][] st, int i) => Pick(w, ref t, ref g, st, i, s.Update, s.Update128, s.Update256); });

        Span<float> clipped = stackalloc float[Parameters];
        for (int i = 0; i < Parameters; i++)
        {
            clipped[i] = Gradient(3, i) * 5;
        }

        new GradientClipping(2, 3).Apply(clipped);
        print("float clipping", Widen(clipped));

        PrintExpLog(print);
    }

    private delegate Chunk Beginner<TRule>(ref TRule rule);

    private delegate void Entry1(ref float theta, ref float gradient, ref float a);

    private delegate void Entry2(ref float theta, ref float gradient, ref float a, ref float b);

    private delegate void Entry3(ref float theta, ref float gradient, ref float a, ref float b, ref float c);

    private static void Pick(int w, ref float t, ref float g, float[][] st, int i, Entry1 one, Entry1 four, Entry1 eight)
        => (w == 1 ? one : w == 4 ? four : eight)(ref t, ref g, ref st[0][i]);

    private static void Pick2(int w, ref float t, ref float g, float[][] st, int i, Entry2 one, Entry2 four, Entry2 eight)
        => (w == 1 ? one : w == 4 ? four : eight)(ref t, ref g, ref st[0][i], ref st[1][i]);

    private static void Pick3(int w, ref float t, ref float g, float[][] st, int i, Entry3 one, Entry3 four, Entry3 eight)
        => (w == 1 ? one : w == 4 ? four : eight)(ref t, ref g, ref st[0][i], ref st[1][i], ref st[2][i]);

    /// <summary>A deterministic gradient with zeros, a NaN-free spread of magnitudes and both signs.</summary>
    private static float Gradient(int update, int i)
    {
        int k = (update * 31 + i * 17) % 23;
        return k == 0 ? 0f : k == 1 ? -0f : (float)(Math.Sin(update * 1.3 + i * 0.7) * Math.Pow(10, (k % 5) - 2));
    }

    private static void Trace<TRule>(Action<string, double[]> print, string name, TRule rule, int states, float initial, Beginner<TRule> begin, float stepSizes = 0)
    {
        var theta = new float[Parameters];
        var state = new float[states][];
        for (int s = 0; s < states; s++)
        {
            state[s] = new float[Parameters];
            Array.Fill(state[s], s == 1 && stepSizes != 0 ? stepSizes : initial);
        }

        for (int i = 0; i < Parameters; i++)
        {
            theta[i] = (float)Math.Cos(i * 0.9) * 2;
        }

        var gradient = new float[Parameters];
        for (int u = 0; u < Updates; u++)
        {
            for (int i = 0; i < Parameters; i++)
            {
                gradient[i] = Gradient(u, i) + 0.1f * theta[i];
            }

            var chunk = begin(ref rule);
            chunk(8, ref theta[0], ref gradient[0], state, 0);
            chunk(4, ref theta[8], ref gradient[8], state, 8);
            chunk(1, ref theta[12], ref gradient[12], state, 12);
        }

        print(name, Widen(theta));
        for (int s = 0; s < states; s++)
        {
            print($"{name} state {s}", Widen(state[s]));
        }
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var widened = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        return widened;
    }

    private static void PrintExpLog(Action<string, double[]> print)
    {
        float[] special =
        [
            0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon,
            -float.Epsilon, float.MaxValue, float.MinValue, 1.17549435E-38f, 88.72283f, 88.72284f, -87.33655f, -103.9721f,
            -104f, 0.5f, 2f, 1.4142135f, 0.70710677f, 1e-30f, 3e-39f, 123.456f,
        ];
        PrintFunction(print, "float Exp", special, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp);
        PrintFunction(print, "float Log", special, VectorMath.Log, VectorMath.Log, VectorMath.Log);

        // A sweep: every 16411th bit pattern of the floats (both signs, every binade, subnormals, infinities and NaNs),
        // summarised by a hash of the results' bits per width.
        var sweep = new float[(int)(0x1_0000_0000L / 16411) / 8 * 8];
        for (int i = 0; i < sweep.Length; i++)
        {
            sweep[i] = BitConverter.Int32BitsToSingle(unchecked((int)(i * 16411L)));
        }

        foreach (var (name, wide, narrow, scalar) in new (string, Func<Vector256<float>, Vector256<float>>, Func<Vector128<float>, Vector128<float>>, Func<float, float>)[]
        {
            ("Exp", VectorMath.Exp, VectorMath.Exp, VectorMath.Exp),
            ("Log", VectorMath.Log, VectorMath.Log, VectorMath.Log),
        })
        {
            // Over [−110, 95] as well, where Exp is neither 0 nor ∞.
            var x = new float[8];
            var hashes = new double[6];
            for (int pass = 0; pass < 2; pass++)
            {
                ulong h256 = 14695981039346656037UL, h128 = h256, h1 = h256;
                for (int i = 0; i < sweep.Length; i += 8)
                {
                    for (int l = 0; l < 8; l++)
                    {
                        x[l] = pass == 0 ? sweep[i + l] : (float)(-110 + 205.0 * (i + l) / sweep.Length);
                    }

                    var w = wide(Vector256.Create((ReadOnlySpan<float>)x));
                    var lo = narrow(Vector128.Create((ReadOnlySpan<float>)x.AsSpan(0, 4)));
                    var hi = narrow(Vector128.Create((ReadOnlySpan<float>)x.AsSpan(4, 4)));
                    for (int l = 0; l < 8; l++)
                    {
                        h256 = Mix(h256, w.GetElement(l));
                        h128 = Mix(h128, l < 4 ? lo.GetElement(l) : hi.GetElement(l - 4));
                        h1 = Mix(h1, scalar(x[l]));
                    }
                }

                hashes[pass * 3] = BitConverter.Int64BitsToDouble((long)h256);
                hashes[pass * 3 + 1] = BitConverter.Int64BitsToDouble((long)h128);
                hashes[pass * 3 + 2] = BitConverter.Int64BitsToDouble((long)h1);
            }

            print($"float {name} sweep hashes (Vector256, Vector128, scalar; bit patterns, then [-110, 95])", hashes);
        }
    }

    private static ulong Mix(ulong hash, float value) => (hash ^ (uint)BitConverter.SingleToInt32Bits(value)) * 1099511628211UL;

    private static void PrintFunction(
        Action<string, double[]> print, string name, float[] x, Func<Vector256<float>, Vector256<float>> wide, Func<Vector128<float>, Vector128<float>> narrow, Func<float, float> scalar)
    {
        var w = new double[x.Length];
        var n = new double[x.Length];
        var s = new double[x.Length];
        for (int i = 0; i < x.Length; i += 8)
        {
            var v = wide(Vector256.Create((ReadOnlySpan<float>)x.AsSpan(i, 8)));
            var lo = narrow(Vector128.Create((ReadOnlySpan<float>)x.AsSpan(i, 4)));
            var hi = narrow(Vector128.Create((ReadOnlySpan<float>)x.AsSpan(i + 4, 4)));
            for (int l = 0; l < 8; l++)
            {
                w[i + l] = v.GetElement(l);
                n[i + l] = l < 4 ? lo.GetElement(l) : hi.GetElement(l - 4);
                s[i + l] = scalar(x[i + l]);
            }
        }

        print($"{name} Vector256", w);
        print($"{name} Vector128", n);
        print($"{name} scalar", s);
    }
}
