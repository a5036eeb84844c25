using C10k.LoadTesting.Results;
using ScottPlot;

namespace C10k.LoadTesting.Reports;

/// <summary>Draws the report's charts over time with ScottPlot as PNG bytes: throughput, latency percentiles, connections.</summary>
internal static class ChartRenderer
{
    private const int Width = 900;
    private const int Height = 360;

    public static byte[] Throughput(RunResult run) => Render("Requests per second", "rps", run, plot =>
    {
        foreach (var s in run.Scenarios)
        {
            Line(plot, s.Series.Select(i => (double)i.Second), s.Series.Select(i => i.Rps), s.Name);
        }
    });

    public static byte[] Latency(RunResult run) => Render("Latency percentiles per second (ok requests)", "ms", run, plot =>
    {
        foreach (var s in run.Scenarios)
        {
            var active = s.Series.Where(i => i.Ok > 0).ToList();
            var x = active.Select(i => (double)i.Second).ToList();
            Line(plot, x, active.Select(i => i.P50Ms), $"{s.Name} p50");
            Line(plot, x, active.Select(i => i.P99Ms), $"{s.Name} p99");
            Line(plot, x, active.Select(i => i.P999Ms), $"{s.Name} p99.9");
            Line(plot, x, active.Select(i => i.MaxMs), $"{s.Name} max");
        }
    });

    public static byte[] Connections(RunResult run) => Render("Open connections and generator CPU", "connections", run, plot =>
    {
        foreach (var s in run.Scenarios)
        {
            Line(plot, s.Series.Select(i => (double)i.Second), s.Series.Select(i => (double)i.Connections), $"{s.Name} connections");
        }

        var first = run.Scenarios.Count > 0 ? run.Scenarios[0] : null;
        if (first is not null)
        {
            var cpu = plot.Add.Scatter(first.Series.Select(i => (double)i.Second).ToArray(), first.Series.Select(i => i.GeneratorCpuPercent).ToArray());
            cpu.LegendText = "generator CPU % (right axis)";
            cpu.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "CPU % of one core";
        }
    });

    private static byte[] Render(string title, string yLabel, RunResult run, Action<Plot> draw)
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("seconds since start");
        plot.YLabel(yLabel);
        if (run.Scenarios.Any(s => s.Series.Count > 0))
        {
            draw(plot);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static void Line(Plot plot, IEnumerable<double> x, IEnumerable<double> y, string label)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        if (xs.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = label;
        scatter.MarkerSize = xs.Length > 60 ? 0 : 3;
    }
}
