namespace C10k.LoadTesting.Scenarios;

/// <summary>A data feed in a scenario file: payloads from a file (one per line, path relative to the scenario file).</summary>
/// <param name="File">The payload file.</param>
/// <param name="Mode"><c>circular</c> or <c>random</c>.</param>
public sealed record FeedDefinition(string File, string Mode = "circular");
