using System;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using OptimDsl;

namespace OptimDsl.SimdCheck;

/// <summary>Objectives whose optimizers take the Vector256, Vector128 and scalar paths (5, 7, 8 parameters; data).</summary>
public static partial class Problems
{
    // A float objective (README, Float objectives): its gradient core stores chunks of 8 and 4 floats and a scalar.
    [Objective]
    public static float FloatSpread([Length(13)] ReadOnlySpan<float> w)
    {
        var s = 0f;
        for (var i = 0; i < 13; i++)
        {
            s += (w[i] - 0.25f * i) * (w[i] - 0.25f * i) * (i + 1) + MathF.Max(w[i], 0.5f) * MathF.Exp(w[i] * 0.5f) + MathF.Abs(w[i]);
        }

        return s;
    }

    // A float objective with [Data] scalars and rows (README, Float objectives): 8 samples a step, the lanes summed in double;
    // a kink, a branch on the data, a branch on the parameters (uniform) and OptimDsl's float Exp and Log in the lanes.
    [Objective]
    public static float FloatData([Length(3)] ReadOnlySpan<float> w, float b, [Data, Length(3)] ReadOnlySpan<float> x, [Data] float label)
    {
        var z = b;
        for (var k = 0; k < 3; k++)
        {
            z += w[k] * x[k];
        }

        var margin = label * z;
        var smooth = MathF.Log(1 + MathF.Exp(-margin)) + MathF.Sqrt(1 + z * z) / 4;
        var kink = MathF.Max(0, 0.5f - margin) + MathF.Abs(x[1] - z) * 0.125f;
        var branch = z > 1 ? (z - 1) * (z - 1) : x[2] < -0.5f ? 0.25f * z : 0;
        return smooth + kink + branch + (b > 0 ? b * b : -b) * 0.01f;
    }

    [Objective, Adam(LearningRate = 0.05)]
    public static double Five(double a, double b, double c, double d, double e)
        => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e;

    [Objective, GradientDescent(LearningRate = 0.03), Adam(LearningRate = 0.05)]
    public static double Seven(double a, double b, double c, double d, double e, double f, double g)
        => (a - 1) * (a - 1) + 2 * Math.Pow(b - 2, 2) + 3 * c * c + 0.5 * Math.Sqrt(1 + d * d)
           + 1.5 * (e - 0.5) * (e - 0.5) + 2.5 * (f + 2) * (f + 2) + (g - 3) * (g - 3) + 0.25 * a * g;

