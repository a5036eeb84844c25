using System.Diagnostics;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Graceful stop. Runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, i.e. before Kestrel stops its listeners, so the admin
/// port still answers (readiness already 503) while data handlers refuse new connections and in-flight work finishes.
/// </summary>
internal sealed class DrainService(
    ConnectionRegistry registry,
    CommandDispatcher dispatcher,
    IOptions<ShutdownOptions> options,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
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

    private async Task WaitForInFlightAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (registry.InFlight > 0 && Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
