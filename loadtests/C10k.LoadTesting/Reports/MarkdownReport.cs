using System.Globalization;
using System.Text;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Reports;

/// <summary>The md report and the console's final summary: one table row per scenario, then failures, connections, thresholds and warnings.</summary>
public static class MarkdownReport
{
    /// <summary>Renders <paramref name="run"/> as markdown.</summary>
    public static string Render(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var md = new StringBuilder();
        Line(md, $"# c10k-load report: {run.Target}");
        Line(md, $"Started {run.StartedUtc:u}; generator: {run.Generator.Processes} process(es) on {run.Generator.Cores} cores, CPU {run.Generator.AverageCpuPercent}% average, {run.Generator.MaxCpuPercent}% max (100% = one core).");
        Line(md, string.Empty);
        Line(md, "| scenario | model | duration s | rps | ok | fail | fail % | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in run.Scenarios)
        {
            Line(md, $"| {s.Name} | {s.Model} | {s.DurationSeconds} | {s.Rps} | {s.Ok} | {s.Fail} | {s.FailPercent} | {s.P50Ms} | {s.P90Ms} | {s.P99Ms} | {s.P999Ms} | {s.MaxMs} |");
        }

        Line(md, string.Empty);
        Line(md, "| scenario | connections opened | max open | connect failures | connect timeouts | resets | bytes in | bytes out | failures by status |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in run.Scenarios)
        {
            var c = s.Connections;
            var statuses = s.FailByStatus.Count == 0 ? "none" : string.Join(", ", s.FailByStatus.Select(kv => $"{kv.Key}: {kv.Value}"));
            Line(md, $"| {s.Name} | {c.Opened} | {c.MaxOpen} | {c.ConnectFailures} | {c.ConnectTimeouts} | {c.Resets} | {s.BytesIn} | {s.BytesOut} | {statuses} |");
        }

        if (run.Thresholds.Count > 0)
        {
            Line(md, string.Empty);
            Line(md, "| threshold | scenario | actual | result |");
            Line(md, "|---|---|---:|---|");
            foreach (var t in run.Thresholds)
            {
                Line(md, $"| `{t.Threshold}` | {t.Scenario} | {t.Actual} | {(t.Passed ? "pass" : "**FAIL**")} |");
            }
        }

        foreach (var warning in run.Generator.Warnings)
        {
            Line(md, string.Empty);
            Line(md, $"> **Warning:** {warning}");
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

    private static void Line(StringBuilder md, string text) => md.AppendLine(text);
}
