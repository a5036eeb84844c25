namespace C10k.Protocol.Resp;

/// <summary>Sizes checked as soon as they come off the wire, before anything is buffered for them. Defaults are Redis's.</summary>
public sealed class RespLimits
{
    /// <summary>Default <see cref="MaxArgs"/>: 1024 * 1024, as Garnet (a bigger array header is a cheap pre-auth memory attack).</summary>
    public const int DefaultMaxArgs = 1024 * 1024;

    /// <summary>Default <see cref="MaxBulkBytes"/>: 512 MB, Redis's <c>proto-max-bulk-len</c>.</summary>
    public const long DefaultMaxBulkBytes = 512L * 1024 * 1024;

    /// <summary>Default <see cref="MaxInlineBytes"/>: 64 KiB, Redis's <c>PROTO_INLINE_MAX_SIZE</c>.</summary>
    public const int DefaultMaxInlineBytes = 64 * 1024;

    /// <summary>Redis's defaults.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>Most elements in one request array (command name included) or reply array.</summary>
    public int MaxArgs { get; init; } = DefaultMaxArgs;

    /// <summary>Longest bulk string, in bytes.</summary>
    public long MaxBulkBytes { get; init; } = DefaultMaxBulkBytes;

    /// <summary>Longest inline command line, and longest <c>*</c>/<c>$</c> header or reply line with no CRLF in sight.</summary>
    public int MaxInlineBytes { get; init; } = DefaultMaxInlineBytes;
}
