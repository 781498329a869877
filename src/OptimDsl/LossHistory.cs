using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace OptimDsl;

/// <summary>
/// An observer that records the iteration, loss and gradient norm of a run into buffers sized up front,
/// and writes them as CSV or as an SVG chart (README, Watching a run). Pass it by <see langword="ref"/> to
/// <c>Minimize&lt;TObserver&gt;</c>; recording allocates nothing and never stops a run.
/// </summary>
/// <remarks>
/// <para>Thinning: the history counts its <see cref="OnStep"/> calls (the ordinal n = 1, 2, …, across every
/// run it watches) and keeps a record only when n is a multiple of its stride s, which starts at 1. When a
/// record is to be kept and the buffers are full, it first keeps every second record (those whose ordinal
/// is a multiple of 2s, at positions 1, 3, 5, … of the buffer) and doubles s; the new record is then kept
/// if its ordinal is a multiple of the new s. So the kept records are always those of ordinals s, 2s, …,
/// <see cref="Count"/>·s: evenly spaced, the latest at most s − 1 calls old. With capacity 4, after 25
/// calls the stride is 8 and the ordinals kept are 8, 16, 24.</para>
/// <para><see cref="Iterations"/> are the optimizer's (the iteration each call reports), so a history
/// reused across <c>Minimize</c> calls on one optimizer continues where it stopped.</para>
/// </remarks>
public sealed class LossHistory : IOptimizationObserver
{
    private readonly long[] _iterations;
    private readonly double[] _losses;
    private readonly double[] _gradientNorms;
    private int _count;
    private long _calls;
    private long _stride = 1;

    /// <summary>A history that holds at most <paramref name="capacity"/> records.</summary>
    /// <param name="capacity">The size of the buffers, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 2.</exception>
    public LossHistory(int capacity)
    {
        if (capacity < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A loss history holds at least 2 records.");
        }

        _iterations = new long[capacity];
        _losses = new double[capacity];
        _gradientNorms = new double[capacity];
    }

    /// <summary>The number of records kept, at most the capacity.</summary>
    public int Count => _count;

    /// <summary>The iteration of each record kept, oldest first.</summary>
    public ReadOnlySpan<long> Iterations => _iterations.AsSpan(0, _count);

    /// <summary>The loss of each record kept (the loss the update saw), oldest first.</summary>
    public ReadOnlySpan<double> Losses => _losses.AsSpan(0, _count);

    /// <summary>The gradient norm of each record kept (the norm the update saw), oldest first.</summary>
    public ReadOnlySpan<double> GradientNorms => _gradientNorms.AsSpan(0, _count);

    /// <summary>Records the update when its ordinal is a multiple of the stride, thinning first when full.</summary>
    /// <param name="iteration">The number of the update just made.</param>
    /// <param name="loss">The loss the update saw.</param>
    /// <param name="gradientNorm">The gradient norm the update saw.</param>
    /// <returns>Always <see langword="true"/>: a history never stops a run.</returns>
    public bool OnStep(long iteration, double loss, double gradientNorm)
    {
        _calls++;
        // The stride is a power of two.
        if ((_calls & (_stride - 1)) != 0)
        {
            return true;
        }

        if (_count == _iterations.Length)
        {
            Thin();
            if ((_calls & (_stride - 1)) != 0)
            {
                return true;
            }
        }

        _iterations[_count] = iteration;
        _losses[_count] = loss;
        _gradientNorms[_count] = gradientNorm;
        _count++;
        return true;
    }

