using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[Lion]</c> optimizer (README, Optimizers), Chen et al. 2023,
/// Algorithm 2: c ← β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ) (the decoupled weight decay λθ only when
/// λ ≠ 0); m ← β₂m + (1−β₂)g.
/// </summary>
/// <remarks>
/// <para>
/// The struct holds the hyperparameters and the scalar state t; the generated optimizer holds the
/// per-parameter momentum m (zero at the start), calls <see cref="Begin"/> once per update and then a
/// <see cref="Step"/> entry point per chunk of parameters.
/// </para>
/// <para>sign is +1, −1, +0 for ±0 (sign(0) = 0), and the NaN itself for a NaN.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LionRule
{
    private double _learningRate;
    private double _beta1;
    private double _beta2;
    private double _weightDecay;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public LionRule(double learningRate, double beta1, double beta2, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _beta1 = Hyperparameter.Checked(beta1, HyperparameterRange.ZeroToOne, nameof(Beta1));
        _beta2 = Hyperparameter.Checked(beta2, HyperparameterRange.ZeroToOne, nameof(Beta2));
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

    /// <summary>β₁, the weight of m in the update direction c, in [0, 1).</summary>
    public double Beta1
    {
        readonly get => _beta1;
        set => _beta1 = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Beta1));
    }

    /// <summary>β₂, the decay of the momentum m, in [0, 1).</summary>
    public double Beta2
    {
        readonly get => _beta2;
        set => _beta2 = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Beta2));
    }

    /// <summary>λ of the decoupled weight decay; zero or positive, and finite.</summary>
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
        private readonly double _oneMinusBeta2;
        private readonly double _weightDecay;

        internal Step(in LionRule rule)
        {
            _learningRate = rule._learningRate;
            _beta1 = rule._beta1;
            _oneMinusBeta1 = 1 - rule._beta1;
            _beta2 = rule._beta2;
            _oneMinusBeta2 = 1 - rule._beta2;
            _weightDecay = rule._weightDecay;
        }

        /// <summary>Updates one parameter θ and its momentum m from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double m)
        {
            double g = gradient;
            double t = theta;
            double c = _beta1 * m + _oneMinusBeta1 * g;
            double direction = RuleMath.Sign(c);
            if (_weightDecay != 0)
            {
                direction = direction + _weightDecay * t;
            }

            theta = t - _learningRate * direction;
            m = _beta2 * m + _oneMinusBeta2 * g;
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double m)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref m);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref m, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            var mOld = Vector128.LoadUnsafe(ref m);
            var direction = RuleMath.Sign(Vector128.Create(_beta1) * mOld + Vector128.Create(_oneMinusBeta1) * g);
            if (_weightDecay != 0)
            {
                direction = direction + Vector128.Create(_weightDecay) * t;
            }

            (t - Vector128.Create(_learningRate) * direction).StoreUnsafe(ref theta);
            (Vector128.Create(_beta2) * mOld + Vector128.Create(_oneMinusBeta2) * g).StoreUnsafe(ref m);
        }

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double m)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref m);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref m, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            var mOld = Vector256.LoadUnsafe(ref m);
            var direction = RuleMath.Sign(Vector256.Create(_beta1) * mOld + Vector256.Create(_oneMinusBeta1) * g);
            if (_weightDecay != 0)
            {
                direction = direction + Vector256.Create(_weightDecay) * t;
            }

            (t - Vector256.Create(_learningRate) * direction).StoreUnsafe(ref theta);
            (Vector256.Create(_beta2) * mOld + Vector256.Create(_oneMinusBeta2) * g).StoreUnsafe(ref m);
        }
    }
}
