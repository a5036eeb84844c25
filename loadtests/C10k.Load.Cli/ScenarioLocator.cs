namespace C10k.Load.Cli;

/// <summary>Finds scenario files: a path, or a name shipped next to the tool in <c>scenarios/</c>.</summary>
internal static class ScenarioLocator
{
    private static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static IEnumerable<string> Shipped() =>
        Directory.Exists(ShippedFolder) ? Directory.EnumerateFiles(ShippedFolder, "*.json").Order(StringComparer.Ordinal) : [];

    /// <summary>The file for <paramref name="scenario"/>, or null when it names a built-in command.</summary>
    public static string? Find(string scenario)
    {
        if (File.Exists(scenario))
        {
            return scenario;
        }

        var shipped = Path.Combine(ShippedFolder, scenario + ".json");
        return File.Exists(shipped) ? shipped : null;
    }
}
