using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Admin HTTP port, section <c>C10k:Admin</c>: health, readiness, Prometheus metrics and the status page.</summary>
public sealed class AdminOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Admin";

    /// <summary>
    /// TCP port of the admin HTTP endpoint, on <c>C10k:BindAddress</c> (probes and scrapers must reach it wherever the data ports are).
    /// Default 8081; 0 picks a free port (the real one is logged).
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8081;

    /// <summary>How often the status page refreshes itself, in ms. Default 1,000: one sample of the live counters per second.</summary>
    [Range(250, 60_000)]
    public int StatusRefreshMs { get; set; } = 1_000;

    /// <summary>
    /// How long a Prometheus scrape result is reused for scrapes that follow it, in ms. Default 0: every scrape collects anew
    /// (scrapers call every 10–60 s, so caching buys nothing and would hide fresh counts from a human with curl).
    /// </summary>
    [Range(0, 60_000)]
    public int ScrapeCacheMs { get; set; }
}