    /// <summary>
    /// Writes the records as CSV: the header <c>iteration,loss,gradient_norm</c>, then one line per record,
    /// oldest first; numbers in the invariant culture, doubles with round-trip precision ("R"), so
    /// <see cref="double.Parse(string, IFormatProvider)"/> gives back the same values. Lines end with the
    /// writer's <see cref="TextWriter.NewLine"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("iteration,loss,gradient_norm");
        for (int i = 0; i < _count; i++)
        {
            writer.Write(_iterations[i].ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(_losses[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(_gradientNorms[i].ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Writes a standalone SVG line chart of the loss, on a log scale with a tick at each decade (every
    /// few decades when they are many), against the iteration, with a few round iterations as ticks, both
    /// axes labelled, and a title.
    /// </summary>
    /// <remarks>
    /// A loss that is zero, negative, NaN or infinite has no place on a log axis: its record is left out
    /// of the line and the chart says how many were. One drawn record is a dot; with none (<see cref="Count"/>
    /// 0, or no positive finite loss) the chart has its title, axis labels and frame, no ticks, and says
    /// there is nothing to draw.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteSvg(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        new LossChart([new LossCurve(null, this)]).Write(writer);
    }

    /// <summary>
    /// Writes a standalone SVG chart of several runs' losses on shared axes: the iteration range and the
    /// log10 loss range over every curve, with the ticks of <see cref="WriteSvg(TextWriter)"/>, one colour
    /// per curve (eight colours in turn; from the ninth curve on they repeat dashed) and, below the plot,
    /// a legend with each curve's label.
    /// </summary>
    /// <remarks>
    /// Losses that are zero, negative, NaN or infinite are left out and counted, as in
    /// <see cref="WriteSvg(TextWriter)"/>; a curve with one drawable record is a dot, with none it has
    /// its legend entry only. Labels are written as XML text (escaped, characters XML cannot hold
    /// replaced by U+FFFD). The chart widens when a label would not fit.
    /// </remarks>
    /// <param name="writer">Where the SVG goes.</param>
    /// <param name="curves">The curves, in legend order: a label and a history with at least one record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="curves"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="curves"/> is empty, or one of them has a null label,
    /// a null history or a history without records.</exception>
    public static void WriteSvg(TextWriter writer, params (string Label, LossHistory History)[] curves)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Length == 0)
        {
            throw new ArgumentException("At least one curve is needed.", nameof(curves));
        }

        var chartCurves = new LossCurve[curves.Length];
        for (int c = 0; c < curves.Length; c++)
        {
            var (label, history) = curves[c];
            if (label is null)
            {
                throw new ArgumentException($"Curve {c} has a null label.", nameof(curves));
            }

            if (history is null)
            {
                throw new ArgumentException($"Curve {c} ('{label}') has a null history.", nameof(curves));
            }

            if (history._count == 0)
            {
                throw new ArgumentException($"Curve {c} ('{label}') has an empty history: nothing to draw.", nameof(curves));
            }

            chartCurves[c] = new LossCurve(label, history);
        }

        new LossChart(chartCurves).Write(writer);
    }

    private void Thin()
    {
        int kept = _count / 2;
        for (int i = 0; i < kept; i++)
        {
            _iterations[i] = _iterations[2 * i + 1];
            _losses[i] = _losses[2 * i + 1];
            _gradientNorms[i] = _gradientNorms[2 * i + 1];
        }

        _count = kept;
        _stride *= 2;
    }

    private static bool IsDrawable(double loss) => loss > 0 && double.IsFinite(loss);

    /// <summary>One line of a chart: its legend label (null on the single-run chart, which has no legend) and its records.</summary>
    private readonly record struct LossCurve(string? Label, LossHistory History);

    /// <summary>
    /// The layout of both <c>WriteSvg</c>s: a 640 × 400 chart, the plot inside margins. A chart of labelled
    /// curves adds a legend below the iteration axis's label, a row per curve, and widens for long labels.
    /// </summary>
    private readonly struct LossChart
    {
        private const double MinimumWidth = 640;
        private const double PlotHeight = 400;
        private const double Left = 90;
        private const double Right = 610;
        private const double Top = 60;
        private const double Bottom = 340;

        // The legend: the first row's baseline under the x-axis label (at Bottom + 45), a swatch of line
        // then the label, rows LegendRow apart. LabelCharacterWidth overestimates a 12 px sans-serif
        // character (about 6.5 on average) so that the widened chart does not clip a label.
        private const double LegendTop = Bottom + 72;
        private const double LegendRow = 18;
        private const double LegendSwatch = 28;
        private const double LabelCharacterWidth = 7.5;

        // Curve k's colour is Palette[k mod 8]; from the ninth curve on the colours repeat, dashed. The first is
        // the single chart's.
        private static readonly string[] Palette = ["steelblue", "darkorange", "forestgreen", "crimson", "darkviolet", "saddlebrown", "deeppink", "dimgray"];

        private readonly LossCurve[] _curves;
        private readonly bool _hasLegend;
        private readonly double _width;
        private readonly double _height;
        private readonly int _records;
        private readonly int _drawn;
        private readonly long _firstIteration;
        private readonly long _iterationStep;
        private readonly long _lastIteration;
        private readonly int _lowDecade;
        private readonly int _highDecade;
        private readonly int _decadeStep;

        public LossChart(LossCurve[] curves)
        {
            this = default;
            _curves = curves;
            _hasLegend = curves[0].Label is not null;
            _width = MinimumWidth;
            _height = PlotHeight;
            if (_hasLegend)
            {
                int longest = 0;
                foreach (var curve in curves)
                {
                    longest = Math.Max(longest, curve.Label!.Length);
                }

                _width = Math.Max(MinimumWidth, Math.Ceiling(Left + LegendSwatch + 8 + longest * LabelCharacterWidth + 20));
                _height = LegendTop + (curves.Length - 1) * LegendRow + 16;
            }

            long minIteration = long.MaxValue, maxIteration = long.MinValue;
            double minLog = double.PositiveInfinity, maxLog = double.NegativeInfinity;
            foreach (var (_, history) in curves)
            {
                _records += history._count;
                for (int i = 0; i < history._count; i++)
                {
                    double loss = history._losses[i];
                    if (!IsDrawable(loss))
                    {
                        continue;
                    }

                    _drawn++;
                    minIteration = Math.Min(minIteration, history._iterations[i]);
                    maxIteration = Math.Max(maxIteration, history._iterations[i]);
                    minLog = Math.Min(minLog, Math.Log10(loss));
                    maxLog = Math.Max(maxLog, Math.Log10(loss));
                }
            }

            if (_drawn == 0)
            {
                return;
            }

            // Iterations: a step of 1, 2 or 5 times a power of ten giving about five intervals, the axis
            // from the multiple of it at or below the first iteration to the one at or above the last.
            double span = Math.Max(1, maxIteration - minIteration);
            double rough = span / 5;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
            double fraction = rough / magnitude;
            double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
            _iterationStep = Math.Max(1, (long)Math.Round(step));
            _firstIteration = FloorToMultiple(minIteration, _iterationStep);
            _lastIteration = FloorToMultiple(maxIteration, _iterationStep);
            if (_lastIteration < maxIteration || _lastIteration == _firstIteration)
            {
                _lastIteration += _iterationStep;
            }

            // Losses: whole decades, a tick every decade, or every few so that at most about eight are labelled.
            int low = (int)Math.Floor(minLog);
            int high = (int)Math.Ceiling(maxLog);
            _decadeStep = Math.Max(1, (int)Math.Ceiling((high - low) / 8.0));
            _lowDecade = (int)FloorToMultiple(low, _decadeStep);
            _highDecade = (int)FloorToMultiple(high, _decadeStep);
            if (_highDecade < high || _highDecade == _lowDecade)
            {
                _highDecade += _decadeStep;
            }
        }

        public void Write(TextWriter w)
        {
            w.WriteLine($"""<svg xmlns="http://www.w3.org/2000/svg" width="{N(_width)}" height="{N(_height)}" viewBox="0 0 {N(_width)} {N(_height)}" font-family="sans-serif" font-size="12">""");
            w.WriteLine("  <title>Loss against iteration</title>");
            w.WriteLine($"""  <rect width="{N(_width)}" height="{N(_height)}" fill="white"/>""");
            w.WriteLine($"""  <text class="title" x="{N((Left + Right) / 2)}" y="28" text-anchor="middle" font-size="16">Loss against iteration</text>""");
            w.WriteLine($"""  <text class="x-label" x="{N((Left + Right) / 2)}" y="{N(Bottom + 45)}" text-anchor="middle">iteration</text>""");
            w.WriteLine($"""  <text class="y-label" x="24" y="{N((Top + Bottom) / 2)}" text-anchor="middle" transform="rotate(-90 24 {N((Top + Bottom) / 2)})">loss (log scale)</text>""");
            int skipped = _records - _drawn;
            if (_drawn == 0)
            {
                w.WriteLine($"""  <text class="note" x="{N((Left + Right) / 2)}" y="{N((Top + Bottom) / 2)}" text-anchor="middle">{(_records == 0 ? "No records" : "No record with a positive, finite loss")}: nothing to draw.</text>""");
            }
            else
            {
                if (skipped > 0)
                {
                    w.WriteLine($"""  <text class="note" x="{N((Left + Right) / 2)}" y="46" text-anchor="middle">{skipped} of {_records} records not drawn: the loss is not positive and finite.</text>""");
                }

                WriteTicks(w);
                for (int c = 0; c < _curves.Length; c++)
                {
                    WriteCurve(w, _curves[c].History, c);
                }
            }

            w.WriteLine($"""  <rect class="frame" x="{N(Left)}" y="{N(Top)}" width="{N(Right - Left)}" height="{N(Bottom - Top)}" fill="none" stroke="black"/>""");
            if (_hasLegend)
            {
                WriteLegend(w);
            }

            w.WriteLine("</svg>");
        }

        private void WriteTicks(TextWriter w)
        {
            for (long iteration = _firstIteration; iteration <= _lastIteration; iteration += _iterationStep)
            {
                string x = N(X(iteration));
                w.WriteLine($"""  <g class="x-tick"><line x1="{x}" y1="{N(Top)}" x2="{x}" y2="{N(Bottom)}" stroke="#e0e0e0"/><line x1="{x}" y1="{N(Bottom)}" x2="{x}" y2="{N(Bottom + 5)}" stroke="black"/><text x="{x}" y="{N(Bottom + 20)}" text-anchor="middle">{iteration.ToString(CultureInfo.InvariantCulture)}</text></g>""");
            }

            for (int decade = _lowDecade; decade <= _highDecade; decade += _decadeStep)
            {
                string y = N(Y(decade));
                w.WriteLine($"""  <g class="y-tick"><line x1="{N(Left)}" y1="{y}" x2="{N(Right)}" y2="{y}" stroke="#e0e0e0"/><line x1="{N(Left - 5)}" y1="{y}" x2="{N(Left)}" y2="{y}" stroke="black"/><text x="{N(Left - 8)}" y="{N(Y(decade) + 4)}" text-anchor="end">{DecadeLabel(decade)}</text></g>""");
            }
        }

        // A polyline through the curve's drawable records; one drawable record is a dot, none is nothing.
        private void WriteCurve(TextWriter w, LossHistory history, int curve)
        {
            int drawn = 0;
            for (int i = 0; i < history._count; i++)
            {
                drawn += IsDrawable(history._losses[i]) ? 1 : 0;
            }

            string colour = Palette[curve % Palette.Length];
            if (drawn == 1)
            {
                for (int i = 0; i < history._count; i++)
                {
                    if (IsDrawable(history._losses[i]))
                    {
                        w.WriteLine($"""  <circle class="loss" cx="{N(X(history._iterations[i]))}" cy="{N(Y(Math.Log10(history._losses[i])))}" r="3" fill="{colour}"/>""");
                    }
                }

                return;
            }

            if (drawn == 0)
            {
                return;
            }

            w.Write($"  <polyline class=\"loss\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{Dashes(curve)} points=\"");
            bool first = true;
            for (int i = 0; i < history._count; i++)
            {
                if (!IsDrawable(history._losses[i]))
                {
                    continue;
                }

                w.Write(first ? "" : " ");
                w.Write(N(X(history._iterations[i])));
                w.Write(',');
                w.Write(N(Y(Math.Log10(history._losses[i]))));
                first = false;
            }

            w.WriteLine("\"/>");
        }

        private void WriteLegend(TextWriter w)
        {
            w.WriteLine("""  <g class="legend">""");
            for (int c = 0; c < _curves.Length; c++)
            {
                double baseline = LegendTop + c * LegendRow;
                string y = N(baseline - 4);
                w.WriteLine($"""    <g class="legend-entry"><line x1="{N(Left)}" y1="{y}" x2="{N(Left + LegendSwatch)}" y2="{y}" stroke="{Palette[c % Palette.Length]}" stroke-width="2.5"{Dashes(c)}/><text x="{N(Left + LegendSwatch + 8)}" y="{N(baseline)}">{EscapeXml(_curves[c].Label!)}</text></g>""");
            }

            w.WriteLine("  </g>");
        }

        private static string Dashes(int curve) => curve >= Palette.Length ? " stroke-dasharray=\"6 3\"" : "";

        private double X(long iteration) => Left + (double)(iteration - _firstIteration) / (_lastIteration - _firstIteration) * (Right - Left);

        private double Y(double log10Loss) => Bottom - (log10Loss - _lowDecade) / (_highDecade - _lowDecade) * (Bottom - Top);

        private static long FloorToMultiple(long value, long step) => value >= 0 ? value / step * step : -((-value + step - 1) / step * step);

        // 10^k: written out for k in [-4, 4] ("0.001", "1000"), else "1e-12".
        private static string DecadeLabel(int decade) =>
            decade switch
            {
                >= 0 and <= 4 => "1" + new string('0', decade),
                < 0 and >= -4 => "0." + new string('0', -decade - 1) + "1",
                _ => "1e" + decade.ToString(CultureInfo.InvariantCulture),
            };

        // XML text: the five markup characters as entities; a character XML 1.0 cannot hold (a control
        // character other than tab, line feed and carriage return, a lone surrogate, U+FFFE, U+FFFF) as U+FFFD.
        private static string EscapeXml(string text)
        {
            var escaped = new StringBuilder(text.Length + 16);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                switch (c)
                {
                    case '<': escaped.Append("&lt;"); break;
                    case '>': escaped.Append("&gt;"); break;
                    case '&': escaped.Append("&amp;"); break;
                    case '"': escaped.Append("&quot;"); break;
                    case '\'': escaped.Append("&apos;"); break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            escaped.Append(c).Append(text[++i]);
                        }
                        else if (char.IsSurrogate(c) || (c < ' ' && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
                        {
                            escaped.Append('\uFFFD');
                        }
                        else
                        {
                            escaped.Append(c);
                        }

                        break;
                }
            }

            return escaped.ToString();
        }

        private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
