using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Reports;

/// <summary>Writes every report format into one folder: report.json, report.md, report.csv, report.html and the charts as PNGs.</summary>
public static class ReportWriter
{
    /// <summary>Writes the reports for <paramref name="run"/> into <paramref name="folder"/> (created if missing) and returns the file paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(RunResult run, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(folder);
        var charts = new List<(string Title, string File, byte[] Png)>
        {
            ("Requests per second", "rps.png", ChartRenderer.Throughput(run)),
            ("Latency percentiles per second", "latency.png", ChartRenderer.Latency(run)),
            ("Open connections and generator CPU", "connections.png", ChartRenderer.Connections(run)),
        };
        var files = new Dictionary<string, string>
        {
            ["report.json"] = JsonReport.Render(run),
            ["report.md"] = MarkdownReport.Render(run),
            ["report.csv"] = CsvReport.Render(run),
            ["report.html"] = HtmlReport.Render(run, charts.Select(c => (c.Title, c.Png)).ToList()),
        };
        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(folder, name);
            await File.WriteAllTextAsync(path, text, cancellationToken);
            written.Add(path);
        }

        foreach (var chart in charts)
        {
            var path = Path.Combine(folder, chart.File);
            await File.WriteAllBytesAsync(path, chart.Png, cancellationToken);
            written.Add(path);
        }

        return written;
    }
}
