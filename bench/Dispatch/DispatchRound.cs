using System.Diagnostics;
using C10k.LoadTesting;
using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;

namespace C10k.Bench.Dispatch;

/// <summary>
/// One round against one variant: an idle PING probe, then HASH saturating the workers from 64 connections while the same
/// open-model probe (100 connections, 1,000 PING/s, latency from the intended send time) measures the I/O side.
/// </summary>
internal static class DispatchRound
{
    public static async Task<Measurement> RunAsync(Variant variant, int hashIterations, TimeSpan duration, TimeSpan warmUp)
    {
        await using var server = await ServerProcess.StartAsync(variant.Settings);
        var target = TargetAddress.Parse($"native://127.0.0.1:{server.Port}");

        var idle = await LoadRunner.RegisterScenarios(Probe(duration, warmUp)).WithTarget(target).RunAsync();

        var cpuBefore = server.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var payload = "payload"u8.ToArray();
        var hash = Scenario.Create("hash", ctx => ctx.Connection.HashAsync(hashIterations, payload, ctx.CancellationToken))
            .WithConnections(ConnectionSettings.Of(64))
            .WithWarmUpDuration(warmUp)
            .WithLoadSimulations(LoadSimulation.KeepConstant(64, duration));
        var loaded = await LoadRunner.RegisterScenarios(hash, Probe(duration, warmUp)).WithTarget(target).RunAsync();
        var serverCpu = (server.CpuTime() - cpuBefore) / Stopwatch.GetElapsedTime(started) * 100;

        var idleProbe = idle.Scenarios[0];
        var hashStats = loaded.Scenarios[0];
        var probe = loaded.Scenarios[1];
        return new Measurement(
            hashStats.Rps,
            probe.P50Ms,
            probe.P99Ms,
            idleProbe.P50Ms,
            idleProbe.P99Ms,
            serverCpu,
            loaded.Generator.AverageCpuPercent,
            hashStats.Fail,
            probe.Fail + idleProbe.Fail,
            hashStats.Ok + hashStats.Fail + probe.Ok + probe.Fail + idleProbe.Ok + idleProbe.Fail);
    }

    private static ScenarioProps Probe(TimeSpan duration, TimeSpan warmUp) =>
        Scenario.Create("ping-probe", ctx => ctx.Connection.PingAsync(ctx.CancellationToken))
            .WithConnections(ConnectionSettings.Of(100))
            .WithWarmUpDuration(warmUp)
            .WithLoadSimulations(LoadSimulation.Inject(1000, TimeSpan.FromSeconds(1), duration));
}
