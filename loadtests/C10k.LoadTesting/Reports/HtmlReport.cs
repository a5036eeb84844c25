using System.Globalization;
using System.Xml.Linq;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Reports;

/// <summary>
/// The html report: one self-contained, well-formed XHTML page (parses as XML) with the summary tables and the charts embedded as
/// base64 PNGs, so it can be mailed or attached to an issue as one file.
/// </summary>
public static class HtmlReport
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    /// <summary>Renders <paramref name="run"/> with the given chart PNGs (title → bytes).</summary>
    public static string Render(RunResult run, IReadOnlyList<(string Title, byte[] Png)> charts)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(charts);
        var body = new XElement(
            Xhtml + "body",
            new XElement(Xhtml + "h1", $"c10k-load report: {run.Target}"),
            new XElement(Xhtml + "p", string.Create(CultureInfo.InvariantCulture, $"Started {run.StartedUtc:u}. Generator: {run.Generator.Processes} process(es), {run.Generator.Cores} cores, CPU {run.Generator.AverageCpuPercent}% average, {run.Generator.MaxCpuPercent}% max (100% = one core).")),
            run.Generator.Warnings.Select(w => new XElement(Xhtml + "p", new XAttribute("class", "warning"), "Warning: " + w)),
            Table(
                ["scenario", "model", "rps", "ok", "fail", "fail %", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "connections", "connection errors"],
                run.Scenarios.Select(s => new object[] { s.Name, s.Model, s.Rps, s.Ok, s.Fail, s.FailPercent, s.P50Ms, s.P90Ms, s.P99Ms, s.P999Ms, s.MaxMs, s.Connections.MaxOpen, s.Connections.Errors })),
            run.Scenarios.All(s => s.Steps.Count == 0) ? null : Table(
                ["scenario", "step", "ok", "fail", "fail %", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"],
                run.Scenarios.SelectMany(s => s.Steps.Select(t => new object[] { s.Name, t.Name, t.Ok, t.Fail, t.FailPercent, t.P50Ms, t.P90Ms, t.P99Ms, t.P999Ms, t.MaxMs }))),
            Table(
                ["scenario", "send lag p50 ms", "p99 ms", "p99.9 ms", "max ms"],
                run.Scenarios.Select(s => new object[] { s.Name, s.SendLagP50Ms, s.SendLagP99Ms, s.SendLagP999Ms, s.MaxSendLagMs })),
            run.Notes.Select(n => new XElement(Xhtml + "p", "Note: " + n)),
            run.Errors.Select(e => new XElement(Xhtml + "p", new XAttribute("class", "warning"), "Error: " + e)),
            run.Thresholds.Count == 0 ? null : Table(
                ["threshold", "scenario", "actual", "result"],
                run.Thresholds.Select(t => new object[] { t.Threshold, t.Scenario, t.Actual, t.Passed ? "pass" : "FAIL" })),
            charts.Select(c => new XElement(
                Xhtml + "figure",
                new XElement(Xhtml + "img", new XAttribute("alt", c.Title), new XAttribute("src", "data:image/png;base64," + Convert.ToBase64String(c.Png))),
                new XElement(Xhtml + "figcaption", c.Title))));
        var html = new XElement(
            Xhtml + "html",
            new XAttribute("lang", "en"),
            new XElement(
                Xhtml + "head",
                new XElement(Xhtml + "meta", new XAttribute("charset", "utf-8")),
                new XElement(Xhtml + "title", $"c10k-load: {run.Target}"),
                new XElement(Xhtml + "style", "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}.warning{color:#a40}")),
            body);
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None);
    }

    private static XElement Table(string[] headers, IEnumerable<object[]> rows) => new(
        Xhtml + "table",
        new XElement(Xhtml + "tr", headers.Select(h => new XElement(Xhtml + "th", h))),
        rows.Select(r => new XElement(Xhtml + "tr", r.Select(v => new XElement(Xhtml + "td", Convert.ToString(v, CultureInfo.InvariantCulture))))));
}
