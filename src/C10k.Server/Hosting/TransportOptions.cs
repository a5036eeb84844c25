namespace C10k.Server.Hosting;

/// <summary>Kestrel socket transport, section <c>C10k:Transport</c>.</summary>
public sealed class TransportOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Transport";

    /// <summary>
    /// Run connection handlers on the thread that completed the socket operation, with no ThreadPool hop in between (Kestrel's
    /// UnsafePreferInlineScheduling). Which thread that is, the runtime decides: with its inline socket completions
    /// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, which Program.cs sets before the first socket unless the
    /// environment sets it; <c>INFO server</c> shows <c>socket_inline_completions</c>) it is the socket engine's epoll thread,
    /// without them a ThreadPool thread the engine queued the completion to. Default true: cheap requests answer without a hop,
    /// and heavy work leaves for the worker pool, so these threads never run CPU-heavy code. Kestrel's
    /// WaitForDataBeforeAllocatingBuffer keeps its default, true: an idle connection holds no receive buffer.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// Read-ahead per connection: bytes the transport takes off the socket before the connection has consumed them (Kestrel's
    /// MaxReadBufferSize, whose own default is 1 MiB). Past it the socket is not read, so the peer meets TCP backpressure.
    /// Default 64 KiB: a client that pipelines without reading its replies holds at most this much input. Frames and bulk strings
    /// larger than it still arrive, because the readers move an incomplete message past 32 KiB into their own buffer as it
    /// arrives; so the minimum is 64 KiB.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(64 * 1024, 1024 * 1024 * 1024)]
    public int MaxReadBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The transport of the data ports. <see cref="DataPortTransport.Lean"/> (default): C10k's own, in which an idle connection
    /// holds its socket and small pipes with no buffer, and is read only when its handler asks (read-ahead: what the handler left
    /// unconsumed plus 4 KiB). <see cref="DataPortTransport.Kestrel"/>: Kestrel's socket transport, with
    /// <see cref="InlineScheduling"/> and <see cref="MaxReadBufferBytes"/>. HTTP endpoints and the admin port always use Kestrel's.
    /// </summary>
    public DataPortTransport DataPorts { get; set; } = DataPortTransport.Lean;

    /// <summary>Listen backlog. Default 4096 (the kernel caps it at net.core.somaxconn).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int Backlog { get; set; } = 4096;
}

/// <summary>The transport of the data ports (<see cref="TransportOptions.DataPorts"/>).</summary>
public enum DataPortTransport
{
    /// <summary>C10k's own transport: an idle connection holds no buffer and no read loop of the transport.</summary>
    Lean,

    /// <summary>Kestrel's socket transport.</summary>
    Kestrel,
}
