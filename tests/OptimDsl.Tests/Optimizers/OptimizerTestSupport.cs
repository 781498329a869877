using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// Objectives and a static <c>Opt.Driver</c> class compiled together with the generator's output and
/// loaded once. The driver constructs the generated optimizer structs, runs them and returns plain
/// arrays and tuples, so that tests never pass structs or spans through reflection.
/// </summary>
internal sealed class CompiledDriver
{
    private readonly LoadedAssembly _loaded;

    private CompiledDriver(LoadedAssembly loaded) => _loaded = loaded;

    public static CompiledDriver Compile(params string[] sources)
    {
        var run = GeneratorHarness.Run(new ObjectiveGenerator(), sources);
        Assert.True(run.WarningsAndErrors.IsEmpty, "The test sources or the generated code have warnings or errors:\n" + GeneratorRun.Format(run.WarningsAndErrors));
        return new CompiledDriver(run.Load());
    }

    public T Call<T>(string method, params object?[] arguments) => (T)_loaded.Invoke("Opt.Driver", method, arguments)!;
}

/// <summary>An objective of the test sources: its parameters, its data and a hand-derived per-sample gradient.</summary>
/// <param name="Gradient">Loss of sample <c>i</c> (ignored without data) at θ; writes ∂loss/∂θ.</param>
internal sealed record Objective(string Name, string[] Parameters, string[] Data, string[] Optimizers, SampleGradient Gradient)
{
    public bool HasData => Data.Length > 0;

    public string TypeName(string optimizer) => $"P.{Name}{optimizer}";

    public static string Property(string parameter) => char.ToUpperInvariant(parameter[0]) + parameter[1..];
}

/// <summary>The loss of one sample at <paramref name="theta"/>; writes its gradient.</summary>
internal delegate double SampleGradient(double[] theta, double[][] data, int sample, double[] gradient);

/// <summary>The objectives every optimizer test shares, with gradients derived by hand (not by the generator).</summary>
internal static class Objectives
{
    public const string GradientDescent = "GradientDescent";
    public const string Adam = "Adam";
    public const string Sgd = "Sgd";

    public const string Source = """
        using System;
        using OptimDsl;

        namespace Opt;

        public static partial class P
        {
            [Objective, GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.1)]
            public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

            [Objective, GradientDescent(LearningRate = 0.001), Adam(LearningRate = 0.02)]
            public static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2);

            [Objective, GradientDescent(LearningRate = 0.05), Adam(LearningRate = 0.1)]
            public static double Booth(double x, double y) => Math.Pow(x + 2 * y - 7, 2) + Math.Pow(2 * x + y - 5, 2);

            [Objective, GradientDescent(LearningRate = 0.05), Adam(LearningRate = 0.05)]
            public static double Five(double a, double b, double c, double d, double e)
                => (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e;

            [Objective, GradientDescent(LearningRate = 0.03), Adam(LearningRate = 0.05, Beta1 = 0.5, Beta2 = 0.9, Epsilon = 1e-4)]
            public static double Seven(double a, double b, double c, double d, double e, double f, double g)
                => (a - 1) * (a - 1) + 2 * (b - 2) * (b - 2) + 3 * c * c + 0.5 * (d + 1) * (d + 1)
                   + 1.5 * (e - 0.5) * (e - 0.5) + 2.5 * (f + 2) * (f + 2) + (g - 3) * (g - 3) + 0.25 * a * g;

            [Objective, GradientDescent(LearningRate = 0.001), Adam(LearningRate = 0.01)]
            public static double Rosen8(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7)
            {
                var r0 = p1 - p0 * p0;
                var r1 = p3 - p2 * p2;
                var r2 = p5 - p4 * p4;
                var r3 = p7 - p6 * p6;
                return 100 * (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3)
                    + (1 - p0) * (1 - p0) + (1 - p2) * (1 - p2) + (1 - p4) * (1 - p4) + (1 - p6) * (1 - p6);
            }

            [Objective, GradientDescent(LearningRate = 1)]
            public static double Quartic(double x) => x * x * x * x;

            [Objective, GradientDescent(LearningRate = 1)]
            public static double ExpSquare(double x) => Math.Exp(x * x);

            [Objective, GradientDescent(LearningRate = 1e-300)]
            public static double Steep(double x, double y) => 1e200 * x - 2e200 * y;

            // With x = 2^i for sample i and η = 1, the update reveals which samples a minibatch held.
            [Objective, Sgd(LearningRate = 1)]
            public static double Probe(double w, [Data] double x) => w * x;

            [Objective, GradientDescent(LearningRate = 0.1), Sgd(LearningRate = 0.05, BatchSize = 4, Seed = 3), Adam(LearningRate = 0.05)]
            public static double LeastSquares(double w0, double w1, double b, [Data] double x0, [Data] double x1, [Data] double y)
            {
                var r = w0 * x0 + w1 * x1 + b - y;
                return r * r;
            }
        }
        """;

