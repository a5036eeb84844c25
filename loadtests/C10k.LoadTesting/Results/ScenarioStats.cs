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
    IReadOnlyList<IntervalStats> Series);
