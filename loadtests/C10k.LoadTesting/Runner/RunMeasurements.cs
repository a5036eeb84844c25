using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Runner;

/// <summary>A run's raw measurements, before summarizing: what a child process sends back to be merged.</summary>
internal sealed record RunMeasurements(string Target, DateTimeOffset StartedUtc, IReadOnlyList<ScenarioMeasurement> Scenarios, IReadOnlyDictionary<string, string> Models, IReadOnlyList<double> CpuPerSecond)
{
    /// <summary>The generator's garbage collections during the run (summed over processes and agents).</summary>
    public long GcCollections { get; init; }

    /// <summary>Time the generator's threads were paused by the GC during the run, in milliseconds (summed over processes and agents).</summary>
    public double GcPauseMs { get; init; }
}
