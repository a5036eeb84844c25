using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Progress;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Once a second: stamps each scenario's interval with what is sampled rather than counted (open connections, bytes, generator CPU)
/// and reports progress.
/// </summary>
internal sealed class RunSampler
{
    private readonly RunClock _clock;
    private readonly IReadOnlyList<ScenarioExecution> _executions;
    private readonly IProgressSink? _progress;
    private readonly CpuSampler _cpu;
    private readonly long[] _lastBytesIn;
    private readonly long[] _lastBytesOut;

    public RunSampler(RunClock clock, IReadOnlyList<ScenarioExecution> executions, IProgressSink? progress)
    {
        _clock = clock;
        _executions = executions;
        _progress = progress;
        _cpu = new CpuSampler(clock.Time);
        _lastBytesIn = new long[executions.Count];
        _lastBytesOut = new long[executions.Count];
    }

    public List<double> CpuPerSecond { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var second = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _clock.DelayUntilAsync(TimeSpan.FromSeconds(second + 1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Sample(second);

            // A sampler woken late skips the seconds it missed instead of sampling them microseconds apart.
            second = Math.Max(second + 1, (int)_clock.Elapsed.TotalSeconds);
        }

        Sample(second);
    }

    private void Sample(int second)
    {
        var cpu = _cpu.Sample();
        CpuPerSecond.Add(cpu);
        var snapshots = new List<ProgressSnapshot>(_executions.Count);
        for (var i = 0; i < _executions.Count; i++)
        {
            var m = _executions[i].Measurement;
            var interval = m.Interval(second);
            var bytesIn = m.Traffic.BytesIn;
            var bytesOut = m.Traffic.BytesOut;
            interval.BytesIn = bytesIn - _lastBytesIn[i];
            interval.BytesOut = bytesOut - _lastBytesOut[i];
            _lastBytesIn[i] = bytesIn;
            _lastBytesOut[i] = bytesOut;
            interval.OpenConnections = m.Connections.Open;
            interval.CpuPercent = cpu;
            var latency = interval.Latency;
            var c = m.Connections;
            snapshots.Add(new ProgressSnapshot(
                m.Name,
                _clock.Elapsed,
                interval.Ok + interval.Fail,
                latency.TotalCount == 0 ? 0 : LatencyHistograms.Milliseconds(latency.GetValueAtPercentile(99)),
                m.Fail + c.ConnectFailures + c.ConnectTimeouts + c.Resets,
                c.Open,
                cpu));
        }

        _progress?.Report(snapshots);
    }
}
