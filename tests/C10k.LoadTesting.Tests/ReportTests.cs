using System.Text.Json;
using System.Xml.Linq;
using C10k.LoadTesting.Reports;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Tests;

public sealed class ReportTests
{
    [Fact]
    public void JsonReportHoldsTheDocumentedFieldsPerScenarioAndSecond()
    {
        using var json = JsonDocument.Parse(JsonReport.Render(SampleRun()));

        var scenario = json.RootElement.GetProperty("scenarios")[0];
        foreach (var field in new[] { "name", "model", "rps", "ok", "fail", "fail_percent", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "fail_by_status", "connections", "series", "max_send_lag_ms", "send_lag_p50_ms", "send_lag_p99_ms", "send_lag_p999_ms", "users", "steps" })
        {
            Assert.True(scenario.TryGetProperty(field, out _), $"scenario has no '{field}'");
        }

        var second = scenario.GetProperty("series")[0];
        foreach (var field in new[] { "second", "rps", "ok", "fail", "p50_ms", "p99_ms", "p999_ms", "max_ms", "connections", "bytes_in", "bytes_out", "generator_cpu_percent" })
        {
            Assert.True(second.TryGetProperty(field, out _), $"series item has no '{field}'");
        }

        Assert.Equal(1.5, scenario.GetProperty("p99_ms").GetDouble());
        Assert.True(json.RootElement.GetProperty("generator").TryGetProperty("warnings", out _));
        Assert.Equal(0.12, scenario.GetProperty("send_lag_p99_ms").GetDouble());
        Assert.Equal("get", scenario.GetProperty("steps")[1].GetProperty("name").GetString());
        Assert.Equal("every request failed", json.RootElement.GetProperty("errors")[0].GetString());
        Assert.False(json.RootElement.GetProperty("thresholds")[0].GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void HtmlReportIsOneWellFormedPageWithEmbeddedPngCharts()
    {
        var run = SampleRun();
        var charts = new[] { ("Requests per second", ChartRenderer.Throughput(run)), ("Latency", ChartRenderer.Latency(run)), ("Connections", ChartRenderer.Connections(run)) };

        var html = HtmlReport.Render(run, charts);

        var document = XDocument.Parse(html);
        var images = document.Descendants().Where(e => e.Name.LocalName == "img").ToList();
        Assert.Equal(3, images.Count);
        Assert.All(images, img => Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", img.Attribute("src")!.Value, StringComparison.Ordinal));
        Assert.Contains(document.Descendants(), e => e.Name.LocalName == "td" && e.Value == "ping");
    }

    [Fact]
    public void CsvReportHasOneRowPerScenarioSecondUnderTheHeader()
    {
        var lines = CsvReport.Render(SampleRun()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(CsvReport.Header, lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ping,0,1000,1000,0,0.5,", lines[1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Equal(14, l.Split(',').Length));
    }

    [Fact]
    public void MarkdownReportShowsTheSummaryThresholdsAndWarnings()
    {
        var md = MarkdownReport.Render(SampleRun());

        Assert.Contains("| ping | open | 2 | 1000 | 2000 | 0 | 0 | 0.5 | 0.9 | 1.5 | 2 | 3 |", md, StringComparison.Ordinal);
        Assert.Contains("**FAIL**", md, StringComparison.Ordinal);
        Assert.Contains("> **Warning:** generator busy", md, StringComparison.Ordinal);
        Assert.Contains("| ping | get | 1000 | 0 | 0 | 0.25 | 0.4 | 0.8 | 1 | 1.2 | none |", md, StringComparison.Ordinal);
        Assert.Contains("| ping | 0.05 | 0.12 | 0.18 | 0.2 |", md, StringComparison.Ordinal);
        Assert.Contains("> **Note:** 50 virtual users shared 1 connection", md, StringComparison.Ordinal);
        Assert.Contains("> **Error:** every request failed", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportWriterWritesEveryFormatAndTheChartPngs()
    {
        var folder = Path.Combine(Path.GetTempPath(), "c10k-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = await ReportWriter.WriteAsync(SampleRun(), folder);

            Assert.Equal(
                ["connections.png", "latency.png", "report.csv", "report.html", "report.json", "report.md", "rps.png"],
                files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static RunResult SampleRun()
    {
        IntervalStats Second(int s) => new(s, 1000, 1000, 0, 0.5, 0.9, 1.5, 2, 3, 64, 7000, 14000, 80);
        var scenario = new ScenarioStats(
            "ping", "open", 2, 1000, 2000, 0, 0, 0.6, 0.5, 0.9, 1.5, 2, 3, new Dictionary<string, long>(), new ConnectionStats(64, 64, 0, 0, 0, new Dictionary<string, long>()), 14000, 28000, 0.2, [Second(0), Second(1)])
        {
            SendLagP50Ms = 0.05,
            SendLagP99Ms = 0.12,
            SendLagP999Ms = 0.18,
            Steps = [new StepStats("set", 1000, 0, 0, 0.3, 0.25, 0.4, 0.7, 0.9, 1.1, new Dictionary<string, long>()), new StepStats("get", 1000, 0, 0, 0.3, 0.25, 0.4, 0.8, 1.0, 1.2, new Dictionary<string, long>())],
        };
        return new RunResult(
            "resp://127.0.0.1:6380",
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            [scenario],
            new GeneratorStats(2, 1, 80, 95, ["generator busy"]),
            [new ThresholdResult("p99 < 1ms", "ping", 1.5, false)])
        {
            Notes = ["50 virtual users shared 1 connection"],
            Errors = ["every request failed"],
        };
    }
}
