using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Admin HTTP port, section <c>C10k:Admin</c>: health, readiness, Prometheus metrics and the status page.</summary>
public sealed class AdminOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Admin";

    /// <summary>TCP port of the admin HTTP endpoint, on <c>C10k:Admin:BindAddress</c>. Default 8081; 0 picks a free port (the real one is logged).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8081;

    /// <summary>
    /// Listen address of the admin port. Default 127.0.0.1: metrics and the status page stay on the host. Orchestrators whose probes
    /// or scrapers come over the network (Kubernetes httpGet probes, HAProxy checks) set 0.0.0.0, with a <c>Token</c>.
    /// </summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Bearer token required for <c>/metrics</c> and the status page (<c>Authorization: Bearer &lt;token&gt;</c>, or HTTP Basic with the
    /// token as password, for browsers); <c>/healthz</c> and <c>/readyz</c> stay open for probes. Default empty = no token.
    /// </summary>
    public string Token { get; set; } = "";

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
