namespace C10k.Testing;

/// <summary>A clock whose timestamps move only when the test says so (timers from <see cref="TimeProvider.CreateTimer"/> still run on the real one).</summary>
public sealed class ManualTime : TimeProvider
{
    private long _timestamp;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, (long)(by.TotalSeconds * TimestampFrequency));
}
