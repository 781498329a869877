using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Xml.Linq;
using Xunit;

namespace OptimDsl.Tests.Watching;

/// <summary>
/// README, Watching a run: <see cref="LossHistory"/>'s capacity, thinning (a record kept only when its
/// ordinal is a multiple of the stride, the stride doubling when full), CSV text and SVG chart.
/// </summary>
public sealed class LossHistoryTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_capacity_below_two_is_refused(int capacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LossHistory(capacity));
        Assert.Equal("capacity", error.ParamName);
    }

    // Capacity 4, iteration = 100 + ordinal. Calls 1–4 fill the buffer; call 5 finds it full: keep ordinals
    // 2, 4 (multiples of 2), stride 2, and 5 is odd so it is not kept; 6 and 8 fill it again; call 10 thins
    // to 4, 8 (stride 4) and 10 is no multiple of 4; 12 and 16 fill it; call 20 thins to 8, 16 (stride 8),
    // 24 is kept.
    [Theory]
    [InlineData(4, 3, new long[] { 101, 102, 103 })]
    [InlineData(4, 4, new long[] { 101, 102, 103, 104 })]
    [InlineData(4, 5, new long[] { 102, 104 })]
    [InlineData(4, 9, new long[] { 102, 104, 106, 108 })]
    [InlineData(4, 10, new long[] { 104, 108 })]
    [InlineData(4, 19, new long[] { 104, 108, 112, 116 })]
    [InlineData(4, 25, new long[] { 108, 116, 124 })]
    // Capacity 5 (odd): call 6 thins 1–5 to 2, 4 and 6 is kept (a multiple of 2); 8, 10 fill it; call 12
    // thins to 4, 8 and 12 is kept; 16, 20 fill it; call 24 thins to 8, 16 and keeps 24.
    [InlineData(5, 6, new long[] { 102, 104, 106 })]
    [InlineData(5, 11, new long[] { 102, 104, 106, 108, 110 })]
    [InlineData(5, 12, new long[] { 104, 108, 112 })]
    [InlineData(5, 24, new long[] { 108, 116, 124 })]
    // Capacity 2: 1, 2; call 3 → 2 (stride 2), 3 odd; 4 → 2, 4; call 6 → 4 (stride 4), 6 not kept; 8 → 4, 8.
    [InlineData(2, 7, new long[] { 104 })]
    [InlineData(2, 8, new long[] { 104, 108 })]
    public void When_full_it_keeps_every_second_record_and_doubles_its_stride(int capacity, int calls, long[] expected)
    {
        var history = new LossHistory(capacity);
        for (int n = 1; n <= calls; n++)
        {
            Assert.True(history.OnStep(100 + n, loss: n, gradientNorm: -n));
        }

        Assert.Equal(expected, history.Iterations.ToArray());
        Assert.Equal(expected.Select(i => (double)(i - 100)), history.Losses.ToArray());
        Assert.Equal(expected.Select(i => (double)(100 - i)), history.GradientNorms.ToArray());
        Assert.Equal(expected.Length, history.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    public void The_kept_records_are_every_multiple_of_a_power_of_two_stride(int capacity)
    {
        // Whatever the number of calls N: the kept ordinals are s, 2s, …, ⌊N/s⌋·s for a power of two s, no
        // more than the capacity, and at least half of it once the history has thinned.
        var history = new LossHistory(capacity);
        for (int n = 1; n <= 1000; n++)
        {
            history.OnStep(n, n, n);
            long[] kept = history.Iterations.ToArray();
            long stride = kept[0];
            Assert.True((stride & (stride - 1)) == 0, $"stride {stride} after {n} calls");
            Assert.Equal(Enumerable.Range(1, n / (int)stride).Select(k => k * stride), kept);
            Assert.True(kept.Length <= capacity);
            Assert.True(stride == 1 || kept.Length >= capacity / 2, $"{kept.Length} kept after {n} calls");
        }
    }

    [Fact]
    public void A_history_reused_across_runs_continues_with_the_optimizers_iterations()
    {
        // Quadratic by gradient descent, 3 updates then 2 more: update t sees θ_{t−1} = 3 − 3·0.8^{t−1}, so the
        // loss 9·0.64^{t−1} and the norm 6·0.8^{t−1}.
        var (iterations, losses, norms) = WatchingDriver.Driver.Call<(long[], double[], double[])>("History", 8, 3, 2);

        Assert.Equal([1, 2, 3, 4, 5], iterations);
        Assert.Equal([9, 5.76, 3.6864, 2.359296, 1.50994944], losses, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([6, 4.8, 3.84, 3.072, 2.4576], norms, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Thinning_goes_on_across_runs()
    {
        // Capacity 4 over 10 + 15 updates: as the thinning case above, iterations 8, 16, 24.
        var (iterations, losses, _) = WatchingDriver.Driver.Call<(long[], double[], double[])>("History", 4, 10, 15);

        Assert.Equal([8, 16, 24], iterations);
        Assert.Equal(iterations.Select(t => 9 * Math.Pow(0.64, t - 1)), losses, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void The_CSV_has_a_header_and_round_trip_values_in_the_invariant_culture()
    {
        var history = new LossHistory(4);
        history.OnStep(1, 0.1, 2.5);
        history.OnStep(2, 1e-20, 1.0 / 3);
        history.OnStep(3, 12345.678, 0);
        history.OnStep(40, double.NaN, double.PositiveInfinity);

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var writer = new StringWriter(CultureInfo.GetCultureInfo("de-DE")) { NewLine = "\n" };
            history.WriteCsv(writer);

            Assert.Equal(
                "iteration,loss,gradient_norm\n" +
                "1,0.1,2.5\n" +
                "2,1E-20,0.3333333333333333\n" +
                "3,12345.678,0\n" +
                "40,NaN,Infinity\n",
                writer.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void An_empty_history_writes_only_the_CSV_header()
    {
        var writer = new StringWriter { NewLine = "\n" };
        new LossHistory(2).WriteCsv(writer);

        Assert.Equal("iteration,loss,gradient_norm\n", writer.ToString());
    }

    [Fact]
    public void A_null_writer_is_refused()
    {
        var history = new LossHistory(2);

        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => history.WriteCsv(null!)).ParamName);
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => history.WriteSvg(null!)).ParamName);
    }

    [Fact]
    public void The_SVG_plots_log10_of_the_loss_linearly_against_the_iteration()
    {
        // Iterations 10–40: five intervals of about 6 round up to a step of 10, ticks 10, 20, 30, 40. Losses
        // 1 to 0.001: decades 0 to −3, ticks 0.001, 0.01, 0.1, 1.
        var history = new LossHistory(8);
        history.OnStep(10, 1, 0);
        history.OnStep(20, 0.1, 0);
        history.OnStep(25, Math.Pow(10, -1.5), 0);
        history.OnStep(30, 0.01, 0);
        history.OnStep(40, 0.001, 0);
        var svg = Parse(history);

        Assert.Equal("Loss against iteration", Text(svg, "title"));
        Assert.Equal("iteration", Text(svg, "x-label"));
        Assert.Equal("loss (log scale)", Text(svg, "y-label"));
        var xTicks = Ticks(svg, "x-tick", "x1");
        var yTicks = Ticks(svg, "y-tick", "y1");
        Assert.Equal(["10", "20", "30", "40"], xTicks.Select(t => t.Label));
        Assert.Equal(["0.001", "0.01", "0.1", "1"], yTicks.Select(t => t.Label));

        var points = Points(svg);
        Assert.Equal(5, points.Length);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First.X < p.Second.X), "x increases along the line");
        // Points on whole decades sit on their ticks: (10, 1) and (40, 0.001).
        Assert.Equal(xTicks[0].Position, points[0].X, 2);
        Assert.Equal(yTicks[3].Position, points[0].Y, 2);
        Assert.Equal(xTicks[3].Position, points[4].X, 2);
        Assert.Equal(yTicks[0].Position, points[4].Y, 2);
        // (25, 10^−1.5): halfway between the ticks 20 and 30, and between 0.1 and 0.01, since log10 is linear.
        Assert.Equal((xTicks[1].Position + xTicks[2].Position) / 2, points[2].X, 2);
        Assert.Equal((yTicks[1].Position + yTicks[2].Position) / 2, points[2].Y, 2);
        // Lower losses are lower on the chart (larger SVG y).
        Assert.True(yTicks[0].Position > yTicks[3].Position);
        Assert.DoesNotContain(svg.Descendants(Svg + "text"), e => (string?)e.Attribute("class") == "note");
    }

    [Fact]
    public void Losses_a_log_axis_cannot_show_are_left_out_and_counted()
    {
        var history = new LossHistory(8);
        history.OnStep(1, 1, 0);
        history.OnStep(2, 0, 0);
        history.OnStep(3, -1, 0);
        history.OnStep(4, double.NaN, 0);
        history.OnStep(5, double.PositiveInfinity, 0);
        history.OnStep(6, 0.1, 0);
        var svg = Parse(history);

        Assert.Equal(2, Points(svg).Length);
        Assert.Equal("4 of 6 records not drawn: the loss is not positive and finite.", Text(svg, "note"));
    }

    [Fact]
    public void An_empty_history_writes_a_chart_that_says_so()
    {
        var svg = Parse(new LossHistory(2));

        Assert.Equal("Loss against iteration", Text(svg, "title"));
        Assert.Equal("No records: nothing to draw.", Text(svg, "note"));
        Assert.Empty(svg.Descendants(Svg + "polyline"));
        Assert.Empty(Ticks(svg, "x-tick", "x1"));
    }

    [Fact]
    public void One_record_is_a_dot_between_ticks()
    {
        var history = new LossHistory(2);
        history.OnStep(7, 0.5, 1);
        var svg = Parse(history);

        Assert.Empty(svg.Descendants(Svg + "polyline"));
        var dot = Assert.Single(svg.Descendants(Svg + "circle"));
        // Iterations 7 to 8 (a range of one), losses 0.1 to 1.
        var xTicks = Ticks(svg, "x-tick", "x1");
        var yTicks = Ticks(svg, "y-tick", "y1");
        Assert.Equal(["7", "8"], xTicks.Select(t => t.Label));
        Assert.Equal(["0.1", "1"], yTicks.Select(t => t.Label));
        Assert.Equal(xTicks[0].Position, Number(dot, "cx"), 2);
        double expectedY = yTicks[0].Position + (Math.Log10(0.5) + 1) * (yTicks[1].Position - yTicks[0].Position);
        Assert.Equal(expectedY, Number(dot, "cy"), 2);
    }

    [Fact]
    public void Many_decades_get_a_labelled_tick_every_few()
    {
        var history = new LossHistory(4);
        history.OnStep(1, 1e10, 0);
        history.OnStep(2, 1e-10, 0);
        var svg = Parse(history);

        // 20 decades, at most about eight labels: a tick every ⌈20/8⌉ = 3 decades, from −12 to 12.
        Assert.Equal(["1e-12", "1e-9", "1e-6", "0.001", "1", "1000", "1e6", "1e9", "1e12"], Ticks(svg, "y-tick", "y1").Select(t => t.Label));
    }

    [Fact]
    public void A_real_run_renders_a_well_formed_descending_chart()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        double[] y = x.Select(v => 2 * v + 1).ToArray();
        string text = WatchingDriver.Driver.Call<string>("LineSvg", x, y, 300, 64);
        var svg = XDocument.Parse(text).Root!;

        var points = Points(svg);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First.X < p.Second.X), "x increases along the line");
        Assert.True(points[^1].Y > points[0].Y, "the loss falls");
        // 300 calls into 64: stride 8, ordinals 8 … 296 (37 records); 288 iterations / 5 rounds up to a step of 100.
        Assert.Equal(37, points.Length);
        Assert.Equal(["0", "100", "200", "300"], Ticks(svg, "x-tick", "x1").Select(t => t.Label));
    }

    private static XElement Parse(LossHistory history)
    {
        var writer = new StringWriter();
        history.WriteSvg(writer);
        var root = XDocument.Parse(writer.ToString()).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    private static string Text(XElement svg, string cssClass) =>
        svg.Descendants(Svg + "text").Single(e => (string?)e.Attribute("class") == cssClass).Value;

    private static (string Label, double Position)[] Ticks(XElement svg, string cssClass, string attribute) =>
        svg.Descendants(Svg + "g")
            .Where(g => (string?)g.Attribute("class") == cssClass)
            .Select(g => (g.Element(Svg + "text")!.Value, Number(g.Element(Svg + "line")!, attribute)))
            .ToArray();

    private static (double X, double Y)[] Points(XElement svg)
    {
        var line = svg.Descendants(Svg + "polyline").SingleOrDefault();
        if (line is null)
        {
            return [];
        }

        return ((string)line.Attribute("points")!)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();
    }

    private static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
