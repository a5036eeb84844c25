namespace C10k.LoadTesting.Results;

/// <summary>One second of one scenario, as reported (latencies of ok requests, in milliseconds).</summary>
public sealed record IntervalStats(
    int Second,
    double Rps,
    long Ok,
    long Fail,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    long Connections,
    long BytesIn,
    long BytesOut,
    double GeneratorCpuPercent);
