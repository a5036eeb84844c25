using C10k.Server.Connections;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Diagnostics;

/// <summary>
/// Connection events (ids 100–199). Opened and closed are Debug (one each per connection: enabled only to trace); protocol errors
/// (Warning), limit closes (Information) and failures (Error) are rate-limited per event id, at most 10 a second, each saying how
/// many were held back before it. Refusals before a front's handler runs are <see cref="AdmissionLog"/>'s.
/// </summary>
internal static partial class ConnectionLog
{
    public const int ProtocolErrorId = 103;

    public const int LimitClosedId = 104;

    public const int FailedId = 105;

    [LoggerMessage(100, LogLevel.Debug, "{Front} connection {ConnectionId} from {Remote} opened")]
    public static partial void Opened(ILogger logger, Front front, string connectionId, string? remote);

    [LoggerMessage(101, LogLevel.Debug, "{Front} connection {ConnectionId} closed: {Reason}")]
    public static partial void Closed(ILogger logger, Front front, string connectionId, string reason);

    [LoggerMessage(ProtocolErrorId, LogLevel.Warning, "{Front} protocol error on {ConnectionId} from {Remote}: {Kind}; closing ({Suppressed} similar messages suppressed before this one)")]
    public static partial void ProtocolError(ILogger logger, Front front, string connectionId, string? remote, string kind, long suppressed);

    [LoggerMessage(LimitClosedId, LogLevel.Information, "{Front} connection {ConnectionId} closed by the server: {Reason} ({Suppressed} similar messages suppressed before this one)")]
    public static partial void LimitClosed(ILogger logger, Front front, string connectionId, string reason, long suppressed);

    [LoggerMessage(FailedId, LogLevel.Error, "{Front} connection {ConnectionId} failed; closing it ({Suppressed} similar messages suppressed before this one)")]
    public static partial void Failed(ILogger logger, Front front, string connectionId, long suppressed, Exception exception);
}
