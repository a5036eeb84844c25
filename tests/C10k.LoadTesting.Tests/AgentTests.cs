using System.Diagnostics;
using System.Text.Json;
using C10k.Load.Cli;

namespace C10k.LoadTesting.Tests;

/// <summary>Distributed runs on loopback: each agent is its own process, the coordinator runs in the test.</summary>
public sealed class AgentTests
{
    [Fact]
    public async Task TwoAgentsSplitTheLoadAndTheCoordinatorReportsTheMergedWhole()
    {
        await using var server = new FakeRespServer();
        using var first = await AgentProcess.StartAsync();
        using var second = await AgentProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("c10k-agents-");
        try
        {
            var exit = await RunCliAsync(
                "run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "inject rate=300 during=2s", "--connections", "5",
                "--agents", $"{first.Address},{second.Address}", "--plain", "--report", folder.FullName);

            Assert.Equal(0, exit);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "report.json")));
            var scenario = report.RootElement.GetProperty("scenarios")[0];
            Assert.Equal(600, scenario.GetProperty("ok").GetInt64());
            Assert.Equal(5, scenario.GetProperty("connections").GetProperty("max_open").GetInt64());
            Assert.Equal(600, scenario.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("ok").GetInt64()));
            Assert.Equal(2, report.RootElement.GetProperty("generator").GetProperty("processes").GetInt32());
            Assert.Contains("share 1 of 2", await first.NextLineAsync(), StringComparison.Ordinal);
            Assert.Contains("share 2 of 2", await second.NextLineAsync(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnAgentThatDiesFailsTheRunAndStopsTheOthers()
    {
        await using var server = new FakeRespServer();
        using var survivor = await AgentProcess.StartAsync();
        using var victim = await AgentProcess.StartAsync();

        var run = RunCliAsync(
            "run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "inject rate=50 during=10m", "--connections", "2",
            "--agents", $"{survivor.Address},{victim.Address}", "--plain");
        Assert.Contains("started", await victim.NextLineAsync(), StringComparison.Ordinal);
        victim.Kill();

        Assert.Equal(RunHandler.ErrorExitCode, await run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("started", await survivor.NextLineAsync(), StringComparison.Ordinal);
        Assert.Contains("the coordinator went away", await survivor.NextLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentThatIsNotRunningFailsTheRunAtOnce()
    {
        await using var server = new FakeRespServer();
        using var agent = await AgentProcess.StartAsync();

        var exit = await RunCliAsync(
            "run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "inject rate=50 during=10m", "--connections", "2",
            "--agents", $"{agent.Address},127.0.0.1:1", "--plain").WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(RunHandler.ErrorExitCode, exit);
    }

    private static Task<int> RunCliAsync(params string[] args) => CliTests.RunCliAsync(args);

    /// <summary>A <c>c10k-load agent</c> process on a free loopback port; its log lines can be read one by one.</summary>
    private sealed class AgentProcess : IDisposable
    {
        private readonly Process _process;

        private AgentProcess(Process process, string address)
        {
            _process = process;
            Address = address;
        }

        public string Address { get; }

        public static async Task<AgentProcess> StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "c10k-load.dll"), "agent", "--listen", "127.0.0.1:0" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) ?? string.Empty;
            const string Prefix = "c10k-load agent listening on ";
            Assert.StartsWith(Prefix, first, StringComparison.Ordinal);
            return new AgentProcess(process, first[Prefix.Length..]);
        }

        public async Task<string> NextLineAsync() =>
            await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) ?? "(agent exited)";

        public void Kill() => _process.Kill(entireProcessTree: true);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
