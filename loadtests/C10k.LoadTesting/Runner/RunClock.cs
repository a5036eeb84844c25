namespace C10k.LoadTesting.Runner;

/// <summary>
/// Time since the run started, from the injected <see cref="TimeProvider"/>. On the system clock, delays go through a
/// <see cref="SendPacer"/> (precise to tens of microseconds); on any other provider (a manual clock in tests) through its timers.
/// </summary>
internal sealed class RunClock : IDisposable
{
    private readonly long _start;
    private readonly SendPacer? _pacer;

    public RunClock(TimeProvider time)
    {
        Time = time;
        _start = time.GetTimestamp();
        _pacer = time == TimeProvider.System ? new SendPacer() : null;
    }

    public TimeProvider Time { get; }

    public TimeSpan Elapsed => Time.GetElapsedTime(_start);

    /// <summary>
    /// Completes at <paramref name="offset"/> after the run started. With <paramref name="resumeOnPacer"/> the continuation runs on the
    /// pacer's thread (the open-model driver sends from there, without a hop); otherwise on the thread pool. On a manual clock
    /// continuations run on the thread that advances it, so tests drive the whole run deterministically.
    /// </summary>
    public Task DelayUntilAsync(TimeSpan offset, CancellationToken cancellationToken, bool resumeOnPacer = false)
    {
        var due = offset - Elapsed;
        if (due <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        return _pacer is null
            ? TimerDelayAsync(due, cancellationToken)
            : _pacer.WaitUntilAsync(_start + (long)(offset.Ticks * (Time.TimestampFrequency / (double)TimeSpan.TicksPerSecond)), resumeOnPacer, cancellationToken);
    }

    public Task DelayAsync(TimeSpan due, CancellationToken cancellationToken) => DelayUntilAsync(Elapsed + due, cancellationToken);

    public void Dispose() => _pacer?.Dispose();

    private Task TimerDelayAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource();
        var timer = Time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), completion, due, Timeout.InfiniteTimeSpan);
        var registration = cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), completion);
        return completion.Task.ContinueWith(
            (task, state) =>
            {
                timer.Dispose();
                registration.Dispose();
                task.GetAwaiter().GetResult();
            },
            null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
