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

    /// <summary>What makes the run a failure whatever the thresholds: no connection opened, or every request failed. Empty when none.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>How the load was laid out where it may surprise, e.g. virtual users sharing (pipelining on) fewer connections.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