    private static readonly string[] GdAdam = [GradientDescent, Adam];

    public static readonly Objective Quadratic = new("Quadratic", ["theta"], [], GdAdam, (t, _, _, g) =>
    {
        g[0] = 2 * (t[0] - 3);
        return (t[0] - 3) * (t[0] - 3);
    });

    public static readonly Objective Rosenbrock = new("Rosenbrock", ["x", "y"], [], GdAdam, (t, _, _, g) =>
    {
        double x = t[0], y = t[1], r = y - x * x;
        g[0] = -2 * (1 - x) - 400 * x * r;
        g[1] = 200 * r;
        return (1 - x) * (1 - x) + 100 * r * r;
    });

    public static readonly Objective Booth = new("Booth", ["x", "y"], [], GdAdam, (t, _, _, g) =>
    {
        double u = t[0] + 2 * t[1] - 7, v = 2 * t[0] + t[1] - 5;
        g[0] = 2 * u + 4 * v;
        g[1] = 4 * u + 2 * v;
        return u * u + v * v;
    });

    public static readonly Objective Five = new("Five", ["a", "b", "c", "d", "e"], [], GdAdam, (t, _, _, g) =>
    {
        double a = t[0], b = t[1], c = t[2], d = t[3], e = t[4];
        g[0] = 2 * (a - 1) + e;
        g[1] = 4 * (b + 2);
        g[2] = 6 * (c - 0.5);
        g[3] = 8 * (d - 3);
        g[4] = 10 * (e + 1) + a;
        return (a - 1) * (a - 1) + 2 * (b + 2) * (b + 2) + 3 * (c - 0.5) * (c - 0.5) + 4 * (d - 3) * (d - 3) + 5 * (e + 1) * (e + 1) + a * e;
    });

    public static readonly Objective Seven = new("Seven", ["a", "b", "c", "d", "e", "f", "g"], [], GdAdam, (t, _, _, gr) =>
    {
        double a = t[0], b = t[1], c = t[2], d = t[3], e = t[4], f = t[5], g = t[6];
        gr[0] = 2 * (a - 1) + 0.25 * g;
        gr[1] = 4 * (b - 2);
        gr[2] = 6 * c;
        gr[3] = d + 1;
        gr[4] = 3 * (e - 0.5);
        gr[5] = 5 * (f + 2);
        gr[6] = 2 * (g - 3) + 0.25 * a;
        return (a - 1) * (a - 1) + 2 * (b - 2) * (b - 2) + 3 * c * c + 0.5 * (d + 1) * (d + 1)
            + 1.5 * (e - 0.5) * (e - 0.5) + 2.5 * (f + 2) * (f + 2) + (g - 3) * (g - 3) + 0.25 * a * g;
    });

