using C10k.Server.Connections;
using Microsoft.Extensions.Hosting;

namespace C10k.Server.Admin;

/// <summary>
/// Whether a load balancer should send new connections here: only once the host has started and until a drain begins.
/// The drain marks the registry first, while every listener still runs, so <c>/readyz</c> turns 503 before the data ports stop.
/// </summary>
internal sealed class Readiness(IHostApplicationLifetime lifetime, ConnectionRegistry registry)
{
    /// <summary>"ready", "starting", "draining" or "stopping".</summary>
    public string State =>
        registry.IsDraining ? "draining"
        : lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
        : !lifetime.ApplicationStarted.IsCancellationRequested ? "starting"
        : "ready";

    /// <summary>True when <see cref="State"/> is "ready".</summary>
    public bool IsReady => State == "ready";
}
