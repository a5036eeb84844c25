namespace C10k.LoadTesting.Scenarios;

/// <summary>One step in a scenario file's <c>steps</c>.</summary>
public sealed record StepDefinition
{
    /// <summary>Name in the per-step table (default: the command word in lower case).</summary>
    public string? Name { get; init; }

    /// <summary>The command with argument templates, e.g. <c>GET key:{key}</c>.</summary>
    public string Command { get; init; } = string.Empty;

    /// <summary>What the reply must be.</summary>
    public ExpectDefinition? Expect { get; init; }

    /// <summary>Variable the reply's value is saved to, for later steps (<c>{name}</c>).</summary>
    public string? Save { get; init; }
}