    public static readonly Objective Rosen8 = new("Rosen8", ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"], [], GdAdam, (t, _, _, g) =>
    {
        double loss = 0;
        for (var i = 0; i < 8; i += 2)
        {
            double x = t[i], y = t[i + 1], r = y - x * x;
            g[i] = -400 * x * r - 2 * (1 - x);
            g[i + 1] = 200 * r;
            loss += 100 * r * r + (1 - x) * (1 - x);
        }

        return loss;
    });

    public static readonly Objective Quartic = new("Quartic", ["x"], [], [GradientDescent], (t, _, _, g) =>
    {
        g[0] = 4 * t[0] * t[0] * t[0];
        return t[0] * t[0] * t[0] * t[0];
    });

    public static readonly Objective ExpSquare = new("ExpSquare", ["x"], [], [GradientDescent], (t, _, _, g) =>
    {
        var e = Math.Exp(t[0] * t[0]);
        g[0] = 2 * t[0] * e;
        return e;
    });

    public static readonly Objective Steep = new("Steep", ["x", "y"], [], [GradientDescent], (t, _, _, g) =>
    {
        g[0] = 1e200;
        g[1] = -2e200;
        return (1e200 * t[0]) - (2e200 * t[1]);
    });

    public static readonly Objective Probe = new("Probe", ["w"], ["x"], [Sgd], (t, d, i, g) =>
    {
        g[0] = d[0][i];
        return t[0] * d[0][i];
    });

    public static readonly Objective LeastSquares = new("LeastSquares", ["w0", "w1", "b"], ["x0", "x1", "y"], [GradientDescent, Sgd, Adam], (t, d, i, g) =>
    {
        var r = t[0] * d[0][i] + t[1] * d[1][i] + t[2] - d[2][i];
        g[0] = 2 * r * d[0][i];
        g[1] = 2 * r * d[1][i];
        g[2] = 2 * r;
        return r * r;
    });

    public static readonly Objective[] All = [Quadratic, Rosenbrock, Booth, Five, Seven, Rosen8, Quartic, ExpSquare, Steep, Probe, LeastSquares];

    private static readonly Lazy<CompiledDriver> StandardDriver = new(() => CompiledDriver.Compile(
        Source, DriverSource.For(All), AllocationTests.DriverCode, RuntimeErrorTests.DriverCode));

    /// <summary>
    /// All objectives above with their trace/minimize/gradient driver methods, and the allocation and
    /// runtime-error drivers: compiled once per test run (generating and emitting dominates the time).
    /// </summary>
    public static CompiledDriver Driver => StandardDriver.Value;

    /// <summary>
    /// Noisy linear data y = 2 x0 − 3 x1 + 0.5 + noise from a fixed seed: the least-squares data set.
    /// </summary>
    public static double[][] LinearData(int count, int seed, double noise = 0.1)
    {
        var random = new Random(seed);
        double[] x0 = new double[count], x1 = new double[count], y = new double[count];
        for (var i = 0; i < count; i++)
        {
            x0[i] = (random.NextDouble() * 4) - 2;
            x1[i] = (random.NextDouble() * 2) - 1;
            y[i] = (2 * x0[i]) - (3 * x1[i]) + 0.5 + (noise * ((random.NextDouble() * 2) - 1));
        }

        return [x0, x1, y];
    }

    /// <summary>The least-squares solution (w0, w1, b) of the normal equations, by Gaussian elimination.</summary>
    public static double[] NormalEquations(double[][] data)
    {
        var n = data[0].Length;
        var a = new double[3, 4];
        for (var i = 0; i < n; i++)
        {
            double[] row = [data[0][i], data[1][i], 1];
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    a[r, c] += row[r] * row[c];
                }

                a[r, 3] += row[r] * data[2][i];
            }
        }

        for (var p = 0; p < 3; p++)
        {
            for (var r = p + 1; r < 3; r++)
            {
                var f = a[r, p] / a[p, p];
                for (var c = p; c < 4; c++)
                {
                    a[r, c] -= f * a[p, c];
                }
            }
        }

        var x = new double[3];
        for (var r = 2; r >= 0; r--)
        {
            var s = a[r, 3];
            for (var c = r + 1; c < 3; c++)
            {
                s -= a[r, c] * x[c];
            }

            x[r] = s / a[r, r];
        }

        return x;
    }
}

