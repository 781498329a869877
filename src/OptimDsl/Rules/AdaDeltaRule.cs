using System;
using System.ComponentModel;
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
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>)
    /// and four (<see cref="Vector256{T}"/>). All three perform the same IEEE operations in the same order,
    /// so every width gives the same bits.
    /// </summary>
    public readonly struct Step
    {
        private readonly double _learningRate;
        private readonly double _rho;
        private readonly double _oneMinusRho;
        private readonly double _epsilon;
        private readonly double _weightDecay;

        internal Step(in AdaDeltaRule rule)
        {
            _learningRate = rule._learningRate;
            _rho = rule._rho;
            _oneMinusRho = 1 - rule._rho;
            _epsilon = rule._epsilon;
            _weightDecay = rule._weightDecay;
        }

        /// <summary>Updates one parameter θ and its state v, u from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta)
        {
            double g = gradient;
            if (_weightDecay != 0)
            {
                g = g + _weightDecay * theta;
            }

            double v = _rho * squareAverage + _oneMinusRho * (g * g);
            squareAverage = v;
            double delta = Math.Sqrt(accumulatedDelta + _epsilon) / Math.Sqrt(v + _epsilon) * g;
            accumulatedDelta = _rho * accumulatedDelta + _oneMinusRho * (delta * delta);
            theta = theta - _learningRate * delta;
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref squareAverage, 1), ref Unsafe.Add(ref accumulatedDelta, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
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

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double squareAverage, ref double accumulatedDelta)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref squareAverage, ref accumulatedDelta);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref squareAverage, 2), ref Unsafe.Add(ref accumulatedDelta, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
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
    }
}
