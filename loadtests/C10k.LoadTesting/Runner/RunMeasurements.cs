using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Runner;

/// <summary>A run's raw measurements, before summarizing: what a child process sends back to be merged.</summary>
internal sealed record RunMeasurements(string Target, DateTimeOffset StartedUtc, IReadOnlyList<ScenarioMeasurement> Scenarios, IReadOnlyDictionary<string, string> Models, IReadOnlyList<double> CpuPerSecond);
