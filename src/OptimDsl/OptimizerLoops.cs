using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace OptimDsl;

/// <summary>
/// <c>Step</c> and <c>Minimize</c> of every generated optimizer whose objective has no <c>[Data]</c>
/// parameters, written once (README, Minimize). The generated struct passes itself by reference, with
/// views of its parameters and gradient; each call is compiled for that struct type, so its
/// <see cref="IGeneratedOptimizer"/> methods are direct calls, inlined.
/// </summary>
/// <remarks>
/// A diverging update is undone by restoring a copy of the whole optimizer from before it (and, for an
/// optimizer whose vectors are on the heap, the vectors it saved); the views stay valid, since they
/// look at the optimizer's own storage. Not meant to be called by hand.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptimizerLoops
{
    /// <summary>One update; returns the loss before it.</summary>
    // Not inlined into the generated Step(), as Minimize below: at tier 1 the JIT inlined it there and ran out of inlining
    // budget, so a float Adam of 63 parameters called its updates and InlineArray accessors (35 calls a step, 1.9 times
    // the time of 60 parameters); compiled on its own, fully optimised, every update is inlined (issue 13).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static double Step<TOptimizer>(ref TOptimizer optimizer)
        where TOptimizer : struct, IGeneratedOptimizer
    {
        optimizer.EnsureConstructed();
        double loss = optimizer.Evaluate();
        optimizer.Update();
        return loss;
    }

    /// <summary>
    /// <c>Apply(meanGradient)</c>: one update from a gradient computed elsewhere (README, Beyond one machine), with the
    /// clipping and the rule as in <c>Step</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="meanGradient"/> does not hold one value per parameter (ParamName <c>meanGradient</c>).</exception>
    public static void Apply<TOptimizer>(ref TOptimizer optimizer, Span<double> gradient, ReadOnlySpan<double> meanGradient, string parameterNames)
        where TOptimizer : struct, IGeneratedOptimizer
        => Apply<TOptimizer, double>(ref optimizer, gradient, meanGradient, parameterNames);

    /// <summary><c>Apply(meanGradient)</c> of a float objective's optimizer (README, Float objectives): as for a double one.</summary>
    /// <exception cref="ArgumentException"><paramref name="meanGradient"/> does not hold one value per parameter (ParamName <c>meanGradient</c>).</exception>
    public static void Apply<TOptimizer>(ref TOptimizer optimizer, Span<float> gradient, ReadOnlySpan<float> meanGradient, string parameterNames)
        where TOptimizer : struct, IGeneratedOptimizer
        => Apply<TOptimizer, float>(ref optimizer, gradient, meanGradient, parameterNames);

    private static void Apply<TOptimizer, T>(ref TOptimizer optimizer, Span<T> gradient, ReadOnlySpan<T> meanGradient, string parameterNames)
        where TOptimizer : struct, IGeneratedOptimizer
    {
        optimizer.EnsureConstructed();
        ArgumentChecks.ParameterCount(meanGradient.Length, gradient.Length, parameterNames, nameof(meanGradient));
        meanGradient.CopyTo(gradient);
        optimizer.Update();
    }

    /// <summary><c>Minimize(maxIterations, tolerance)</c>: no observer, the learning rate the optimizer has.</summary>
    public static OptimizationResult Minimize<TOptimizer>(ref TOptimizer optimizer, ReadOnlySpan<double> parameters, ReadOnlySpan<double> gradient, int maxIterations, double tolerance)
        where TOptimizer : struct, IGeneratedOptimizer
        => Minimize(ref optimizer, parameters, gradient, default, maxIterations, tolerance);

    /// <summary><c>Minimize(maxIterations, tolerance, ref observer)</c>: the learning rate the optimizer has.</summary>
    public static OptimizationResult Minimize<TOptimizer, TObserver>(ref TOptimizer optimizer, ReadOnlySpan<double> parameters, ReadOnlySpan<double> gradient, int maxIterations, double tolerance, ref TObserver observer)
        where TOptimizer : struct, IGeneratedOptimizer
        where TObserver : IOptimizationObserver
        => Minimize(ref optimizer, parameters, gradient, default, maxIterations, tolerance, ref observer);

    /// <summary><c>Minimize(maxIterations, tolerance, ref observer, ref schedule)</c> of a double objective: see the overload over the number type.</summary>
    public static OptimizationResult Minimize<TOptimizer, TObserver, TSchedule>(ref TOptimizer optimizer, ReadOnlySpan<double> parameters, ReadOnlySpan<double> gradient, int maxIterations, double tolerance, ref TObserver observer, ref TSchedule schedule)
        where TOptimizer : struct, IGeneratedOptimizer
        where TObserver : IOptimizationObserver
        where TSchedule : ILearningRateSchedule
        => Minimize(ref optimizer, parameters, gradient, default, maxIterations, tolerance, ref observer, ref schedule);

    /// <summary>
    /// <c>Minimize(maxIterations, tolerance)</c> of an optimizer whose parameters and gradient fill one vector
    /// (<see cref="IRegisterOptimizer"/>): the same run as <see cref="Minimize{TOptimizer}(ref TOptimizer, ReadOnlySpan{double}, ReadOnlySpan{double}, int, double)"/>,
    /// update for update and bit for bit, on a copy of the optimizer in a local, written back at the end. The optimizer
    /// measures its own norm and finiteness, so no reference into the copy escapes and the JIT keeps the copy's fields
    /// (θ, the gradient, the rule's state) in registers across the loop, as a hand-written loop keeps its locals
    /// (README, Performance). Nothing in the loop calls a method or can throw: the rate is the one the optimizer holds,
    /// checked when it was set, so the loop does not set it again.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult MinimizeInRegisters<TOptimizer>(ref TOptimizer optimizer, int maxIterations, double tolerance)
        where TOptimizer : struct, IRegisterOptimizer
    {
        var run = new MinimizeRun(maxIterations, tolerance);
        optimizer.EnsureConstructed();
        TOptimizer local = optimizer;
        double loss = local.Evaluate();
        double norm = local.GradientNorm();
        run.Start(loss, norm, OptimizerChecks.IsFinite(loss, norm, local.ParametersAreFinite()));
        while (run.Continues)
        {
            // Every update at the rate the optimizer holds, as the other overloads' KeepLearningRate gives it: no
            // ScheduleLearningRate, whose check could throw (a call that would keep the loop's values in memory).
            TOptimizer previous = local;
            run.FullBatchStep();
            local.Update();
            loss = local.Evaluate();
            norm = local.GradientNorm();
            if (!run.FullBatchUpdated(loss, norm, OptimizerChecks.IsFinite(loss, norm, local.ParametersAreFinite())))
            {
                // Diverged: back to the last finite step.
                local = previous;
            }
        }

        optimizer = local;
        return run.Result;
    }

    /// <summary><c>Minimize(maxIterations, tolerance)</c> of a double or float objective: no observer, the learning rate the optimizer has.</summary>
    public static OptimizationResult Minimize<TOptimizer, T>(ref TOptimizer optimizer, ReadOnlySpan<T> parameters, ReadOnlySpan<T> gradient, Span<double> observed, int maxIterations, double tolerance)
        where TOptimizer : struct, IGeneratedOptimizer
        where T : unmanaged
    {
        NoObserver observer = default;
        var sameRate = new MinimizeRun.KeepLearningRate(optimizer.LearningRate);
        return Minimize(ref optimizer, parameters, gradient, observed, maxIterations, tolerance, ref observer, ref sameRate);
    }

    /// <summary><c>Minimize(maxIterations, tolerance, ref observer)</c> of a double or float objective: the learning rate the optimizer has.</summary>
    public static OptimizationResult Minimize<TOptimizer, TObserver, T>(ref TOptimizer optimizer, ReadOnlySpan<T> parameters, ReadOnlySpan<T> gradient, Span<double> observed, int maxIterations, double tolerance, ref TObserver observer)
        where TOptimizer : struct, IGeneratedOptimizer
        where TObserver : IOptimizationObserver
        where T : unmanaged
    {
        var sameRate = new MinimizeRun.KeepLearningRate(optimizer.LearningRate);
        return Minimize(ref optimizer, parameters, gradient, observed, maxIterations, tolerance, ref observer, ref sameRate);
    }

    /// <summary>
    /// <c>Minimize(maxIterations, tolerance, ref observer, ref schedule)</c>: each update's gradient is the
    /// one the check after the previous update computed, so every update is checked. <typeparamref name="T"/> is the
    /// objective's number type, double or float (README, Float objectives).
    /// </summary>
    /// <param name="optimizer">The generated optimizer.</param>
    /// <param name="parameters">A view of its parameters θ.</param>
    /// <param name="gradient">A view of its gradient, which <see cref="IGeneratedOptimizer.Evaluate"/> writes.</param>
    /// <param name="observed">
    /// For a float objective, a view of the optimizer's buffer of one double per parameter, where an
    /// <see cref="IParameterObserver"/> sees θ widened; empty for a double objective, whose observer sees θ itself.
    /// </param>
    /// <param name="maxIterations">At most this many updates.</param>
    /// <param name="tolerance">The run converges when ‖g‖₂ ≤ tolerance.</param>
    /// <param name="observer">Called after each update; the run stops when it returns false.</param>
    /// <param name="schedule">The learning rate of each update.</param>
    // Not inlined into the overloads above: inlined, the loop used up their inlining budget, and the
    // optimizer's Evaluate and the policy's checks stayed calls (issue 10).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult Minimize<TOptimizer, TObserver, TSchedule, T>(ref TOptimizer optimizer, ReadOnlySpan<T> parameters, ReadOnlySpan<T> gradient, Span<double> observed, int maxIterations, double tolerance, ref TObserver observer, ref TSchedule schedule)
        where TOptimizer : struct, IGeneratedOptimizer
        where TObserver : IOptimizationObserver
        where TSchedule : ILearningRateSchedule
        where T : unmanaged
    {
        var run = new MinimizeRun(maxIterations, tolerance);
        optimizer.EnsureConstructed();
        run.Start(optimizer.Evaluate(), gradient, parameters);
        while (run.Continues)
        {
            TOptimizer previous = optimizer;
            optimizer.Save();
            optimizer.ScheduleLearningRate(run.FullBatchRate(ref schedule, optimizer.Iteration + 1));
            optimizer.Update();
            if (!run.FullBatchUpdated(optimizer.Evaluate(), gradient, parameters, observed, optimizer.Iteration, ref observer))
            {
                // Diverged: back to the last finite step.
                optimizer = previous;
                optimizer.Restore();
            }
        }

        return run.Result;
    }
}
