namespace C10k.Server.Admin;

/// <summary>
/// A lock-free cumulative histogram of durations with log-scale buckets, four per octave from 1 µs to about 2 minutes
/// (a percentile read from it is off by at most 19%, plenty for a status page). Writers only increment; readers copy.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Number of buckets.</summary>
    public const int BucketCount = 4 * 27;

    private const double SmallestBoundSeconds = 1e-6;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Counts one duration.</summary>
    public void Record(double seconds) => Interlocked.Increment(ref _counts[BucketOf(seconds)]);

    /// <summary>A copy of the cumulative bucket counts.</summary>
    public long[] Snapshot()
    {
        var copy = new long[BucketCount];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _counts[i]);
        }

        return copy;
    }

    /// <summary>Upper bound of bucket <paramref name="index"/>, in seconds.</summary>
    public static double UpperBound(int index) => SmallestBoundSeconds * Math.Pow(2, index / 4.0);

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) of the durations counted between two snapshots, as a bucket's upper bound;
    /// NaN when nothing was counted in between.
    /// </summary>
    public static double Percentile(long[] newer, long[]? older, double quantile)
    {
        long total = 0;
        for (var i = 0; i < newer.Length; i++)
        {
            total += newer[i] - (older?[i] ?? 0);
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < newer.Length; i++)
        {
            seen += newer[i] - (older?[i] ?? 0);
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(newer.Length - 1);
    }

    private static int BucketOf(double seconds)
    {
        if (!(seconds > SmallestBoundSeconds))
        {
            return 0;
        }

        var index = (int)Math.Ceiling(4 * Math.Log2(seconds / SmallestBoundSeconds));
        return Math.Min(index, BucketCount - 1);
    }
}
