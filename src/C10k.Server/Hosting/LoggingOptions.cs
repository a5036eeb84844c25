namespace C10k.Server.Hosting;

/// <summary>Log output, section <c>C10k:Logging</c>. Levels stay in the standard <c>Logging:LogLevel</c> section.</summary>
public sealed class LoggingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Logging";

    /// <summary>
    /// One JSON object per log line on the console (event id, level, category, message and its named values) instead of
    /// the human-readable format. Default false; the container image sets true so log collectors need no parsing rules.
    /// </summary>
    public bool Json { get; set; }
}
