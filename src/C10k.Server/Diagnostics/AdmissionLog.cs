using C10k.Server.Connections;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Diagnostics;

/// <summary>
/// Admission and security events (ids 500–549): refusals before a front's handler runs, the limits and modes in force at start,
/// authentication failures and certificate reloads. Per-connection events go through a <see cref="LogRateLimiter"/>.
/// </summary>
internal static partial class AdmissionLog
{
    public const int RefusedId = 500;
    public const int AuthFailedId = 510;

    [LoggerMessage(RefusedId, LogLevel.Warning, "{Front} connection refused from {Remote}: {Reason} (limit {Limit}; {Suppressed} similar messages suppressed before this one)")]
    public static partial void Refused(ILogger logger, Front front, string? remote, string reason, int limit, long suppressed);

    [LoggerMessage(501, LogLevel.Information, "Connection limit {Limit} over all fronts ({Source}); per client address: {PerAddress}")]
    public static partial void ConnectionLimit(ILogger logger, int limit, string source, string perAddress);

    [LoggerMessage(502, LogLevel.Warning, "C10k:Limits:MaxConnections={Limit} leaves fewer than {Reserve} of RLIMIT_NOFILE={Nofile} descriptors free; accepts will fail with EMFILE before the limit answers")]
    public static partial void DescriptorLimitLow(ILogger logger, int limit, int reserve, long nofile);

    [LoggerMessage(503, LogLevel.Information, "Client access: {Mode}")]
    public static partial void AccessMode(ILogger logger, string mode);

    [LoggerMessage(AuthFailedId, LogLevel.Warning, "{Front} authentication failed for user '{User}' from {Remote} ({Suppressed} similar messages suppressed before this one)")]
    public static partial void AuthFailed(ILogger logger, Front front, string user, string? remote, long suppressed);

    [LoggerMessage(520, LogLevel.Information, "TLS certificate loaded from {Path}: subject {Subject}, expires {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(521, LogLevel.Warning, "TLS certificate files changed but could not be loaded; still serving the previous certificate: {Error}")]
    public static partial void CertificateReloadFailed(ILogger logger, string error);
}
