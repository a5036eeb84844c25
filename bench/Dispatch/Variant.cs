namespace C10k.Bench.Dispatch;

/// <summary>One server configuration under test.</summary>
internal sealed record Variant(string Name, params string[] Settings);
