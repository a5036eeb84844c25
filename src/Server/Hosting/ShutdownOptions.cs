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
}
