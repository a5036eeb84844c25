using C10k.LoadTesting.Targets;

namespace C10k.Load.Cli;

/// <summary>The <c>run</c> command's options after parsing.</summary>
internal sealed record RunOptions
{
    public required string Target { get; init; }

    public TargetOptions Connection { get; init; } = TargetOptions.None;

    public string Scenario { get; init; } = "ping";

    public string? Simulation { get; init; }

    public IReadOnlyList<string> Commands { get; init; } = [];

    public IReadOnlyList<string> Vars { get; init; } = [];

    public string? Expect { get; init; }

    public string? ExpectType { get; init; }

    public string? ExpectRegex { get; init; }

    public int? Connections { get; init; }

    public int? Pipeline { get; init; }

    public double? ConnectRate { get; init; }

    public string? SourceAddresses { get; init; }

    public int Processes { get; init; } = 1;

    public IReadOnlyList<string> Agents { get; init; } = [];

    public int? MetricsPort { get; init; }

    public IReadOnlyList<string> Thresholds { get; init; } = [];

    public string? Report { get; init; }

    public string? WarmUp { get; init; }

    public int? HashIterations { get; init; }

    public string? Payload { get; init; }

    public string? Feed { get; init; }

    public string FeedMode { get; init; } = "circular";

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool Plain { get; init; }

    public int ChildIndex { get; init; }

    public int ChildCount { get; init; } = 1;

    public string? ChildOutput { get; init; }

    public bool IsChild => ChildOutput is not null;
}
