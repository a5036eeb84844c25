namespace C10k.LoadTesting.Results;

/// <summary>One named step of a scenario (or the one command of a single-command scenario): its own latencies and statuses, in milliseconds.</summary>
public sealed record StepStats(
    string Name,
    long Ok,
    long Fail,
    double FailPercent,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> FailByStatus);
