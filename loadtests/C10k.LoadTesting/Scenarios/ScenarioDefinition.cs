namespace C10k.LoadTesting.Scenarios;

/// <summary>One scenario as written in a scenario file (JSON, camelCase) or built from CLI options.</summary>
public sealed record ScenarioDefinition
{
    /// <summary>Scenario name in reports.</summary>
    public string Name { get; init; } = "scenario";

    /// <summary><c>ping</c>, <c>echo</c> or <c>hash</c>.</summary>
    public string Command { get; init; } = "ping";

    /// <summary>HASH iteration count (default 1000).</summary>
    public int HashIterations { get; init; } = 1000;

    /// <summary>ECHO/HASH payload when there is no feed (default <c>payload</c>).</summary>
    public string Payload { get; init; } = "payload";

    /// <summary>Simulation string, e.g. <c>inject rate=1000 during=30s</c>; null takes the file's shared simulation.</summary>
    public string? Simulation { get; init; }

    /// <summary>Share of the file's shared simulation for weighted mixes (rates and copies are split by weight).</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Warm-up, e.g. <c>5s</c>.</summary>
    public string? WarmUp { get; init; }

    /// <summary>Connections to hold.</summary>
    public int Connections { get; init; } = 1;

    /// <summary>New connections per second (0 = as fast as possible).</summary>
    public double ConnectRate { get; init; }

    /// <summary>Data feed for payloads.</summary>
    public FeedDefinition? Feed { get; init; }

    /// <summary>Thresholds for this scenario, e.g. <c>p99 &lt; 5ms</c>.</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];
}
