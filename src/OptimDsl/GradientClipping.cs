using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptimDsl.Hyperparameters;

namespace OptimDsl;

/// <summary>
/// <c>ClipValue</c> and <c>ClipNorm</c> of a generated optimizer (README, Gradient clipping), applied to the gradient
/// before weight decay and the rule: each component clamped to [−ClipValue, ClipValue]
/// (<c>torch.nn.utils.clip_grad_value_</c>), then g ← g · min(1, ClipNorm / (‖g‖₂ + 1e-6))
/// (<c>torch.nn.utils.clip_grad_norm_</c>). Zero turns either off.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct GradientClipping
{
    private double _value;
    private double _norm;

    /// <summary>Clipping with these thresholds; 0 is off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is negative or not finite.</exception>
    public GradientClipping(double clipValue, double clipNorm)
    {
        _value = Hyperparameter.Checked(clipValue, HyperparameterRange.NonNegativeFinite, nameof(ClipValue));
        _norm = Hyperparameter.Checked(clipNorm, HyperparameterRange.NonNegativeFinite, nameof(ClipNorm));
    }

    /// <summary>The bound of each component; 0 is off.</summary>
    public double ClipValue
    {
        readonly get => _value;
        set => _value = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(ClipValue));
    }

    /// <summary>The bound of the gradient's 2-norm; 0 is off.</summary>
    public double ClipNorm
    {
        readonly get => _norm;
        set => _norm = Hyperparameter.Checked(value, HyperparameterRange.NonNegativeFinite, nameof(ClipNorm));
    }

    /// <summary>Clips <paramref name="gradient"/> in place; does nothing when both thresholds are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply(Span<double> gradient)
    {
        if (_value != 0 || _norm != 0)
        {
            Clip(gradient);
        }
    }

    /// <summary>
    /// <see cref="Apply(Span{double})"/> on the two doubles from <paramref name="gradient"/> on, read and written as one
    /// <see cref="Vector128{T}"/> (the optimizers of <see cref="IRegisterOptimizer"/>; README, Performance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply128(ref double gradient)
    {
        if (_value != 0 || _norm != 0)
        {
            Clipped(Vector128.LoadUnsafe(ref gradient), _value, _norm).StoreUnsafe(ref gradient);
        }
    }

    /// <summary><see cref="Apply128"/> on four doubles, read and written as one <see cref="Vector256{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply256(ref double gradient)
    {
        if (_value != 0 || _norm != 0)
        {
            Clipped(Vector256.LoadUnsafe(ref gradient), _value, _norm).StoreUnsafe(ref gradient);
        }
    }

    // The vector's values clipped as Clip(Span) clips a span's (the same operations in the same order: Math.Clamp's
    // comparisons, then the factor from the same norm), written out so that no call is left in the loop of
    // MinimizeInRegisters, where any call made the JIT keep the loop's values in memory (Benchmarks README,
    // "Minimize in registers").
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Clipped(Vector128<double> gradient, double value, double norm)
    {
        double a = gradient.GetElement(0), b = gradient.GetElement(1);
        if (value != 0)
        {
            a = Clamp(a, value);
            b = Clamp(b, value);
        }

        if (norm != 0)
        {
            double factor = Math.Min(1, norm / (OptimizerChecks.GradientNorm128(Vector128.Create(a, b)) + 1e-6));
            a *= factor;
            b *= factor;
        }

        return Vector128.Create(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Clipped(Vector256<double> gradient, double value, double norm)
    {
        double a = gradient.GetElement(0), b = gradient.GetElement(1), c = gradient.GetElement(2), d = gradient.GetElement(3);
        if (value != 0)
        {
            a = Clamp(a, value);
            b = Clamp(b, value);
            c = Clamp(c, value);
            d = Clamp(d, value);
        }

        if (norm != 0)
        {
            double factor = Math.Min(1, norm / (OptimizerChecks.GradientNorm256(Vector256.Create(a, b, c, d)) + 1e-6));
            a *= factor;
            b *= factor;
            c *= factor;
            d *= factor;
        }

        return Vector256.Create(a, b, c, d);
    }

    // Math.Clamp(x, -bound, bound)'s comparisons, without its check that the bounds are ordered (they are: bound > 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Clamp(double x, double bound) => x < -bound ? -bound : x > bound ? bound : x;

    private readonly void Clip(Span<double> gradient) => Clip(gradient, _value, _norm);

    private static void Clip(Span<double> gradient, double value, double norm)
    {
        if (value != 0)
        {
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = Math.Clamp(gradient[i], -value, value);
            }
        }

        if (norm != 0)
        {
            double factor = Math.Min(1, norm / (OptimizerChecks.GradientNorm(gradient) + 1e-6));
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= factor;
            }
        }
    }

    /// <summary>
    /// Clips a float gradient in place, as <see cref="Apply(Span{double})"/> does: each component clamped to
    /// ±(float)ClipValue, then multiplied by the factor min(1, ClipNorm / (‖g‖₂ + 1e-6)) computed in double from
    /// <see cref="OptimizerChecks.GradientNorm(ReadOnlySpan{float})"/> and rounded once to float.
    /// </summary>
    /// <remarks>
    /// torch's <c>clip_grad_norm_</c> on float32 tensors computes the norm in float32; here it is the double norm
    /// that <c>Minimize</c> also reports (each square exact, no overflow or underflow for any float), so the factor
    /// can differ from torch's in its last bit. The bounds are rounded to float as torch rounds a Python float
    /// operand of a float32 tensor's <c>clamp_</c>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply(Span<float> gradient)
    {
        if (_value != 0 || _norm != 0)
        {
            Clip(gradient);
        }
    }

    private readonly void Clip(Span<float> gradient)
    {
        if (_value != 0)
        {
            float bound = (float)_value;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = Math.Clamp(gradient[i], -bound, bound);
            }
        }

        if (_norm != 0)
        {
            float factor = (float)Math.Min(1, _norm / (OptimizerChecks.GradientNorm(gradient) + 1e-6));
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= factor;
            }
        }
    }
}
