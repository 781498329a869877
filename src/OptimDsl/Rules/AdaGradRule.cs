using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[AdaGrad]</c> optimizer (README, Optimizers), <c>torch.optim.Adagrad</c>:
/// η̃ = η/(1 + (t−1)·δ) with δ the learning-rate decay; with coupled weight decay g ← g + λθ (when λ ≠ 0),
/// s ← s + g²; θ ← θ − η̃ g/(√s + ε).
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state t; the generated optimizer holds the
/// per-parameter sum s, which starts at <see cref="InitialAccumulatorValue"/> (the generated constructor
/// fills it), calls <see cref="Begin"/> once per update and then a <see cref="Step"/> entry point per
/// chunk of parameters.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct AdaGradRule
{
    private double _learningRate;
    private double _learningRateDecay;
    private double _epsilon;
    private double _weightDecay;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdaGradRule(double learningRate, double learningRateDecay, double initialAccumulatorValue, double epsilon, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _learningRateDecay = Hyperparameter.Checked(learningRateDecay, HyperparameterRange.NonNegativeFinite, nameof(LearningRateDecay));
        InitialAccumulatorValue = Hyperparameter.Checked(initialAccumulatorValue, HyperparameterRange.NonNegativeFinite, nameof(InitialAccumulatorValue));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>The learning-rate decay δ; zero or positive, and finite. Later updates use the new δ at their t.</summary>
    public double LearningRateDecay
    {
        readonly get => _learningRateDecay;
        set => _learningRateDecay = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(LearningRateDecay));
    }

    /// <summary>The value every sum s starts at (fixed by the attribute); zero or positive, and finite.</summary>
    public double InitialAccumulatorValue { get; }

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

    /// <summary>Starts update t + 1, computes its η̃ and returns its coefficients.</summary>
    public Step Begin()
    {
        _iteration++;
        return new Step(this, _learningRate / (1 + (_iteration - 1) * _learningRateDecay));
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
        internal Step(in AdaGradRule rule, double clr) => _arithmetic = new Arithmetic<double>(rule, clr);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its sum s from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double sum) => _arithmetic.Update(ref theta, ref gradient, ref sum);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double sum) => _arithmetic.Update128(ref theta, ref gradient, ref sum);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double sum) => _arithmetic.Update256(ref theta, ref gradient, ref sum);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double sum) => _arithmetic.Update512(ref theta, ref gradient, ref sum);
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

        /// <summary>Updates one float parameter θ and its sum s from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float sum) => _arithmetic.Update(ref theta, ref gradient, ref sum);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float sum) => _arithmetic.Update128(ref theta, ref gradient, ref sum);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float sum) => _arithmetic.Update256(ref theta, ref gradient, ref sum);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float sum) => _arithmetic.Update512(ref theta, ref gradient, ref sum);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _clr;
        private readonly T _epsilon;
        private readonly T _weightDecay;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in AdaGradRule rule, double clr)
        {
            _clr = T.CreateTruncating(clr);
            _epsilon = T.CreateTruncating(rule._epsilon);
            _weightDecay = T.CreateTruncating(rule._weightDecay);
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _clr = T.CreateTruncating(coefficients._clr);
            _epsilon = T.CreateTruncating(coefficients._epsilon);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T sum)
        {
            T g = gradient;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * theta;
            }

            T s = sum + g * g;
            sum = s;
            theta = theta - _clr * g / (T.Sqrt(s) + _epsilon);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T sum)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref sum, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            var s = Vector128.LoadUnsafe(ref sum) + g * g;
            s.StoreUnsafe(ref sum);
            (t - Vector128.Create(_clr) * g / (Vector128.Sqrt(s) + Vector128.Create(_epsilon))).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T sum)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref sum);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref sum, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            var s = Vector256.LoadUnsafe(ref sum) + g * g;
            s.StoreUnsafe(ref sum);
            (t - Vector256.Create(_clr) * g / (Vector256.Sqrt(s) + Vector256.Create(_epsilon))).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T sum)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref sum);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref sum, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            var s = Vector512.LoadUnsafe(ref sum) + g * g;
            s.StoreUnsafe(ref sum);
            (t - Vector512.Create(_clr) * g / (Vector512.Sqrt(s) + Vector512.Create(_epsilon))).StoreUnsafe(ref theta);
        }
    }
}
