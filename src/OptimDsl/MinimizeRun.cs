using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptimDsl;

/// <summary>
/// The policy of a generated optimizer's <c>Minimize</c> (README, Minimize): when to stop (converged,
/// iteration limit, diverged, stopped by the observer), which learning rate a schedule gives each
/// update, and which state a diverging run returns to. The generated loop evaluates the objective and
/// updates; this struct decides.
/// </summary>
/// <remarks>
/// <para>Full batch: the loss and gradient after each update are those of the next update, so every
/// update is checked. A diverging update is undone by the caller (it restores the state it saved before
/// the update); the result is that of the last finite step.</para>
/// <para>Minibatches: an update sees only its minibatch; the full-batch loss and gradient norm are
/// measured at each epoch's end, when the observer stops the run, and at the iteration limit. A diverging
/// update is undone; when the full batch is not finite at the state before it either, the run returns to
/// the last epoch's end (the checkpoint).</para>
/// Not meant to be called by hand; the generated optimizers call it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct MinimizeRun
{
    private readonly int _maxIterations;
    private readonly double _tolerance;
    private long _updates;
    private double _loss;
    private double _norm;
    private double _stepLoss;
    private double _stepNorm;
    private long _checkpointUpdates;
    private double _checkpointLoss;
    private double _checkpointNorm;
    private OptimizationStatus _status;
    private bool _finished;
    private bool _diverged;
    private bool _stopped;
    private bool _epochEnded;

    /// <summary>A run of at most <paramref name="maxIterations"/> updates, until ‖g‖₂ ≤ <paramref name="tolerance"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxIterations"/> is not positive, or <paramref name="tolerance"/> is negative or NaN.</exception>
    public MinimizeRun(int maxIterations, double tolerance)
    {
        if (maxIterations <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "At least one iteration is needed.");
        }

        if (!(tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be zero or positive.");
        }

        this = default;
        _maxIterations = maxIterations;
        _tolerance = tolerance;
    }

    /// <summary>Whether another update is to be made.</summary>
    public readonly bool Continues => !_finished;

    /// <summary>Whether the last update diverged: the caller restores the state from before it.</summary>
    public readonly bool Diverged => _diverged;

    /// <summary>Whether the last update ended an epoch with a finite full batch: the caller saves its state as the checkpoint.</summary>
    public readonly bool IsCheckpoint => _epochEnded && !_diverged && !_stopped;

    /// <summary>The result: the updates made, and the loss and gradient norm at the parameters held.</summary>
    public readonly OptimizationResult Result => new(_updates, _loss, _norm, _status);

    /// <summary>The loss and gradient at the starting parameters.</summary>
    public void Start(double loss, ReadOnlySpan<double> gradient, ReadOnlySpan<double> parameters)
        => Start<double, double>(loss, gradient, parameters);

    /// <summary>
    /// The loss and gradient at the starting parameters, of a double or a float objective (README, Float objectives):
    /// the norm is that of <see cref="OptimizerChecks"/> for <typeparamref name="TGradient"/> and the finiteness test for
    /// <typeparamref name="T"/>. They differ for a float <c>[LevenbergMarquardt]</c>, whose gradient is a double.
    /// </summary>
    public void Start<TGradient, T>(double loss, ReadOnlySpan<TGradient> gradient, ReadOnlySpan<T> parameters)
        where TGradient : unmanaged
        where T : unmanaged
    {
        double norm = Norm(gradient);
        Start(loss, norm, IsFinite(loss, norm, parameters));
    }

    /// <summary>
    /// The loss and gradient at the starting parameters, measured by the optimizer (<see cref="IRegisterOptimizer"/>):
    /// the gradient's 2-norm and whether the loss, that norm and every parameter are finite.
    /// </summary>
    public void Start(double loss, double norm, bool finite)
    {
        (_loss, _norm) = (loss, norm);
        (_checkpointLoss, _checkpointNorm, _checkpointUpdates) = (_loss, _norm, 0);
        if (!finite)
        {
            Finish(OptimizationStatus.Diverged);
            return;
        }

        Decide();
    }

    /// <summary>
    /// Full batch: the learning rate of update <paramref name="iteration"/> from <paramref name="schedule"/>,
    /// given the loss the update sees.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The schedule gave a negative, NaN or infinite rate (ParamName <c>schedule</c>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double FullBatchRate<TSchedule>(ref TSchedule schedule, long iteration)
        where TSchedule : ILearningRateSchedule
    {
        FullBatchStep();
        return Checked(schedule.LearningRate(iteration, _loss));
    }

    /// <summary>
    /// Full batch, before an update at the learning rate the optimizer holds (<see cref="IRegisterOptimizer"/>, whose rate
    /// was checked when it was set): what <see cref="FullBatchRate"/> records, without a schedule.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FullBatchStep()
    {
        _stepLoss = _loss;
        _stepNorm = _norm;
    }

    /// <summary>
    /// Full batch: the loss and gradient after the update. False when they or the parameters are not
    /// finite: the caller restores the state from before the update, and the run ends there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FullBatchUpdated<TObserver>(double loss, ReadOnlySpan<double> gradient, ReadOnlySpan<double> parameters, long iteration, ref TObserver observer)
        where TObserver : IOptimizationObserver
        => FullBatchUpdated(loss, gradient, parameters, default, iteration, ref observer);

    /// <summary>
    /// Full batch, for a double or a float objective: as the overload above. An <see cref="IParameterObserver"/> of a float
    /// objective sees the parameters widened into <paramref name="observed"/>, a buffer of one double per parameter that the
    /// optimizer owns (unused, and may be empty, for a double objective or another observer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FullBatchUpdated<TObserver, T>(double loss, ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<double> observed, long iteration, ref TObserver observer)
        where TObserver : IOptimizationObserver
        where T : unmanaged
    {
        double norm = Norm(gradient);
        if (!Accepted(loss, norm, IsFinite(loss, norm, parameters)))
        {
            return false;
        }

        if (!Observe(ref observer, iteration, _stepLoss, _stepNorm, parameters, observed))
        {
            Finish(OptimizationStatus.Stopped);
            return true;
        }

        Decide();
        return true;
    }

    /// <summary>
    /// Full batch, without an observer: the loss after the update, the gradient's 2-norm and whether the loss, that
    /// norm and every parameter are finite, measured by the optimizer (<see cref="IRegisterOptimizer"/>). As the
    /// overloads above: false when not finite, and the run ends there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FullBatchUpdated(double loss, double norm, bool finite)
    {
        if (!Accepted(loss, norm, finite))
        {
            return false;
        }

        Decide();
        return true;
    }

    // Counts the update and keeps its loss and norm; a non-finite one is not counted, and the run diverged.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Accepted(double loss, double norm, bool finite)
    {
        if (!finite)
        {
            (_loss, _norm) = (_stepLoss, _stepNorm);
            _diverged = true;
            Finish(OptimizationStatus.Diverged);
            return false;
        }

        _updates++;
        (_loss, _norm) = (loss, norm);
        return true;
    }

    /// <summary>
    /// <c>[Lbfgs]</c> and <c>[LevenbergMarquardt]</c>: after one iteration of the solver, which moves only to points
    /// whose loss and gradient are finite. When it could not move (<paramref name="accepted"/> false) the run stops
    /// with <see cref="OptimizationStatus.Stalled"/> at the parameters it had (README, Which optimizer?).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SolverStepped<TObserver>(bool accepted, double loss, ReadOnlySpan<double> gradient, ReadOnlySpan<double> parameters, long iteration, ref TObserver observer)
        where TObserver : IOptimizationObserver
        => SolverStepped(accepted, loss, gradient, parameters, default, iteration, ref observer);

    /// <summary>
    /// As the overload above, for a double or a float objective (README, Float objectives): the gradient's norm in double
    /// (a float <c>[Lbfgs]</c>'s gradient is float, a float <c>[LevenbergMarquardt]</c>'s double), and an
    /// <see cref="IParameterObserver"/> of a float objective sees the parameters widened into <paramref name="observed"/>,
    /// a buffer of one double per parameter that the optimizer owns (unused, and may be empty, for a double objective).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SolverStepped<TObserver, TGradient, T>(bool accepted, double loss, ReadOnlySpan<TGradient> gradient, ReadOnlySpan<T> parameters, Span<double> observed, long iteration, ref TObserver observer)
        where TObserver : IOptimizationObserver
        where TGradient : unmanaged
        where T : unmanaged
    {
        if (!accepted)
        {
            Finish(OptimizationStatus.Stalled);
            return;
        }

        (_stepLoss, _stepNorm) = (_loss, _norm);
        _updates++;
        (_loss, _norm) = (loss, Norm(gradient));
        if (!Observe(ref observer, iteration, _stepLoss, _stepNorm, parameters, observed))
        {
            Finish(OptimizationStatus.Stopped);
            return;
        }

        Decide();
    }

    /// <summary>
    /// Minibatches: the learning rate of update <paramref name="iteration"/> from <paramref name="schedule"/>,
    /// given the minibatch's loss and gradient (before clipping), which the observer will see.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The schedule gave a negative, NaN or infinite rate (ParamName <c>schedule</c>).</exception>
    public double MinibatchRate<TSchedule>(ref TSchedule schedule, long iteration, double loss, ReadOnlySpan<double> gradient)
        where TSchedule : ILearningRateSchedule
        => MinibatchRate<TSchedule, double>(ref schedule, iteration, loss, gradient);

    /// <summary>Minibatches, for a double or a float objective: as the overload above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The schedule gave a negative, NaN or infinite rate (ParamName <c>schedule</c>).</exception>
    public double MinibatchRate<TSchedule, T>(ref TSchedule schedule, long iteration, double loss, ReadOnlySpan<T> gradient)
        where TSchedule : ILearningRateSchedule
        where T : unmanaged
    {
        _stepLoss = loss;
        _stepNorm = Norm(gradient);
        return Checked(schedule.LearningRate(iteration, loss));
    }

    /// <summary>
    /// Minibatches: after the update. True when the caller must now measure the full batch
    /// (<see cref="FullBatchMeasured{T}"/>): at an epoch's end, when the observer stops the run, and at the
    /// iteration limit. Mid-epoch the run goes on without a convergence test.
    /// </summary>
    public bool MinibatchUpdated<TObserver>(ReadOnlySpan<double> parameters, long iteration, bool epochEnded, ref TObserver observer)
        where TObserver : IOptimizationObserver
        => MinibatchUpdated(parameters, default, iteration, epochEnded, ref observer);

    /// <summary>
    /// Minibatches, for a double or a float objective: as the overload above. An <see cref="IParameterObserver"/> of a float
    /// objective sees the parameters widened into <paramref name="observed"/> (see <see cref="FullBatchUpdated{TObserver, T}"/>).
    /// </summary>
    public bool MinibatchUpdated<TObserver, T>(ReadOnlySpan<T> parameters, Span<double> observed, long iteration, bool epochEnded, ref TObserver observer)
        where TObserver : IOptimizationObserver
        where T : unmanaged
    {
        _updates++;
        _epochEnded = epochEnded;
        _diverged = !IsFinite(_stepLoss, _stepNorm, parameters);
        _stopped = !_diverged && !Observe(ref observer, iteration, _stepLoss, _stepNorm, parameters, observed);
        if (!_diverged && (_stopped || epochEnded || _updates == _maxIterations))
        {
            return true;
        }

        if (_diverged)
        {
            Finish(OptimizationStatus.Diverged);
        }

        _norm = double.PositiveInfinity;
        return false;
    }

    /// <summary>Minibatches: the full-batch loss and gradient after the update, when <see cref="MinibatchUpdated{TObserver, T}"/> asked.</summary>
    public void FullBatchMeasured(double loss, ReadOnlySpan<double> gradient, ReadOnlySpan<double> parameters)
        => FullBatchMeasured<double>(loss, gradient, parameters);

    /// <summary>Minibatches, for a double or a float objective: as the overload above.</summary>
    public void FullBatchMeasured<T>(double loss, ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters)
        where T : unmanaged
    {
        _loss = loss;
        _norm = Norm(gradient);
        if (!IsFinite(loss, _norm, parameters))
        {
            _diverged = true;
            Finish(OptimizationStatus.Diverged);
            return;
        }

        if (_stopped)
        {
            Finish(OptimizationStatus.Stopped);
            return;
        }

        if (_epochEnded)
        {
            (_checkpointLoss, _checkpointNorm, _checkpointUpdates) = (_loss, _norm, _updates);
        }

        Decide();
    }

    /// <summary>
    /// Minibatches, after a diverging update: the full-batch loss and gradient at the restored state from
    /// before it. False when those are not finite either: the caller restores the checkpoint.
    /// </summary>
    public bool RolledBack(double loss, ReadOnlySpan<double> gradient, ReadOnlySpan<double> parameters)
        => RolledBack<double>(loss, gradient, parameters);

    /// <summary>Minibatches, for a double or a float objective: as the overload above.</summary>
    public bool RolledBack<T>(double loss, ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters)
        where T : unmanaged
    {
        _updates--;
        _loss = loss;
        _norm = Norm(gradient);
        bool finite = IsFinite(loss, _norm, parameters);
        if (!finite)
        {
            (_loss, _norm, _updates) = (_checkpointLoss, _checkpointNorm, _checkpointUpdates);
        }

        return finite;
    }

    /// <summary>
    /// The observer's <c>OnStep</c>: the four-argument one of <see cref="IParameterObserver"/> when
    /// <typeparamref name="TObserver"/> implements it, else the three-argument one (README, Watching a run).
    /// </summary>
    // For a struct, both tests are constants once the method is compiled for TObserver, so only one call
    // remains; it goes through ParameterObserverCall, since C# cannot call IParameterObserver.OnStep on a
    // ref TObserver whose constraint does not name IParameterObserver without boxing a copy, and the copy
    // would lose what the observer writes into its fields. A class (or an interface-typed variable) is
    // tested at run time, which allocates nothing.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Observe<TObserver>(ref TObserver observer, long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
        where TObserver : IOptimizationObserver
        => Observe(ref observer, iteration, loss, gradientNorm, parameters, default);

    /// <summary>
    /// As above, for double or float parameters: float ones are widened into <paramref name="observed"/> for an
    /// <see cref="IParameterObserver"/> only (its OnStep takes doubles), so other observers cost nothing more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Observe<TObserver, T>(ref TObserver observer, long iteration, double loss, double gradientNorm, ReadOnlySpan<T> parameters, Span<double> observed)
        where TObserver : IOptimizationObserver
        where T : unmanaged
    {
        if (typeof(TObserver).IsValueType)
        {
            return ParameterObserverCall<TObserver>.Implemented
                ? ParameterObserverCall<TObserver>.OnStep(ref observer, iteration, loss, gradientNorm, AsDoubles(parameters, observed))
                : observer.OnStep(iteration, loss, gradientNorm);
        }

        return observer is IParameterObserver parameterObserver
            ? parameterObserver.OnStep(iteration, loss, gradientNorm, AsDoubles(parameters, observed))
            : observer.OnStep(iteration, loss, gradientNorm);
    }

    // For T = double or float: each test below is a constant once the method is compiled for T, so one branch remains.

    /// <summary>The parameters as doubles: double ones as they are, float ones widened (exactly) into <paramref name="observed"/>.</summary>
    private static ReadOnlySpan<double> AsDoubles<T>(ReadOnlySpan<T> parameters, Span<double> observed)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return MemoryMarshal.Cast<T, double>(parameters);
        }

        var floats = MemoryMarshal.Cast<T, float>(parameters);
        observed = observed[..floats.Length];
        for (int i = 0; i < floats.Length; i++)
        {
            observed[i] = floats[i];
        }

        return observed;
    }

    /// <summary><see cref="OptimizerChecks.GradientNorm(ReadOnlySpan{double})"/> or its float overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Norm<T>(ReadOnlySpan<T> gradient)
        where T : unmanaged
        => typeof(T) == typeof(double)
            ? OptimizerChecks.GradientNorm(MemoryMarshal.Cast<T, double>(gradient))
            : OptimizerChecks.GradientNorm(MemoryMarshal.Cast<T, float>(gradient));

    /// <summary><see cref="OptimizerChecks.IsFinite(double, double, ReadOnlySpan{double})"/> or its float overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFinite<T>(double loss, double norm, ReadOnlySpan<T> parameters)
        where T : unmanaged
        => typeof(T) == typeof(double)
            ? OptimizerChecks.IsFinite(loss, norm, MemoryMarshal.Cast<T, double>(parameters))
            : OptimizerChecks.IsFinite(loss, norm, MemoryMarshal.Cast<T, float>(parameters));

    private void Decide()
    {
        if (_norm <= _tolerance)
        {
            Finish(OptimizationStatus.Converged);
        }
        else if (_updates == _maxIterations)
        {
            Finish(OptimizationStatus.IterationLimit);
        }
    }

    private void Finish(OptimizationStatus status)
    {
        _status = status;
        _finished = true;
    }

    private static double Checked(double rate)
    {
        if (!(rate >= 0) || double.IsPositiveInfinity(rate))
        {
            ThrowRate(rate);
        }

        return rate;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRate(double rate)
        => throw new ArgumentOutOfRangeException("schedule", rate, "The schedule gave a learning rate that is negative, NaN or infinite.");

    /// <summary>
    /// The schedule of <c>Minimize</c> without one: every update keeps the learning rate the optimizer
    /// had when the run started (which may be a schedule's 0).
    /// </summary>
    public readonly struct KeepLearningRate : ILearningRateSchedule
    {
        private readonly double _rate;

        /// <summary>A schedule of <paramref name="rate"/> at every update.</summary>
        public KeepLearningRate(double rate) => _rate = rate;

        /// <summary>The rate the run started with.</summary>
        public double LearningRate(long iteration, double loss) => _rate;
    }

    /// <summary>
    /// Calls <see cref="IParameterObserver.OnStep(long, double, double, ReadOnlySpan{double})"/> on a struct
    /// observer held by reference, keeping what it writes, without allocating per call: the observer is
    /// copied into a box this thread reuses, called there, and copied back.
    /// </summary>
    private static class ParameterObserverCall<TObserver>
    {
        /// <summary>Whether the struct <typeparamref name="TObserver"/> implements <see cref="IParameterObserver"/> (a constant to the JIT once read).</summary>
        public static readonly bool Implemented = typeof(IParameterObserver).IsAssignableFrom(typeof(TObserver));

        // The thread's box for TObserver, taken out while in use, so that an observer that starts another
        // run inside OnStep gets a box of its own.
        [ThreadStatic]
        private static object? t_box;

        public static bool OnStep(ref TObserver observer, long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
        {
            object box = t_box ?? observer!;
            t_box = null;
            Contents(box) = observer;
            try
            {
                return ((IParameterObserver)box).OnStep(iteration, loss, gradientNorm, parameters);
            }
            finally
            {
                // Also when OnStep throws: the observer keeps what it wrote, as it would called directly.
                observer = Contents(box);
                t_box = box;
            }
        }

        // A boxed value's fields start where a class's first field does, after the type pointer: the
        // layout RuntimeHelpers.GetRawData relies on in CoreCLR and NativeAOT alike.
        private static ref TObserver Contents(object box) => ref Unsafe.As<byte, TObserver>(ref Unsafe.As<RawData>(box).Data);
    }

    // Never constructed: only a view of a box's first byte.
    private sealed class RawData
    {
        public byte Data = 0;
    }
}
