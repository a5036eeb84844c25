using System.Collections.Concurrent;
using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>
/// Everything recorded for one scenario: the whole-run histogram, one histogram per second, ok/fail by status, each named step's
/// own outcomes, how late open-model sends left (send lag), connection events and traffic. Thread-safe for recording; merged
/// (never averaged) across processes and agents.
/// </summary>
internal sealed class ScenarioMeasurement
{
    private readonly ConcurrentDictionary<int, IntervalMeasurement> _intervals = new();
    private readonly ConcurrentDictionary<string, (int Order, OutcomeMeasurement Outcome)> _steps = new(StringComparer.Ordinal);

    public ScenarioMeasurement(string name) => Name = name;

    public string Name { get; }

    /// <summary>Outcomes of whole invocations (every step of an iteration together).</summary>
    public OutcomeMeasurement Totals { get; } = new();

    public LongConcurrentHistogram Latency => Totals.Latency;

    public ConcurrentDictionary<string, long> FailByStatus => Totals.FailByStatus;

    public ConnectionCounters Connections { get; } = new();

    public TrafficCounters Traffic { get; } = new();

    public long Ok => Totals.Ok;

    public long Fail => Totals.Fail;

    /// <summary>Measured load time (warm-up and connect phase excluded), for requests per second.</summary>
    public TimeSpan MeasuredDuration { get; set; }

    /// <summary>Open model: how late each request left after its intended time, in microseconds (the generator's own latency floor).</summary>
    public LongConcurrentHistogram SendLag { get; } = LatencyHistograms.Create();

    /// <summary>Open model: the latest a request was sent after its intended time; large values mean the generator fell behind.</summary>
    public long MaxSendLagMicroseconds => SendLag.TotalCount == 0 ? 0 : SendLag.GetMaxValue();

    public IEnumerable<IntervalMeasurement> Intervals => _intervals.Values.OrderBy(i => i.Second);

    /// <summary>Named steps in the order they first ran.</summary>
    public IEnumerable<(string Name, OutcomeMeasurement Outcome)> Steps => _steps.OrderBy(kv => kv.Value.Order).Select(kv => (kv.Key, kv.Value.Outcome));

    public IntervalMeasurement Interval(int second) => _intervals.GetOrAdd(second, static s => new IntervalMeasurement(s, LatencyHistograms.Create()));

    public OutcomeMeasurement Step(string name) => _steps.GetOrAdd(name, static (_, steps) => (steps.Count, new OutcomeMeasurement()), _steps).Outcome;

    public void RecordOk(int second, long microseconds)
    {
        Totals.RecordOk(microseconds);
        Interval(second).RecordOk(microseconds);
    }

    public void RecordFail(int second, string status)
    {
        Totals.RecordFail(status);
        Interval(second).RecordFail();
    }

    public void RecordSendLag(long microseconds) => LatencyHistograms.Record(SendLag, microseconds);

    /// <summary>Restores totals of a decoded measurement.</summary>
    public void AddTotals(long ok, long fail, IEnumerable<KeyValuePair<string, long>> failByStatus)
    {
        Totals.AddCounts(ok, fail);
        Totals.AddStatuses(failByStatus);
    }

    /// <summary>Adds another process's measurement of the same scenario: histograms are added bucket by bucket, counters summed.</summary>
    public void Merge(ScenarioMeasurement other)
    {
        Totals.Merge(other.Totals);
        foreach (var (name, outcome) in other.Steps)
        {
            Step(name).Merge(outcome);
        }

        Connections.Add(other.Connections);
        Traffic.Add(other.Traffic.BytesIn, other.Traffic.BytesOut);
        MeasuredDuration = MeasuredDuration > other.MeasuredDuration ? MeasuredDuration : other.MeasuredDuration;
        SendLag.Add(other.SendLag);
        foreach (var theirs in other.Intervals)
        {
            var mine = Interval(theirs.Second);
            mine.Latency.Add(theirs.Latency);
            mine.AddCounts(theirs.Ok, theirs.Fail);
            mine.BytesIn += theirs.BytesIn;
            mine.BytesOut += theirs.BytesOut;
            mine.OpenConnections += theirs.OpenConnections;
            mine.CpuPercent += theirs.CpuPercent;
        }
    }
}
