using HdrHistogram;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Tests;

public sealed class HistogramMergeTests
{
    [Fact]
    public void MergedProcessesGiveThePercentilesOfAllSamplesNotTheAverageOfPercentiles()
    {
        var fast = new ScenarioMeasurement("s");
        var slow = new ScenarioMeasurement("s");
        var all = LatencyHistograms.Create();
        for (var i = 0; i < 9_900; i++)
        {
            fast.RecordOk(0, 100);
            all.RecordValue(100);
        }

        for (var i = 0; i < 100; i++)
        {
            slow.RecordOk(1, 1_000_000);
            all.RecordValue(1_000_000);
        }

        var merged = new ScenarioMeasurement("s");
        merged.Merge(Transported(fast));
        merged.Merge(Transported(slow));

        Assert.Equal(10_000, merged.Ok);
        Assert.Equal(all.GetValueAtPercentile(99), merged.Latency.GetValueAtPercentile(99));
        Assert.Equal(all.GetValueAtPercentile(99.9), merged.Latency.GetValueAtPercentile(99.9));
        Assert.True(merged.Latency.GetValueAtPercentile(99.9) >= 999_000);
        Assert.Equal([0, 1], merged.Intervals.Select(i => i.Second));
    }

    [Fact]
    public void MergeSumsCountersAndConnectionsAcrossProcesses()
    {
        var a = new ScenarioMeasurement("s");
        var b = new ScenarioMeasurement("s");
        a.RecordFail(0, "timeout");
        b.RecordFail(0, "timeout");
        b.RecordFail(0, "ERR");
        a.Connections.OnOpened();
        b.Connections.OnOpened();
        b.Connections.OnConnectFailed("connection refused 127.0.0.1:1");
        a.Traffic.Add(10, 20);

        var merged = new ScenarioMeasurement("s");
        merged.Merge(Transported(a));
        merged.Merge(Transported(b));

        Assert.Equal(3, merged.Fail);
        Assert.Equal(2, merged.FailByStatus["timeout"]);
        Assert.Equal(2, merged.Connections.MaxOpen);
        Assert.Equal(1, merged.Connections.ConnectFailures);
        Assert.Equal(1, merged.Connections.ErrorsByReason["connection refused 127.0.0.1:1"]);
        Assert.Equal(10, merged.Traffic.BytesIn);
    }

    [Fact]
    public void EncodedHistogramRoundTripsExactly()
    {
        var h = LatencyHistograms.Create();
        foreach (var v in new long[] { 1, 17, 950, 12_345, 5_000_000 })
        {
            h.RecordValue(v);
        }

        var decoded = HistogramCodec.Decode(HistogramCodec.Encode(h));

        Assert.Equal(h.TotalCount, decoded.TotalCount);
        Assert.Equal(h.GetValueAtPercentile(50), decoded.GetValueAtPercentile(50));
        Assert.Equal(h.GetMaxValue(), decoded.GetMaxValue());
    }

    private static ScenarioMeasurement Transported(ScenarioMeasurement m) => MeasurementTransport.FromJson(MeasurementTransport.ToJson(m));
}
