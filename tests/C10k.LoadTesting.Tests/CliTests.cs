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
            var exit = await RunCliAsync("run", "--target", $"resp://127.0.0.1:{server.Port}", "--scenario", "ping", "--simulation", "keep-constant copies=2 during=1s", "--connections", "2", "--plain", "--threshold", "fail% < 0.1", "--threshold", "ok > 10", "--report", folder);

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

    private static Task<int> RunCliAsync(params string[] args) =>
        new RootCommand { RunCommand.Create(), ScenariosCommand.Create() }.Parse(args).InvokeAsync();
}
