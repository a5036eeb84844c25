using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Connection limits, section <c>C10k:Limits</c>. Every limit is logged and counted when hit.</summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Limits";

    /// <summary>
    /// Most open connections over all fronts together (plain and TLS, counted from accept: a connection still waiting for its PROXY
    /// header or TLS handshake holds a place). Default 0 = RLIMIT_NOFILE − 512 (at least half of RLIMIT_NOFILE), so a default start
    /// fits the process's file descriptors; the effective value and its source are logged once at start.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxConnections { get; set; }

    /// <summary>
    /// Most open connections from one client address (the PROXY v2 source address when the header is on). Default 0 = no per-address
    /// limit; a place is taken once the PROXY header is read, before the TLS handshake.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxConnectionsPerAddress { get; set; }

    /// <summary>
    /// Requests one connection may have queued or running on workers (and, on RESP, waiting in its reorder buffer).
    /// Default 32. At the cap the connection stops reading (TCP backpressure); it is also that connection's share of the work queue.
    /// </summary>
    [Range(1, 65_536)]
    public int MaxInFlightPerConnection { get; set; } = 32;

    /// <summary>A connection with nothing in flight that sends nothing for this long is closed. Default 300,000 ms (5 min).</summary>
    [Range(100, int.MaxValue)]
    public int IdleTimeoutMs { get; set; } = 300_000;

    /// <summary>A frame started but not finished within this long is a slow-loris: closed. Default 10,000 ms.</summary>
    [Range(100, int.MaxValue)]
    public int PartialFrameTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// Connections older than this (each with its own jitter of up to ±10 %, so a crowd that connected together does not leave together)
    /// are closed between requests: once nothing is in flight and no frame is half-received. Behind a TCP balancer this is what moves
    /// long-lived connections onto replicas added by a scale-out, since clients reconnect through the balancer. Default 0 = never.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxConnectionAgeMs { get; set; }

    /// <summary>
    /// Hard cap on reply bytes held for a client that does not read them (staged pooled replies plus the unflushed batch): past it
    /// the connection is closed (output_overflow). A connection whose flush waits is not read meanwhile, so inline replies stay
    /// near 64 KiB without it. Default 4 MiB.
    /// </summary>
    [Range(4096, int.MaxValue)]
    public int MaxPendingOutputBytes { get; set; } = 4 * 1024 * 1024;
}
