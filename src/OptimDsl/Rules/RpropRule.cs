using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[Rprop]</c> optimizer (README, Optimizers), <c>torch.optim.Rprop</c>
/// as torch's code computes it: with p = g·g_prev, the step size s ← s·η₊ where p &gt; 0, s ← s·η₋ and
/// g ← 0 where p &lt; 0, s unchanged where p = 0; then s is clamped into [MinStep, MaxStep] (at every
/// update); θ ← θ − sign(g)·s; g_prev ← g.
/// </summary>
/// <remarks>
/// <para>
/// The struct holds the hyperparameters and the scalar state t; the generated optimizer holds the
/// per-parameter state g_prev (previous gradient, zero at the start) and s (step size), which it fills
/// with <see cref="LearningRate"/> at construction and whenever <see cref="LearningRate"/> is set. The
/// update itself never reads η.
/// </para>
/// <para>
/// sign is +1, −1, +0 for ±0, and the NaN itself for a NaN; a NaN in p gives a NaN step size, as in torch.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct RpropRule
{
    private double _learningRate;
    private double _etaMinus;
    private double _etaPlus;
    private double _minStep;
    private double _maxStep;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range, or <paramref name="minStep"/> is above <paramref name="maxStep"/> (named MinStep).</exception>
    public RpropRule(double learningRate, double etaMinus, double etaPlus, double minStep, double maxStep)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _etaMinus = Hyperparameter.Checked(etaMinus, HyperparameterRange.OpenZeroToOne, nameof(EtaMinus));
        _etaPlus = Hyperparameter.Checked(etaPlus, HyperparameterRange.AboveOneFinite, nameof(EtaPlus));
        _minStep = Hyperparameter.Checked(minStep, HyperparameterRange.PositiveFinite, nameof(MinStep));
        _maxStep = Hyperparameter.Checked(maxStep, HyperparameterRange.PositiveFinite, nameof(MaxStep));
        CheckSteps(minStep, maxStep, nameof(MinStep));
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η, the initial step size of every parameter; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>η₋, the factor of a step size whose gradient changed sign, in (0, 1).</summary>
    public double EtaMinus
    {
        readonly get => _etaMinus;
        set => _etaMinus = Hyperparameter.Checked(value, HyperparameterRange.OpenZeroToOne, nameof(EtaMinus));
    }

    /// <summary>η₊, the factor of a step size whose gradient kept its sign; greater than 1, and finite.</summary>
    public double EtaPlus
    {
        readonly get => _etaPlus;
        set => _etaPlus = Hyperparameter.Checked(value, HyperparameterRange.AboveOneFinite, nameof(EtaPlus));
    }

    /// <summary>The smallest step size; positive, finite and at most <see cref="MaxStep"/>.</summary>
    public double MinStep
    {
        readonly get => _minStep;
        set
        {
            Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(MinStep));
            CheckSteps(value, _maxStep, nameof(MinStep));
            _minStep = value;
        }
    }

    /// <summary>The largest step size; positive, finite and at least <see cref="MinStep"/>.</summary>
    public double MaxStep
    {
        readonly get => _maxStep;
        set
        {
            Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(MaxStep));
            CheckSteps(_minStep, value, nameof(MaxStep));
            _maxStep = value;
        }
    }

    /// <summary>
    /// Sets η from a schedule (README, Learning-rate schedules); the caller checked it. It changes no step size: only
    /// setting <see cref="LearningRate"/> makes the generated optimizer reset them.
    /// </summary>
    public void ScheduleLearningRate(double rate) => _learningRate = rate;

    /// <summary>Starts update t + 1 and returns its coefficients.</summary>
    public Step Begin()
    {
        _iteration++;
        return new Step(this);
    }

    /// <summary>
    /// Starts update t + 1 as <see cref="Begin"/> does, and returns its coefficients each rounded once to float, for
    /// the parameters of a float objective (README, Float objectives).
    /// </summary>
    public SingleStep BeginSingle() => new(Begin());

    private static void CheckSteps(double minStep, double maxStep, string name)
    {
        if (minStep > maxStep)
        {
            throw new ArgumentOutOfRangeException(name, name == nameof(MinStep) ? minStep : maxStep,
                HyperparameterConstraints.MinStepAboveMaxStep + ".");
        }
    }

    /// <summary>
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>),
    /// four (<see cref="Vector256{T}"/>) and eight (<see cref="Vector512{T}"/>). All four perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly Arithmetic<double> _arithmetic;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal Step(in RpropRule rule) => _arithmetic = new Arithmetic<double>(rule);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its state g_prev, s from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double previousGradient, ref double stepSize) => _arithmetic.Update(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double previousGradient, ref double stepSize) => _arithmetic.Update128(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double previousGradient, ref double stepSize) => _arithmetic.Update256(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double previousGradient, ref double stepSize) => _arithmetic.Update512(ref theta, ref gradient, ref previousGradient, ref stepSize);
    }

    /// <summary>
    /// The coefficients of one float update, each rounded once to float from its double value (README, Float
    /// objectives), and the entry points for one float parameter, four (<see cref="Vector128{T}"/>), eight
    /// (<see cref="Vector256{T}"/>) and sixteen (<see cref="Vector512{T}"/>): the operations of <see cref="Step"/>, in float, the same at every width.
    /// </summary>
    public readonly struct SingleStep
    {
        private readonly Arithmetic<float> _arithmetic;

        /// <summary>The coefficients of <paramref name="step"/>, each rounded once to float.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal SingleStep(in Step step) => _arithmetic = new Arithmetic<float>(step.Coefficients);

        /// <summary>Updates one float parameter θ and its state g_prev, s from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float previousGradient, ref float stepSize) => _arithmetic.Update(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float previousGradient, ref float stepSize) => _arithmetic.Update128(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float previousGradient, ref float stepSize) => _arithmetic.Update256(ref theta, ref gradient, ref previousGradient, ref stepSize);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float previousGradient, ref float stepSize) => _arithmetic.Update512(ref theta, ref gradient, ref previousGradient, ref stepSize);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _etaMinus;
        private readonly T _etaPlus;
        private readonly T _minStep;
        private readonly T _maxStep;

        // A schedule's rate of 0 (README, Learning-rate schedules): the update counts but moves nothing, and
        // the state is kept; the step sizes would otherwise be clamped up to MinStep and move θ.
        private readonly bool _still;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in RpropRule rule)
        {
            _etaMinus = T.CreateTruncating(rule._etaMinus);
            _etaPlus = T.CreateTruncating(rule._etaPlus);
            _minStep = T.CreateTruncating(rule._minStep);
            _maxStep = T.CreateTruncating(rule._maxStep);
            _still = rule._learningRate == 0;
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _etaMinus = T.CreateTruncating(coefficients._etaMinus);
            _etaPlus = T.CreateTruncating(coefficients._etaPlus);
            _minStep = T.CreateTruncating(coefficients._minStep);
            _maxStep = T.CreateTruncating(coefficients._maxStep);
            _still = coefficients._still;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T previousGradient, ref T stepSize)
        {
            if (_still)
            {
                return;
            }

            T g = gradient;
            T p = g * previousGradient;
            T factor = p > T.Zero ? _etaPlus : p < T.Zero ? _etaMinus : p == T.Zero ? T.One : p;
            T s = RuleMath.Clamp(stepSize * factor, _minStep, _maxStep);
            stepSize = s;
            g = p < T.Zero ? T.Zero : g;
            theta = theta - RuleMath.Sign(g) * s;
            previousGradient = g;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T previousGradient, ref T stepSize)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref previousGradient, i), ref Unsafe.Add(ref stepSize, i));
                }

                return;
            }

            if (_still)
            {
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var zero = Vector128<T>.Zero;
            var p = g * Vector128.LoadUnsafe(ref previousGradient);
            var negative = Vector128.LessThan(p, zero);
            var factor = Vector128.ConditionalSelect(
                Vector128.GreaterThan(p, zero),
                Vector128.Create(_etaPlus),
                Vector128.ConditionalSelect(
                    negative,
                    Vector128.Create(_etaMinus),
                    Vector128.ConditionalSelect(Vector128.Equals(p, zero), Vector128.Create(T.One), p)));
            var s = VectorMath.Clamp(Vector128.LoadUnsafe(ref stepSize) * factor, Vector128.Create(_minStep), Vector128.Create(_maxStep));
            s.StoreUnsafe(ref stepSize);
            g = Vector128.ConditionalSelect(negative, zero, g);
            (Vector128.LoadUnsafe(ref theta) - RuleMath.Sign(g) * s).StoreUnsafe(ref theta);
            g.StoreUnsafe(ref previousGradient);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T previousGradient, ref T stepSize)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref previousGradient, ref stepSize);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref previousGradient, half), ref Unsafe.Add(ref stepSize, half));
                return;
            }

            if (_still)
            {
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var zero = Vector256<T>.Zero;
            var p = g * Vector256.LoadUnsafe(ref previousGradient);
            var negative = Vector256.LessThan(p, zero);
            var factor = Vector256.ConditionalSelect(
                Vector256.GreaterThan(p, zero),
                Vector256.Create(_etaPlus),
                Vector256.ConditionalSelect(
                    negative,
                    Vector256.Create(_etaMinus),
                    Vector256.ConditionalSelect(Vector256.Equals(p, zero), Vector256.Create(T.One), p)));
            var s = VectorMath.Clamp(Vector256.LoadUnsafe(ref stepSize) * factor, Vector256.Create(_minStep), Vector256.Create(_maxStep));
            s.StoreUnsafe(ref stepSize);
            g = Vector256.ConditionalSelect(negative, zero, g);
            (Vector256.LoadUnsafe(ref theta) - RuleMath.Sign(g) * s).StoreUnsafe(ref theta);
            g.StoreUnsafe(ref previousGradient);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T previousGradient, ref T stepSize)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref previousGradient, ref stepSize);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref previousGradient, half), ref Unsafe.Add(ref stepSize, half));
                return;
            }

            if (_still)
            {
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var zero = Vector512<T>.Zero;
            var p = g * Vector512.LoadUnsafe(ref previousGradient);
            var negative = Vector512.LessThan(p, zero);
            var factor = Vector512.ConditionalSelect(
                Vector512.GreaterThan(p, zero),
                Vector512.Create(_etaPlus),
                Vector512.ConditionalSelect(
                    negative,
                    Vector512.Create(_etaMinus),
                    Vector512.ConditionalSelect(Vector512.Equals(p, zero), Vector512.Create(T.One), p)));
            var s = VectorMath.Clamp(Vector512.LoadUnsafe(ref stepSize) * factor, Vector512.Create(_minStep), Vector512.Create(_maxStep));
            s.StoreUnsafe(ref stepSize);
            g = Vector512.ConditionalSelect(negative, zero, g);
            (Vector512.LoadUnsafe(ref theta) - RuleMath.Sign(g) * s).StoreUnsafe(ref theta);
            g.StoreUnsafe(ref previousGradient);
        }
    }
}