/// <summary>
/// Writes the <c>Opt.Driver</c> methods for objectives and their optimizers. Per objective M and
/// optimizer K (θ has n entries, data passed as a jagged array, hyperparameters h with NaN meaning
/// "keep the default"):
/// <list type="bullet">
/// <item><c>Trace_MK(init, h, steps, data)</c>: rows of [Step's return, Iteration, θ…], one per step.</item>
/// <item><c>Minimize_MK(init, h, maxIterations, tolerance, data)</c>: (θ, result, Iteration).</item>
/// <item><c>Observe_MK(init, h, maxIterations, tolerance, stopAt, data)</c>: the same through a struct
/// observer passed by ref, which stops after <c>stopAt</c> calls (0: never) and logs [iteration, loss, norm].</item>
/// <item><c>Hyper_MK(init)</c>: the hyperparameters of a fresh optimizer.</item>
/// <item><c>Gradient_M(θ, data)</c>: [loss, gradient…] from the generated span overload.</item>
/// </list>
/// Hyperparameters: GD [η]; Adam [η, β1, β2, ε]; Sgd [η, BatchSize, Seed].
/// </summary>
internal static class DriverSource
{
    public static string For(IEnumerable<Objective> objectives)
    {
        var text = new StringBuilder();
        text.AppendLine("""
            using System;
            using OptimDsl;

            namespace Opt;

            public struct Recorder : IOptimizationObserver
            {
                public double[] Log;
                public int Count;
                public long StopAt;

                public bool OnStep(long iteration, double loss, double gradientNorm)
                {
                    if (3 * Count + 2 < Log.Length)
                    {
                        Log[3 * Count] = iteration;
                        Log[3 * Count + 1] = loss;
                        Log[3 * Count + 2] = gradientNorm;
                    }

                    Count++;
                    return StopAt == 0 || Count < StopAt;
                }
            }

            public static partial class Driver
            {
            """);
        foreach (var objective in objectives)
        {
            AppendGradient(text, objective);
            foreach (var optimizer in objective.Optimizers)
            {
                Append(text, objective, optimizer);
            }
        }

        text.AppendLine("}");
        return text.ToString();
    }

    public static string Construct(Objective objective, string optimizer) =>
        $"new {objective.TypeName(optimizer)}({string.Join(", ", objective.Parameters.Select((_, i) => $"init[{i}]"))})";

    public static string DataArguments(Objective objective, string prefix = "data") =>
        string.Join(", ", objective.Data.Select((_, i) => $"{prefix}[{i}]"));

