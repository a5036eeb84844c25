using System.CommandLine;
using C10k.LoadTesting.Simulations;

namespace C10k.Load.Cli;

/// <summary>Defines <c>c10k-load run</c> and binds its options.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target", "-t") { Description = "resp://host:port or native://host:port", Required = true };
        var scenario = new Option<string>("--scenario", "-s") { Description = "ping, echo, hash, a shipped scenario (c10k-hold, ping-max, hash-saturation-with-ping-probe, mixed) or a path to a scenario .json", DefaultValueFactory = _ => "ping" };
        var simulation = new Option<string?>("--simulation") { Description = "e.g. \"inject rate=20000 during=30s\"; several separated by ';' (inject, ramping-inject, keep-constant, ramping-constant, pause, iterations-for-constant). Overrides the scenario file's." };
        var connections = new Option<int?>("--connections", "-c") { Description = "connections to open and hold (per scenario; overrides the file)" };
        var connectRate = new Option<double?>("--connect-rate") { Description = "new connections per second while opening (0 = as fast as possible)" };
        var sources = new Option<string?>("--source-addresses") { Description = "local source addresses, e.g. 127.0.0.2-127.0.0.5, to pass the ~28k ephemeral ports per source" };
        var processes = new Option<int>("--processes", "-p") { Description = "split the load over K child processes (past the per-process fd cap, onto every core); histograms are merged", DefaultValueFactory = _ => 1 };
        var thresholds = new Option<string[]>("--threshold") { Description = "e.g. \"p99 < 5ms\", \"fail% < 0.1\", \"ping-probe: p99.9 < 20ms\"; a failed one exits with code 2", AllowMultipleArgumentsPerToken = false };
        var report = new Option<string?>("--report", "-o") { Description = "folder for report.md/.csv/.json/.html and chart PNGs" };
        var warmUp = new Option<string?>("--warm-up") { Description = "unmeasured warm-up at the first simulation's level, e.g. 5s" };
        var hashIterations = new Option<int?>("--hash-iterations") { Description = "HASH iterations for the hash command" };
        var payload = new Option<string?>("--payload") { Description = "ECHO/HASH payload" };
        var feed = new Option<string?>("--feed") { Description = "file of payloads, one per line" };
        var feedMode = new Option<string>("--feed-mode") { Description = "circular or random", DefaultValueFactory = _ => "circular" };
        feedMode.AcceptOnlyFromAmong("circular", "random");
        var drain = new Option<string>("--drain-timeout") { Description = "how long to wait for replies at the end before counting them as timeouts", DefaultValueFactory = _ => "10s" };
        var plain = new Option<bool>("--plain") { Description = "plain progress lines even on a terminal" };
        var childIndex = new Option<int>("--child-index") { Hidden = true };
        var childCount = new Option<int>("--child-count") { Hidden = true, DefaultValueFactory = _ => 1 };
        var childOutput = new Option<string?>("--child-output") { Hidden = true };

        var command = new Command("run", "Run a scenario against a target and report.")
        {
            target, scenario, simulation, connections, connectRate, sources, processes, thresholds, report, warmUp,
            hashIterations, payload, feed, feedMode, drain, plain, childIndex, childCount, childOutput,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new RunOptions(
                result.GetValue(target)!,
                result.GetValue(scenario)!,
                result.GetValue(simulation),
                result.GetValue(connections),
                result.GetValue(connectRate),
                result.GetValue(sources),
                result.GetValue(processes),
                result.GetValue(thresholds) ?? [],
                result.GetValue(report),
                result.GetValue(warmUp),
                result.GetValue(hashIterations),
                result.GetValue(payload),
                result.GetValue(feed),
                result.GetValue(feedMode)!,
                DurationParser.Parse(result.GetValue(drain)!),
                result.GetValue(plain),
                result.GetValue(childIndex),
                result.GetValue(childCount),
                result.GetValue(childOutput));
            return RunHandler.RunAsync(options, cancellationToken);
        });
        return command;
    }
}
