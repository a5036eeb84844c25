using System.Text.RegularExpressions;

namespace C10k.Server.Hosting;

/// <summary>What <c>--help</c> prints: how configuration is layered, then every key with its default, range and meaning.</summary>
internal static partial class ConfigurationHelp
{
    public static bool IsRequested(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    public static void Write(TextWriter output)
    {
        output.WriteLine("C10k server. Every option below is read from appsettings.json, then environment variables");
        output.WriteLine("(C10k__Section__Key=value), then the command line (--C10k:Section:Key=value); later sources win.");
        output.WriteLine("A value out of range stops the start with one line naming the key. Logging levels: Logging:LogLevel:<category>.");
        output.WriteLine();
        foreach (var key in OptionsCatalog.Keys())
        {
            output.Write("  ");
            output.Write(key.Key);
            output.Write(" = ");
            output.Write(key.Default.Length == 0 ? "\"\"" : key.Default);
            output.Write("  (");
            output.Write(key.Type);
            if (key.Allowed is not null)
            {
                output.Write(": ");
                output.Write(key.Allowed);
            }

            output.WriteLine(")");
            if (key.Description is not null)
            {
                output.Write("      ");
                output.WriteLine(key.Description);
            }
        }
    }

    /// <summary>
    /// Rewrites the configuration binder's "Failed to convert configuration value 'x' at 'C10k:A:B' to type 'T'" as one line that
    /// names the key, the value and what is allowed; other messages pass through unchanged.
    /// </summary>
    public static string ExplainBindingError(string message)
    {
        if (BindingError().Match(message) is not { Success: true } match)
        {
            return message;
        }

        var key = match.Groups["key"].Value;
        var option = OptionsCatalog.Keys().FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase));
        var allowed = option is null ? "" : " (" + option.Type + (option.Allowed is null ? "" : ": " + option.Allowed) + ")";
        return $"{option?.Key ?? key} must be a valid value{allowed} (got '{match.Groups["value"].Value}')";
    }

    [GeneratedRegex("configuration value '(?<value>.*)' at '(?<key>[^']+)'")]
    private static partial Regex BindingError();
}
