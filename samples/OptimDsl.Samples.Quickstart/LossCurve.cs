using System;

namespace OptimDsl.Samples.Quickstart;

/// <summary>
/// An observer that keeps a few samples of the loss, spread over the run (log-spaced in the
/// iteration), and draws them as a Unicode sparkline. A struct passed by ref: no allocation per step.
/// </summary>
public struct LossCurve : IOptimizationObserver
{
    private const int Width = 32;
    private SampleBuffer _samples;
    private int _count;
    private long _nextIteration;

    public bool OnStep(long iteration, double loss, double gradientNorm)
    {
        // Keep iterations 1, 2, 3, 4, 6, 8, 11, … (about 8 per decade) until the buffer is full.
        if (iteration >= _nextIteration && _count < Width)
        {
            _samples[_count++] = loss;
            _nextIteration = Math.Max(iteration + 1, (long)(iteration * 1.33));
        }

        return true;
    }

    public readonly string Sparkline()
    {
        if (_count == 0)
        {
            return "(no steps)";
        }

        const string bars = "▁▂▃▄▅▆▇█";
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (int i = 0; i < _count; i++)
        {
            double level = Math.Log10(Math.Max(_samples[i], 1e-300));
            low = Math.Min(low, level);
            high = Math.Max(high, level);
        }

        var text = new char[_count];
        for (int i = 0; i < _count; i++)
        {
            double level = Math.Log10(Math.Max(_samples[i], 1e-300));
            int bar = high > low ? (int)Math.Round((level - low) / (high - low) * (bars.Length - 1)) : bars.Length - 1;
            text[i] = bars[bar];
        }

        return new string(text) + $"  (log scale, {_samples[0]:G3} → {_samples[_count - 1]:G3})";
    }

    [System.Runtime.CompilerServices.InlineArray(Width)]
    private struct SampleBuffer
    {
        private double _element0;
    }
}
