using System.ComponentModel.DataAnnotations;
using C10k.Protocol.Resp;

namespace C10k.Server.Hosting;

/// <summary>RESP2 front, section <c>C10k:Resp</c>. Every size is checked as it comes off the wire, before buffering.</summary>
public sealed class RespOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Resp";

    /// <summary>TCP port of the RESP front. Default 6380, so a local Redis on 6379 is untouched; 0 picks a free port (the real one is logged).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 6380;

    /// <summary>
    /// TCP port of RESP over TLS (<c>redis-cli --tls</c>; certificate from <c>C10k:Tls</c>), next to the plain port. Default -1 = no
    /// TLS listener; 0 picks a free port (the real one is logged as resp-tls).
    /// </summary>
    [Range(-1, 65535)]
    public int TlsPort { get; set; } = -1;

    /// <summary>Most elements in one request array, command name included. Default 1,048,576 (Garnet's bound; a pre-auth memory guard).</summary>
    [Range(1, int.MaxValue)]
    public int MaxArgs { get; set; } = RespLimits.DefaultMaxArgs;

    /// <summary>Longest bulk string in a request, in bytes. Default 512 MB, Redis's <c>proto-max-bulk-len</c>.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxBulkBytes { get; set; } = RespLimits.DefaultMaxBulkBytes;

    /// <summary>Longest inline command, and longest <c>*</c>/<c>$</c> header with no CRLF in sight. Default 64 KiB, Redis's <c>PROTO_INLINE_MAX_SIZE</c>.</summary>
    [Range(16, 64 * 1024 * 1024)]
    public int MaxInlineBytes { get; set; } = RespLimits.DefaultMaxInlineBytes;

    /// <summary>The codec limits these options describe.</summary>
    public RespLimits ToLimits() => new() { MaxArgs = MaxArgs, MaxBulkBytes = MaxBulkBytes, MaxInlineBytes = MaxInlineBytes };
}
