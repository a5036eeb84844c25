using System.Collections.Concurrent;
using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>Latencies of ok outcomes and counts by status: what a scenario and each of its steps record. Thread-safe; merged by adding.</summary>
internal sealed class OutcomeMeasurement
{
    private long _ok;
    private long _fail;

    public LongConcurrentHistogram Latency { get; } = LatencyHistograms.Create();

    public ConcurrentDictionary<string, long> FailByStatus { get; } = new(StringComparer.Ordinal);

    public long Ok => Interlocked.Read(ref _ok);

    public long Fail => Interlocked.Read(ref _fail);

    public void RecordOk(long microseconds)
    {
        LatencyHistograms.Record(Latency, microseconds);
        Interlocked.Increment(ref _ok);
    }

    public void RecordFail(string status)
    {
        Interlocked.Increment(ref _fail);
        FailByStatus.AddOrUpdate(status, 1, static (_, n) => n + 1);
    }

    /// <summary>Adds counts restored from a transported measurement (whose statuses are added on their own).</summary>
    public void AddCounts(long ok, long fail)
    {
        Interlocked.Add(ref _ok, ok);
        Interlocked.Add(ref _fail, fail);
    }

    public void Merge(OutcomeMeasurement other)
    {
        Latency.Add(other.Latency);
        AddCounts(other.Ok, other.Fail);
        AddStatuses(other.FailByStatus);
    }

    public void AddStatuses(IEnumerable<KeyValuePair<string, long>> statuses)
    {
        foreach (var (status, count) in statuses)
        {
            FailByStatus.AddOrUpdate(status, count, (_, n) => n + count);
        }
    }
}
