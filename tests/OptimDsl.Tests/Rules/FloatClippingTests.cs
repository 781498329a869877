using System;
using Xunit;

namespace OptimDsl.Tests.Rules;

/// <summary>
/// README, Float objectives: the float forms of the helpers every optimizer uses. Clipping by value clamps to the
/// bound rounded to float; clipping by norm multiplies by min(1, ClipNorm/(‖g‖₂ + 1e-6)) computed in double from the
/// double norm and rounded once; the norm of a float gradient is exact-square double arithmetic, so it neither
/// overflows nor underflows; finiteness checks and the float gradient stores.
/// </summary>
public sealed class FloatClippingTests
{
    [Fact]
    public void ClipValue_clamps_each_component_to_the_bound_rounded_to_float()
    {
        float[] g = [0.5f, -3f, 2f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.1f];
        new GradientClipping(0.1, 0).Apply(g.AsSpan());
        // (float)0.1 is 0.100000001490116…, so 0.1f itself is at the bound and stays.
        Assert.Equal([0.1f, -0.1f, 0.1f, -0f, float.NaN, 0.1f, -0.1f, 0.1f], g);
        Assert.True(BitConverter.SingleToInt32Bits(g[3]) == BitConverter.SingleToInt32Bits(-0f), "−0 stays −0");
    }

    [Fact]
    public void ClipNorm_scales_by_the_double_factor_rounded_once_to_float()
    {
        // ‖(3, 4)‖ = 5 exactly: factor = (float)(1/(5 + 1e-6)), then each component times it in float.
        float[] g = [3f, 4f];
        new GradientClipping(0, 1).Apply(g.AsSpan());
        float factor = (float)(1 / (5 + 1e-6));
        Assert.Equal(3f * factor, g[0]);
        Assert.Equal(4f * factor, g[1]);

        // Under the bound: factor min(1, 10/5) = 1, nothing changes.
        float[] small = [3f, 4f];
        new GradientClipping(0, 10).Apply(small.AsSpan());
        Assert.Equal([3f, 4f], small);
    }

    [Fact]
    public void ClipNorm_of_components_whose_float_squares_overflow_or_underflow()
    {
        // (3·2^100)² overflows float (a float32 norm, as torch's, would be ∞ and zero the gradient); in double the
        // squares and the norm 5·2^100 are exact, so the factor is (float)(1/(5·2^100 + 1e-6)) = (float)(2^−100/5).
        float[] large = [MathF.ScaleB(3f, 100), MathF.ScaleB(4f, 100)];
        Assert.Equal(Math.ScaleB(5.0, 100), OptimizerChecks.GradientNorm(large));
        new GradientClipping(0, 1).Apply(large.AsSpan());
        float factor = (float)(1 / (Math.ScaleB(5.0, 100) + 1e-6));
        Assert.Equal(MathF.ScaleB(3f, 100) * factor, large[0]);
        Assert.Equal(MathF.ScaleB(4f, 100) * factor, large[1]);
        Assert.Equal(0.6f, large[0], 6);

        // (3·2^−110)² underflows float: the norm is still 5·2^−110 exactly, far below ClipNorm, so nothing changes.
        float[] tiny = [MathF.ScaleB(3f, -110), MathF.ScaleB(4f, -110)];
        Assert.Equal(Math.ScaleB(5.0, -110), OptimizerChecks.GradientNorm(tiny));
        new GradientClipping(0, 1).Apply(tiny.AsSpan());
        Assert.Equal([MathF.ScaleB(3f, -110), MathF.ScaleB(4f, -110)], tiny);
    }

    [Fact]
    public void Both_clips_apply_value_first_then_norm()
    {
        // Clamped to (1, −1, 1), norm √3: factor (float)(1.5/(√3 + 1e-6)).
        float[] g = [5f, -7f, 0.5f * 2];
        new GradientClipping(1, 1.5).Apply(g.AsSpan());
        float factor = (float)(1.5 / (Math.Sqrt(3) + 1e-6));
        Assert.Equal([factor, -factor, factor], g);
    }

    [Fact]
    public void The_float_gradient_norm_is_the_double_norm_of_the_widened_components()
    {
        Assert.Equal(5.0, OptimizerChecks.GradientNorm([3f, 4f]));
        Assert.Equal(0.0, OptimizerChecks.GradientNorm(ReadOnlySpan<float>.Empty));
        Assert.Equal(float.MaxValue * Math.Sqrt(2), OptimizerChecks.GradientNorm([float.MaxValue, float.MinValue]), 1e24);
        Assert.Equal(float.Epsilon * Math.Sqrt(2), OptimizerChecks.GradientNorm([float.Epsilon, -float.Epsilon]), 1e-60);
        Assert.Equal(double.PositiveInfinity, OptimizerChecks.GradientNorm([1f, float.NegativeInfinity]));
        Assert.True(double.IsNaN(OptimizerChecks.GradientNorm([1f, float.NaN])));
    }

    [Fact]
    public void IsFinite_checks_the_float_parameters_the_loss_and_the_norm()
    {
        Assert.True(OptimizerChecks.IsFinite(1.0, 2.0, [1f, float.MaxValue, -0f]));
        Assert.False(OptimizerChecks.IsFinite(1.0, 2.0, [1f, float.NaN]));
        Assert.False(OptimizerChecks.IsFinite(1.0, 2.0, [float.NegativeInfinity]));
        Assert.False(OptimizerChecks.IsFinite(double.NaN, 2.0, [1f]));
        Assert.False(OptimizerChecks.IsFinite(1.0, double.PositiveInfinity, [1f]));
    }

    [Fact]
    public void Store8_and_Store4_write_their_floats_in_order_and_nothing_after()
    {
        var destination = new float[10];
        GradientStore.Store8(ref destination[1], 1, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7, 8, 0], destination);
        GradientStore.Store4(ref destination[5], -1, -2, -3, -4);
        Assert.Equal([0f, 1, 2, 3, 4, -1, -2, -3, -4, 0], destination);
    }
}
