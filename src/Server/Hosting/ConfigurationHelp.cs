namespace C10k.Server.Hosting;

/// <summary>What <c>--help</c> prints: how configuration is layered, then every key with its default, range and meaning.</summary>
internal static class ConfigurationHelp
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
}
