namespace C10k.LoadTesting.Measurement;

/// <summary>Bytes written to and read from the target by one scenario's connections.</summary>
public sealed class TrafficCounters
{
    private long _bytesIn;
    private long _bytesOut;

    /// <summary>Bytes read from the target.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Bytes written to the target.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Adds to both counters.</summary>
    public void Add(long bytesIn, long bytesOut)
    {
        if (bytesIn != 0)
        {
            Interlocked.Add(ref _bytesIn, bytesIn);
        }

        if (bytesOut != 0)
        {
            Interlocked.Add(ref _bytesOut, bytesOut);
        }
    }
}
