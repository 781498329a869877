using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace OptimDsl.Tests.Watching;

/// <summary>
/// README, Watching a run: <see cref="LossHistory.WriteSvg(TextWriter, (string Label, LossHistory History)[])"/>,
/// several runs on shared axes with a colour and a legend entry each.
/// </summary>
public sealed class LossChartComparisonTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Each_curve_is_a_line_of_its_own_colour_with_its_drawable_records_inside_the_plot()
    {
        // 5, 3 and 7 records; the third curve's 0 and NaN are left out, so it draws 5.
        var a = History((1, 1), (2, 0.5), (3, 0.2), (4, 0.1), (5, 0.05));
        var b = History((1, 2), (10, 0.3), (20, 0.01));
        var c = History((2, 3), (4, 0), (6, 1), (8, double.NaN), (10, 0.4), (12, 0.2), (14, 0.1));
        var svg = Parse(("a", a), ("b", b), ("c", c));

        var lines = Lines(svg);
        Assert.Equal([5, 3, 5], lines.Select(l => l.Points.Length));
        var (left, top, right, bottom) = Frame(svg);
        Assert.All(lines.SelectMany(l => l.Points), p =>
        {
            Assert.InRange(p.X, left, right);
            Assert.InRange(p.Y, top, bottom);
        });
        Assert.Equal(3, lines.Select(l => l.Colour).Distinct().Count());
        // Each legend swatch has its line's colour, in the same order.
        Assert.Equal(lines.Select(l => l.Colour), Legend(svg).Select(e => e.Colour));
        Assert.Equal(["a", "b", "c"], Legend(svg).Select(e => e.Label));
        Assert.Equal("Loss against iteration", Text(svg, "title"));
        Assert.Equal("iteration", Text(svg, "x-label"));
        Assert.Equal("loss (log scale)", Text(svg, "y-label"));
        Assert.Equal("2 of 15 records not drawn: the loss is not positive and finite.", Text(svg, "note"));
    }

    [Fact]
    public void The_axes_span_every_curve_with_the_single_charts_ticks()
    {
        // Iterations 1 to 40 over both: 39 / 5 = 7.8 rounds up to a step of 10, the axis 0 to 40. Losses
        // 1e3 (b) down to 1e-2 (a): decades −2 to 3, six of them, a tick on each.
        var a = History((1, 1), (10, 0.1), (20, 0.01));
        var b = History((5, 1000), (25, 10), (40, 1));
        var svg = Parse(("a", a), ("b", b));

        var xTicks = Ticks(svg, "x-tick", "x1");
        var yTicks = Ticks(svg, "y-tick", "y1");
        Assert.Equal(["0", "10", "20", "30", "40"], xTicks.Select(t => t.Label));
        Assert.Equal(["0.01", "0.1", "1", "10", "100", "1000"], yTicks.Select(t => t.Label));

        // Records on a tick iteration and a whole decade sit on those ticks, whichever curve they are in.
        var lines = Lines(svg);
        Assert.Equal(xTicks[1].Position, lines[0].Points[1].X, 2);
        Assert.Equal(yTicks[1].Position, lines[0].Points[1].Y, 2);
        Assert.Equal(xTicks[2].Position, lines[0].Points[2].X, 2);
        Assert.Equal(yTicks[0].Position, lines[0].Points[2].Y, 2);
        Assert.Equal(yTicks[5].Position, lines[1].Points[0].Y, 2);
        Assert.Equal(xTicks[4].Position, lines[1].Points[2].X, 2);
        Assert.Equal(yTicks[2].Position, lines[1].Points[2].Y, 2);
        // Iteration 5 is halfway between the ticks 0 and 10; iteration 25 halfway between 20 and 30.
        Assert.Equal((xTicks[0].Position + xTicks[1].Position) / 2, lines[1].Points[0].X, 2);
        Assert.Equal((xTicks[2].Position + xTicks[3].Position) / 2, lines[1].Points[1].X, 2);
    }

    [Fact]
    public void One_curve_gets_the_axes_and_line_of_the_single_chart_and_a_legend()
    {
        var history = History((10, 1), (20, 0.1), (25, Math.Pow(10, -1.5)), (30, 0.01), (40, 0.001));
        var single = new StringWriter();
        history.WriteSvg(single);
        var alone = XDocument.Parse(single.ToString()).Root!;
        var compared = Parse(("run", history));

        Assert.Equal(Ticks(alone, "x-tick", "x1"), Ticks(compared, "x-tick", "x1"));
        Assert.Equal(Ticks(alone, "y-tick", "y1"), Ticks(compared, "y-tick", "y1"));
        Assert.Equal(Lines(alone).Single().Points, Lines(compared).Single().Points);
        Assert.Empty(Legend(alone));
        Assert.Equal("run", Assert.Single(Legend(compared)).Label);
    }

    [Fact]
    public void Labels_are_escaped_and_read_back_as_written()
    {
        string[] labels = ["a<b & c", "\"quoted\" 'single' >", "η = 0.012, β₁ = 0.9 (score 0.123)", "emoji 📉 ok"];
        var history = History((1, 1), (2, 0.5));
        var writer = new StringWriter();
        LossHistory.WriteSvg(writer, labels.Select(l => (l, history)).ToArray());
        string text = writer.ToString();

        Assert.Contains(">a&lt;b &amp; c<", text, StringComparison.Ordinal);
        var svg = XDocument.Parse(text).Root!;
        Assert.Equal(labels, Legend(svg).Select(e => e.Label));
    }

    [Fact]
    public void Characters_XML_cannot_hold_become_the_replacement_character()
    {
        var history = History((1, 1), (2, 0.5));
        // A control character, a lone high surrogate and U+FFFF: none is allowed in XML 1.0.
        var svg = Parse(("bell\u0007, half \uD83D and \uFFFF", history));

        Assert.Equal("bell\uFFFD, half \uFFFD and \uFFFD", Assert.Single(Legend(svg)).Label);
    }

    [Fact]
    public void Eight_colours_come_in_turn_then_repeat_dashed()
    {
        var history = History((1, 1), (2, 0.5));
        var svg = Parse(Enumerable.Range(1, 10).Select(i => (i.ToString(CultureInfo.InvariantCulture), history)).ToArray());

        var lines = Lines(svg);
        Assert.Equal(10, lines.Length);
        Assert.Equal(8, lines.Take(8).Select(l => l.Colour).Distinct().Count());
        Assert.Equal(lines[0].Colour, lines[8].Colour);
        Assert.Equal(lines[1].Colour, lines[9].Colour);
        Assert.All(lines.Take(8), l => Assert.Null(l.Dashes));
        Assert.All(lines.Skip(8), l => Assert.NotNull(l.Dashes));
        var legend = Legend(svg);
        Assert.Equal(lines.Select(l => l.Colour), legend.Select(e => e.Colour));
        Assert.Equal(lines.Select(l => l.Dashes), legend.Select(e => e.Dashes));
    }

    [Fact]
    public void The_legend_sits_below_the_plot_one_row_per_curve_inside_the_chart()
    {
        var history = History((1, 1), (2, 0.5));
        var svg = Parse(("first", history), ("second", history), ("third", history));

        double height = Number(svg, "height");
        double xLabelY = Number(svg.Descendants(Svg + "text").Single(e => (string?)e.Attribute("class") == "x-label"), "y");
        var rows = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "legend-entry")
            .Select(g => Number(g.Element(Svg + "text")!, "y")).ToArray();
        Assert.Equal(3, rows.Length);
        // Font size 12: a row's text spans about 12 px above its baseline and 3 below.
        Assert.True(rows[0] - 12 > xLabelY, $"the first row ({rows[0]}) is below the x-axis label ({xLabelY})");
        Assert.All(rows.Zip(rows.Skip(1)), r => Assert.True(r.Second - r.First >= 14, $"rows {r.First} and {r.Second} overlap"));
        Assert.True(rows[^1] + 3 <= height, $"the last row ({rows[^1]}) is inside the chart ({height})");
        Assert.Equal($"0 0 {Number(svg, "width").ToString(CultureInfo.InvariantCulture)} {height.ToString(CultureInfo.InvariantCulture)}", (string)svg.Attribute("viewBox")!);
    }

    [Fact]
    public void A_long_label_widens_the_chart_and_leaves_the_plot_as_it_is()
    {
        var history = History((1, 1), (2, 0.5));
        string label = new('m', 120);
        var wide = Parse(("short", history), (label, history));
        var narrow = Parse(("short", history), ("short too", history));

        Assert.Equal(640, Number(narrow, "width"));
        var text = Legend(wide)[1].Text;
        // 120 characters at 12 px are at least 120 · 6 px wide (an average sans-serif glyph is about 6.5).
        Assert.True(Number(wide, "width") >= Number(text, "x") + 120 * 6, $"width {Number(wide, "width")}");
        Assert.Equal(Frame(narrow), Frame(wide));
    }

    [Fact]
    public void A_curve_with_one_drawable_record_is_a_dot_and_one_with_none_only_a_legend_entry()
    {
        var line = History((1, 1), (5, 0.1));
        var dot = History((3, 0.5), (4, double.NaN));
        var nothing = History((2, 0), (3, -1));
        var svg = Parse(("line", line), ("dot", dot), ("nothing", nothing));

        Assert.Single(Lines(svg));
        var circle = Assert.Single(svg.Descendants(Svg + "circle"));
        var legend = Legend(svg);
        Assert.Equal(["line", "dot", "nothing"], legend.Select(e => e.Label));
        Assert.Equal(legend[1].Colour, (string)circle.Attribute("fill")!);
        Assert.NotEqual(legend[0].Colour, legend[1].Colour);
        // Iterations 1 to 5 (step 1), so iteration 3 is halfway; loss 0.5 between the ticks 0.1 and 1.
        var (left, top, right, bottom) = Frame(svg);
        Assert.Equal((left + right) / 2, Number(circle, "cx"), 2);
        Assert.Equal(bottom + Math.Log10(0.5 / 0.1) * (top - bottom), Number(circle, "cy"), 2);
        Assert.Equal("3 of 6 records not drawn: the loss is not positive and finite.", Text(svg, "note"));
    }

    [Fact]
    public void Curves_with_no_drawable_loss_at_all_say_there_is_nothing_to_draw()
    {
        var svg = Parse(("zero", History((1, 0))), ("nan", History((1, double.NaN), (2, double.NegativeInfinity))));

        Assert.Equal("No record with a positive, finite loss: nothing to draw.", Text(svg, "note"));
        Assert.Empty(Ticks(svg, "x-tick", "x1"));
        Assert.Empty(Lines(svg));
        Assert.Equal(["zero", "nan"], Legend(svg).Select(e => e.Label));
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_the_argument_and_nothing_is_written()
    {
        var history = History((1, 1), (2, 0.5));
        var writer = new StringWriter();

        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => LossHistory.WriteSvg(null!, ("a", history))).ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentNullException>(() => LossHistory.WriteSvg(writer, null!)).ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => LossHistory.WriteSvg(writer)).ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => LossHistory.WriteSvg(writer, ("a", history), ("b", null!))).ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => LossHistory.WriteSvg(writer, ("a", history), ("empty", new LossHistory(4)))).ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => LossHistory.WriteSvg(writer, (null!, history))).ParamName);
        Assert.Equal("", writer.ToString());
    }

    private static LossHistory History(params (long Iteration, double Loss)[] records)
    {
        var history = new LossHistory(Math.Max(2, records.Length));
        foreach (var (iteration, loss) in records)
        {
            history.OnStep(iteration, loss, 0);
        }

        return history;
    }

    private static XElement Parse(params (string Label, LossHistory History)[] curves)
    {
        var writer = new StringWriter();
        LossHistory.WriteSvg(writer, curves);
        var root = XDocument.Parse(writer.ToString()).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    private static string Text(XElement svg, string cssClass) =>
        svg.Descendants(Svg + "text").Single(e => (string?)e.Attribute("class") == cssClass).Value;

    private static (double Left, double Top, double Right, double Bottom) Frame(XElement svg)
    {
        var frame = svg.Descendants(Svg + "rect").Single(e => (string?)e.Attribute("class") == "frame");
        double left = Number(frame, "x"), top = Number(frame, "y");
        return (left, top, left + Number(frame, "width"), top + Number(frame, "height"));
    }

    private static (string Label, double Position)[] Ticks(XElement svg, string cssClass, string attribute) =>
        svg.Descendants(Svg + "g")
            .Where(g => (string?)g.Attribute("class") == cssClass)
            .Select(g => (g.Element(Svg + "text")!.Value, Number(g.Element(Svg + "line")!, attribute)))
            .ToArray();

    private static (string Colour, string? Dashes, (double X, double Y)[] Points)[] Lines(XElement svg) =>
        svg.Descendants(Svg + "polyline")
            .Select(line => (
                (string)line.Attribute("stroke")!,
                (string?)line.Attribute("stroke-dasharray"),
                ((string)line.Attribute("points")!)
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => p.Split(','))
                    .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
                    .ToArray()))
            .ToArray();

    private static (string Label, string Colour, string? Dashes, XElement Text)[] Legend(XElement svg) =>
        svg.Descendants(Svg + "g")
            .Where(g => (string?)g.Attribute("class") == "legend-entry")
            .Select(g => (
                g.Element(Svg + "text")!.Value,
                (string)g.Element(Svg + "line")!.Attribute("stroke")!,
                (string?)g.Element(Svg + "line")!.Attribute("stroke-dasharray"),
                g.Element(Svg + "text")!))
            .ToArray();

    private static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
