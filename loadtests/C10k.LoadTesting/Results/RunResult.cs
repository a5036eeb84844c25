namespace C10k.LoadTesting.Results;

/// <summary>A whole run: every scenario, the generator's cost and the thresholds (the json report's root object).</summary>
public sealed record RunResult(
    string Target,
    DateTimeOffset StartedUtc,
    IReadOnlyList<ScenarioStats> Scenarios,
    GeneratorStats Generator,
    IReadOnlyList<ThresholdResult> Thresholds)
{
    /// <summary>True when every threshold passed.</summary>
    public bool Passed => Thresholds.All(t => t.Passed);
}
