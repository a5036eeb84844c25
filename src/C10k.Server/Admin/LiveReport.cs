namespace C10k.Server.Admin;

/// <summary>Rates and percentiles over the recent window, and totals since start.</summary>
internal sealed record LiveReport(
    TimeSpan Uptime,
    double WindowSeconds,
    double RequestsPerSecond,
    long Requests,
    double BytesReceivedPerSecond,
    double BytesSentPerSecond,
    long Accepted,
    long Rejected,
    long Closed,
    long ProtocolErrors,
    IReadOnlyList<OpReport> Ops,
    IReadOnlyList<double> RequestsPerSecondHistory);