    public static string Setup(string optimizer) => optimizer switch
    {
        Objectives.GradientDescent => "if (!double.IsNaN(h[0])) o.LearningRate = h[0];",
        Objectives.Adam => "if (!double.IsNaN(h[0])) o.LearningRate = h[0]; if (!double.IsNaN(h[1])) o.Beta1 = h[1]; if (!double.IsNaN(h[2])) o.Beta2 = h[2]; if (!double.IsNaN(h[3])) o.Epsilon = h[3];",
        Objectives.Sgd => "if (!double.IsNaN(h[0])) o.LearningRate = h[0]; if (!double.IsNaN(h[1])) o.BatchSize = (int)h[1]; if (!double.IsNaN(h[2])) o.Seed = (int)h[2];",
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer)),
    };

    public static string Hyperparameters(string optimizer, string o = "o") => optimizer switch
    {
        Objectives.GradientDescent => $"{o}.LearningRate",
        Objectives.Adam => $"{o}.LearningRate, {o}.Beta1, {o}.Beta2, {o}.Epsilon",
        Objectives.Sgd => $"{o}.LearningRate, {o}.BatchSize, {o}.Seed",
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer)),
    };

    public static string Parameters(Objective objective, string o = "o") =>
        string.Join(", ", objective.Parameters.Select(p => $"{o}.{Objective.Property(p)}"));

    private static void AppendGradient(StringBuilder text, Objective objective)
    {
        var n = objective.Parameters.Length;
        var data = objective.HasData ? DataArguments(objective) + ", " : "";
        text.AppendLine(CultureInfo.InvariantCulture, $$"""
                public static double[] Gradient_{{objective.Name}}(double[] theta, double[][] data)
                {
                    var g = new double[{{n}}];
                    var loss = P.{{objective.Name}}Gradient(theta, {{data}}g);
                    var result = new double[{{n + 1}}];
                    result[0] = loss;
                    g.CopyTo(result, 1);
                    return result;
                }

            """);
    }

    private static void Append(StringBuilder text, Objective objective, string optimizer)
    {
        var n = objective.Parameters.Length;
        var key = objective.Name + optimizer;
        var data = DataArguments(objective);
        var dataComma = objective.HasData ? data + ", " : "";
        text.AppendLine(CultureInfo.InvariantCulture, $$"""
                public static double[] Trace_{{key}}(double[] init, double[] h, int steps, double[][] data)
                {
                    var o = {{Construct(objective, optimizer)}};
                    {{Setup(optimizer)}}
                    var rows = new double[steps * {{n + 2}}];
                    for (int s = 0; s < steps; s++)
                    {
                        rows[s * {{n + 2}}] = o.Step({{data}});
                        rows[s * {{n + 2}} + 1] = o.Iteration;
                        double[] p = [{{Parameters(objective)}}];
                        p.CopyTo(rows, s * {{n + 2}} + 2);
                    }
                    return rows;
                }

                public static (double[] Parameters, OptimizationResult Result, long Iteration) Minimize_{{key}}(double[] init, double[] h, int maxIterations, double tolerance, double[][] data)
                {
                    var o = {{Construct(objective, optimizer)}};
                    {{Setup(optimizer)}}
                    var result = o.Minimize({{dataComma}}maxIterations, tolerance);
                    return ([{{Parameters(objective)}}], result, o.Iteration);
                }

                public static (double[] Parameters, OptimizationResult Result, long Iteration, int Calls, double[] Log) Observe_{{key}}(double[] init, double[] h, int maxIterations, double tolerance, long stopAt, double[][] data)
                {
                    var o = {{Construct(objective, optimizer)}};
                    {{Setup(optimizer)}}
                    var observer = new Recorder { Log = new double[3 * Math.Min(maxIterations, 100000)], StopAt = stopAt };
                    var result = o.Minimize({{dataComma}}maxIterations, tolerance, ref observer);
                    return ([{{Parameters(objective)}}], result, o.Iteration, observer.Count, observer.Log);
                }

                public static double[] Hyper_{{key}}(double[] init)
                {
                    var o = {{Construct(objective, optimizer)}};
                    return [{{Hyperparameters(optimizer)}}];
                }

            """);
    }
}

/// <summary>The optimizers written from their papers (and the README), on hand-derived gradients.</summary>
internal static class Reference
{
    /// <summary>The mean loss over all samples (one "sample" without data); writes the mean gradient.</summary>
    public static double FullBatch(Objective objective, double[] theta, double[][] data, double[] gradient)
    {
        var count = objective.HasData ? data[0].Length : 1;
        var g = new double[theta.Length];
        Array.Clear(gradient);
        double loss = 0;
        for (var i = 0; i < count; i++)
        {
            loss += objective.Gradient(theta, data, i, g);
            for (var j = 0; j < g.Length; j++)
            {
                gradient[j] += g[j];
            }
        }

        for (var j = 0; j < g.Length; j++)
        {
            gradient[j] /= count;
        }

        return loss / count;
    }

