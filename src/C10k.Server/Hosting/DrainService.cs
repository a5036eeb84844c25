using System.Diagnostics;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Graceful stop. Runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, i.e. before Kestrel stops its listeners. First the
/// readiness delay (<see cref="ShutdownOptions.ReadinessDelayMs"/>): <c>/readyz</c> already answers 503 while every port still
/// serves, so a load balancer polling it takes this replica out before any connection is refused. Then the drain: the admin port
/// still answers while data handlers refuse new connections and in-flight work finishes.
/// </summary>
internal sealed class DrainService(
    ConnectionRegistry registry,
    CommandDispatcher dispatcher,
    IOptions<ShutdownOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (registry.IsDraining)
        {
            // A second stop of the same host: the first one delayed and drained already.
            return;
        }

        await DelayReadinessAsync(options.Value.ReadinessDelayMs, cancellationToken);
        var timeoutMs = options.Value.DrainTimeoutMs;
        registry.BeginDrain();
        dispatcher.BeginDrain();
        HostingLog.DrainStarted(logger, registry.Sessions.Count, registry.InFlight, timeoutMs);
        var started = Stopwatch.GetTimestamp();
        await WaitForInFlightAsync(TimeSpan.FromMilliseconds(timeoutMs), cancellationToken);
        if (registry.InFlight > 0)
        {
            dispatcher.CancelQueued();
            await WaitForInFlightAsync(TimeSpan.FromSeconds(1), cancellationToken);
        }

        registry.CloseAll();
        HostingLog.DrainFinished(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, registry.InFlight);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The host's stop token ends the delay early (its shutdown timeout, or a second stop request).
    private async Task DelayReadinessAsync(int delayMs, CancellationToken cancellationToken)
    {
        if (delayMs == 0)
        {
            return;
        }

        // SIGTERM has signalled ApplicationStopping already, so readiness says "stopping"; a host stopped by a StopAsync call
        // runs this first, so signal it here too (it is idempotent).
        lifetime.StopApplication();
        HostingLog.ReadinessDelay(logger, delayMs);
        await Task.Delay(delayMs, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WaitForInFlightAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (registry.InFlight > 0 && Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
