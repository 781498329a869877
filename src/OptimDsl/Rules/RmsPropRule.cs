using System;
using System.ComponentModel;
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
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>)
    /// and four (<see cref="Vector256{T}"/>). All three perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly double _learningRate;
        private readonly double _alpha;
        private readonly double _oneMinusAlpha;
        private readonly double _epsilon;
        private readonly double _momentum;
        private readonly double _weightDecay;
        private readonly bool _centered;

        internal Step(in RmsPropRule rule)
        {
            _learningRate = rule._learningRate;
            _alpha = rule._alpha;
            _oneMinusAlpha = 1 - rule._alpha;
            _epsilon = rule._epsilon;
            _momentum = rule._momentum;
            _weightDecay = rule._weightDecay;
            _centered = rule.Centered;
        }

        /// <summary>Updates one parameter θ and its state v, b, ḡ from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage)
        {
            double g = gradient;
            if (_weightDecay != 0)
            {
                g = g + _weightDecay * theta;
            }

            double v = _alpha * squareAverage + _oneMinusAlpha * (g * g);
            squareAverage = v;
            double vTilde = v;
            if (_centered)
            {
                double average = _alpha * gradientAverage + _oneMinusAlpha * g;
                gradientAverage = average;
                vTilde = vTilde - average * average;
            }

            double denominator = Math.Sqrt(vTilde) + _epsilon;
            if (_momentum > 0)
            {
                double b = _momentum * momentumBuffer + g / denominator;
                momentumBuffer = b;
                theta = theta - _learningRate * b;
            }
            else
            {
                theta = theta - _learningRate * g / denominator;
            }
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref squareAverage, 1), ref Unsafe.Add(ref momentumBuffer, 1), ref Unsafe.Add(ref gradientAverage, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
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
            if (_momentum > 0)
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

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double squareAverage, ref double momentumBuffer, ref double gradientAverage)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref squareAverage, ref momentumBuffer, ref gradientAverage);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref squareAverage, 2), ref Unsafe.Add(ref momentumBuffer, 2), ref Unsafe.Add(ref gradientAverage, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
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
            if (_momentum > 0)
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
    }
}
