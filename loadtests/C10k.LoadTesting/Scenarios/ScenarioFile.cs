namespace C10k.LoadTesting.Scenarios;

/// <summary>A scenario file in <c>loadtests/scenarios/</c>: one or more scenarios that run side by side.</summary>
public sealed record ScenarioFile
{
    /// <summary>File name without extension, e.g. <c>c10k-hold</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>What the scenario shows.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Simulation shared by scenarios that give none, split between them by <see cref="ScenarioDefinition.Weight"/>.</summary>
    public string? Simulation { get; init; }

    /// <summary>The scenarios.</summary>
    public IReadOnlyList<ScenarioDefinition> Scenarios { get; init; } = [];

    /// <summary>Folder of the file, for relative feed paths.</summary>
    public string BaseDirectory { get; init; } = ".";
}
