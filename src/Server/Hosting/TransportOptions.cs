namespace C10k.Server.Hosting;

/// <summary>Kestrel socket transport, section <c>C10k:Transport</c>.</summary>
public sealed class TransportOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Transport";

    /// <summary>
    /// Run connection handlers on the socket event threads (Kestrel's UnsafePreferInlineScheduling). Default true: cheap requests
    /// answer faster, and heavy work leaves for the worker pool, so the event threads never run CPU-heavy code.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>Listen backlog. Default 4096 (the kernel caps it at net.core.somaxconn).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int Backlog { get; set; } = 4096;
}
