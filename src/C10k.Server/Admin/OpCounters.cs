namespace C10k.Server.Admin;

/// <summary>Cumulative counts of one <c>op</c> tag value, fed from the server's own instruments.</summary>
internal sealed class OpCounters
{
    private long _ok;
    private long _busy;
    private long _timeout;
    private long _failed;

    public LatencyHistogram Execution { get; } = new();

    public LatencyHistogram QueueWait { get; } = new();

    /// <summary>Counts answered requests by their <c>status</c> tag: ok, busy, timeout, anything else as failed.</summary>
    public void Answered(string? status, long count)
    {
        switch (status)
        {
            case "ok":
                Interlocked.Add(ref _ok, count);
                break;
            case "busy":
                Interlocked.Add(ref _busy, count);
                break;
            case "timeout":
                Interlocked.Add(ref _timeout, count);
                break;
            default:
                Interlocked.Add(ref _failed, count);
                break;
        }
    }

    public OpSample Snapshot(string op) => new(
        op,
        Volatile.Read(ref _ok),
        Volatile.Read(ref _busy),
        Volatile.Read(ref _timeout),
        Volatile.Read(ref _failed),
        Execution.Snapshot(),
        QueueWait.Snapshot());
}
