using System;
using System.Text;
using OptimDsl.Tests.Optimizers;

namespace OptimDsl.Tests.Watching;

/// <summary>
/// The objectives and observers of the watching tests (README, Watching a run), compiled with the generator's
/// output into one assembly with an <c>Opt.Driver</c> that runs them and returns plain values.
/// </summary>
internal static class WatchingDriver
{
    private const string Source = """
        using System;
        using OptimDsl;

        namespace Opt;

        public static partial class W
        {
            // θ_t = 3 − 3·0.8^t from θ_0 = 0 with gradient descent at η = 0.1.
            [Objective, GradientDescent(LearningRate = 0.1), Adam(LearningRate = 0.1)]
            public static double Quadratic(double theta) => (theta - 3) * (theta - 3);

            // The mean of (w − x)² has gradient 2(w − mean x): w_t = m − m·0.8^t from w_0 = 0 at η = 0.1.
            [Objective, GradientDescent(LearningRate = 0.1), Sgd(LearningRate = 0.1, BatchSize = 1, Seed = 5)]
            public static double Fit(double w, [Data] double x) => (w - x) * (w - x);

            // Stable for x in [0, 9] while η < 2/λmax ≈ 0.034.
            [Objective, GradientDescent(LearningRate = 0.01), Sgd(LearningRate = 0.01, BatchSize = 2, Seed = 1)]
            public static double Line(double a, double b, [Data] double x, [Data] double y) => (a * x + b - y) * (a * x + b - y);
        }
        """;

    private const string Observers = """
        using System;
        using OptimDsl;

        namespace Opt;

        /// Records what each call saw; Seen holds parameters[0] of each call.
        public struct Tracker : IParameterObserver
        {
            public long Calls;
            public long ThreeArgumentCalls;
            public long LastIteration;
            public double LastLoss;
            public double LastNorm;
            public double[] Last;
            public double[] Seen;
            public long StopAt;

            public Tracker(int parameterCount, int steps)
            {
                this = default;
                Last = new double[parameterCount];
                Seen = new double[steps];
            }

            public bool OnStep(long iteration, double loss, double gradientNorm)
            {
                ThreeArgumentCalls++;
                return true;
            }

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                (LastIteration, LastLoss, LastNorm) = (iteration, loss, gradientNorm);
                parameters.CopyTo(Last);
                if (Calls <= Seen.Length) Seen[Calls - 1] = parameters[0];
                return StopAt == 0 || Calls < StopAt;
            }
        }

        /// The same as a class.
        public sealed class TrackerClass : IParameterObserver
        {
            public long Calls;
            public long ThreeArgumentCalls;
            public double Sum;

            public bool OnStep(long iteration, double loss, double gradientNorm)
            {
                ThreeArgumentCalls++;
                return true;
            }

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                foreach (var p in parameters) Sum += p;
                return true;
            }
        }

        /// Only value fields: what the allocation test passes.
        public struct Summer : IParameterObserver
        {
            public long Calls;
            public double Sum;

            public bool OnStep(long iteration, double loss, double gradientNorm) => throw new InvalidOperationException("the three-argument OnStep");

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                Sum += parameters[0];
                return true;
            }
        }

        /// Starts a run of its own inside OnStep (depth 0 only), with another observer of the same type.
        public struct Nesting : IParameterObserver
        {
            public int Depth;
            public long Calls;
            public long InnerCalls;

            public bool OnStep(long iteration, double loss, double gradientNorm) => throw new InvalidOperationException("the three-argument OnStep");

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                if (Depth == 0)
                {
                    var inner = new Nesting { Depth = 1 };
                    var o = new W.QuadraticGradientDescent(0);
                    o.Minimize(2, 0, ref inner);
                    InnerCalls += inner.Calls;
                }

                return true;
            }
        }

        /// Throws from its second call, after counting it.
        public struct Thrower : IParameterObserver
        {
            public long Calls;

            public bool OnStep(long iteration, double loss, double gradientNorm) => throw new InvalidOperationException("the three-argument OnStep");

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                Calls++;
                if (Calls == 2) throw new InvalidOperationException("second call");
                return true;
            }
        }

        /// Early stopping: the validation loss at the parameters after each update; stops after Patience
        /// updates without a new best, keeping the best parameters and their iteration.
        public struct EarlyStopping : IParameterObserver
        {
            private readonly double[] _validation;
            private readonly double[] _gradient;
            private readonly int _patience;
            private int _worse;
            public readonly double[] Best;
            public double BestLoss;
            public long BestIteration;

            public EarlyStopping(double[] validation, int parameterCount, int patience)
            {
                _validation = validation;
                _gradient = new double[parameterCount];
                Best = new double[parameterCount];
                _patience = patience;
                _worse = 0;
                BestLoss = double.PositiveInfinity;
                BestIteration = 0;
            }

            public bool OnStep(long iteration, double loss, double gradientNorm) => true;

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                double validationLoss = W.FitGradient(parameters, _validation, _gradient);
                if (validationLoss < BestLoss)
                {
                    (BestLoss, BestIteration, _worse) = (validationLoss, iteration, 0);
                    parameters.CopyTo(Best);
                    return true;
                }

                return ++_worse < _patience;
            }
        }
        """;

