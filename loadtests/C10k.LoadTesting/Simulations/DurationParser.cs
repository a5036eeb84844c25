using System.Globalization;

namespace C10k.LoadTesting.Simulations;

/// <summary>Parses durations such as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> (a bare number is seconds).</summary>
public static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the offending text.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        (string number, double scale) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (t[..^2], 0.001),
            _ when t.EndsWith('s') || t.EndsWith('S') => (t[..^1], 1.0),
            _ when t.EndsWith('m') || t.EndsWith('M') => (t[..^1], 60.0),
            _ when t.EndsWith('h') || t.EndsWith('H') => (t[..^1], 3600.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new FormatException($"'{text}' is not a duration (examples: 500ms, 30s, 2m).");
        }

        return TimeSpan.FromSeconds(value * scale);
    }
}