    [Objective, GradientDescent(LearningRate = 0.0005), Adam(LearningRate = 0.01)]
    public static double Rosen8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7)
    {
        var r0 = p1 - p0 * p0;
        var r1 = p3 - p2 * p2;
        var r2 = p5 - p4 * p4;
        var r3 = p7 - p6 * p6;
        return 100 * (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3)
            + (1 - p0) * (1 - p0) + (1 - p2) * (1 - p2) + (1 - p4) * (1 - p4) + (1 - p6) * (1 - p6);
    }

    [Objective, GradientDescent(LearningRate = 0.1), Sgd(LearningRate = 0.05, BatchSize = 5, Seed = 3), Adam(LearningRate = 0.05)]
    public static double LeastSquares(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double y)
    {
        var r = w0 * x0 + w1 * x1 + b - y;
        return r * r;
    }

    // Transcendental functions inside the data sum: the vectorised sum must round as the scalar one.
    [Objective, GradientDescent(LearningRate = 0.5), Sgd(LearningRate = 0.1, BatchSize = 7, Seed = 1), Adam(LearningRate = 0.05)]
    public static double Logistic(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double label)
    {
        var z = w0 * x0 + w1 * x1 + b;
        return Math.Log(1 + Math.Exp(-label * z));
    }

    // Every function, comparison and logical operator an objective may use, inside the data sum (and,
    // built for net8.0, compiled against .NET 8's reference assemblies and C# 12).
    [Objective, GradientDescent(LearningRate = 0.001), Sgd(LearningRate = 0.001, BatchSize = 4, Seed = 2), Adam(LearningRate = 0.01)]
    public static double Everything(double a, double b, [Data] double x, [Data] double y)
    {
        var u = a * x + b;
        var smooth = Math.Sqrt(1 + u * u) + Math.Cbrt(u) + Math.Exp(-u * u) + Math.Log(2 + y * y) + Math.Log(2 + u * u, 3)
            + Math.Log10(1 + x * x) + Math.Log2(1 + u * u) + Math.Pow(1 + y * y, a) + Math.Sin(u) + Math.Cos(u) + Math.Tan(u / 4)
            + Math.Asin(Math.Tanh(u) / 2) + Math.Acos(Math.Tanh(y) / 2) + Math.Atan(u) + Math.Atan2(u, 1 + y * y)
            + Math.Sinh(u / 8) + Math.Cosh(u / 8);
        var kinks = Math.Abs(u - y) + Math.Max(u, y) + Math.Min(u, -y) + Math.Clamp(u, -1, 1) - Math.Max(-u, 0.5);
        var branch = (u < y && !(x >= 1)) || u == y ? u * y : (x > 0.5 || u <= -1) && y != 0 ? -u : u - y;
        // Conditions on the parameters alone (uniform), alone and mixed with one on the data.
        var uniform = (a > 0 ? u : -u) + (a > 0.1 && x < 1 ? u * u : 0) + (b < 0 || !(a < 1) ? Math.Max(a, b) : b);
        return smooth + kinks + branch + uniform;
    }

    // Rolled loops (64 iterations or more) run four iterations per SIMD lane set: sums over a row with a
    // tail of 3, the row's partial derivatives stored four at a time, transcendental functions of the sum.
    [Objective, GradientDescent(LearningRate = 0.5), Adam(LearningRate = 0.05)]
    public static double RolledLogistic([Length(67)] ReadOnlySpan<double> w, double b, [Data, Length(67)] ReadOnlySpan<double> x, [Data] double label)
    {
        double z = b;
        for (int i = 0; i < 67; i++)
            z += w[i] * x[i];
        return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - label * z;
    }

    // A rolled body with the iteration as a value, strided indexes (lane-by-lane loads and stores), a fixed
    // scalar whose partial derivative sums over the iterations, a subexpression of it alone (hoisted),
    // Exp and Tanh per lane, and a condition that differs between lanes.
    [Objective, GradientDescent(LearningRate = 0.002)]
    public static double RolledMix([Length(130)] ReadOnlySpan<double> v, double s)
    {
        double sum = 0;
        for (int i = 0; i < 65; i++)
        {
            double a = v[2 * i], c = v[2 * i + 1];
            sum += s * Math.Tanh(a * (i + 1) / 50.0) + Math.Exp(-c * c) * (s * s + 1) + (a > c ? a - c : 0.5 * (c - a) * (c - a));
        }

        return sum + s * s;
    }

    // A rolled map (README, Large loops and large models): a hidden layer of 66 units (a tail of 2) written four
    // at a time into its buffer, read by a rolled sum, at a stride by a second map and at a fixed index; the
    // sweep loads the kept values and the maps' adjoints four at a time.
    [Objective, Adam(LearningRate = 0.02, BatchSize = 5, Seed = 3)]
    public static double RolledMap([Length(132)] ReadOnlySpan<double> w1, [Length(66)] ReadOnlySpan<double> w2, [Length(65)] ReadOnlySpan<double> w3,
        [Data, Length(2)] ReadOnlySpan<double> x, [Data] double y)
    {
        Span<double> h = stackalloc double[66];
        for (int j = 0; j < 66; j++)
            h[j] = Math.Tanh(w1[2 * j] * x[0] + w1[2 * j + 1] * x[1]);
        Span<double> g = stackalloc double[66];
        for (int j = 0; j < 66; j++)
            g[j] = Math.Max(0, h[j] - 0.1) * w2[j];
        double p = h[3];
        for (int j = 0; j < 65; j++)
            p += g[j] * w3[j] + 0.1 * h[65 - j];
        for (int j = 0; j < 5; j++)
            p += h[2 * j] * g[j + 61];
        return (p - y) * (p - y);
    }

    // Levenberg–Marquardt's Gauss–Newton pass, four samples per lane set, Exp per lane: the decay fit of the
    // benchmarks (its Jacobian row (e, −a·t·e, 1) has a constant entry).
    [Objective, LevenbergMarquardt]
    public static double Decay(double a, double k, double c, [Data] double t, [Data] double y)
    {
        var r = a * Math.Exp(-k * t) + c - y;
        return r * r;
    }

    // Three weighted residuals per sample (weights ½, 0.1 and 3, an integer): one of the data, two of the parameters
    // alone (uniform lanes), with Jacobian entries that are 0, 1 or another constant.
    [Objective, LevenbergMarquardt]
    public static double Ridge(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double y)
    {
        var r = Math.Tanh(w0 * x0) + w1 * x1 + b - y;
        return 0.5 * (r * r) + 0.1 * w0 * w0 + 3 * Math.Pow(b - 2 * w1, 2);
    }

    // Data rows: one load per lane.
    [Objective, LevenbergMarquardt]
    public static double Rows([Length(3)] ReadOnlySpan<double> w, [Data, Length(3)] ReadOnlySpan<double> f, [Data] double y)
    {
        var r = w[0] * f[0] + Math.Sin(w[1] * f[1]) + w[2] * f[2] * f[2] - y;
        return r * r;
    }

    // Ten parameters, data rows of ten: the lanes' sums of a wide pass (65 per lane set).
    [Objective, LevenbergMarquardt]
    public static double Rows10([Length(10)] ReadOnlySpan<double> w, [Data, Length(10)] ReadOnlySpan<double> f, [Data] double y)
    {
        double p = 0;
        for (int i = 0; i < 10; i++)
            p += w[i] * f[i];
        var r = Math.Tanh(p) - y;
        return r * r;
    }

    // A loss with Tanh, Sin and Sqrt of the data.
    [Objective, GradientDescent(LearningRate = 0.05)]
    public static double Smooth(double a, double c, [Data] double x, [Data] double y)
    {
        var r = Math.Tanh(a * x) + Math.Sin(c * x) - y;
        return Math.Sqrt(1 + r * r) - 1;
    }
}

