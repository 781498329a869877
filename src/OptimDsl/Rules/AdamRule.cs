using System;
using System.ComponentModel;
using System.Numerics;
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
/// <para>
/// For a float objective (<see cref="BeginSingle"/>), s, c and the other coefficients are these double values
/// each rounded once to float, as torch rounds its Python-float step_size and bias_correction2_sqrt where they
/// meet a float32 tensor; the per-value operations are then float operations in the order above (README, Float
/// objectives).
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
    /// Starts update t + 1 as <see cref="Begin"/> does, and returns its coefficients each rounded once to float, for
    /// the parameters of a float objective (README, Float objectives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        internal Step(in AdamRule rule) => _arithmetic = new Arithmetic<double>(rule);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its state m, v, v_max from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax) => _arithmetic.Update(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax) => _arithmetic.Update128(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax) => _arithmetic.Update256(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double m, ref double v, ref double vMax) => _arithmetic.Update512(ref theta, ref gradient, ref m, ref v, ref vMax);
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

        /// <summary>Updates one float parameter θ and its state m, v, v_max from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float m, ref float v, ref float vMax) => _arithmetic.Update(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float m, ref float v, ref float vMax) => _arithmetic.Update128(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float m, ref float v, ref float vMax) => _arithmetic.Update256(ref theta, ref gradient, ref m, ref v, ref vMax);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float m, ref float v, ref float vMax) => _arithmetic.Update512(ref theta, ref gradient, ref m, ref v, ref vMax);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _stepSize;
        private readonly T _beta1;
        private readonly T _oneMinusBeta1;
        private readonly T _beta2;
        private readonly T _oneMinusBeta2;
        private readonly T _epsilon;
        private readonly T _weightDecay;
        private readonly T _decay;
        private readonly T _inverseRootBiasCorrection2;
        private readonly bool _amsGrad;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in AdamRule rule)
        {
            // s = η/(1−β₁ᵗ) and c = 1/√(1−β₂ᵗ): the bias corrections, once per update rather than per value.
            _stepSize = T.CreateTruncating(rule._learningRate / (1 - rule._beta1Power));
            _inverseRootBiasCorrection2 = T.CreateTruncating(1 / Math.Sqrt(1 - rule._beta2Power));
            _beta1 = T.CreateTruncating(rule._beta1);
            _oneMinusBeta1 = T.CreateTruncating(1 - rule._beta1);
            _beta2 = T.CreateTruncating(rule._beta2);
            _oneMinusBeta2 = T.CreateTruncating(1 - rule._beta2);
            _epsilon = T.CreateTruncating(rule._epsilon);
            // Coupled λ, or decoupled ηλ; the other is 0, so its branch is never taken.
            _weightDecay = T.CreateTruncating(rule.DecoupledWeightDecay ? 0 : rule._weightDecay);
            _decay = T.CreateTruncating(rule.DecoupledWeightDecay ? rule._learningRate * rule._weightDecay : 0);
            _amsGrad = rule.AmsGrad;
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _stepSize = T.CreateTruncating(coefficients._stepSize);
            _beta1 = T.CreateTruncating(coefficients._beta1);
            _oneMinusBeta1 = T.CreateTruncating(coefficients._oneMinusBeta1);
            _beta2 = T.CreateTruncating(coefficients._beta2);
            _oneMinusBeta2 = T.CreateTruncating(coefficients._oneMinusBeta2);
            _epsilon = T.CreateTruncating(coefficients._epsilon);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
            _decay = T.CreateTruncating(coefficients._decay);
            _inverseRootBiasCorrection2 = T.CreateTruncating(coefficients._inverseRootBiasCorrection2);
            _amsGrad = coefficients._amsGrad;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T m, ref T v, ref T vMax)
        {
            T g = gradient;
            T t = theta;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * t;
            }

            if (_decay != T.Zero)
            {
                t = t - _decay * t;
            }

            m = _beta1 * m + _oneMinusBeta1 * g;
            v = _beta2 * v + _oneMinusBeta2 * (g * g);
            T second = v;
            if (_amsGrad)
            {
                vMax = RuleMath.Max(vMax, v);
                second = vMax;
            }

            // √v̂ + ε = √v·c + ε, and η m̂/(√v̂ + ε) = s·(m/(√v·c + ε)), torch's order (addcdiv: m/denom, times s).
            T denominator = T.Sqrt(second) * _inverseRootBiasCorrection2 + _epsilon;
            theta = t - _stepSize * (m / denominator);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T m, ref T v, ref T vMax)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref m, i), ref Unsafe.Add(ref v, i), ref Unsafe.Add(ref vMax, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            if (_decay != T.Zero)
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T m, ref T v, ref T vMax)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref m, ref v, ref vMax);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref m, half), ref Unsafe.Add(ref v, half), ref Unsafe.Add(ref vMax, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            if (_decay != T.Zero)
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T m, ref T v, ref T vMax)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref m, ref v, ref vMax);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref m, half), ref Unsafe.Add(ref v, half), ref Unsafe.Add(ref vMax, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            if (_decay != T.Zero)
            {
                t = t - Vector512.Create(_decay) * t;
            }

            var mNew = Vector512.Create(_beta1) * Vector512.LoadUnsafe(ref m) + Vector512.Create(_oneMinusBeta1) * g;
            var vNew = Vector512.Create(_beta2) * Vector512.LoadUnsafe(ref v) + Vector512.Create(_oneMinusBeta2) * (g * g);
            mNew.StoreUnsafe(ref m);
            vNew.StoreUnsafe(ref v);
            var second = vNew;
            if (_amsGrad)
            {
                second = VectorMath.Max(Vector512.LoadUnsafe(ref vMax), vNew);
                second.StoreUnsafe(ref vMax);
            }

            var denominator = Vector512.Sqrt(second) * Vector512.Create(_inverseRootBiasCorrection2) + Vector512.Create(_epsilon);
            (t - Vector512.Create(_stepSize) * (mNew / denominator)).StoreUnsafe(ref theta);
        }
    }
}
