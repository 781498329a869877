using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[Adamax]</c> optimizer (README, Optimizers), <c>torch.optim.Adamax</c>:
/// with coupled weight decay g ← g + λθ (when λ ≠ 0), m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε);
/// θ ← θ − η m/((1−β₁ᵗ) u).
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state (t and β₁ᵗ as a running product); the
/// generated optimizer holds the per-parameter state m and u (both zero at the start), calls
/// <see cref="Begin"/> once per update and then a <see cref="Step"/> entry point per chunk of parameters.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct AdamaxRule
{
    private double _learningRate;
    private double _beta1;
    private double _beta2;
    private double _epsilon;
    private double _weightDecay;
    private double _beta1Power;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdamaxRule(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _beta1 = Hyperparameter.Checked(beta1, HyperparameterRange.ZeroToOne, nameof(Beta1));
        _beta2 = Hyperparameter.Checked(beta2, HyperparameterRange.ZeroToOne, nameof(Beta2));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
        _beta1Power = 1;
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

    /// <summary>β₂, the decay of the infinity norm u, in [0, 1).</summary>
    public double Beta2
    {
        readonly get => _beta2;
        set => _beta2 = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Beta2));
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

    /// <summary>Starts update t + 1: advances t and β₁ᵗ, and returns the update's coefficients.</summary>
    public Step Begin()
    {
        _iteration++;
        _beta1Power *= _beta1;
        return new Step(this);
    }

    /// <summary>
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>)
    /// and four (<see cref="Vector256{T}"/>). All three perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly double _learningRate;
        private readonly double _beta1;
        private readonly double _oneMinusBeta1;
        private readonly double _beta2;
        private readonly double _epsilon;
        private readonly double _weightDecay;
        private readonly double _biasCorrection1;

        internal Step(in AdamaxRule rule)
        {
            _learningRate = rule._learningRate;
            _beta1 = rule._beta1;
            _oneMinusBeta1 = 1 - rule._beta1;
            _beta2 = rule._beta2;
            _epsilon = rule._epsilon;
            _weightDecay = rule._weightDecay;
            _biasCorrection1 = 1 - rule._beta1Power;
        }

        /// <summary>Updates one parameter θ and its state m, u from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double m, ref double u)
        {
            double g = gradient;
            if (_weightDecay != 0)
            {
                g = g + _weightDecay * theta;
            }

            m = _beta1 * m + _oneMinusBeta1 * g;
            u = VectorMath.Max(_beta2 * u, RuleMath.Abs(g) + _epsilon);
            theta = theta - _learningRate * m / (_biasCorrection1 * u);
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double m, ref double u)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref m, ref u);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref m, 1), ref Unsafe.Add(ref u, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            var mNew = Vector128.Create(_beta1) * Vector128.LoadUnsafe(ref m) + Vector128.Create(_oneMinusBeta1) * g;
            var uNew = VectorMath.Max(Vector128.Create(_beta2) * Vector128.LoadUnsafe(ref u), RuleMath.Abs(g) + Vector128.Create(_epsilon));
            mNew.StoreUnsafe(ref m);
            uNew.StoreUnsafe(ref u);
            (t - Vector128.Create(_learningRate) * mNew / (Vector128.Create(_biasCorrection1) * uNew)).StoreUnsafe(ref theta);
        }

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double m, ref double u)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref m, ref u);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref m, 2), ref Unsafe.Add(ref u, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            var mNew = Vector256.Create(_beta1) * Vector256.LoadUnsafe(ref m) + Vector256.Create(_oneMinusBeta1) * g;
            var uNew = VectorMath.Max(Vector256.Create(_beta2) * Vector256.LoadUnsafe(ref u), RuleMath.Abs(g) + Vector256.Create(_epsilon));
            mNew.StoreUnsafe(ref m);
            uNew.StoreUnsafe(ref u);
            (t - Vector256.Create(_learningRate) * mNew / (Vector256.Create(_biasCorrection1) * uNew)).StoreUnsafe(ref theta);
        }
    }
}
