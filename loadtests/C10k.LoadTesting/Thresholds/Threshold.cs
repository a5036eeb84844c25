using System.Globalization;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Thresholds;

/// <summary>
/// A pass/fail rule on a scenario's result, e.g. <c>p99 &lt; 5ms</c>, <c>fail% &lt; 0.1</c>, <c>rps &gt;= 1000</c>,
/// optionally for one scenario: <c>ping-probe: p99.9 &lt; 20ms</c>. Latencies are compared in milliseconds.
/// </summary>
/// <param name="Text">The rule as written.</param>
/// <param name="Scenario">The scenario it applies to, or null for every scenario.</param>
/// <param name="Metric">One of <see cref="Metrics"/>.</param>
/// <param name="Operator">One of <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>==</c>.</param>
/// <param name="Value">The bound, in milliseconds for latencies and percent for <c>fail%</c>.</param>
public sealed record Threshold(string Text, string? Scenario, string Metric, string Operator, double Value)
{
    /// <summary>The metrics a threshold may name.</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["p50", "p90", "p99", "p99.9", "p999", "max", "mean", "rps", "ok", "fail", "fail%", "connection-errors"];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Threshold Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? scenario = null;
        var rule = text.Trim();
        var colon = rule.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            scenario = rule[..colon].Trim();
            rule = rule[(colon + 1)..].Trim();
        }

        string[] operators = ["<=", ">=", "==", "<", ">"];
        var op = operators.FirstOrDefault(o => rule.Contains(o, StringComparison.Ordinal))
            ?? throw new FormatException($"Threshold '{text}' has no operator (<, <=, >, >=, ==).");
        var at = rule.IndexOf(op, StringComparison.Ordinal);
        var metric = rule[..at].Trim().ToLowerInvariant();
        if (!Metrics.Contains(metric))
        {
            throw new FormatException($"Threshold '{text}': unknown metric '{metric}' (use {string.Join(", ", Metrics)}).");
        }

        return new Threshold(text, scenario, metric, op, ParseValue(rule[(at + op.Length)..].Trim(), metric, text));
    }

    /// <summary>The metric's value in <paramref name="stats"/>.</summary>
    public double Actual(ScenarioStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return Metric switch
        {
            "p50" => stats.P50Ms,
            "p90" => stats.P90Ms,
            "p99" => stats.P99Ms,
            "p99.9" or "p999" => stats.P999Ms,
            "max" => stats.MaxMs,
            "mean" => stats.MeanMs,
            "rps" => stats.Rps,
            "ok" => stats.Ok,
            "fail" => stats.Fail,
            "fail%" => stats.FailPercent,
            _ => stats.Connections.Errors,
        };
    }

    /// <summary>True when <paramref name="actual"/> satisfies the rule.</summary>
    public bool IsSatisfiedBy(double actual) => Operator switch
    {
        "<" => actual < Value,
        "<=" => actual <= Value,
        ">" => actual > Value,
        ">=" => actual >= Value,
        _ => Math.Abs(actual - Value) < 1e-9,
    };

    private static double ParseValue(string value, string metric, string text)
    {
        var isLatency = metric.StartsWith('p') || metric is "max" or "mean";
        if (isLatency)
        {
            var span = Simulations.DurationParser.Parse(value.EndsWith("us", StringComparison.OrdinalIgnoreCase)
                ? (double.Parse(value[..^2], CultureInfo.InvariantCulture) / 1000).ToString(CultureInfo.InvariantCulture) + "ms"
                : value);
            return span.TotalMilliseconds;
        }

        return double.TryParse(value.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"Threshold '{text}': '{value}' is not a number.");
    }
}