    /// <summary>What each measured block does (50 times per measurement); x, y are data, h a LossHistory of 64.</summary>
    internal static readonly (string Name, string Code)[] Blocks =
    [
        ("control: new double[4] (must allocate)", "var a = new double[4]; _sink += a.Length;"),
        ("Minimize<struct IParameterObserver> GradientDescent", "var o = new W.QuadraticGradientDescent(0); var c = new Summer(); _sink += o.Minimize(20, 0, ref c).Loss + c.Sum;"),
        ("Minimize<struct IParameterObserver> Adam", "var o = new W.QuadraticAdam(0); var c = new Summer(); _sink += o.Minimize(20, 0, ref c).Loss + c.Sum;"),
        ("Minimize<struct IParameterObserver> GradientDescent with data", "var o = new W.LineGradientDescent(0, 0); var c = new Summer(); _sink += o.Minimize(x, y, 20, 0, ref c).Loss + c.Sum;"),
        ("Minimize<struct IParameterObserver> Sgd", "var o = new W.LineSgd(0, 0); var c = new Summer(); _sink += o.Minimize(x, y, 20, 0, ref c).Loss + c.Sum;"),
        ("Minimize<struct IParameterObserver with an array field> GradientDescent", "var o = new W.QuadraticGradientDescent(0); var c = _tracker; _sink += o.Minimize(20, 0, ref c).Loss + c.Calls;"),
        ("Minimize<class IParameterObserver> GradientDescent", "var o = new W.QuadraticGradientDescent(0); var c = _trackerClass; _sink += o.Minimize(20, 0, ref c).Loss + c.Sum;"),
        ("Minimize<LossHistory> GradientDescent", "var o = new W.QuadraticGradientDescent(0); var h = _history; _sink += o.Minimize(20, 0, ref h).Loss + h.Count;"),
        ("Minimize<LossHistory> Sgd", "var o = new W.LineSgd(0, 0); var h = _history; _sink += o.Minimize(x, y, 20, 0, ref h).Loss + h.Count;"),
        ("Minimize<LossHistory> GradientDescent with data", "var o = new W.LineGradientDescent(0, 0); var h = _history; _sink += o.Minimize(x, y, 20, 0, ref h).Loss + h.Count;"),
    ];

    private static readonly Lazy<CompiledDriver> Compiled = new(() => CompiledDriver.Compile(Source, Observers, DriverCode()));

    /// <summary>The compiled driver, shared by the watching tests.</summary>
    public static CompiledDriver Driver => Compiled.Value;