    public static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    /// <summary>Rows of [loss before the step, iteration, θ after it], one per step: θ ← θ − η g.</summary>
    public static double[][] GradientDescent(Objective objective, double[] theta0, double learningRate, int steps, double[][] data)
    {
        var theta = (double[])theta0.Clone();
        var g = new double[theta.Length];
        var rows = new double[steps][];
        for (var t = 1; t <= steps; t++)
        {
            var loss = FullBatch(objective, theta, data, g);
            for (var j = 0; j < theta.Length; j++)
            {
                theta[j] -= learningRate * g[j];
            }

            rows[t - 1] = [loss, t, .. theta];
        }

        return rows;
    }

    /// <summary>Kingma &amp; Ba, Algorithm 1, with β^t from Math.Pow.</summary>
    public static double[][] Adam(Objective objective, double[] theta0, double learningRate, double beta1, double beta2, double epsilon, int steps, double[][] data)
    {
        var theta = (double[])theta0.Clone();
        var n = theta.Length;
        double[] g = new double[n], m = new double[n], v = new double[n];
        var rows = new double[steps][];
        for (var t = 1; t <= steps; t++)
        {
            var loss = FullBatch(objective, theta, data, g);
            for (var j = 0; j < n; j++)
            {
                m[j] = (beta1 * m[j]) + ((1 - beta1) * g[j]);
                v[j] = (beta2 * v[j]) + ((1 - beta2) * g[j] * g[j]);
                var mHat = m[j] / (1 - Math.Pow(beta1, t));
                var vHat = v[j] / (1 - Math.Pow(beta2, t));
                theta[j] -= learningRate * mHat / (Math.Sqrt(vHat) + epsilon);
            }

            rows[t - 1] = [loss, t, .. theta];
        }

        return rows;
    }

    /// <summary>
    /// Minibatch SGD: epoch e visits samples EpochOrder(count, seed, e)[0…count−1], BatchSize at a time
    /// (the epoch's last batch possibly smaller); g is the minibatch's mean gradient.
    /// </summary>
    public static double[][] Sgd(Objective objective, double[] theta0, double learningRate, int batchSize, int seed, int steps, double[][] data)
    {
        var theta = (double[])theta0.Clone();
        var n = theta.Length;
        var count = data[0].Length;
        double[] g = new double[n], sum = new double[n];
        long epoch = 0;
        var position = 0;
        var rows = new double[steps][];
        for (var t = 1; t <= steps; t++)
        {
            var order = new EpochOrder(count, seed, epoch);
            var batch = Math.Min(batchSize, count - position);
            Array.Clear(sum);
            double loss = 0;
            for (var k = 0; k < batch; k++)
            {
                loss += objective.Gradient(theta, data, order[position + k], g);
                for (var j = 0; j < n; j++)
                {
                    sum[j] += g[j];
                }
            }

            for (var j = 0; j < n; j++)
            {
                theta[j] -= learningRate * (sum[j] / batch);
            }

            position += batch;
            if (position == count)
            {
                epoch++;
                position = 0;
            }

            rows[t - 1] = [loss / batch, t, .. theta];
        }

        return rows;
    }
}

internal static class Compare
{
    /// <summary>|actual − expected| ≤ relative · max(1, |expected|), element by element.</summary>
    public static void Close(double[] expected, double[] actual, double relative, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], relative, $"{context}[{i}]");
        }
    }

    public static void Close(double expected, double actual, double relative, string context)
    {
        var bound = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(
            Math.Abs(actual - expected) <= bound,
            FormattableString.Invariant($"{context}: {actual:R}, expected {expected:R} (difference {actual - expected:R} > {bound:R})"));
    }

    /// <summary>Bit-identical arrays (NaN payloads and signed zeros included).</summary>
    public static void Bits(double[] expected, double[] actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                FormattableString.Invariant($"{context}[{i}]: {actual[i]:R}, expected bit-identical {expected[i]:R}"));
        }
    }

    /// <summary>Splits a flat trace into rows of <paramref name="width"/>.</summary>
    public static double[][] Rows(double[] flat, int width) => flat.Chunk(width).ToArray();
}
