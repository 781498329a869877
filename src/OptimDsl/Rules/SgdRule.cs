using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[GradientDescent]</c> or <c>[Sgd]</c> optimizer (README, Optimizers),
/// <c>torch.optim.SGD</c>: with coupled weight decay g ← g + λθ (when λ ≠ 0); when μ ≠ 0, the momentum
/// buffer b is set to g at the first update that uses momentum and b ← μb + (1−τ)g at every later one,
/// then g ← g + μb (Nesterov) or g ← b; θ ← θ − ηg.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SgdRule
{
    private double _learningRate;
    private double _momentum;
    private double _dampening;
    private double _weightDecay;
    private long _iteration;
    private bool _momentumStarted;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range, or Nesterov momentum without momentum or with dampening.</exception>
    public SgdRule(double learningRate, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _momentum = Hyperparameter.Checked(momentum, HyperparameterRange.ZeroToOne, nameof(Momentum));
        _dampening = Hyperparameter.Checked(dampening, HyperparameterRange.ZeroToOne, nameof(Dampening));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
        Nesterov = nesterov;
        CheckNesterov(momentum, dampening, nesterov, nameof(Nesterov));
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>μ, in [0, 1); more than 0 with Nesterov momentum.</summary>
    public double Momentum
    {
        readonly get => _momentum;
        set
        {
            Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Momentum));
            CheckNesterov(value, _dampening, Nesterov, nameof(Momentum));
            _momentum = value;
        }
    }

    /// <summary>τ, in [0, 1); 0 with Nesterov momentum.</summary>
    public double Dampening
    {
        readonly get => _dampening;
        set
        {
            Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Dampening));
            CheckNesterov(_momentum, value, Nesterov, nameof(Dampening));
            _dampening = value;
        }
    }

    /// <summary>λ of the coupled weight decay; zero or positive, and finite.</summary>
    public double WeightDecay
    {
        readonly get => _weightDecay;
        set => _weightDecay = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>Whether the momentum is Nesterov's (fixed by the attribute).</summary>
    public bool Nesterov { get; }

    /// <summary>Sets η from a schedule, which may also give 0 (README, Learning-rate schedules); the caller checked it.</summary>
    public void ScheduleLearningRate(double rate) => _learningRate = rate;

    /// <summary>Starts update t + 1 and returns its coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Step Begin()
    {
        _iteration++;
        bool first = _momentum != 0 && !_momentumStarted;
        _momentumStarted |= _momentum != 0;
        return new Step(this, first);
    }

    /// <summary>
    /// Starts update t + 1 as <see cref="Begin"/> does, and returns its coefficients each rounded once to float, for
    /// the parameters of a float objective (README, Float objectives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SingleStep BeginSingle() => new(Begin());

    private static void CheckNesterov(double momentum, double dampening, bool nesterov, string name)
    {
        if (nesterov && !(momentum > 0 && dampening == 0))
        {
            throw new ArgumentOutOfRangeException(name, name == nameof(Dampening) ? dampening : momentum,
                HyperparameterConstraints.Nesterov + ".");
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
        internal Step(in SgdRule rule, bool firstMomentum) => _arithmetic = new Arithmetic<double>(rule, firstMomentum);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its momentum buffer b from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double buffer) => _arithmetic.Update(ref theta, ref gradient, ref buffer);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double buffer) => _arithmetic.Update128(ref theta, ref gradient, ref buffer);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double buffer) => _arithmetic.Update256(ref theta, ref gradient, ref buffer);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double buffer) => _arithmetic.Update512(ref theta, ref gradient, ref buffer);
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

        /// <summary>Updates one float parameter θ and its momentum buffer b from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float buffer) => _arithmetic.Update(ref theta, ref gradient, ref buffer);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float buffer) => _arithmetic.Update128(ref theta, ref gradient, ref buffer);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float buffer) => _arithmetic.Update256(ref theta, ref gradient, ref buffer);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float buffer) => _arithmetic.Update512(ref theta, ref gradient, ref buffer);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _momentum;
        private readonly T _oneMinusDampening;
        private readonly T _weightDecay;
        private readonly bool _firstMomentum;
        private readonly bool _nesterov;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in SgdRule rule, bool firstMomentum)
        {
            _learningRate = T.CreateTruncating(rule._learningRate);
            _momentum = T.CreateTruncating(rule._momentum);
            _oneMinusDampening = T.CreateTruncating(1 - rule._dampening);
            _weightDecay = T.CreateTruncating(rule._weightDecay);
            _firstMomentum = firstMomentum;
            _nesterov = rule.Nesterov;
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _learningRate = T.CreateTruncating(coefficients._learningRate);
            _momentum = T.CreateTruncating(coefficients._momentum);
            _oneMinusDampening = T.CreateTruncating(coefficients._oneMinusDampening);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
            _firstMomentum = coefficients._firstMomentum;
            _nesterov = coefficients._nesterov;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T buffer)
        {
            T g = gradient;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * theta;
            }

            if (_momentum != T.Zero)
            {
                T b = _firstMomentum ? g : _momentum * buffer + _oneMinusDampening * g;
                buffer = b;
                g = _nesterov ? g + _momentum * b : b;
            }

            theta = theta - _learningRate * g;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T buffer)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref buffer, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            if (_momentum != T.Zero)
            {
                var b = _firstMomentum ? g : Vector128.Create(_momentum) * Vector128.LoadUnsafe(ref buffer) + Vector128.Create(_oneMinusDampening) * g;
                b.StoreUnsafe(ref buffer);
                g = _nesterov ? g + Vector128.Create(_momentum) * b : b;
            }

            (t - Vector128.Create(_learningRate) * g).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T buffer)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref buffer);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref buffer, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            if (_momentum != T.Zero)
            {
                var b = _firstMomentum ? g : Vector256.Create(_momentum) * Vector256.LoadUnsafe(ref buffer) + Vector256.Create(_oneMinusDampening) * g;
                b.StoreUnsafe(ref buffer);
                g = _nesterov ? g + Vector256.Create(_momentum) * b : b;
            }

            (t - Vector256.Create(_learningRate) * g).StoreUnsafe(ref theta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T buffer)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref buffer);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref buffer, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            if (_momentum != T.Zero)
            {
                var b = _firstMomentum ? g : Vector512.Create(_momentum) * Vector512.LoadUnsafe(ref buffer) + Vector512.Create(_oneMinusDampening) * g;
                b.StoreUnsafe(ref buffer);
                g = _nesterov ? g + Vector512.Create(_momentum) * b : b;
            }

            (t - Vector512.Create(_learningRate) * g).StoreUnsafe(ref theta);
        }
    }
}
