using System.Diagnostics;

namespace C10k.Ops.Tests;

/// <summary>
/// Workers:Scheduling reaches the kernel: read back from /proc for each worker thread of a child server (a child, so that no
/// other test's workers are counted).
/// </summary>
public sealed class WorkerSchedulingTests
{
    [Theory]
    [InlineData("Idle", "policy", "5")]
    [InlineData("LongSlice", "se.slice", "20000000")]
    public async Task EveryWorkerThreadRunsWithTheConfiguredScheduling(string scheduling, string field, string expected)
    {
        var info = ServerProcess.StartInfo($"--C10k:Workers:Scheduling={scheduling}", "--C10k:Workers:Count=2");
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        try
        {
            await ServerProcess.ReadNativePortAsync(process);

            // Each worker applies its scheduling as the first thing it does, so it may still be starting: look again until both
            // show it or the timeout passes.
            var workers = WorkerValues(process.Id, field);
            while (workers.Count(v => v == expected) < 2 && !timeout.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
                workers = WorkerValues(process.Id, field);
            }

            Assert.Equal([expected, expected], workers);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static List<string?> WorkerValues(int pid, string field) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task")
            .Where(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("c10k-worker-", StringComparison.Ordinal))
            .Select(task => SchedField(File.ReadAllLines(Path.Combine(task, "sched")), field))];

    /// <summary>The value of <paramref name="field"/> in /proc/…/sched ("name   :   value" lines).</summary>
    private static string? SchedField(string[] lines, string field) =>
        lines.Select(line => line.Split(':', 2)).FirstOrDefault(parts => parts.Length == 2 && parts[0].Trim() == field)?[1].Trim();
}
