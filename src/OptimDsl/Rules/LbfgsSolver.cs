using System;
using System.ComponentModel;
using System.Numerics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The L-BFGS algorithm of a generated <c>[Lbfgs]</c> optimizer (README, Optimizers), by reverse
/// communication: the solver never calls the objective; it says where to evaluate, and the caller hands back the loss and
/// the gradient there. It holds scalars only; the vectors live in the caller's <see cref="LbfgsStorage{T}"/>.
/// </summary>
/// <remarks>
/// <para>One iteration, from θ with loss f(θ) and gradient g:</para>
/// <list type="number">
/// <item><description>
/// Direction, by the two-loop recursion (Nocedal &amp; Wright 2006, Algorithm 7.4) over the newest
/// k = min(stored pairs, <see cref="History"/>) pairs (sᵢ, yᵢ), ρᵢ = 1 / sᵢᵀyᵢ: q ← g; for i from newest to oldest,
/// αᵢ ← ρᵢ sᵢᵀq, q ← q − αᵢ yᵢ; r ← γ q with γ = sᵀy / yᵀy of the newest pair (eq. 7.20), γ = 1 with an empty history;
/// for i from oldest to newest, β ← ρᵢ yᵢᵀr, r ← r + sᵢ (αᵢ − β); d = −r. When gᵀd ≥ 0 (not a descent direction)
/// the history is cleared and d = −g.
/// </description></item>
/// <item><description>
/// Step along d. With <see cref="OptimDsl.LineSearch.None"/>: θ + η d, η = <see cref="LearningRate"/>, one evaluation,
/// accepted when its loss and gradient are finite. With <see cref="OptimDsl.LineSearch.StrongWolfe"/>: a step α with
/// φ(α) = f(θ + α d) satisfying φ(α) ≤ φ(0) + c₁ α φ′(0) and |φ′(α)| ≤ c₂ |φ′(0)|, c₁ = 1e-4, c₂ = 0.9, found by
/// Algorithm 3.5 (bracketing) and Algorithm 3.6 (zoom). Bracketing, at each trial αᵢ (α₀ = 0): when the sufficient
/// decrease fails or (i &gt; 1) φ(αᵢ) ≥ φ(αᵢ₋₁), zoom(αᵢ₋₁, αᵢ); else when the curvature condition holds, accept αᵢ; else when
/// φ′(αᵢ) ≥ 0, zoom(αᵢ, αᵢ₋₁); else extrapolate. Zoom(α_lo, α_hi), at each trial αⱼ between them: when the sufficient
/// decrease fails or φ(αⱼ) ≥ φ(α_lo), α_hi ← αⱼ; else accept αⱼ when the curvature condition holds, otherwise
/// α_hi ← α_lo when φ′(αⱼ)(α_hi − α_lo) ≥ 0, and α_lo ← αⱼ. The first trial is α₁ = η, scaled by min(1, 1/‖g‖₁) on the first
/// iteration after construction or <see cref="ClearHistory"/> (as <c>torch.optim.LBFGS</c>). While bracketing,
/// αᵢ₊₁ is the minimiser of the cubic interpolating φ and φ′ at αᵢ₋₁ and αᵢ (eq. 3.59), kept in [2αᵢ − αᵢ₋₁, 10αᵢ]
/// (10αᵢ when the cubic has no minimiser). While zooming, αⱼ is that cubic's minimiser over α_lo and α_hi, kept at least a
/// tenth of the interval away from either end (the midpoint when the cubic has no minimiser), so the interval shrinks by
/// at least a tenth per evaluation. A point whose loss, gradient or coordinates are not finite counts as φ = +∞. After
/// <see cref="MaxEvaluations"/> evaluations without an acceptable point, or when the zoom interval holds no other
/// double, the iteration stalls.
/// </description></item>
/// <item><description>
/// Accepted: s = θ_new − θ, y = g_new − g; the pair is stored when sᵀy &gt; 1e-10 (else skipped), in a ring of
/// <see cref="Capacity"/> slots that drops the oldest; θ ← θ_new and g ← g_new. Stalled: θ and g are unchanged.
/// </description></item>
/// </list>
/// <para>The caller's loop, after computing <c>loss</c> and g at θ:</para>
/// <code>
/// solver.Begin(storage, loss);
/// while (solver.NextTrial(storage))
///     solver.Evaluated(storage, Objective(storage.TrialPoint, storage.TrialGradient));
/// // solver.Accepted: θ and g moved to the new point, whose loss is solver.Loss; otherwise the iteration stalled.
/// </code>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LbfgsSolver
{
    /// <summary>The objective evaluations one strong-Wolfe iteration may make before it stalls.</summary>
    public const int MaxEvaluations = 25;

    /// <summary>c₁ of the sufficient-decrease (Armijo) condition.</summary>
    public const double SufficientDecrease = 1e-4;

    /// <summary>c₂ of the strong curvature condition.</summary>
    public const double Curvature = 0.9;

    /// <summary>A pair with sᵀy at or below this is not stored.</summary>
    public const double CurvatureThreshold = 1e-10;

    private enum Phase : byte
    {
        Done,
        Single,
        Bracket,
        Zoom,
    }

    private double _learningRate;
    private int _history;
    private long _iteration;

    // The history ring: _stored pairs, the newest in slot _newest, older ones in the slots before it (mod capacity).
    private int _stored;
    private int _newest;
    private bool _fresh;

    // The current iteration's line search, over φ(α) = f(θ + α d).
    private Phase _phase;
    private bool _awaiting;
    private bool _accepted;
    private int _evaluations;
    private double _loss0;
    private double _slope0;
    private double _trial;
    private double _previous;
    private double _previousLoss;
    private double _previousSlope;
    private double _low;
    private double _lowLoss;
    private double _lowSlope;
    private double _high;
    private double _highLoss;
    private double _highSlope;
    private double _loss;
    private double _step;

    /// <summary>Whether the last call was <see cref="Apply"/>: its step t·d and gradient make the next Apply's pair.</summary>
    private bool _pendingApply;

    /// <summary>A solver with an empty history of <paramref name="history"/> slots (the attribute's <c>History</c>), <see cref="History"/> = that capacity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="history"/> is not in [1, 1000], <paramref name="learningRate"/> is not positive and finite, or
    /// <paramref name="lineSearch"/> is not a <see cref="OptimDsl.LineSearch"/>.
    /// </exception>
    public LbfgsSolver(double learningRate, int history, LineSearch lineSearch)
    {
        if (history < 1 || history > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(History), history, "History must be in [1, 1000].");
        }

        if (lineSearch != LineSearch.StrongWolfe && lineSearch != LineSearch.None)
        {
            throw new ArgumentOutOfRangeException(nameof(lineSearch), lineSearch, "Not a LineSearch value.");
        }

        Capacity = history;
        LineSearch = lineSearch;
        _learningRate = CheckedLearningRate(learningRate);
        _history = history;
        _newest = history - 1;
        _fresh = true;
    }

    /// <summary>The number of pair slots in the caller's storage (the attribute's <c>History</c>).</summary>
    public int Capacity { get; }

    /// <summary>The line search, fixed by the attribute.</summary>
    public LineSearch LineSearch { get; }

    /// <summary>η: the first trial step of the line search, or the step with <see cref="OptimDsl.LineSearch.None"/>; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = CheckedLearningRate(value);
    }

    /// <summary>
    /// How many of the newest stored pairs the direction uses, in [1, <see cref="Capacity"/>]. The ring always keeps the
    /// newest <see cref="Capacity"/> accepted pairs, so changing it neither loses nor invents pairs.
    /// </summary>
    public int History
    {
        readonly get => _history;
        set
        {
            if (value < 1 || value > Capacity)
            {
                throw new ArgumentOutOfRangeException(nameof(History), value, $"History must be in [1, {Capacity}].");
            }

            _history = value;
        }
    }

    /// <summary>The iterations accepted so far (a stalled one does not count): the generated optimizer's <c>Iteration</c>.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>The pairs in the ring, at most <see cref="Capacity"/>.</summary>
    public readonly int StoredPairs => _stored;

    /// <summary>The slot of the newest pair (meaningful when <see cref="StoredPairs"/> &gt; 0).</summary>
    public readonly int NewestPair => _newest;

    /// <summary>Whether the next iteration scales its first trial step by min(1, 1/‖g‖₁).</summary>
    public readonly bool IsFresh => _fresh;

    /// <summary>Whether an iteration is under way: <see cref="NextTrial"/> has more to say.</summary>
    public readonly bool InProgress => _phase != Phase.Done;

    /// <summary>Whether the last iteration moved θ (false: it stalled, θ and g unchanged).</summary>
    public readonly bool Accepted => _accepted;

    /// <summary>The loss at θ after the last iteration: the accepted point's, or the starting loss when it stalled.</summary>
    public readonly double Loss => _loss;

    /// <summary>The accepted step α of the last iteration (θ_new = θ + α d up to rounding); 0 when it stalled.</summary>
    public readonly double StepLength => _step;

    /// <summary>The objective evaluations the last (or current) iteration made.</summary>
    public readonly int Evaluations => _evaluations;

    /// <summary>φ′(0) = gᵀd of the current iteration's direction.</summary>
    public readonly double InitialSlope => _slope0;

    /// <summary>Empties the history (for example when the parameters are set); the next iteration scales its first step.</summary>
    public void ClearHistory()
    {
        _stored = 0;
        _newest = Capacity - 1;
        _fresh = true;
        _phase = Phase.Done;
        _awaiting = false;
        _pendingApply = false;
    }

    /// <summary>
    /// One step from a gradient computed elsewhere, without a line search (README, Beyond one machine): the
    /// <c>torch.optim.LBFGS</c> step with <c>line_search_fn=None</c> and <c>max_iter=1</c>. When the last call was also an
    /// <see cref="Apply"/>, the pair s = t·d (its step and direction) and y = g − g_prev enters the history if sᵀy &gt; 1e-10;
    /// then d = −H g by the two-loop recursion (−g, with the history cleared, when that is not a descent direction), and
    /// θ ← θ + t·d with t = η, scaled by min(1, 1/‖g‖₁) on the first iteration after construction or
    /// <see cref="ClearHistory"/>. It advances <see cref="Iteration"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A value of <paramref name="gradient"/> is not finite; nothing changes.</exception>
    public void Apply<T>(scoped in LbfgsStorage<T> storage, ReadOnlySpan<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Spans.AllFinite(gradient))
        {
            throw new ArgumentException("Every value of the mean gradient must be finite.", "meanGradient");
        }

        int n = storage.ParameterCount;
        Span<T> theta = storage.Theta;
        Span<T> d = storage.Direction;
        Span<T> previous = storage.TrialGradient;
        if (_pendingApply)
        {
            // s = t·d and y = g − g_prev of the last Apply, torch's pair.
            int slot = (_newest + 1) % Capacity;
            Span<T> s = storage.PairS.Slice(slot * n, n);
            Span<T> y = storage.PairY.Slice(slot * n, n);
            T step = Spans.Narrow<T>(_step);
            for (int i = 0; i < n; i++)
            {
                s[i] = step * d[i];
                y[i] = gradient[i] - previous[i];
            }

            double sy = Spans.Dot(s, y);
            if (sy > CurvatureThreshold)
            {
                KeepPair(storage, slot, sy);
            }
        }

        gradient.CopyTo(storage.Gradient);
        gradient.CopyTo(previous);
        DescentDirection(storage);
        double t = _fresh ? _learningRate * FirstStepScale(gradient) : _learningRate;
        _fresh = false;

        T length = Spans.Narrow<T>(t);
        for (int i = 0; i < n; i++)
        {
            theta[i] += length * d[i];
        }

        _step = t;
        _pendingApply = true;
        _accepted = true;
        _phase = Phase.Done;
        _awaiting = false;
        _iteration++;
    }

    /// <summary>Restores the history bookkeeping saved from <see cref="StoredPairs"/>, <see cref="NewestPair"/> and <see cref="IsFresh"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value does not fit <see cref="Capacity"/>.</exception>
    public void Restore(int storedPairs, int newestPair, bool fresh)
    {
        if (storedPairs < 0 || storedPairs > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(storedPairs), storedPairs, $"StoredPairs must be in [0, {Capacity}].");
        }

        if (newestPair < 0 || newestPair >= Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(newestPair), newestPair, $"NewestPair must be in [0, {Capacity}).");
        }

        _stored = storedPairs;
        _newest = newestPair;
        _fresh = fresh;
        _phase = Phase.Done;
        _awaiting = false;
        _pendingApply = false;
    }

    /// <summary>
    /// Starts an iteration from θ, whose loss is <paramref name="loss"/> and whose gradient is in
    /// <see cref="LbfgsStorage{T}.Gradient"/>: computes the direction into <see cref="LbfgsStorage{T}.Direction"/> and the first
    /// trial step. A loss or direction that is not finite ends the iteration at once, stalled.
    /// </summary>
    /// <exception cref="ArgumentException">The storage's capacity is not <see cref="Capacity"/>.</exception>
    public void Begin<T>(scoped in LbfgsStorage<T> storage, double loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (storage.Capacity != Capacity)
        {
            throw new ArgumentException($"The storage holds {storage.Capacity} pairs; the solver {Capacity}.", nameof(storage));
        }

        _awaiting = false;
        _pendingApply = false;
        _accepted = false;
        _evaluations = 0;
        _step = 0;
        _loss = loss;
        _loss0 = loss;
        _slope0 = double.NaN;
        _phase = Phase.Done;
        if (!double.IsFinite(loss))
        {
            return;
        }

        ReadOnlySpan<T> g = storage.Gradient;
        double slope = DescentDirection(storage);
        _slope0 = slope;
        bool fresh = _fresh;
        _fresh = false;
        if (!double.IsFinite(slope))
        {
            return;
        }

        if (LineSearch == LineSearch.None)
        {
            _trial = _learningRate;
            _phase = Phase.Single;
            return;
        }

        _trial = fresh ? _learningRate * FirstStepScale(g) : _learningRate;
        _previous = 0;
        _previousLoss = loss;
        _previousSlope = slope;
        _phase = Phase.Bracket;
    }

    /// <summary>
    /// True: the caller evaluates the loss and gradient at <see cref="LbfgsStorage{T}.TrialPoint"/> (written here, θ + α d),
    /// writes the gradient into <see cref="LbfgsStorage{T}.TrialGradient"/> and calls <see cref="Evaluated"/>. False: the
    /// iteration is over; <see cref="Accepted"/> says how.
    /// </summary>
    public bool NextTrial<T>(scoped in LbfgsStorage<T> storage)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_phase == Phase.Done)
        {
            return false;
        }

        if (_evaluations >= MaxEvaluations || !(_trial > 0) || !double.IsFinite(_trial))
        {
            Stall();
            return false;
        }

        ReadOnlySpan<T> theta = storage.Theta;
        ReadOnlySpan<T> d = storage.Direction;
        Span<T> trial = storage.TrialPoint;
        T alpha = Spans.Narrow<T>(_trial);
        for (int i = 0; i < theta.Length; i++)
        {
            trial[i] = theta[i] + alpha * d[i];
        }

        _awaiting = true;
        return true;
    }

    /// <summary>Takes the loss at the trial point (its gradient is in <see cref="LbfgsStorage{T}.TrialGradient"/>) and advances the line search.</summary>
    /// <exception cref="InvalidOperationException"><see cref="NextTrial"/> did not ask for an evaluation.</exception>
    public void Evaluated<T>(scoped in LbfgsStorage<T> storage, double loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_awaiting)
        {
            throw new InvalidOperationException("Evaluated follows a NextTrial that returned true.");
        }

        _awaiting = false;
        _evaluations++;
        double slope = Spans.Dot(storage.TrialGradient, storage.Direction);
        if (!double.IsFinite(loss) || !double.IsFinite(slope) || !Spans.AllFinite(storage.TrialPoint))
        {
            loss = double.PositiveInfinity;
            slope = double.NaN;
        }

        double alpha = _trial;
        switch (_phase)
        {
            case Phase.Single:
                if (double.IsFinite(loss))
                {
                    Accept(storage, loss);
                }
                else
                {
                    Stall();
                }

                return;

            case Phase.Bracket:
                // Algorithm 3.5, one pass of its loop with αᵢ = alpha and αᵢ₋₁ = _previous.
                if (!SufficientlyLower(alpha, loss) || (_previous > 0 && loss >= _previousLoss))
                {
                    StartZoom(_previous, _previousLoss, _previousSlope, alpha, loss, slope);
                }
                else if (Math.Abs(slope) <= -Curvature * _slope0)
                {
                    Accept(storage, loss);
                }
                else if (slope >= 0)
                {
                    StartZoom(alpha, loss, slope, _previous, _previousLoss, _previousSlope);
                }
                else
                {
                    double next = Cubic(_previous, _previousLoss, _previousSlope, alpha, loss, slope);
                    double lowest = alpha + (alpha - _previous);
                    double highest = 10 * alpha;
                    next = double.IsNaN(next) ? highest : Math.Clamp(next, lowest, highest);
                    _previous = alpha;
                    _previousLoss = loss;
                    _previousSlope = slope;
                    _trial = next;
                }

                return;

            case Phase.Zoom:
                // Algorithm 3.6, one pass of its loop with αⱼ = alpha.
                if (!SufficientlyLower(alpha, loss) || loss >= _lowLoss)
                {
                    _high = alpha;
                    _highLoss = loss;
                    _highSlope = slope;
                }
                else
                {
                    if (Math.Abs(slope) <= -Curvature * _slope0)
                    {
                        Accept(storage, loss);
                        return;
                    }

                    if (slope * (_high - _low) >= 0)
                    {
                        _high = _low;
                        _highLoss = _lowLoss;
                        _highSlope = _lowSlope;
                    }

                    _low = alpha;
                    _lowLoss = loss;
                    _lowSlope = slope;
                }

                ZoomTrial();
                return;

            default:
                throw new InvalidOperationException("No iteration is under way.");
        }
    }

    /// <summary>
    /// The two-loop direction d = −H g into the direction buffer; when it is not a descent direction (gᵀd ≥ 0), forgets the
    /// curvature pairs and takes d = −g. Returns φ′(0) = gᵀd.
    /// </summary>
    private double DescentDirection<T>(scoped in LbfgsStorage<T> storage)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> g = storage.Gradient;
        Span<T> d = storage.Direction;
        Direction(storage);
        double slope = Spans.Dot(g, d);
        if (slope >= 0)
        {
            // Not a descent direction: forget the curvature pairs and go down the gradient.
            _stored = 0;
            _newest = Capacity - 1;
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = -g[i];
            }

            slope = Spans.Dot(g, d);
        }

        return slope;
    }

    /// <summary>The first step's scale after construction or a cleared history: min(1, 1/‖g‖₁), as torch.optim.LBFGS.</summary>
    private static double FirstStepScale<T>(ReadOnlySpan<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double l1 = 0;
        for (int i = 0; i < g.Length; i++)
        {
            l1 += Math.Abs(Spans.Widen(g[i]));
        }

        return Math.Min(1.0, 1.0 / l1);
    }

    /// <summary>Makes the pair just written to <paramref name="slot"/> (with sᵀy = <paramref name="sy"/>) the newest of the ring.</summary>
    private void KeepPair<T>(scoped in LbfgsStorage<T> storage, int slot, double sy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        storage.Rho[slot] = 1.0 / sy;
        _newest = slot;
        _stored = Math.Min(_stored + 1, Capacity);
    }

    /// <summary>The two-loop recursion (Algorithm 7.4) into the direction buffer, as d = −H g.</summary>
    private readonly void Direction<T>(scoped in LbfgsStorage<T> storage)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = storage.ParameterCount;
        int capacity = Capacity;
        int used = Math.Min(_stored, _history);
        ReadOnlySpan<T> g = storage.Gradient;
        ReadOnlySpan<T> pairS = storage.PairS;
        ReadOnlySpan<T> pairY = storage.PairY;
        ReadOnlySpan<double> rho = storage.Rho;
        Span<double> alpha = storage.Alpha;
        Span<T> q = storage.Direction;
        g.CopyTo(q);

        for (int j = 0; j < used; j++)
        {
            int slot = (_newest - j + capacity) % capacity;
            ReadOnlySpan<T> s = pairS.Slice(slot * n, n);
            ReadOnlySpan<T> y = pairY.Slice(slot * n, n);
            double a = rho[slot] * Spans.Dot(s, q);
            alpha[slot] = a;
            T factor = Spans.Narrow<T>(a);
            for (int i = 0; i < n; i++)
            {
                q[i] -= factor * y[i];
            }
        }

        if (used > 0)
        {
            ReadOnlySpan<T> s = pairS.Slice(_newest * n, n);
            ReadOnlySpan<T> y = pairY.Slice(_newest * n, n);
            T gamma = Spans.Narrow<T>(Spans.Dot(s, y) / Spans.Dot(y, y));
            for (int i = 0; i < n; i++)
            {
                q[i] *= gamma;
            }
        }

        for (int j = used - 1; j >= 0; j--)
        {
            int slot = (_newest - j + capacity) % capacity;
            ReadOnlySpan<T> s = pairS.Slice(slot * n, n);
            ReadOnlySpan<T> y = pairY.Slice(slot * n, n);
            double b = rho[slot] * Spans.Dot(y, q);
            T c = Spans.Narrow<T>(alpha[slot] - b);
            for (int i = 0; i < n; i++)
            {
                q[i] += c * s[i];
            }
        }

        for (int i = 0; i < n; i++)
        {
            q[i] = -q[i];
        }
    }

    private readonly bool SufficientlyLower(double alpha, double loss) => loss <= _loss0 + SufficientDecrease * alpha * _slope0;

    private void StartZoom(double low, double lowLoss, double lowSlope, double high, double highLoss, double highSlope)
    {
        _low = low;
        _lowLoss = lowLoss;
        _lowSlope = lowSlope;
        _high = high;
        _highLoss = highLoss;
        _highSlope = highSlope;
        _phase = Phase.Zoom;
        ZoomTrial();
    }

    /// <summary>The next zoom trial: the cubic's minimiser, at least a tenth of the interval from either end.</summary>
    private void ZoomTrial()
    {
        double left = Math.Min(_low, _high);
        double right = Math.Max(_low, _high);
        double margin = 0.1 * (right - left);
        double next = Cubic(_low, _lowLoss, _lowSlope, _high, _highLoss, _highSlope);
        next = double.IsNaN(next) ? 0.5 * (left + right) : Math.Clamp(next, left + margin, right - margin);
        if (!(next > left && next < right))
        {
            // The interval is too small to hold another point: no acceptable step is left to find.
            Stall();
            return;
        }

        _trial = next;
    }

    private void Accept<T>(scoped in LbfgsStorage<T> storage, double loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = storage.ParameterCount;
        Span<T> theta = storage.Theta;
        Span<T> g = storage.Gradient;
        ReadOnlySpan<T> point = storage.TrialPoint;
        ReadOnlySpan<T> pointGradient = storage.TrialGradient;
        double sy = 0;
        for (int i = 0; i < n; i++)
        {
            sy += Spans.Widen(point[i] - theta[i]) * Spans.Widen(pointGradient[i] - g[i]);
        }

        if (sy > CurvatureThreshold)
        {
            int slot = (_newest + 1) % Capacity;
            Span<T> s = storage.PairS.Slice(slot * n, n);
            Span<T> y = storage.PairY.Slice(slot * n, n);
            for (int i = 0; i < n; i++)
            {
                s[i] = point[i] - theta[i];
                y[i] = pointGradient[i] - g[i];
            }

            KeepPair(storage, slot, sy);
        }

        point.CopyTo(theta);
        pointGradient.CopyTo(g);
        _iteration++;
        _accepted = true;
        _loss = loss;
        _step = _trial;
        _phase = Phase.Done;
    }


    private void Stall()
    {
        _accepted = false;
        _loss = _loss0;
        _step = 0;
        _phase = Phase.Done;
        _awaiting = false;
    }

    /// <summary>
    /// The minimiser of the cubic interpolating f and f′ at a and b (Nocedal &amp; Wright eq. 3.59), or NaN when it has none.
    /// </summary>
    private static double Cubic(double a, double fa, double da, double b, double fb, double db)
    {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double discriminant = d1 * d1 - da * db;
        if (!(discriminant >= 0) || !double.IsFinite(discriminant))
        {
            return double.NaN;
        }

        double d2 = Math.Sqrt(discriminant);
        if (b < a)
        {
            d2 = -d2;
        }

        double result = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
        return double.IsFinite(result) ? result : double.NaN;
    }


    private static double CheckedLearningRate(double value) =>
        Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
}
