namespace C10k.Server.Admin;

/// <summary>Every cumulative count the status page shows, at one instant (<see cref="TimeProvider"/> timestamp).</summary>
internal sealed record LiveSample(
    long Timestamp,
    IReadOnlyDictionary<string, OpSample> Ops,
    long Accepted,
    long Rejected,
    long Closed,
    long BytesReceived,
    long BytesSent,
    long ProtocolErrors)
{
    /// <summary>Requests answered over all ops.</summary>
    public long Requests => Ops.Values.Sum(o => o.Total);
}
