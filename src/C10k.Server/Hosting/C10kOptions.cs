namespace C10k.Server.Hosting;

/// <summary>
/// Every C10k options section, for setting options in code:
/// <c>services.AddC10k(c10k =&gt; { c10k.Workers.Count = 4; c10k.Native.Port = 7000; })</c>. Code runs after configuration
/// (section <c>C10k</c> of the host's <c>IConfiguration</c>), so a value set in code wins; the result is validated at start exactly
/// like configured values (one line per bad key). The delegate runs once per section, each time with that section's real options
/// and scratch copies of the others, so it should only assign values.
/// </summary>
public sealed class C10kOptions
{
    /// <summary>Section <c>C10k</c>: bind address and protected mode.</summary>
    public ServerOptions Server { get; private init; } = new();

    /// <summary>Section <c>C10k:Native</c>: the native protocol's ports and frame limits.</summary>
    public NativeOptions Native { get; private init; } = new();

    /// <summary>Section <c>C10k:Resp</c>: the RESP2 front's ports and request limits.</summary>
    public RespOptions Resp { get; private init; } = new();

    /// <summary>Section <c>C10k:Admin</c>: the admin HTTP port and its token.</summary>
    public AdminOptions Admin { get; private init; } = new();

    /// <summary>Section <c>C10k:Limits</c>: connection, in-flight, timeout and output limits.</summary>
    public LimitsOptions Limits { get; private init; } = new();

    /// <summary>Section <c>C10k:Workers</c>: the worker pool.</summary>
    public WorkerOptions Workers { get; private init; } = new();

    /// <summary>Section <c>C10k:Operations</c>: limits of the built-in operations.</summary>
    public OperationsOptions Operations { get; private init; } = new();

    /// <summary>Section <c>C10k:Transport</c>: Kestrel's socket transport, applied only by <see cref="C10kBuilder.ConfigureSocketTransport"/>.</summary>
    public TransportOptions Transport { get; private init; } = new();

    /// <summary>Section <c>C10k:Shutdown</c>: the drain.</summary>
    public ShutdownOptions Shutdown { get; private init; } = new();

    /// <summary>Section <c>C10k:Network</c>: PROXY protocol and trusted proxies.</summary>
    public NetworkOptions Network { get; private init; } = new();

    /// <summary>Section <c>C10k:Auth</c>: users and passwords.</summary>
    public AuthOptions Auth { get; private init; } = new();

    /// <summary>Section <c>C10k:Tls</c>: the certificate of the TLS ports.</summary>
    public TlsOptions Tls { get; private init; } = new();

    /// <summary>Section <c>C10k:Logging</c>: the console log format.</summary>
    public LoggingOptions Logging { get; private init; } = new();

    /// <summary>A view whose property for <paramref name="section"/>'s type is <paramref name="section"/> itself.</summary>
    internal static C10kOptions Around(object section) => section switch
    {
        ServerOptions s => new() { Server = s },
        NativeOptions s => new() { Native = s },
        RespOptions s => new() { Resp = s },
        AdminOptions s => new() { Admin = s },
        LimitsOptions s => new() { Limits = s },
        WorkerOptions s => new() { Workers = s },
        OperationsOptions s => new() { Operations = s },
        TransportOptions s => new() { Transport = s },
        ShutdownOptions s => new() { Shutdown = s },
        NetworkOptions s => new() { Network = s },
        AuthOptions s => new() { Auth = s },
        TlsOptions s => new() { Tls = s },
        LoggingOptions s => new() { Logging = s },
        _ => throw new ArgumentException($"{section.GetType().Name} is not a C10k options section.", nameof(section)),
    };
}
