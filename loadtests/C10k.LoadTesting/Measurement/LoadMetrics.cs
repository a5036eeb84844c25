using System.Diagnostics.Metrics;
using C10k.LoadTesting.Runner;

namespace C10k.LoadTesting.Measurement;

/// <summary>
/// Live instruments of the runs in this process (meter <see cref="MeterName"/>), all observable: they read the measurements when a
/// collector asks (e.g. a Prometheus scrape) and cost nothing per request. Latency percentiles are of the last complete second, in seconds (Prometheus' base unit).
/// </summary>
public static class LoadMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "C10k.Load";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Lock Gate = new();
    private static readonly List<(RunClock Clock, IReadOnlyList<ScenarioExecution> Executions)> Runs = [];
    private static readonly (string Tag, double Percentile)[] Quantiles = [("50", 50), ("99", 99), ("99.9", 99.9)];

    static LoadMetrics()
    {
        Meter.CreateObservableCounter("c10k.load.requests", () => Observe(static (m, _) => Requests(m)), description: "Completed requests by scenario and outcome (ok or the failure status).");
        Meter.CreateObservableGauge("c10k.load.connections", () => Observe<long>(static (m, _) => [new Measurement<long>(m.Connections.Open, Scenario(m))]), description: "Connections open now.");
        Meter.CreateObservableCounter("c10k.load.connect.errors", () => Observe<long>(static (m, _) => [new Measurement<long>(m.Connections.ConnectFailures + m.Connections.ConnectTimeouts + m.Connections.Resets, Scenario(m))]), description: "Connect failures, connect timeouts and resets.");
        Meter.CreateObservableGauge("c10k.load.latency", () => Observe(static (m, second) => Percentiles(m, m.Interval(second - 1).Latency)), unit: "s", description: "Latency of the last complete second's ok requests, by percentile.");
        Meter.CreateObservableGauge("c10k.load.send_lag", () => Observe(static (m, _) => Percentiles(m, m.SendLag)), unit: "s", description: "How late open-model requests left after their intended time (whole run so far), by percentile.");
    }

    /// <summary>Makes the run's scenarios visible to the instruments until the result is disposed.</summary>
    internal static IDisposable Track(RunClock clock, IReadOnlyList<ScenarioExecution> executions)
    {
        var run = (clock, executions);
        lock (Gate)
        {
            Runs.Add(run);
        }

        return new Untrack(run);
    }

    private static IEnumerable<Measurement<T>> Observe<T>(Func<ScenarioMeasurement, int, IEnumerable<Measurement<T>>> observe)
        where T : struct
    {
        lock (Gate)
        {
            return [.. Runs.SelectMany(r => r.Executions.SelectMany(e => observe(e.Measurement, (int)r.Clock.Elapsed.TotalSeconds)))];
        }
    }

    private static IEnumerable<Measurement<long>> Requests(ScenarioMeasurement m) =>
        m.FailByStatus.Select(kv => new Measurement<long>(kv.Value, Scenario(m), new("outcome", kv.Key))).Prepend(new Measurement<long>(m.Ok, Scenario(m), new("outcome", "ok")));

    private static IEnumerable<Measurement<double>> Percentiles(ScenarioMeasurement m, HdrHistogram.HistogramBase histogram) =>
        histogram.TotalCount == 0
            ? []
            : Quantiles.Select(q => new Measurement<double>(histogram.GetValueAtPercentile(q.Percentile) / 1e6, Scenario(m), new("percentile", q.Tag)));

    private static KeyValuePair<string, object?> Scenario(ScenarioMeasurement m) => new("scenario", m.Name);

    private sealed class Untrack((RunClock, IReadOnlyList<ScenarioExecution>) run) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                Runs.Remove(run);
            }
        }
    }
}
