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
        Line(md, $"Started {run.StartedUtc:u}; generator: {run.Generator.Processes} process(es) on {run.Generator.Cores} cores, CPU {run.Generator.AverageCpuPercent}% average, {run.Generator.MaxCpuPercent}% max (100% = one core); {run.Generator.GcCollections} GCs during the load (connect phase excluded) paused it {run.Generator.GcPauseMs} ms in all.");
        Line(md, string.Empty);
        Line(md, "| scenario | model | duration s | rps | ok | fail | fail % | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in run.Scenarios)
        {
            Line(md, $"| {s.Name} | {s.Model} | {s.DurationSeconds} | {s.Rps} | {s.Ok} | {s.Fail} | {s.FailPercent} | {s.P50Ms} | {s.P90Ms} | {s.P99Ms} | {s.P999Ms} | {s.MaxMs} |");
        }

        var steps = run.Scenarios.SelectMany(s => s.Steps.Select(step => (Scenario: s.Name, Step: step))).ToList();
        if (steps.Count > 0)
        {
            Line(md, string.Empty);
            Line(md, "| scenario | step | ok | fail | fail % | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | failures by status |");
            Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var (scenario, t) in steps)
            {
                Line(md, $"| {scenario} | {t.Name} | {t.Ok} | {t.Fail} | {t.FailPercent} | {t.P50Ms} | {t.P90Ms} | {t.P99Ms} | {t.P999Ms} | {t.MaxMs} | {Statuses(t.FailByStatus)} |");
            }
        }

        Line(md, string.Empty);
        Line(md, "| scenario | connections opened | max open | connect failures | connect timeouts | resets | bytes in | bytes out | failures by status |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in run.Scenarios)
        {
            var c = s.Connections;
            Line(md, $"| {s.Name} | {c.Opened} | {c.MaxOpen} | {c.ConnectFailures} | {c.ConnectTimeouts} | {c.Resets} | {s.BytesIn} | {s.BytesOut} | {Statuses(s.FailByStatus)} |");
        }

        Line(md, string.Empty);
        Line(md, "Send lag (how late the generator sent each open-model request after its intended time; latencies above include it):");
        Line(md, string.Empty);
        Line(md, "| scenario | send lag p50 ms | p99 ms | p99.9 ms | max ms |");
        Line(md, "|---|---:|---:|---:|---:|");
        foreach (var s in run.Scenarios)
        {
            Line(md, $"| {s.Name} | {s.SendLagP50Ms} | {s.SendLagP99Ms} | {s.SendLagP999Ms} | {s.MaxSendLagMs} |");
        }

        foreach (var s in run.Scenarios.Where(s => s.Connections.ErrorsByReason.Count > 0))
        {
            Line(md, string.Empty);
            Line(md, $"Connect errors of '{s.Name}': {Statuses(s.Connections.ErrorsByReason)}.");
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

        foreach (var note in run.Notes)
        {
            Line(md, string.Empty);
            Line(md, $"> **Note:** {note}");
        }

        foreach (var warning in run.Generator.Warnings)
        {
            Line(md, string.Empty);
            Line(md, $"> **Warning:** {warning}");
        }

        foreach (var error in run.Errors)
        {
            Line(md, string.Empty);
            Line(md, $"> **Error:** {error}");
        }

        return md.ToString();
    }

    private static string Statuses(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(kv => $"{kv.Key}: {kv.Value}"));

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

    private static void Line(StringBuilder md, string text) => md.AppendLine(text);
}
