using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Graceful stop, section <c>C10k:Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Shutdown";

    /// <summary>On SIGTERM, how long in-flight requests may finish before queued ones get SHUTTING_DOWN. Default 10,000 ms.</summary>
    [Range(0, 600_000)]
    public int DrainTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// On SIGTERM, how long <c>/readyz</c> answers 503 while every port still serves new connections, before the listeners close and
    /// the drain begins: a load balancer polling readiness stops sending clients here before any is refused. Default 0, so Ctrl+C
    /// stops at once; the container image sets 5,000. The host's shutdown timeout grows by it.
    /// </summary>
    [Range(0, 600_000)]
    public int ReadinessDelayMs { get; set; }
}
