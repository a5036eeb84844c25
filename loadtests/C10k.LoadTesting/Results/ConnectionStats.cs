namespace C10k.LoadTesting.Results;

/// <summary>A scenario's connection events, each failure kind on its own.</summary>
public sealed record ConnectionStats(long Opened, long MaxOpen, long ConnectFailures, long ConnectTimeouts, long Resets)
{
    /// <summary>All connection-level errors.</summary>
    public long Errors => ConnectFailures + ConnectTimeouts + Resets;
}
