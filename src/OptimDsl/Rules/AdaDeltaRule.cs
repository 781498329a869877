using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[AdaDelta]</c> optimizer (README, Optimizers), <c>torch.optim.Adadelta</c>:
/// with coupled weight decay g ← g + λθ (when λ ≠ 0), v ← ρv + (1−ρ)g²; Δ = √(u + ε)/√(v + ε) · g;
/// u ← ρu + (1−ρ)Δ²; θ ← θ − ηΔ.
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state t; the generated optimizer holds the
/// per-parameter state v (square average) and u (accumulated delta), both zero at the start, calls
/// <see cref="Begin"/> once per update and then a <see cref="Step"/> entry point per chunk of parameters.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct AdaDeltaRule
{
    private double _learningRate;
    private double _rho;
    private double _epsilon;
    private double _weightDecay;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdaDeltaRule(double learningRate, double rho, double epsilon, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _rho = Hyperparameter.Checked(rho, HyperparameterRange.ZeroToOne, nameof(Rho));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η, the factor of Δ; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>The decay ρ of both running averages, in [0, 1).</summary>
    public double Rho
    {
        readonly get => _rho;
        set => _rho = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Rho));
    }

    /// <summary>ε; positive and finite.</summary>
    public double Epsilon
    {
        readonly get => _epsilon;
        set => _epsilon = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(Epsilon));
    }

    /// <summary>λ of the coupled weight decay; zero or positive, and finite.</summary>
    public double WeightDecay
    {
        readonly get => _weightDecay;
        set => _weightDecay = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>Sets η from a schedule, which may also give 0 (README, Learning-rate schedules); the caller checked it.</summary>
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

    /// <summary>
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>),
    /// four (<see cref="Vector256{T}"/>) and eight (<see cref="Vector512{T}"/>). All four perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly Arithmetic<double> _arithmetic;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal Step(in AdaDeltaRule rule) => _arithmetic = new Arithmetic<double>(rule);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its state v, u from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta) => _arithmetic.Update(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta) => _arithmetic.Update128(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta) => _arithmetic.Update256(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta) => _arithmetic.Update512(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
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

        /// <summary>Updates one float parameter θ and its state v, u from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float squareAverage, ref float accumulatedDelta) => _arithmetic.Update(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float squareAverage, ref float accumulatedDelta) => _arithmetic.Update128(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float squareAverage, ref float accumulatedDelta) => _arithmetic.Update256(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float squareAverage, ref float accumulatedDelta) => _arithmetic.Update512(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _rho;
        private readonly T _oneMinusRho;
        private readonly T _epsilon;
        private readonly T _weightDecay;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in AdaDeltaRule rule)
        {
            _learningRate = T.CreateTruncating(rule._learningRate);
            _rho = T.CreateTruncating(rule._rho);
            _oneMinusRho = T.CreateTruncating(1 - rule._rho);
            _epsilon = T.CreateTruncating(rule._epsilon);
            _weightDecay = T.CreateTruncating(rule._weightDecay);
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _learningRate = T.CreateTruncating(coefficients._learningRate);
            _rho = T.CreateTruncating(coefficients._rho);
            _oneMinusRho = T.CreateTruncating(coefficients._oneMinusRho);
            _epsilon = T.CreateTruncating(coefficients._epsilon);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T squareAverage, ref T accumulatedDelta)
        {
            T g = gradient;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * theta;
            }

            T v = _rho * squareAverage + _oneMinusRho * (g * g);
            squareAverage = v;
            T delta = T.Sqrt(accumulatedDelta + _epsilon) / T.Sqrt(v + _epsilon) * g;
            accumulatedDelta = _rho * accumulatedDelta + _oneMinusRho * (delta * delta);
            theta = theta - _learningRate * delta;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T squareAverage, ref T accumulatedDelta)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref squareAverage, i), ref Unsafe.Add(ref accumulatedDelta, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            var rho = Vector128.Create(_rho);
            var oneMinusRho = Vector128.Create(_oneMinusRho);
            var epsilon = Vector128.Create(_epsilon);
            var v = rho * Vector128.LoadUnsafe(ref squareAverage) + oneMinusRho * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var u = Vector128.LoadUnsafe(ref accumulatedDelta);
            var delta = Vector128.Sqrt(u + epsilon) / Vector128.Sqrt(v + epsilon) * g;
            (rho * u + oneMinusRho * (delta * delta)).StoreUnsafe(ref accumulatedDelta);
            (t - Vector128.Create(_learningRate) * delta).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T squareAverage, ref T accumulatedDelta)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref squareAverage, half), ref Unsafe.Add(ref accumulatedDelta, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            var rho = Vector256.Create(_rho);
            var oneMinusRho = Vector256.Create(_oneMinusRho);
            var epsilon = Vector256.Create(_epsilon);
            var v = rho * Vector256.LoadUnsafe(ref squareAverage) + oneMinusRho * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var u = Vector256.LoadUnsafe(ref accumulatedDelta);
            var delta = Vector256.Sqrt(u + epsilon) / Vector256.Sqrt(v + epsilon) * g;
            (rho * u + oneMinusRho * (delta * delta)).StoreUnsafe(ref accumulatedDelta);
            (t - Vector256.Create(_learningRate) * delta).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T squareAverage, ref T accumulatedDelta)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref squareAverage, half), ref Unsafe.Add(ref accumulatedDelta, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            var rho = Vector512.Create(_rho);
            var oneMinusRho = Vector512.Create(_oneMinusRho);
            var epsilon = Vector512.Create(_epsilon);
            var v = rho * Vector512.LoadUnsafe(ref squareAverage) + oneMinusRho * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var u = Vector512.LoadUnsafe(ref accumulatedDelta);
            var delta = Vector512.Sqrt(u + epsilon) / Vector512.Sqrt(v + epsilon) * g;
            (rho * u + oneMinusRho * (delta * delta)).StoreUnsafe(ref accumulatedDelta);
            (t - Vector512.Create(_learningRate) * delta).StoreUnsafe(ref theta);
        }
    }
}
