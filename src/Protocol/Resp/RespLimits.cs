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

    /// <summary>Most elements in a request before authentication: Redis's 10.</summary>
    public const int UnauthenticatedMaxArgs = 10;

    /// <summary>Longest bulk before authentication: Redis's 16 KiB.</summary>
    public const long UnauthenticatedMaxBulkBytes = 16 * 1024;

    /// <summary>Redis's defaults.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>True for a client that has not authenticated: a size over the limits is Redis's "unauthenticated" protocol error.</summary>
    public bool IsUnauthenticated { get; init; }

    /// <summary>What <paramref name="limits"/> become before authentication: at most 10 elements and 16 KiB bulks, as Redis.</summary>
    public static RespLimits Unauthenticated(RespLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new()
        {
            MaxArgs = Math.Min(UnauthenticatedMaxArgs, limits.MaxArgs),
            MaxBulkBytes = Math.Min(UnauthenticatedMaxBulkBytes, limits.MaxBulkBytes),
            MaxInlineBytes = limits.MaxInlineBytes,
            IsUnauthenticated = true,
        };
    }

    /// <summary>Most elements in one request array (command name included) or reply array.</summary>
    public int MaxArgs { get; init; } = DefaultMaxArgs;

    /// <summary>Longest bulk string, in bytes.</summary>
    public long MaxBulkBytes { get; init; } = DefaultMaxBulkBytes;

    /// <summary>Longest inline command line, and longest <c>*</c>/<c>$</c> header or reply line with no CRLF in sight.</summary>
    public int MaxInlineBytes { get; init; } = DefaultMaxInlineBytes;
}
