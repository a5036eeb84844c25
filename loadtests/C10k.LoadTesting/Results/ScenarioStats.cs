namespace C10k.LoadTesting.Results;

/// <summary>
/// One scenario's result. Latencies are of ok requests, in milliseconds, from HdrHistogram; in the open model they are measured
/// from each request's intended send time.
/// </summary>
public sealed record ScenarioStats(
    string Name,
    string Model,
    double DurationSeconds,
    double Rps,
    long Ok,
    long Fail,
    double FailPercent,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> FailByStatus,
    ConnectionStats Connections,
    long BytesIn,
    long BytesOut,
    double MaxSendLagMs,
    IReadOnlyList<IntervalStats> Series)
{
    /// <summary>Open model: how late the median request left after its intended time (the generator's own delay), in milliseconds.</summary>
    public double SendLagP50Ms { get; init; }

    /// <summary>Open model: send lag at p99, in milliseconds.</summary>
    public double SendLagP99Ms { get; init; }

    /// <summary>Open model: send lag at p99.9, in milliseconds.</summary>
    public double SendLagP999Ms { get; init; }

    /// <summary>Most virtual users at once (closed model; 0 in the open model).</summary>
    public long Users { get; init; }

    /// <summary>Each named step's own outcomes, in order; empty for a single-step scenario (its totals are the step's).</summary>
    public IReadOnlyList<StepStats> Steps { get; init; } = [];
}
