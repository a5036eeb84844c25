using System.CommandLine;
using C10k.Load.Cli;
using C10k.LoadTesting.Thresholds;

namespace C10k.LoadTesting.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task FailedThresholdMakesTheRunExitWithCodeTwo()
    {
        await using var server = new FakeRespServer();

        var exit = await RunCliAsync("run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "inject rate=200 during=1s", "--connections", "2", "--plain", "--threshold", "p50 < 1us");

        Assert.Equal(ThresholdEvaluator.FailedExitCode, exit);
    }

    [Fact]
    public async Task PassingThresholdsExitWithZeroAndWriteReports()
    {
        await using var server = new FakeRespServer();
        var folder = Path.Combine(Path.GetTempPath(), "c10k-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exit = await RunCliAsync("run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "iterations-for-constant copies=2 iterations=40", "--plain", "--threshold", "fail == 0", "--threshold", "ok == 40", "--report", folder);

            Assert.Equal(0, exit);
            Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ARunWhereNoConnectionOpensExitsWithCodeOneAndSaysWhy()
    {
        var folder = Directory.CreateTempSubdirectory("c10k-cli-");
        try
        {
            var exit = await RunCliAsync("run", "--target", "resp://127.0.0.1:1", "--scenario", "ping", "--simulation", "inject rate=20 during=1s", "--plain", "--report", folder.FullName);

            Assert.Equal(RunHandler.ErrorExitCode, exit);
            using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "report.json")));
            Assert.Contains("connection refused 127.0.0.1:1", report.RootElement.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
            var scenario = report.RootElement.GetProperty("scenarios")[0];
            Assert.Equal(20, scenario.GetProperty("fail_by_status").GetProperty("no-connection").GetInt64());
            Assert.Equal(1, scenario.GetProperty("connections").GetProperty("errors_by_reason").GetProperty("connection refused 127.0.0.1:1").GetInt64());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void RepeatedCommandsBecomeStepsInOrderAndTheExpectationsCheckTheLast()
    {
        var options = RunCommand.Parse(["--target", "resp://127.0.0.1:1", "--command", "SET k:{seq} v", "--command", "GET k:{seq}", "--command", "GET k:{seq}", "--expect", "v"]);

        var scenario = Assert.Single(ScenarioOverrides.Resolve(options).Scenarios);

        Assert.Equal("set-get-get", scenario.Name);
        Assert.Equal(["set", "get-2", "get-3"], scenario.Steps!.Select(s => s.Name));
        Assert.Equal([null, null, "v"], scenario.Steps!.Select(s => s.Expect?.Value));
    }

    [Theory]
    [InlineData("--simulation", "inject rate=10")]
    [InlineData("--target", "http://127.0.0.1:1")]
    [InlineData("--threshold", "p99 5ms")]
    [InlineData("--scenario", "no-such-scenario")]
    public async Task BadArgumentsExitWithCodeOne(string option, string value)
    {
        string[] args = ["run", "--target", "resp://127.0.0.1:1", "--simulation", "pause during=1ms", "--connections", "0", "--plain"];
        var replaced = args.Select((a, i) => i > 0 && args[i - 1] == option ? value : a).ToList();
        if (!replaced.Contains(option))
        {
            replaced.AddRange([option, value]);
        }

        Assert.Equal(RunHandler.ErrorExitCode, await RunCliAsync([.. replaced]));
    }

    internal static Task<int> RunCliAsync(params string[] args) =>
        new RootCommand { RunCommand.Create(), ScenariosCommand.Create(), AgentCommand.Create() }.Parse(args).InvokeAsync();
}
