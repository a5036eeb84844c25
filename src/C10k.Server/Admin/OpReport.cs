namespace C10k.Server.Admin;

/// <summary>One row of the status page's operations table. Durations are in seconds, NaN when the window saw none.</summary>
internal sealed record OpReport(
    string Op,
    double PerSecond,
    long Total,
    long Ok,
    long Busy,
    long Timeout,
    long Failed,
    double ExecutionP50,
    double ExecutionP90,
    double ExecutionP99,
    double QueueWaitP50,
    double QueueWaitP99);
