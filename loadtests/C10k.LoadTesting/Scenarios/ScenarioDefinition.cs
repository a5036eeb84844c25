namespace C10k.LoadTesting.Scenarios;

/// <summary>One scenario as written in a scenario file (JSON, camelCase) or built from CLI options.</summary>
public sealed record ScenarioDefinition
{
    /// <summary>Scenario name in reports.</summary>
    public string Name { get; init; } = "scenario";

    /// <summary>
    /// A command with argument templates, e.g. <c>SET key:{seq} {feed}</c>; or one of the short forms <c>ping</c>, <c>echo</c> (ECHO of the
    /// feed or payload) and <c>hash</c> (HASH of <see cref="HashIterations"/> over the feed or payload). Ignored when <see cref="Steps"/> is given.
    /// </summary>
    public string Command { get; init; } = "ping";

    /// <summary>What <see cref="Command"/>'s reply must be.</summary>
    public ExpectDefinition? Expect { get; init; }

    /// <summary>Steps run in order by each iteration (NBomber's steps), each with its own statistics; replaces <see cref="Command"/>.</summary>
    public IReadOnlyList<StepDefinition>? Steps { get; init; }

    /// <summary>Variables rendered once per iteration, in order, before the steps: <c>{"key": "key:{random:1-100000}"}</c>, used as <c>{key}</c>.</summary>
    public IReadOnlyDictionary<string, string>? Vars { get; init; }

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

    /// <summary>Connections to hold; by default one per closed-model virtual user (divided by <see cref="Pipeline"/>), one in the open model.</summary>
    public int? Connections { get; init; }

    /// <summary>Closed model: virtual users per connection when <see cref="Connections"/> is not given (default 1: no pipelining).</summary>
    public int? Pipeline { get; init; }

    /// <summary>New connections per second (0 = as fast as possible).</summary>
    public double ConnectRate { get; init; }

    /// <summary>Data feed for payloads.</summary>
    public FeedDefinition? Feed { get; init; }

    /// <summary>Thresholds for this scenario, e.g. <c>p99 &lt; 5ms</c>.</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];
}