public static class Program
{
    private static readonly StringBuilder Output = new();

    public static int Main()
    {
        Output.Append(CultureInfo.InvariantCulture, $"accelerated Vector128={Vector128.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} runtime={Environment.Version} Vector512={Vector512.IsHardwareAccelerated}\n");

        var (x0, x1, y, label) = Data(103);

        var five = new Problems.FiveAdam(0.3, -0.7, 1.1, 2.0, 4.0);
        five.Minimize(300, 0);
        Print("Adam 5", five.A, five.B, five.C, five.D, five.E);

        var seven = new Problems.SevenGradientDescent(1, -1, 2, -2, 3, -3, 0.5);
        seven.Minimize(300, 0);
        Print("GradientDescent 7", seven.A, seven.B, seven.C, seven.D, seven.E, seven.F, seven.G);

        var sevenAdam = new Problems.SevenAdam(1, -1, 2, -2, 3, -3, 0.5);
        sevenAdam.Minimize(300, 0);
        Print("Adam 7", sevenAdam.A, sevenAdam.B, sevenAdam.C, sevenAdam.D, sevenAdam.E, sevenAdam.F, sevenAdam.G);

        var rosen = new Problems.Rosen8Adam(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3);
        rosen.Minimize(2000, 0);
        Print("Adam 8", rosen.P0, rosen.P1, rosen.P2, rosen.P3, rosen.P4, rosen.P5, rosen.P6, rosen.P7);

        var rosenGd = new Problems.Rosen8GradientDescent(-1.2, 1, 0.5, 0.2, -0.3, 0.8, 1.1, 1.3);
        rosenGd.Minimize(2000, 0);
        Print("GradientDescent 8", rosenGd.P0, rosenGd.P1, rosenGd.P2, rosenGd.P3, rosenGd.P4, rosenGd.P5, rosenGd.P6, rosenGd.P7);

        var lsGd = new Problems.LeastSquaresGradientDescent(0, 0, 0);
        lsGd.Minimize(x0, x1, y, 200, 0);
        Print("GradientDescent least squares", lsGd.W0, lsGd.W1, lsGd.B);

        var lsSgd = new Problems.LeastSquaresSgd(0, 0, 0);
        var sgdResult = lsSgd.Minimize(x0, x1, y, 500, 0);
        Print("Sgd least squares", lsSgd.W0, lsSgd.W1, lsSgd.B, sgdResult.Loss, sgdResult.GradientNorm);

        var lsAdam = new Problems.LeastSquaresAdam(0, 0, 0);
        lsAdam.Minimize(x0, x1, y, 200, 0);
        Print("Adam least squares", lsAdam.W0, lsAdam.W1, lsAdam.B);

        var logGd = new Problems.LogisticGradientDescent(0, 0, 0);
        var logResult = logGd.Minimize(x0, x1, label, 200, 0);
        Print("GradientDescent logistic", logGd.W0, logGd.W1, logGd.B, logResult.Loss, logResult.GradientNorm);

        var logSgd = new Problems.LogisticSgd(0, 0, 0);
        logSgd.Minimize(x0, x1, label, 200, 0);
        Print("Sgd logistic", logSgd.W0, logSgd.W1, logSgd.B);

        var logAdam = new Problems.LogisticAdam(0, 0, 0);
        logAdam.Minimize(x0, x1, label, 200, 0);
        Print("Adam logistic", logAdam.W0, logAdam.W1, logAdam.B);

        var smooth = new Problems.SmoothGradientDescent(0.5, 0.5);
        smooth.Minimize(x0, y, 200, 0);
        Print("GradientDescent smooth", smooth.A, smooth.C);

        // The data gradients themselves, at one point, for sample counts around the vector widths.
        Span<double> g = stackalloc double[3];
        foreach (var n in new[] { 1, 3, 4, 5, 8, 9, 103 })
        {
            double loss = Problems.LogisticGradient([0.3, -0.7, 0.1], x0.AsSpan(0, n), x1.AsSpan(0, n), label.AsSpan(0, n), g);
            Print($"logistic gradient n={n}", loss, g[0], g[1], g[2]);
            loss = Problems.LeastSquaresGradient([0.3, -0.7, 0.1], x0.AsSpan(0, n), x1.AsSpan(0, n), y.AsSpan(0, n), g);
            Print($"least squares gradient n={n}", loss, g[0], g[1], g[2]);
            loss = Problems.EverythingGradient([0.3, -0.7], x0.AsSpan(0, n), x1.AsSpan(0, n), g[..2]);
            Print($"everything gradient n={n}", loss, g[0], g[1]);
        }

        var everythingGd = new Problems.EverythingGradientDescent(0.3, -0.7);
        everythingGd.Minimize(x0, x1, 50, 0);
        Print("GradientDescent everything", everythingGd.A, everythingGd.B);

        var everythingSgd = new Problems.EverythingSgd(0.3, -0.7);
        everythingSgd.Minimize(x0, x1, 50, 0);
        Print("Sgd everything", everythingSgd.A, everythingSgd.B);

        var everythingAdam = new Problems.EverythingAdam(0.3, -0.7);
        everythingAdam.Minimize(x0, x1, 50, 0);
        Print("Adam everything", everythingAdam.A, everythingAdam.B);

        // Rolled loops: gradients at one point and short runs (the data: rows of 67 values from the same sequence).
        var rows = Data(67 * 9).X0;
        var labels = Array.ConvertAll(Data(9).Label, l => l > 0 ? 1.0 : 0.0);
        var theta = new double[68];
        var rolledGradient = new double[68];
        for (var k = 0; k < theta.Length; k++)
        {
            theta[k] = 0.05 * Math.Sin(k);
        }

        foreach (var n in new[] { 1, 4, 9 })
        {
            double loss = Problems.RolledLogisticGradient(theta, rows.AsSpan(0, 67 * n), labels.AsSpan(0, n), rolledGradient);
            Print($"rolled logistic gradient n={n}", [loss, .. rolledGradient]);
        }

        var rolledGd = new Problems.RolledLogisticGradientDescent(theta);
        rolledGd.Minimize(rows, labels, 40, 0);
        Print("GradientDescent rolled logistic", [.. rolledGd.Parameters]);
        var rolledAdam = new Problems.RolledLogisticAdam(theta);
        rolledAdam.Minimize(rows, labels, 40, 0);
        Print("Adam rolled logistic", [.. rolledAdam.Parameters]);

        var mix = new double[131];
        for (var k = 0; k < mix.Length; k++)
        {
            mix[k] = Math.Cos(0.7 * k);
        }

        var mixGradient = new double[131];
        Print("rolled mix gradient", [Problems.RolledMixGradient(mix, mixGradient), .. mixGradient]);
        var mixGd = new Problems.RolledMixGradientDescent(mix);
        mixGd.Minimize(30, 0);
        Print("GradientDescent rolled mix", [.. mixGd.Parameters]);

        // A rolled map: its gradient over 1 … 9 samples, then minibatch Adam.
        var mapTheta = new double[Problems.RolledMapParameterCount];
        for (var k = 0; k < mapTheta.Length; k++)
        {
            mapTheta[k] = Math.Sin(0.37 * k);
        }

        var (mapX, mapY) = (Data(2 * 9).X1, Data(9).X1);
        var mapGradient = new double[mapTheta.Length];
        foreach (var n in new[] { 1, 4, 9 })
        {
            Print($"rolled map gradient n={n}", [Problems.RolledMapGradient(mapTheta, mapX.AsSpan(0, 2 * n), mapY.AsSpan(0, n), mapGradient), .. mapGradient]);
        }

        var mapAdam = new Problems.RolledMapAdam(mapTheta);
        for (var s = 0; s < 12; s++)
        {
            mapAdam.Step(mapX, mapY);
        }

        Print("Adam rolled map", [.. mapAdam.Parameters]);

        // Levenberg–Marquardt: the losses of the first steps (each a Gauss–Newton pass; the parameters after them depend
        // on g and H) for sample counts around the vector width, then a run to its end.
        var (decayT, decayY, features, wide) = (new double[103], new double[103], Data(3 * 103).X1, Data(10 * 103).X1);
        for (var i = 0; i < decayT.Length; i++)
        {
            decayT[i] = 5.0 * i / decayT.Length;
            decayY[i] = 2.5 * Math.Exp(-1.3 * decayT[i]) + 0.5 + 0.01 * Math.Sin(17.0 * i);
        }

        foreach (var n in new[] { 1, 3, 4, 5, 8, 9, 103 })
        {
            var decay = new Problems.DecayLevenbergMarquardt(1, 1, 0);
            var ridge = new Problems.RidgeLevenbergMarquardt(0.3, -0.7, 0.1);
            var fit = new Problems.RowsLevenbergMarquardt([0.2, 0.5, -0.1]);
            var wideFit = new Problems.Rows10LevenbergMarquardt(new double[10]);
            var losses = new double[12];
            for (var s = 0; s < 3; s++)
            {
                losses[s] = decay.Step(decayT.AsSpan(0, n), decayY.AsSpan(0, n));
                losses[3 + s] = ridge.Step(x0.AsSpan(0, n), x1.AsSpan(0, n), y.AsSpan(0, n));
                losses[6 + s] = fit.Step(features.AsSpan(0, 3 * n), y.AsSpan(0, n));
                losses[9 + s] = wideFit.Step(wide.AsSpan(0, 10 * n), label.AsSpan(0, n));
            }

            Print($"LevenbergMarquardt steps n={n}", [.. losses, decay.A, decay.K, decay.C, ridge.W0, ridge.W1, ridge.B, .. fit.Parameters, .. wideFit.Parameters]);
        }

        var decayFit = new Problems.DecayLevenbergMarquardt(1, 1, 0);
        var decayResult = decayFit.Minimize(decayT, decayY, 100, 0);
        Print($"LevenbergMarquardt decay {decayResult.Status} after {decayResult.Iterations}", decayFit.A, decayFit.K, decayFit.C, decayResult.Loss, decayResult.GradientNorm);

        // Every optimizer of the catalogue, with each flag, clipping and minibatches (Catalogue.cs).
        Catalogue.Print(Print, (x0, x1, y));

        // NaN samples and signed zeros through Max, Min, Clamp, Abs and negation (SpecialValues.cs).
        SpecialValues.Print(Print);

        // The float entry points of the rules, float clipping, and the float vector Exp and Log (FloatRules.cs).
        FloatRules.Print(Print);

        // A float objective's generated gradient (README, Float objectives): 13 values stored as one Store8, one Store4 and a scalar.
        var floats = new float[13];
        for (var k = 0; k < floats.Length; k++)
        {
            floats[k] = MathF.Sin(0.9f * k) * 2;
        }

        var floatGradient = new float[13];
        var floatValue = Problems.FloatSpreadGradient(floats, floatGradient);
        Print("float gradient 13", [floatValue, .. Array.ConvertAll(floatGradient, g => (double)g)]);

        // Rolled loops in float: eight iterations per lane set (FloatRolled.cs).
        FloatRolled.Print(Print);

        // A float objective's data gradient and gradient sum, for sample counts around 8 (the step) and two shards.
        var (floatRows, _, _, floatLabels) = Data(3 * 8203);
        var rowsF = Array.ConvertAll(floatRows, v => (float)v);
        var labelsF = Array.ConvertAll(floatLabels[..8203], v => (float)v);
        float[] floatTheta = [0.4f, -0.3f, 0.2f, 0.1f];
        var floatDataGradient = new float[4];
        var floatSum = new double[4];
        foreach (var n in new[] { 1, 4, 7, 8, 9, 15, 16, 17, 103, 8203 })
        {
            var mean = Problems.FloatDataGradient(floatTheta, rowsF.AsSpan(0, 3 * n), labelsF.AsSpan(0, n), floatDataGradient);
            var total = Problems.FloatDataGradientSum(floatTheta, rowsF.AsSpan(0, 3 * n), labelsF.AsSpan(0, n), floatSum, 2);
            Print($"float data gradient n={n}", [mean, .. Array.ConvertAll(floatDataGradient, v => (double)v), total, .. floatSum]);
        }

        // A float objective's generated optimizers, every one of the catalogue (FloatOptimizers.cs).
        FloatOptimizers.Print(Print);

        // A float objective's optimizers on [Data] rows: the full batch and minibatches (FloatOptimizers.cs).
        FloatOptimizers.PrintData(Print);

        // A float objective's generated L-BFGS and Levenberg–Marquardt, with and without data (FloatSolvers.cs).
        FloatSolvers.Print(Print);

        Console.Out.Write(Output.ToString());
        return 0;
    }

    private static (double[] X0, double[] X1, double[] Y, double[] Label) Data(int count)
    {
        // A fixed linear congruential sequence: the same data in every process.
        ulong state = 12345;
        double Next()
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (state >> 11) * (1.0 / (1UL << 53));
        }

        double[] x0 = new double[count], x1 = new double[count], y = new double[count], label = new double[count];
        for (var i = 0; i < count; i++)
        {
            x0[i] = (Next() * 4) - 2;
            x1[i] = (Next() * 2) - 1;
            y[i] = (2 * x0[i]) - (3 * x1[i]) + 0.5 + (0.1 * (Next() - 0.5));
            label[i] = (x0[i] - x1[i] + (0.5 * (Next() - 0.5))) > 0 ? 1 : -1;
        }

        return (x0, x1, y, label);
    }

    private static void Print(string name, params double[] values)
    {
        Output.Append(name).Append(':');
        foreach (var v in values)
        {
            Output.Append(CultureInfo.InvariantCulture, $" {BitConverter.DoubleToInt64Bits(v):X16}({v:R})");
        }

        Output.Append('\n');
    }
}
