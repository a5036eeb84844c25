namespace C10k.LoadTesting.Measurement;

/// <summary>The generator's own CPU use between two calls, in percent of one core (200 = two cores busy).</summary>
internal sealed class CpuSampler
{
    private readonly TimeProvider _time;
    private TimeSpan _lastCpu;
    private long _lastTimestamp;

    public CpuSampler(TimeProvider time)
    {
        _time = time;
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastTimestamp = time.GetTimestamp();
    }

    public double Sample()
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var now = _time.GetTimestamp();
        var wall = _time.GetElapsedTime(_lastTimestamp, now);
        var percent = wall > TimeSpan.Zero ? 100.0 * (cpu - _lastCpu) / wall : 0;
        _lastCpu = cpu;
        _lastTimestamp = now;
        return percent;
    }
}
