using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>One second of one scenario: latencies, counts, and values sampled at the end of the second.</summary>
internal sealed class IntervalMeasurement
{
    private long _ok;
    private long _fail;

    public IntervalMeasurement(int second, LongConcurrentHistogram latency)
    {
        Second = second;
        Latency = latency;
    }

    public int Second { get; }

    public LongConcurrentHistogram Latency { get; }

    public long Ok => Interlocked.Read(ref _ok);

    public long Fail => Interlocked.Read(ref _fail);

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long OpenConnections { get; set; }

    public double CpuPercent { get; set; }

    public void RecordOk(long microseconds)
    {
        LatencyHistograms.Record(Latency, microseconds);
        Interlocked.Increment(ref _ok);
    }

    public void RecordFail() => Interlocked.Increment(ref _fail);

    public void AddCounts(long ok, long fail)
    {
        Interlocked.Add(ref _ok, ok);
        Interlocked.Add(ref _fail, fail);
    }
}
