using System;
using System.ComponentModel;
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

    private static void CheckNesterov(double momentum, double dampening, bool nesterov, string name)
    {
        if (nesterov && !(momentum > 0 && dampening == 0))
        {
            throw new ArgumentOutOfRangeException(name, name == nameof(Dampening) ? dampening : momentum,
                HyperparameterConstraints.Nesterov + ".");
        }
    }

    /// <summary>
    /// The coefficients of one update and its entry points for one parameter, two (<see cref="Vector128{T}"/>)
    /// and four (<see cref="Vector256{T}"/>), which perform the same IEEE operations in the same order.
    /// </summary>
    public readonly struct Step
    {
        private readonly double _learningRate;
        private readonly double _momentum;
        private readonly double _oneMinusDampening;
        private readonly double _weightDecay;
        private readonly bool _firstMomentum;
        private readonly bool _nesterov;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal Step(in SgdRule rule, bool firstMomentum)
        {
            _learningRate = rule._learningRate;
            _momentum = rule._momentum;
            _oneMinusDampening = 1 - rule._dampening;
            _weightDecay = rule._weightDecay;
            _firstMomentum = firstMomentum;
            _nesterov = rule.Nesterov;
        }

        /// <summary>Updates one parameter θ and its momentum buffer b from its gradient g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref double theta, ref double gradient, ref double buffer)
        {
            double g = gradient;
            if (_weightDecay != 0)
            {
                g = g + _weightDecay * theta;
            }

            if (_momentum != 0)
            {
                double b = _firstMomentum ? g : _momentum * buffer + _oneMinusDampening * g;
                buffer = b;
                g = _nesterov ? g + _momentum * b : b;
            }

            theta = theta - _learningRate * g;
        }

        /// <summary>Updates two parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update128(ref double theta, ref double gradient, ref double buffer)
        {
            if (!Vector128.IsHardwareAccelerated)
            {
                // Without Vector128 hardware: the narrower entry point twice, the same operations lane by lane.
                Update(ref theta, ref gradient, ref buffer);
                Update(ref Unsafe.Add(ref theta, 1), ref Unsafe.Add(ref gradient, 1), ref Unsafe.Add(ref buffer, 1));
                return;
            }

            var g = Vector128.LoadUnsafe(ref gradient);
            var t = Vector128.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector128.Create(_weightDecay) * t;
            }

            if (_momentum != 0)
            {
                var b = _firstMomentum ? g : Vector128.Create(_momentum) * Vector128.LoadUnsafe(ref buffer) + Vector128.Create(_oneMinusDampening) * g;
                b.StoreUnsafe(ref buffer);
                g = _nesterov ? g + Vector128.Create(_momentum) * b : b;
            }

            (t - Vector128.Create(_learningRate) * g).StoreUnsafe(ref theta);
        }

        /// <summary>Updates four parameters from <paramref name="theta"/> on, as <see cref="Update"/> does each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update256(ref double theta, ref double gradient, ref double buffer)
        {
            if (!Vector256.IsHardwareAccelerated)
            {
                // Without Vector256 hardware: the narrower entry point twice, the same operations lane by lane.
                Update128(ref theta, ref gradient, ref buffer);
                Update128(ref Unsafe.Add(ref theta, 2), ref Unsafe.Add(ref gradient, 2), ref Unsafe.Add(ref buffer, 2));
                return;
            }

            var g = Vector256.LoadUnsafe(ref gradient);
            var t = Vector256.LoadUnsafe(ref theta);
            if (_weightDecay != 0)
            {
                g = g + Vector256.Create(_weightDecay) * t;
            }

            if (_momentum != 0)
            {
                var b = _firstMomentum ? g : Vector256.Create(_momentum) * Vector256.LoadUnsafe(ref buffer) + Vector256.Create(_oneMinusDampening) * g;
                b.StoreUnsafe(ref buffer);
                g = _nesterov ? g + Vector256.Create(_momentum) * b : b;
            }

            (t - Vector256.Create(_learningRate) * g).StoreUnsafe(ref theta);
        }
    }
}
