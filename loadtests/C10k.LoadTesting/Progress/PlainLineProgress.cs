using System.Globalization;

namespace C10k.LoadTesting.Progress;

/// <summary>Progress as one plain line per scenario per second, for logs and CI (no TTY, no escape codes).</summary>
public sealed class PlainLineProgress(TextWriter output) : IProgressSink
{
    /// <inheritdoc />
    public void Report(IReadOnlyList<ProgressSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        foreach (var s in snapshots)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{s.Elapsed.TotalSeconds,6:F0}s] {s.Scenario}: rps={s.Rps:F0} p99={s.P99Ms:F2}ms errors={s.Errors} connections={s.Connections} generator-cpu={s.GeneratorCpuPercent:F0}%"));
        }

        output.Flush();
    }
}
