namespace C10k.Client;

/// <summary>Options of a <see cref="C10kClient"/>.</summary>
public sealed class ClientOptions
{
    /// <summary>
    /// How long one call may wait for its reply before it fails with <see cref="TimeoutException"/> (checked by a sweep every quarter
    /// of it, 10 ms – 1 s, shared by every client with the same timeout). Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls sent and not yet answered; further callers wait for a free slot. Default 1,024.</summary>
    public int MaxPendingCalls { get; set; } = 1024;

    /// <summary>Largest reply payload accepted. Default 16 MiB.</summary>
    public int MaxReplyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Resume awaiting callers on the ThreadPool (default true: safe whatever the caller does next). False resumes them on the
    /// connection's read loop, one thread hop less per call: only for callers that never block, such as the load generator.
    /// </summary>
    public bool RunContinuationsAsynchronously { get; set; } = true;

    /// <summary>Local address to connect from (spreads connections over 127.0.0.x sources); null = chosen by the OS.</summary>
    public System.Net.IPAddress? LocalAddress { get; set; }

    /// <summary>Connect with TLS (to the server's <c>C10k:Native:TlsPort</c>). Default null: plain TCP.</summary>
    public ClientTlsOptions? Tls { get; set; }

    /// <summary>User to authenticate as once connected, when <see cref="Password"/> is set. Default "default", as Redis's AUTH.</summary>
    public string User { get; set; } = "default";

    /// <summary>
    /// Password to authenticate with (native AUTH) right after connecting, before any call; a refusal fails ConnectAsync with
    /// <see cref="C10kStatusException"/> (UNAUTHENTICATED). Default null: no AUTH.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>The clock of request timeouts (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
