using C10k.Server.Admin;

namespace C10k.Ops.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void PercentilesOfTheDifferenceBetweenSnapshotsIgnoreOlderDurations()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 1000; i++)
        {
            histogram.Record(1.0);
        }

        var older = histogram.Snapshot();
        for (var i = 0; i < 99; i++)
        {
            histogram.Record(0.001);
        }

        histogram.Record(0.1);
        var newer = histogram.Snapshot();

        AssertWithinBucket(0.001, LatencyHistogram.Percentile(newer, older, 0.50));
        AssertWithinBucket(0.001, LatencyHistogram.Percentile(newer, older, 0.99));
        AssertWithinBucket(0.1, LatencyHistogram.Percentile(newer, older, 1.0));
    }

    [Fact]
    public void PercentileIsNaNWhenNothingWasRecordedInBetween()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0.5);
        var snapshot = histogram.Snapshot();

        Assert.True(double.IsNaN(LatencyHistogram.Percentile(snapshot, snapshot, 0.5)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(1e9)]
    public void OutOfRangeDurationsLandInTheEdgeBuckets(double seconds)
    {
        var histogram = new LatencyHistogram();

        histogram.Record(seconds);

        Assert.Equal(1, histogram.Snapshot().Sum());
    }

    private static void AssertWithinBucket(double expected, double actual) =>
        Assert.InRange(actual, expected, expected * Math.Pow(2, 0.25));
}
