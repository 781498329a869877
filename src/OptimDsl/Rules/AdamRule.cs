using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[Adam]</c> and <c>[AdamW]</c> optimizer (README, Optimizers),
/// <c>torch.optim.Adam</c> and <c>torch.optim.AdamW</c>: with coupled weight decay g ← g + λθ (Adam), or
/// decoupled θ ← θ − ηλθ first (AdamW), when λ ≠ 0; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ), or v_max ← max(v_max, v), v̂ = v_max/(1−β₂ᵗ) with AmsGrad;
/// θ ← θ − η m̂/(√v̂ + ε).
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state (t and β₁ᵗ, β₂ᵗ as running products);
/// the generated optimizer holds the per-parameter state m, v and v_max, calls <see cref="Begin"/>
/// once per update and then a <see cref="Step"/> entry point per chunk of parameters.
/// <para>
/// The last line is computed as torch's own implementation arranges it (<c>_single_tensor_adam</c>:
/// step_size = η/(1−β₁ᵗ), denom = √v/√(1−β₂ᵗ) + ε), with the division by √(1−β₂ᵗ) made a multiplication
/// by its reciprocal: s = η/(1−β₁ᵗ) and c = 1/√(1−β₂ᵗ) once per update, then per value
/// θ ← θ − s·(m/(√v·c + ε)). The same mathematics as the line above, with one division and one square root
/// per value instead of three divisions and a square root; in double these are what limits the update's
/// throughput (tests/OptimDsl.Benchmarks/README.md, issue 11).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct AdamRule
{
    private double _learningRate;
    private double _beta1;
    private double _beta2;
    private double _epsilon;
    private double _weightDecay;
    private double _beta1Power;
    private double _beta2Power;
    private long _iteration;

    /// <summary>
    /// A rule with these hyperparameters, before its first update; <c>decoupledWeightDecay</c> is true for
    /// AdamW (θ ← θ − ηλθ before the update, instead of g ← g + λθ).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdamRule(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsGrad, bool decoupledWeightDecay = false)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _beta1 = Hyperparameter.Checked(beta1, HyperparameterRange.ZeroToOne, nameof(Beta1));
        _beta2 = Hyperparameter.Checked(beta2, HyperparameterRange.ZeroToOne, nameof(Beta2));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
        AmsGrad = amsGrad;
        DecoupledWeightDecay = decoupledWeightDecay;
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

    /// <summary>λ of the weight decay (coupled, or decoupled for AdamW); zero or positive, and finite.</summary>
    public double WeightDecay
    {
        readonly get => _weightDecay;
        set => _weightDecay = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>Whether v̂ uses the running maximum of v (fixed by the attribute).</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether the weight decay is AdamW's θ ← θ − ηλθ rather than Adam's g ← g + λθ (fixed by the attribute).</summary>
    public bool DecoupledWeightDecay { get; }

    /// <summary>Sets η from a schedule, which may also give 0 (README, Learning-rate schedules); the caller checked it.</summary>
    public void ScheduleLearningRate(double rate) => _learningRate = rate;

    /// <summary>Starts update t + 1: advances t and the β powers, and returns the update's coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Step Begin()
    {
        _iteration++;
        _beta1Power *= _beta1;
        _beta2Power *= _beta2;
        return new Step(this);
    }

    /// <summary>
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>)
    /// and four (<see cref="Vector256{T}"/>). All three perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly double _stepSize;
        private readonly double _beta1;
        private readonly double _oneMinusBeta1;
        private readonly double _beta2;
        private readonly double _oneMinusBeta2;
        private readonly double _epsilon;
        private readonly double _weightDecay;
        private readonly double _decay;
        private readonly double _inverseRootBiasCorrection2;
        private readonly bool _amsGrad;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal Step(in AdamRule rule)
        {
            // s = η/(1−β₁ᵗ) and c = 1/√(1−β₂ᵗ): the bias corrections, once per update rather than per value.
            _stepSize = rule._learningRate / (1 - rule._beta1Power);
            _inverseRootBiasCorrection2 = 1 / Math.Sqrt(1 - rule._beta2Power);
            _beta1 = rule._beta1;
            _oneMinusBeta1 = 1 - rule._beta1;
            _beta2 = rule._beta2;
            _oneMinusBeta2 = 1 - rule._beta2;
            _epsilon = rule._epsilon;
            // Coupled λ, or decoupled ηλ; the other is 0, so its branch is never taken.
            _weightDecay = rule.DecoupledWeightDecay ? 0 : rule._weightDecay;
            _decay = rule.DecoupledWeightDecay ? rule._learningRate * rule._weightDecay : 0;
            _amsGrad = rule.AmsGrad;
        }

        /// <summary>Updates one parameter θ and its state from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax)
        {
            double g = gradient;
            double t = theta;
            if (_weightDecay != 0)
            {
                g = g + _weightDecay * t;
            }

            if (_decay != 0)
            {
                t = t - _decay * t;
            }

            m = _beta1 * m + _oneMinusBeta1 * g;
            v = _beta2 * v + _oneMinusBeta2 * (g * g);
            double second = v;
            if (_amsGrad)
            {
                vMax = VectorMath.Max(vMax, v);
                second = vMax;
            }

            // √v̂ + ε = √v·c + ε, and η m̂/(√v̂ + ε) = s·(m/(√v·c + ε)), torch's order (addcdiv: m/denom, times s).
            double denominator = Math.Sqrt(second) * _inverseRootBiasCorrection2 + _epsilon;
            theta = t - _stepSize * (m / denominator);
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref m, ref v, ref vMax);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref m, 1), ref Unsafe.Add(ref v, 1), ref Unsafe.Add(ref vMax, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            if (_decay != 0)
            {
                t = t - Vector128.Create(_decay) * t;
            }

            var mNew = Vector128.Create(_beta1) * Vector128.LoadUnsafe(ref m) + Vector128.Create(_oneMinusBeta1) * g;
            var vNew = Vector128.Create(_beta2) * Vector128.LoadUnsafe(ref v) + Vector128.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var second = vNew;
            if (_amsGrad)
            {
                second = VectorMath.Max(Vector128.LoadUnsafe(ref vMax), vNew);
                second.StoreUnsafe(ref vMax);
            }

            var denominator = Vector128.Sqrt(second) * Vector128.Create(_inverseRootBiasCorrection2) + Vector128.Create(_epsilon);
            (t - Vector128.Create(_stepSize) * (mNew / denominator)).StoreUnsafe(ref theta);
        }

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref m, ref v, ref vMax);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref m, 2), ref Unsafe.Add(ref v, 2), ref Unsafe.Add(ref vMax, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            if (_decay != 0)
            {
                t = t - Vector256.Create(_decay) * t;
            }

            var mNew = Vector256.Create(_beta1) * Vector256.LoadUnsafe(ref m) + Vector256.Create(_oneMinusBeta1) * g;
            var vNew = Vector256.Create(_beta2) * Vector256.LoadUnsafe(ref v) + Vector256.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var second = vNew;
            if (_amsGrad)
            {
                second = VectorMath.Max(Vector256.LoadUnsafe(ref vMax), vNew);
                second.StoreUnsafe(ref vMax);
            }

            var denominator = Vector256.Sqrt(second) * Vector256.Create(_inverseRootBiasCorrection2) + Vector256.Create(_epsilon);
            (t - Vector256.Create(_stepSize) * (mNew / denominator)).StoreUnsafe(ref theta);
        }
    }
}
