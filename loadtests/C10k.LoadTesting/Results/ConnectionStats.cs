namespace C10k.LoadTesting.Results;

/// <summary>A scenario's connection events, each failure kind on its own, and what the failed connects ran into.</summary>
public sealed record ConnectionStats(long Opened, long MaxOpen, long ConnectFailures, long ConnectTimeouts, long Resets, IReadOnlyDictionary<string, long> ErrorsByReason)
{
    /// <summary>All connection-level errors.</summary>
    public long Errors => ConnectFailures + ConnectTimeouts + Resets;
}
