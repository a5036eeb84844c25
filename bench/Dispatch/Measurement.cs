namespace C10k.Bench.Dispatch;

/// <summary>What one round of one variant measured.</summary>
internal sealed record Measurement(
    double HashRps,
    double LoadedPingP50Ms,
    double LoadedPingP99Ms,
    double IdlePingP50Ms,
    double IdlePingP99Ms,
    double ServerCpuPercent,
    double GeneratorCpuPercent,
    long HashFailures,
    long PingFailures,
    long Requests);
