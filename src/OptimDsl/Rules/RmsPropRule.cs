using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl.Rules;

/// <summary>
/// The update rule of a generated <c>[RmsProp]</c> optimizer (README, Optimizers), <c>torch.optim.RMSprop</c>:
/// with coupled weight decay g ← g + λθ (when λ ≠ 0), v ← αv + (1−α)g²; ṽ = v, or with Centered
/// ḡ ← αḡ + (1−α)g, ṽ = v − ḡ²; when μ &gt; 0, b ← μb + g/(√ṽ + ε), θ ← θ − ηb; otherwise
/// θ ← θ − η g/(√ṽ + ε).
/// </summary>
/// <remarks>
/// The struct holds the hyperparameters and the scalar state t; the generated optimizer holds the
/// per-parameter state v (square average), b (momentum buffer) and ḡ (gradient average), all zero at the
/// start and all allocated whatever μ and Centered are, calls <see cref="Begin"/> once per update and
/// then a <see cref="Step"/> entry point per chunk of parameters.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct RmsPropRule
{
    private double _learningRate;
    private double _alpha;
    private double _epsilon;
    private double _momentum;
    private double _weightDecay;
    private long _iteration;

    /// <summary>A rule with these hyperparameters, before its first update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public RmsPropRule(double learningRate, double alpha, double epsilon, double momentum, bool centered, double weightDecay)
    {
        _learningRate = Hyperparameter.Checked(learningRate, HyperparameterRange.PositiveFinite, nameof(LearningRate));
        _alpha = Hyperparameter.Checked(alpha, HyperparameterRange.ZeroToOne, nameof(Alpha));
        _epsilon = Hyperparameter.Checked(epsilon, HyperparameterRange.PositiveFinite, nameof(Epsilon));
        _momentum = Hyperparameter.Checked(momentum, HyperparameterRange.ZeroToOne, nameof(Momentum));
        _weightDecay = Hyperparameter.Checked(weightDecay, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
        Centered = centered;
    }

    /// <summary>The updates begun so far: t of the last update.</summary>
    public readonly long Iteration => _iteration;

    /// <summary>η; positive and finite.</summary>
    public double LearningRate
    {
        readonly get => _learningRate;
        set => _learningRate = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(LearningRate));
    }

    /// <summary>The smoothing constant α, in [0, 1).</summary>
    public double Alpha
    {
        readonly get => _alpha;
        set => _alpha = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Alpha));
    }

    /// <summary>ε; positive and finite.</summary>
    public double Epsilon
    {
        readonly get => _epsilon;
        set => _epsilon = Hyperparameter.Checked(value, HyperparameterRange.PositiveFinite, nameof(Epsilon));
    }

    /// <summary>The momentum μ, in [0, 1); 0 is none.</summary>
    public double Momentum
    {
        readonly get => _momentum;
        set => _momentum = Hyperparameter.Checked(value, HyperparameterRange.ZeroToOne, nameof(Momentum));
    }

    /// <summary>λ of the coupled weight decay; zero or positive, and finite.</summary>
    public double WeightDecay
    {
        readonly get => _weightDecay;
        set => _weightDecay = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(WeightDecay));
    }

    /// <summary>Whether the square average is centred by the gradient average (fixed by the attribute).</summary>
    public bool Centered { get; }

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
        internal Step(in RmsPropRule rule) => _arithmetic = new Arithmetic<double>(rule);

        /// <summary>The coefficients, for <see cref="SingleStep"/> to round.</summary>
        internal Arithmetic<double> Coefficients => _arithmetic;

        /// <summary>Updates one parameter θ and its state v, b, ḡ from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage) => _arithmetic.Update(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage) => _arithmetic.Update128(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage) => _arithmetic.Update256(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates eight parameters from <paramref name="theta"/> on, as <see cref="Update(ref double, ref double, ref double, ref double, ref double)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage) => _arithmetic.Update512(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
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

        /// <summary>Updates one float parameter θ and its state v, b, ḡ from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float theta, ref float gradient, ref float squareAverage, ref float momentumBuffer, ref float gradientAverage) => _arithmetic.Update(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates four float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref float theta, ref float gradient, ref float squareAverage, ref float momentumBuffer, ref float gradientAverage) => _arithmetic.Update128(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates eight float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref float theta, ref float gradient, ref float squareAverage, ref float momentumBuffer, ref float gradientAverage) => _arithmetic.Update256(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);

        /// <summary>Updates sixteen float parameters from <paramref name="theta"/> on, as <see cref="Update(ref float, ref float, ref float, ref float, ref float)"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref float theta, ref float gradient, ref float squareAverage, ref float momentumBuffer, ref float gradientAverage) => _arithmetic.Update512(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
    }

    /// <summary>
    /// The arithmetic of one update in the element type <typeparamref name="T"/>, written once for
    /// <see cref="Step"/> (double) and <see cref="SingleStep"/> (float).
    /// </summary>
    internal readonly struct Arithmetic<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _alpha;
        private readonly T _oneMinusAlpha;
        private readonly T _epsilon;
        private readonly T _momentum;
        private readonly T _weightDecay;
        private readonly bool _centered;

        /// <summary>The update's coefficients, computed in double (for <see cref="Step"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in RmsPropRule rule)
        {
            _learningRate = T.CreateTruncating(rule._learningRate);
            _alpha = T.CreateTruncating(rule._alpha);
            _oneMinusAlpha = T.CreateTruncating(1 - rule._alpha);
            _epsilon = T.CreateTruncating(rule._epsilon);
            _momentum = T.CreateTruncating(rule._momentum);
            _weightDecay = T.CreateTruncating(rule._weightDecay);
            _centered = rule.Centered;
        }

        /// <summary>The coefficients of <paramref name="coefficients"/>, each rounded once to <typeparamref name="T"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Arithmetic(in Arithmetic<double> coefficients)
        {
            _learningRate = T.CreateTruncating(coefficients._learningRate);
            _alpha = T.CreateTruncating(coefficients._alpha);
            _oneMinusAlpha = T.CreateTruncating(coefficients._oneMinusAlpha);
            _epsilon = T.CreateTruncating(coefficients._epsilon);
            _momentum = T.CreateTruncating(coefficients._momentum);
            _weightDecay = T.CreateTruncating(coefficients._weightDecay);
            _centered = coefficients._centered;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref T theta, ref T gradient, ref T squareAverage, ref T momentumBuffer, ref T gradientAverage)
        {
            T g = gradient;
            if (_weightDecay != T.Zero)
            {
                g = g + _weightDecay * theta;
            }

            T v = _alpha * squareAverage + _oneMinusAlpha * (g * g);
            squareAverage = v;
            T vTilde = v;
            if (_centered)
            {
                T average = _alpha * gradientAverage + _oneMinusAlpha * g;
                gradientAverage = average;
                vTilde = vTilde - average * average;
            }

            T denominator = T.Sqrt(vTilde) + _epsilon;
            if (_momentum > T.Zero)
            {
                T b = _momentum * momentumBuffer + g / denominator;
                momentumBuffer = b;
                theta = theta - _learningRate * b;
            }
            else
            {
                theta = theta - _learningRate * g / denominator;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref T theta, ref T gradient, ref T squareAverage, ref T momentumBuffer, ref T gradientAverage)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the scalar entry point lane by lane, the same operations.
                for (int i = 0; i < Vector128<T>.Count; i++)
                {
                    Update(ref Unsafe.Add(ref theta, i), ref Unsafe.Add(ref gradient, i), ref Unsafe.Add(ref squareAverage, i), ref Unsafe.Add(ref momentumBuffer, i), ref Unsafe.Add(ref gradientAverage, i));
                }

                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            var alpha = Vector128.Create(_alpha);
            var oneMinusAlpha = Vector128.Create(_oneMinusAlpha);
            var v = alpha * Vector128.LoadUnsafe(ref squareAverage) + oneMinusAlpha * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var vTilde = v;
            if (_centered)
            {
                var average = alpha * Vector128.LoadUnsafe(ref gradientAverage) + oneMinusAlpha * g;
                average.StoreUnsafe(ref gradientAverage);
                vTilde = vTilde - average * average;
            }

            var denominator = Vector128.Sqrt(vTilde) + Vector128.Create(_epsilon);
            if (_momentum > T.Zero)
            {
                var b = Vector128.Create(_momentum) * Vector128.LoadUnsafe(ref momentumBuffer) + g / denominator;
                b.StoreUnsafe(ref momentumBuffer);
                (t - Vector128.Create(_learningRate) * b).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector128.Create(_learningRate) * g / denominator).StoreUnsafe(ref theta);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref T theta, ref T gradient, ref T squareAverage, ref T momentumBuffer, ref T gradientAverage)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector128<T>.Count;
                Update128(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
                Update128(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref squareAverage, half), ref Unsafe.Add(ref momentumBuffer, half), ref Unsafe.Add(ref gradientAverage, half));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            var alpha = Vector256.Create(_alpha);
            var oneMinusAlpha = Vector256.Create(_oneMinusAlpha);
            var v = alpha * Vector256.LoadUnsafe(ref squareAverage) + oneMinusAlpha * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var vTilde = v;
            if (_centered)
            {
                var average = alpha * Vector256.LoadUnsafe(ref gradientAverage) + oneMinusAlpha * g;
                average.StoreUnsafe(ref gradientAverage);
                vTilde = vTilde - average * average;
            }

            var denominator = Vector256.Sqrt(vTilde) + Vector256.Create(_epsilon);
            if (_momentum > T.Zero)
            {
                var b = Vector256.Create(_momentum) * Vector256.LoadUnsafe(ref momentumBuffer) + g / denominator;
                b.StoreUnsafe(ref momentumBuffer);
                (t - Vector256.Create(_learningRate) * b).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector256.Create(_learningRate) * g / denominator).StoreUnsafe(ref theta);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update512(ref T theta, ref T gradient, ref T squareAverage, ref T momentumBuffer, ref T gradientAverage)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                // Without Vector512 hardware: the narrower entry point twice, the same operations lane by lane.
                int half = Vector256<T>.Count;
                Update256(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
                Update256(ref Unsafe.Add(ref theta, half), ref Unsafe.Add(ref gradient, half), ref Unsafe.Add(ref squareAverage, half), ref Unsafe.Add(ref momentumBuffer, half), ref Unsafe.Add(ref gradientAverage, half));
                return;
            }

            var g = Vector512.LoadUnsafe(ref gradient);
            var t = Vector512.LoadUnsafe(ref theta);
            if (_weightDecay != T.Zero)
            {
                g = g + Vector512.Create(_weightDecay) * t;
            }

            var alpha = Vector512.Create(_alpha);
            var oneMinusAlpha = Vector512.Create(_oneMinusAlpha);
            var v = alpha * Vector512.LoadUnsafe(ref squareAverage) + oneMinusAlpha * (g * g);
            v.StoreUnsafe(ref squareAverage);
            var vTilde = v;
            if (_centered)
            {
                var average = alpha * Vector512.LoadUnsafe(ref gradientAverage) + oneMinusAlpha * g;
                average.StoreUnsafe(ref gradientAverage);
                vTilde = vTilde - average * average;
            }

            var denominator = Vector512.Sqrt(vTilde) + Vector512.Create(_epsilon);
            if (_momentum > T.Zero)
            {
                var b = Vector512.Create(_momentum) * Vector512.LoadUnsafe(ref momentumBuffer) + g / denominator;
                b.StoreUnsafe(ref momentumBuffer);
                (t - Vector512.Create(_learningRate) * b).StoreUnsafe(ref theta);
            }
            else
            {
                (t - Vector512.Create(_learningRate) * g / denominator).StoreUnsafe(ref theta);
            }
        }
    }
}
