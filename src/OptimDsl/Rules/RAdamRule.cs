using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[RAdam]</c> optimizer (README, Optimizers), <c>torch.optim.RAdam</c>:
/// with coupled weight decay g ← g + λθ (when λ ≠ 0), m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// m̂ = m/(1−β₁ᵗ); ρ∞ = 2/(1−β₂) − 1; ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ). When ρₜ &gt; 5:
/// l = √(1−β₂ᵗ)/(√v + ε), r = √((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ)), θ ← θ − η m̂ r l;
/// otherwise θ ← θ − η m̂.
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state (t and β₁ᵗ, β₂ᵗ as running products; ρ∞,
/// ρₜ and r are computed by <see cref="Begin"/> from the current β₂); the generated optimizer holds the
/// per-parameter state m and v (both zero at the start), calls <see cref="Begin"/> once per update and
/// then a <see cref="Step"/> entry point per chunk of parameters.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct RAdamRule
{
    private double _learningRate;
    private double _beta1;
    private double _beta2;
    private double _epsilon;
    private double _weightDecay;
    private double _beta1Power;
    private double _beta2Power;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public RAdamRule(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _beta1 = Hyperparameter.Checked(beta1, HyperparameterRange.ZeroToOne, nameof(Beta1));
        _beta2 = Hyperparameter.Checked(beta2, HyperparameterRange.ZeroToOne, nameof(Beta2));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
        _beta1Power = 1;
        _beta2Power = 1;
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>β₁, in [0, 1); setting it recomputes β₁ᵗ at the current t.</summary>
    public double Beta1
    {
        readonly get => _beta1;
        set
        {
            _beta1 = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Beta1));
            _beta1Power = Math.Pow(value, _iteration);
        }
    }

    /// <summary>β₂, in [0, 1); setting it recomputes β₂ᵗ at the current t.</summary>
    public double Beta2
    {
        readonly get => _beta2;
        set
        {
            _beta2 = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Beta2));
            _beta2Power = Math.Pow(value, _iteration);
        }
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

    /// <summary>
    /// Starts update t + 1: advances t and the β powers, computes ρₜ and, when ρₜ &gt; 5, the rectification r,
    /// and returns the update's coefficients.
    /// </summary>
    public Step Begin()
    {
        _iteration++;
        _beta1Power *= _beta1;
        _beta2Power *= _beta2;
        double biasCorrection2 = 1 - _beta2Power;
        double rhoInfinity = 2 / (1 - _beta2) - 1;
        double rho = rhoInfinity - 2 * _iteration * _beta2Power / biasCorrection2;
        bool rectified = rho > 5;
        double rectification = rectified
            ? Math.Sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho))
            : 0;
        return new Step(this, rectified, rectification, Math.Sqrt(biasCorrection2));
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
        internal Step(in RAdamRule rule, bool rectified, double rectification, double sqrtBiasCorrection2) => _arithmetic = new Arithmetic<double>(rule, rectified, rectification, sqrtBiasCorrection2);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Whether this update is rectified (ρₜ &gt; 5) rather than un-adapted.</summary>
        public bool Rectified => _arithmetic.Rectified;

        /// <summary>Updates one parameter θ and its state m, v from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double m, ref double v) => _arithmetic.Update(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double m, ref double v) => _arithmetic.Update128(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double m, ref double v) => _arithmetic.Update256(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double m, ref double v) => _arithmetic.Update512(ref theta, ref gradient, ref m, ref v);
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

        /// <summary>Whether this update is rectified (ρₜ &gt; 5) rather than un-adapted.</summary>
        public bool Rectified => _arithmetic.Rectified;

        /// <summary>Updates one float parameter θ and its state m, v from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float m, ref float v) => _arithmetic.Update(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float m, ref float v) => _arithmetic.Update128(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float m, ref float v) => _arithmetic.Update256(ref theta, ref gradient, ref m, ref v);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float m, ref float v) => _arithmetic.Update512(ref theta, ref gradient, ref m, ref v);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _beta1;
        private readonly T _oneMinusBeta1;
        private readonly T _beta2;
        private readonly T _oneMinusBeta2;
        private readonly T _epsilon;
        private readonly T _weightDecay;
        private readonly T _biasCorrection1;
        private readonly T _sqrtBiasCorrection2;
        private readonly T _rectification;
        private readonly bool _rectified;

        public bool Rectified => _rectified;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in RAdamRule rule, bool rectified, double rectification, double sqrtBiasCorrection2)
        {
            _learningRate = T.CreateTruncating(rule._learningRate);
            _beta1 = T.CreateTruncating(rule._beta1);
            _oneMinusBeta1 = T.CreateTruncating(1 - rule._beta1);
            _beta2 = T.CreateTruncating(rule._beta2);
            _oneMinusBeta2 = T.CreateTruncating(1 - rule._beta2);
            _epsilon = T.CreateTruncating(rule._epsilon);
            _weightDecay = T.CreateTruncating(rule._weightDecay);
            _biasCorrection1 = T.CreateTruncating(1 - rule._beta1Power);
            _sqrtBiasCorrection2 = T.CreateTruncating(sqrtBiasCorrection2);
            _rectification = T.CreateTruncating(rectification);
            _rectified = rectified;
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _learningRate = T.CreateTruncating(coefficients._learningRate);
            _beta1 = T.CreateTruncating(coefficients._beta1);
            _oneMinusBeta1 = T.CreateTruncating(coefficients._oneMinusBeta1);
            _beta2 = T.CreateTruncating(coefficients._beta2);
            _oneMinusBeta2 = T.CreateTruncating(coefficients._oneMinusBeta2);
            _epsilon = T.CreateTruncating(coefficients._epsilon);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
            _biasCorrection1 = T.CreateTruncating(coefficients._biasCorrection1);
            _sqrtBiasCorrection2 = T.CreateTruncating(coefficients._sqrtBiasCorrection2);
            _rectification = T.CreateTruncating(coefficients._rectification);
            _rectified = coefficients._rectified;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T m, ref T v)
        {
            T g = gradient;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * theta;
            }

            m = _beta1 * m + _oneMinusBeta1 * g;
            v = _beta2 * v + _oneMinusBeta2 * (g * g);
            T mHat = m / _biasCorrection1;
            if (_rectified)
            {
                T adaptive = _sqrtBiasCorrection2 / (T.Sqrt(v) + _epsilon);
                theta = theta - _learningRate * mHat * _rectification * adaptive;
            }
            else
            {
                theta = theta - _learningRate * mHat;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T m, ref T v)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref m, i), ref Unsafe.Add(ref v, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            var mNew = Vector128.Create(_beta1) * Vector128.LoadUnsafe(ref m) + Vector128.Create(_oneMinusBeta1) * g;
            var vNew = Vector128.Create(_beta2) * Vector128.LoadUnsafe(ref v) + Vector128.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var mHat = mNew / Vector128.Create(_biasCorrection1);
            if (_rectified)
            {
                var adaptive = Vector128.Create(_sqrtBiasCorrection2) / (Vector128.Sqrt(vNew) + Vector128.Create(_epsilon));
                (t - Vector128.Create(_learningRate) * mHat * Vector128.Create(_rectification) * adaptive).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector128.Create(_learningRate) * mHat).StoreUnsafe(ref theta);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T m, ref T v)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref m, ref v);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref m, half), ref Unsafe.Add(ref v, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            var mNew = Vector256.Create(_beta1) * Vector256.LoadUnsafe(ref m) + Vector256.Create(_oneMinusBeta1) * g;
            var vNew = Vector256.Create(_beta2) * Vector256.LoadUnsafe(ref v) + Vector256.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var mHat = mNew / Vector256.Create(_biasCorrection1);
            if (_rectified)
            {
                var adaptive = Vector256.Create(_sqrtBiasCorrection2) / (Vector256.Sqrt(vNew) + Vector256.Create(_epsilon));
                (t - Vector256.Create(_learningRate) * mHat * Vector256.Create(_rectification) * adaptive).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector256.Create(_learningRate) * mHat).StoreUnsafe(ref theta);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T m, ref T v)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref m, ref v);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref m, half), ref Unsafe.Add(ref v, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            var mNew = Vector512.Create(_beta1) * Vector512.LoadUnsafe(ref m) + Vector512.Create(_oneMinusBeta1) * g;
            var vNew = Vector512.Create(_beta2) * Vector512.LoadUnsafe(ref v) + Vector512.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var mHat = mNew / Vector512.Create(_biasCorrection1);
            if (_rectified)
            {
                var adaptive = Vector512.Create(_sqrtBiasCorrection2) / (Vector512.Sqrt(vNew) + Vector512.Create(_epsilon));
                (t - Vector512.Create(_learningRate) * mHat * Vector512.Create(_rectification) * adaptive).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector512.Create(_learningRate) * mHat).StoreUnsafe(ref theta);
            }
        }
    }
}
