using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>The one histogram shape every recorder and merge uses: microseconds, 1 µs to 10 min, 3 significant digits.</summary>
internal static class LatencyHistograms
{
    /// <summary>Longest latency recorded as itself; longer ones are clamped (a 10-minute reply is a failure anyway).</summary>
    public const long HighestMicroseconds = 600_000_000;

    public static LongConcurrentHistogram Create() => new(1, HighestMicroseconds, 3);

    public static void Record(HistogramBase histogram, long microseconds) =>
        histogram.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));

    public static double Milliseconds(long microseconds) => microseconds / 1000.0;
}
