using System.Globalization;

namespace C10k.LoadTesting.Simulations;

/// <summary>
/// Parses the CLI's simulation strings, several separated by <c>;</c>:
/// <c>inject rate=N during=T</c>, <c>ramping-inject rate=N during=T</c>, <c>keep-constant copies=N during=T</c>,
/// <c>ramping-constant copies=N during=T</c>, <c>pause during=T</c>, <c>iterations-for-constant copies=N iterations=M</c>.
/// </summary>
public static class SimulationParser
{
    /// <summary>Parses a <c>;</c>-separated list; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static IReadOnlyList<LoadSimulation> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<LoadSimulation>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result.Add(ParseOne(part));
        }

        if (result.Count == 0)
        {
            throw new FormatException("No simulation given (example: \"inject rate=1000 during=30s\").");
        }

        return result;
    }

    private static LoadSimulation ParseOne(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in words.Skip(1))
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"'{word}' in '{text}' is not key=value.");
            }

            args[word[..eq]] = word[(eq + 1)..];
        }

        var second = TimeSpan.FromSeconds(1);
        var simulation = words[0].ToLowerInvariant() switch
        {
            "inject" => LoadSimulation.Inject(Number(args, "rate", text), second, Duration(args, text)),
            "ramping-inject" => LoadSimulation.RampingInject(Number(args, "rate", text), second, Duration(args, text)),
            "keep-constant" => LoadSimulation.KeepConstant((int)Number(args, "copies", text), Duration(args, text)),
            "ramping-constant" => LoadSimulation.RampingConstant((int)Number(args, "copies", text), Duration(args, text)),
            "pause" => LoadSimulation.Pause(Duration(args, text)),
            "iterations-for-constant" => LoadSimulation.IterationsForConstant((int)Number(args, "copies", text), (long)Number(args, "iterations", text)),
            _ => throw new FormatException($"Unknown simulation '{words[0]}' in '{text}'."),
        };
        var allowed = simulation.Kind switch
        {
            LoadSimulationKind.Inject or LoadSimulationKind.RampingInject => new[] { "rate", "during" },
            LoadSimulationKind.Pause => ["during"],
            LoadSimulationKind.IterationsForConstant => ["copies", "iterations"],
            _ => ["copies", "during"],
        };
        var unknown = args.Keys.FirstOrDefault(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase));
        return unknown is null ? simulation : throw new FormatException($"'{unknown}' is not an argument of '{words[0]}'.");
    }

    private static double Number(Dictionary<string, string> args, string key, string text) =>
        args.TryGetValue(key, out var value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new FormatException($"'{text}' needs {key}=<non-negative number>.");

    private static TimeSpan Duration(Dictionary<string, string> args, string text) =>
        args.TryGetValue("during", out var value)
            ? DurationParser.Parse(value)
            : throw new FormatException($"'{text}' needs during=<duration> (e.g. 30s).");
}
