using System.Collections.Concurrent;
using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>
/// Everything recorded for one scenario: the whole-run histogram, one histogram per second, ok/fail by status,
/// connection events and traffic. Thread-safe for recording; merged (never averaged) across processes.
/// </summary>
internal sealed class ScenarioMeasurement
{
    private readonly ConcurrentDictionary<int, IntervalMeasurement> _intervals = new();
    private long _ok;
    private long _fail;
    private long _maxSendLagMicroseconds;

    public ScenarioMeasurement(string name) => Name = name;

    public string Name { get; }

    public LongConcurrentHistogram Latency { get; } = LatencyHistograms.Create();

    public ConcurrentDictionary<string, long> FailByStatus { get; } = new(StringComparer.Ordinal);

    public ConnectionCounters Connections { get; } = new();

    public TrafficCounters Traffic { get; } = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Fail => Interlocked.Read(ref _fail);

    /// <summary>Measured load time (warm-up and connect phase excluded), for requests per second.</summary>
    public TimeSpan MeasuredDuration { get; set; }

    /// <summary>Open model: the latest a request was sent after its intended time; large values mean the generator fell behind.</summary>
    public long MaxSendLagMicroseconds => Interlocked.Read(ref _maxSendLagMicroseconds);

    public IEnumerable<IntervalMeasurement> Intervals => _intervals.Values.OrderBy(i => i.Second);

    public IntervalMeasurement Interval(int second) => _intervals.GetOrAdd(second, static s => new IntervalMeasurement(s, LatencyHistograms.Create()));

    public void RecordOk(int second, long microseconds)
    {
        LatencyHistograms.Record(Latency, microseconds);
        Interlocked.Increment(ref _ok);
        Interval(second).RecordOk(microseconds);
    }

    public void RecordFail(int second, string status)
    {
        Interlocked.Increment(ref _fail);
        FailByStatus.AddOrUpdate(status, 1, static (_, n) => n + 1);
        Interval(second).RecordFail();
    }

    public void RecordSendLag(long microseconds)
    {
        var current = Interlocked.Read(ref _maxSendLagMicroseconds);
        while (microseconds > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxSendLagMicroseconds, microseconds, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Restores totals of a decoded measurement.</summary>
    public void AddTotals(long ok, long fail)
    {
        Interlocked.Add(ref _ok, ok);
        Interlocked.Add(ref _fail, fail);
    }

    /// <summary>Adds another process's measurement of the same scenario: histograms are added bucket by bucket, counters summed.</summary>
    public void Merge(ScenarioMeasurement other)
    {
        Latency.Add(other.Latency);
        Interlocked.Add(ref _ok, other.Ok);
        Interlocked.Add(ref _fail, other.Fail);
        foreach (var (status, count) in other.FailByStatus)
        {
            FailByStatus.AddOrUpdate(status, count, (_, n) => n + count);
        }

        Connections.Add(other.Connections);
        Traffic.Add(other.Traffic.BytesIn, other.Traffic.BytesOut);
        MeasuredDuration = MeasuredDuration > other.MeasuredDuration ? MeasuredDuration : other.MeasuredDuration;
        RecordSendLag(other.MaxSendLagMicroseconds);
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
