namespace C10k.LoadTesting.Scenarios;

/// <summary>A reply check in a scenario file: <c>{"type": "bulk", "value": "{feed}", "regex": "^[0-9a-f]{64}$"}</c>; every part is optional.</summary>
public sealed record ExpectDefinition
{
    /// <summary><c>simple</c>, <c>error</c>, <c>integer</c>, <c>bulk</c>, <c>null</c> or <c>array</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The exact value, a template (so <c>{name}</c> compares with a saved or var value).</summary>
    public string? Value { get; init; }

    /// <summary>A regular expression the value must match.</summary>
    public string? Regex { get; init; }
}
