namespace C10k.Load.Cli;

/// <summary>The <c>run</c> command's options after parsing.</summary>
internal sealed record RunOptions(
    string Target,
    string Scenario,
    string? Simulation,
    int? Connections,
    double? ConnectRate,
    string? SourceAddresses,
    int Processes,
    IReadOnlyList<string> Thresholds,
    string? Report,
    string? WarmUp,
    int? HashIterations,
    string? Payload,
    string? Feed,
    string FeedMode,
    TimeSpan DrainTimeout,
    bool Plain,
    int ChildIndex,
    int ChildCount,
    string? ChildOutput)
{
    public bool IsChild => ChildOutput is not null;
}
