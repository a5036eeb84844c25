namespace C10k.LoadTesting.Progress;

/// <summary>What the live display shows once a second, per scenario.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Rps">Requests completed in the last second.</param>
/// <param name="P99Ms">p99 latency of the last second.</param>
/// <param name="Errors">Failed requests plus connection errors so far.</param>
/// <param name="Connections">Connections open now.</param>
/// <param name="GeneratorCpuPercent">The generator's CPU in the last second, percent of one core.</param>
public sealed record ProgressSnapshot(string Scenario, TimeSpan Elapsed, double Rps, double P99Ms, long Errors, long Connections, double GeneratorCpuPercent);
