namespace C10k.Server.Hosting;

/// <summary>One configuration key: its full name, type, default, allowed values and meaning (from the options class's XML doc).</summary>
internal sealed record OptionKey(string Key, string Type, string Default, string? Allowed, string? Description);
