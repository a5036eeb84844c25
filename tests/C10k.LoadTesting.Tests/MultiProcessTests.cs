using System.Diagnostics;
using System.Text.Json;

namespace C10k.LoadTesting.Tests;

public sealed class MultiProcessTests
{
    [Fact]
    public async Task TwoChildProcessesSplitTheLoadAndTheParentReportsTheMergedWhole()
    {
        await using var server = new FakeRespServer();
        var folder = Directory.CreateTempSubdirectory("c10k-multi-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "c10k-load.dll"), "run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping",
                "--simulation", "inject rate=300 during=2s", "--connections", "4", "--processes", "2", "--plain", "--report", folder.FullName,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            Assert.True(process.ExitCode == 0, await output + await process.StandardError.ReadToEndAsync());
            Assert.Contains("[p0]", await output, StringComparison.Ordinal);
            Assert.Contains("[p1]", await output, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "report.json")));
            var scenario = report.RootElement.GetProperty("scenarios")[0];
            Assert.Equal(600, scenario.GetProperty("ok").GetInt64());
            Assert.Equal(4, scenario.GetProperty("connections").GetProperty("max_open").GetInt64());
            Assert.Equal(2, report.RootElement.GetProperty("generator").GetProperty("processes").GetInt32());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
