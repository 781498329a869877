using System;
using System.ComponentModel;
using System.Numerics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The Levenberg–Marquardt algorithm of a generated <c>[LevenbergMarquardt]</c> optimizer (README, Optimizers), by
/// reverse communication: the solver never calls the objective; it says where to evaluate, and the caller hands back the
/// loss there, having written g and H there into the storage. It holds scalars only; the vectors and matrices live in the
/// caller's <see cref="LevenbergMarquardtStorage{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// The objective is f(θ) = (1/N) Σ c r(θ)² over the weighted residuals of N samples; g = ∇f and H = (2/N) Σ c JᵀJ, the
/// Gauss–Newton Hessian, accumulated with <see cref="NormalEquations"/>. One step, from θ with loss f(θ), g and H, and
/// the damping λ (Marquardt 1963):
/// </para>
/// <list type="number">
/// <item><description>
/// Damped matrix A = H + λD, D diagonal: D_ii = H_ii, except that an H_ii below δ = 1e-12·max_k H_kk is replaced by δ
/// (so that a parameter the residuals do not move is still damped); when no H_kk is positive (all are 0), D = I.
/// </description></item>
/// <item><description>
/// Step: A δ = −g solved by Cholesky, A = L Lᵀ with L in <see cref="LevenbergMarquardtStorage{T}.Factor"/>, then forward and
/// back substitution into <see cref="LevenbergMarquardtStorage{T}.Step"/>. When A is not positive definite (a pivot that is
/// not positive or not finite) or δ is not finite, the trial is rejected without an evaluation.
/// </description></item>
/// <item><description>
/// Trial θ + δ, evaluated by the caller. Accepted when its loss is finite and strictly below f(θ): θ, g and H become the
/// trial's, λ ← max(λ / <see cref="DampingFactor"/>, <see cref="MinDamping"/>), and the step is over. Rejected otherwise:
/// when λ is already <see cref="MaxDamping"/>, or this was the step's <see cref="MaxTrials"/>-th rejection, the step
/// stalls (θ, g and H unchanged, <see cref="Accepted"/> false); else λ ← min(λ · <see cref="DampingFactor"/>,
/// <see cref="MaxDamping"/>) and the next trial is computed.
/// </description></item>
/// </list>
/// <para>
/// A starting loss or g that is not finite stalls the step at once. λ persists across steps, stalled ones included; it
/// starts at <see cref="InitialDamping"/> clamped into [<see cref="MinDamping"/>, <see cref="MaxDamping"/>] and returns
/// there on <see cref="ResetDamping"/> (when the parameters are set) or when <see cref="InitialDamping"/> is set.
/// </para>
/// <para>The caller's loop, after computing <c>loss</c>, g and H at θ:</para>
/// <code>
/// solver.Begin(storage, loss);
/// while (solver.NextTrial(storage))
///     solver.Evaluated(storage, Objective(storage.TrialPoint, storage.TrialGradient, storage.TrialHessian));
/// // solver.Accepted: θ, g and H moved to the new point, whose loss is solver.Loss; otherwise the step stalled.
/// </code>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LevenbergMarquardtSolver
{
    /// <summary>The smallest damping λ.</summary>
    public const double MinDamping = 1e-12;

    /// <summary>The largest damping λ: a trial rejected at this λ stalls the step.</summary>
    public const double MaxDamping = 1e12;

    /// <summary>The rejected trials (evaluated or not) one step may have before it stalls.</summary>
    public const int MaxTrials = 100;

    /// <summary>The floor of D's diagonal relative to H's largest diagonal element.</summary>
    private const double RelativeFloor = 1e-12;

    private double _initialDamping;
    private double _dampingFactor;
    private double _damping;
    private long _iteration;

    // The current step.
    private bool _inProgress;
    private bool _awaiting;
    private bool _accepted;
    private int _evaluations;
    private int _rejections;
    private double _loss0;
    private double _loss;

    /// <summary>A solver whose damping λ starts at <paramref name="initialDamping"/> (clamped into [<see cref="MinDamping"/>, <see cref="MaxDamping"/>]).</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="initialDamping"/> is not positive and finite (ParamName <c>InitialDamping</c>), or
    /// <paramref name="dampingFactor"/> is not greater than 1 and finite (ParamName <c>DampingFactor</c>).
    /// </exception>
    public LevenbergMarquardtSolver(double initialDamping, double dampingFactor)
    {
        _initialDamping = CheckedInitialDamping(initialDamping);
        _dampingFactor = CheckedDampingFactor(dampingFactor);
        _damping = Clamped(_initialDamping);
    }

    /// <summary>λ's starting value, positive and finite; setting it also resets <see cref="Damping"/> to it (clamped).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite; nothing changes.</exception>
    public double InitialDamping
    {
        readonly get => _initialDamping;
        set
        {
            _initialDamping = CheckedInitialDamping(value);
            _damping = Clamped(value);
        }
    }

    /// <summary>What λ is divided by after an accepted trial and multiplied by after a rejected one; greater than 1 and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not greater than 1 and finite; nothing changes.</exception>
    public double DampingFactor
    {
        readonly get => _dampingFactor;
        set => _dampingFactor = CheckedDampingFactor(value);
    }

    /// <summary>λ now, in [<see cref="MinDamping"/>, <see cref="MaxDamping"/>]: the damping of the next trial.</summary>
    public readonly double Damping => _damping;

    /// <summary>The steps accepted so far (a stalled one does not count): the generated optimizer's <c>Iteration</c>.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>Whether a step is under way: <see cref="NextTrial"/> has more to say.</summary>
    public readonly bool InProgress => _inProgress;

    /// <summary>Whether the last step moved θ (θ, g and H copied from the trial buffers); false: it stalled.</summary>
    public readonly bool Accepted => _accepted;

    /// <summary>f at θ after the last step: the accepted trial's, or the starting loss when it stalled.</summary>
    public readonly double Loss => _loss;

    /// <summary>The trials the last (or current) step evaluated.</summary>
    public readonly int Evaluations => _evaluations;

    /// <summary>λ ← <see cref="InitialDamping"/> (clamped), for parameters set by hand; a step under way is abandoned.</summary>
    public void ResetDamping()
    {
        _damping = Clamped(_initialDamping);
        _inProgress = false;
        _awaiting = false;
    }

    /// <summary>Restores λ saved from <see cref="Damping"/> (a checkpoint); a step under way is abandoned.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="damping"/> is not in [<see cref="MinDamping"/>, <see cref="MaxDamping"/>].</exception>
    public void Restore(double damping)
    {
        if (!(damping >= MinDamping && damping <= MaxDamping))
        {
            throw new ArgumentOutOfRangeException(nameof(damping), damping, $"The damping must be in [{MinDamping:R}, {MaxDamping:R}].");
        }

        _damping = damping;
        _inProgress = false;
        _awaiting = false;
    }

    /// <summary>
    /// Starts a step from θ, whose loss is <paramref name="loss"/> and whose g and H are in
    /// <see cref="LevenbergMarquardtStorage{T}.Gradient"/> and <see cref="LevenbergMarquardtStorage{T}.Hessian"/>. A loss or
    /// g that is not finite ends the step at once, stalled.
    /// </summary>
    public void Begin<T>(scoped in LevenbergMarquardtStorage<T> storage, double loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        _awaiting = false;
        _accepted = false;
        _evaluations = 0;
        _rejections = 0;
        _loss0 = loss;
        _loss = loss;
        _inProgress = double.IsFinite(loss) && Spans.AllFinite(storage.Gradient);
    }

    /// <summary>
    /// True: the caller evaluates the loss, g and H at <see cref="LevenbergMarquardtStorage{T}.TrialPoint"/> (written here,
    /// θ + δ), writes g and H into <see cref="LevenbergMarquardtStorage{T}.TrialGradient"/> and
    /// <see cref="LevenbergMarquardtStorage{T}.TrialHessian"/>, and calls <see cref="Evaluated"/>. False: the step is over;
    /// <see cref="Accepted"/> says how.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last trial point has not been reported with <see cref="Evaluated"/>.</exception>
    public bool NextTrial<T>(scoped in LevenbergMarquardtStorage<T> storage)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_inProgress)
        {
            return false;
        }

        if (_awaiting)
        {
            throw new InvalidOperationException("Evaluated must report the loss at the last trial point first.");
        }

        while (!SolveDamped(storage, _damping))
        {
            // Not positive definite, or a step that is not finite: a rejected trial, without an evaluation.
            if (!Rejected())
            {
                return false;
            }
        }

        ReadOnlySpan<T> theta = storage.Theta;
        ReadOnlySpan<double> step = storage.Step;
        Span<T> trial = storage.TrialPoint;
        for (int i = 0; i < theta.Length; i++)
        {
            trial[i] = theta[i] + Spans.Narrow<T>(step[i]);
        }

        _awaiting = true;
        return true;
    }

    /// <summary>
    /// Takes the loss at the trial point (its g and H are in the trial buffers): accepts the trial, or rejects it and
    /// raises λ for the next one.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="NextTrial"/> did not ask for an evaluation.</exception>
    public void Evaluated<T>(scoped in LevenbergMarquardtStorage<T> storage, double loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_awaiting)
        {
            throw new InvalidOperationException("Evaluated follows a NextTrial that returned true.");
        }

        _awaiting = false;
        _evaluations++;
        if (double.IsFinite(loss) && loss < _loss0)
        {
            storage.TrialPoint.CopyTo(storage.Theta);
            storage.TrialGradient.CopyTo(storage.Gradient);
            storage.TrialHessian.CopyTo(storage.Hessian);
            _damping = Math.Max(_damping / _dampingFactor, MinDamping);
            _iteration++;
            _accepted = true;
            _loss = loss;
            _inProgress = false;
            return;
        }

        Rejected();
    }

    /// <summary>Counts a rejected trial: stalls (false) at <see cref="MaxDamping"/> or the <see cref="MaxTrials"/>-th, else raises λ.</summary>
    private bool Rejected()
    {
        _rejections++;
        if (_damping >= MaxDamping || _rejections >= MaxTrials)
        {
            _accepted = false;
            _loss = _loss0;
            _inProgress = false;
            return false;
        }

        _damping = Math.Min(_damping * _dampingFactor, MaxDamping);
        return true;
    }

    /// <summary>
    /// (H + λD) δ = −g by Cholesky into the storage's factor and step; false when the matrix is not positive definite or
    /// δ is not finite.
    /// </summary>
    private static bool SolveDamped<T>(scoped in LevenbergMarquardtStorage<T> storage, double damping)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = storage.ParameterCount;
        ReadOnlySpan<double> h = storage.Hessian;
        ReadOnlySpan<double> g = storage.Gradient;
        Span<double> l = storage.Factor;
        Span<double> step = storage.Step;

        double largest = 0;
        for (int k = 0; k < n; k++)
        {
            largest = Math.Max(largest, h[k * n + k]);
        }

        double floor = RelativeFloor * largest;
        bool identity = !(largest > 0);

        // A = L Lᵀ, row by row: L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj, L_ii = √(A_ii − Σ_{k<i} L_ik²).
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> li = l.Slice(i * n, i);
            for (int j = 0; j < i; j++)
            {
                ReadOnlySpan<double> lj = l.Slice(j * n, j);
                l[i * n + j] = (h[i * n + j] - Spans.Dot(li.Slice(0, j), lj)) / l[j * n + j];
            }

            double hii = h[i * n + i];
            double d = identity ? 1 : Math.Max(hii, floor);
            double pivot = hii + damping * d - Spans.Dot(li, li);
            if (!(pivot > 0 && pivot <= double.MaxValue))
            {
                return false;
            }

            l[i * n + i] = Math.Sqrt(pivot);
        }

        // L y = −g, then Lᵀ δ = y, both in the step buffer.
        for (int i = 0; i < n; i++)
        {
            step[i] = (-g[i] - Spans.Dot(l.Slice(i * n, i), step.Slice(0, i))) / l[i * n + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = step[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[k * n + i] * step[k];
            }

            step[i] = sum / l[i * n + i];
        }

        return Spans.AllFinite(step);
    }



    private static double Clamped(double damping) => Math.Clamp(damping, MinDamping, MaxDamping);

    private static double CheckedInitialDamping(double value) =>
        Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(InitialDamping));

    private static double CheckedDampingFactor(double value) =>
        Hyperparameter.Checked(value, HyperparameterRange.AboveOneFinite, nameof(DampingFactor));
}