    private static string DriverCode()
    {
        var text = new StringBuilder("""
            using System;
            using System.IO;
            using OptimDsl;

            namespace Opt;

            public static partial class Driver
            {
                private static double _sink;
                private static readonly LossHistory _history = new(64);
                private static readonly Tracker _tracker = new(1, 4);
                private static readonly TrackerClass _trackerClass = new();

                // Gradient descent on Quadratic from θ = 0 for `steps` updates (tolerance 0).
                public static (long Calls, long ThreeArgumentCalls, long LastIteration, double LastLoss, double LastNorm, double Theta, double[] Seen, long Iterations, string Status) TrackQuadratic(int steps, long stopAt)
                {
                    var o = new W.QuadraticGradientDescent(0);
                    var t = new Tracker(1, steps) { StopAt = stopAt };
                    var r = o.Minimize(steps, 0, ref t);
                    return (t.Calls, t.ThreeArgumentCalls, t.LastIteration, t.LastLoss, t.LastNorm, o.Theta, t.Seen, r.Iterations, r.Status.ToString());
                }

                // Fit with data, by gradient descent or SGD: what the observer saw against Step on a copy.
                public static (long Calls, long ThreeArgumentCalls, double[] Seen, double[] Stepped, double Last, double W) TrackFit(bool sgd, double[] x, int steps)
                {
                    var t = new Tracker(1, steps);
                    var stepped = new double[steps];
                    if (sgd)
                    {
                        var o = new W.FitSgd(0);
                        var copy = o.Clone();
                        o.Minimize(x, steps, 0, ref t);
                        for (int i = 0; i < steps; i++) { copy.Step(x); stepped[i] = copy.W; }
                        return (t.Calls, t.ThreeArgumentCalls, t.Seen, stepped, t.Last[0], o.W);
                    }
                    else
                    {
                        var o = new W.FitGradientDescent(0);
                        var copy = o.Clone();
                        o.Minimize(x, steps, 0, ref t);
                        for (int i = 0; i < steps; i++) { copy.Step(x); stepped[i] = copy.W; }
                        return (t.Calls, t.ThreeArgumentCalls, t.Seen, stepped, t.Last[0], o.W);
                    }
                }

                // Line with data: the parameters the observer saw last against the optimizer's.
                public static (long Calls, double[] Last, double A, double B) TrackLine(bool sgd, double[] x, double[] y, int steps)
                {
                    var t = new Tracker(2, steps);
                    if (sgd)
                    {
                        var o = new W.LineSgd(0, 0);
                        o.Minimize(x, y, steps, 0, ref t);
                        return (t.Calls, t.Last, o.A, o.B);
                    }
                    else
                    {
                        var o = new W.LineGradientDescent(0, 0);
                        o.Minimize(x, y, steps, 0, ref t);
                        return (t.Calls, t.Last, o.A, o.B);
                    }
                }

                public static (long Calls, long ThreeArgumentCalls, double Sum) TrackClass(bool asInterface)
                {
                    var o = new W.QuadraticGradientDescent(0);
                    var c = new TrackerClass();
                    if (asInterface)
                    {
                        IOptimizationObserver observer = c;
                        o.Minimize(3, 0, ref observer);
                    }
                    else
                    {
                        o.Minimize(3, 0, ref c);
                    }

                    return (c.Calls, c.ThreeArgumentCalls, c.Sum);
                }

                public static (long Calls, long InnerCalls) Nest()
                {
                    var o = new W.QuadraticGradientDescent(0);
                    var n = new Nesting();
                    o.Minimize(3, 0, ref n);
                    return (n.Calls, n.InnerCalls);
                }

                // Two runs whose observer throws at its second call: the calls each counted, and the message.
                public static (long First, long Second, string Message) ThrowTwice()
                {
                    string message = "";
                    var first = new Thrower();
                    var second = new Thrower();
                    try { new W.QuadraticGradientDescent(0).Minimize(5, 0, ref first); } catch (InvalidOperationException e) { message = e.Message; }
                    try { new W.QuadraticGradientDescent(0).Minimize(5, 0, ref second); } catch (InvalidOperationException) { }
                    return (first.Calls, second.Calls, message);
                }

                public static (long Iterations, string Status, long BestIteration, double Best, double BestLoss, double W) EarlyStop(double[] training, double[] validation, int patience)
                {
                    var o = new W.FitGradientDescent(0);
                    var stopping = new EarlyStopping(validation, 1, patience);
                    var r = o.Minimize(training, 1000, 1e-12, ref stopping);
                    return (r.Iterations, r.Status.ToString(), stopping.BestIteration, stopping.Best[0], stopping.BestLoss, o.W);
                }

                // A LossHistory over two runs of Quadratic: `first` updates, then `second`.
                public static (long[] Iterations, double[] Losses, double[] Norms) History(int capacity, int first, int second)
                {
                    var o = new W.QuadraticGradientDescent(0);
                    var h = new LossHistory(capacity);
                    o.Minimize(first, 0, ref h);
                    o.Minimize(second, 0, ref h);
                    return (h.Iterations.ToArray(), h.Losses.ToArray(), h.GradientNorms.ToArray());
                }

                // The SVG of a LossHistory of Line's gradient descent on the data, for `steps` updates.
                public static string LineSvg(double[] x, double[] y, int steps, int capacity)
                {
                    var o = new W.LineGradientDescent(0, 0);
                    var h = new LossHistory(capacity);
                    o.Minimize(x, y, steps, 0, ref h);
                    var writer = new StringWriter();
                    h.WriteSvg(writer);
                    return writer.ToString();
                }

                public static long Allocated(int block, double[] x, double[] y)
                {
                    long least = long.MaxValue;
                    for (int attempt = 0; attempt < 3; attempt++)
                    {
                        Run(block, x, y);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        Run(block, x, y);
                        least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                    }

                    return least;
                }

                private static void Run(int block, double[] x, double[] y)
                {
                    for (int r = 0; r < 50; r++)
                    {
                        switch (block)
                        {

            """);
        for (var i = 0; i < Blocks.Length; i++)
        {
            text.AppendLine($"                case {i}: {{ {Blocks[i].Code} break; }}");
        }

        text.AppendLine("""
                            default: throw new ArgumentOutOfRangeException(nameof(block));
                        }
                    }
                }
            }
            """);
        return text.ToString();
    }
}
