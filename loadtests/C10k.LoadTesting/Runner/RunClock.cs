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
    /// Completes at <paramref name="offset"/> after the run started, on the thread pool. On a manual clock continuations run on the
    /// thread that advances it, so tests drive the whole run deterministically.
    /// </summary>
    public Task DelayUntilAsync(TimeSpan offset, CancellationToken cancellationToken)
    {
        var due = offset - Elapsed;
        if (due <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        return _pacer is null ? TimerDelayAsync(due, cancellationToken) : _pacer.WaitUntilAsync(Timestamp(offset), false, cancellationToken);
    }

    public Task DelayAsync(TimeSpan due, CancellationToken cancellationToken) => DelayUntilAsync(Elapsed + due, cancellationToken);

    /// <summary>
    /// Waits of one schedule (the open-model driver's): on the system clock a reused pacer waiter whose continuations run on the
    /// pacer's thread (the driver sends from there, without a hop, and nothing is allocated per wait); on a manual clock its timers.
    /// </summary>
    public ScheduleWaiter CreateScheduleWaiter(CancellationToken cancellationToken) => new(this, _pacer?.CreateWaiter(resumeOnPacer: true, cancellationToken), cancellationToken);

    public void Dispose() => _pacer?.Dispose();

    private long Timestamp(TimeSpan offset) => _start + (long)(offset.Ticks * (Time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

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

    /// <summary>See <see cref="CreateScheduleWaiter"/>.</summary>
    internal sealed class ScheduleWaiter(RunClock clock, SendPacer.Waiter? pacerWaiter, CancellationToken cancellationToken) : IDisposable
    {
        /// <summary>Completes at <paramref name="offset"/> after the run started; await it before the next call.</summary>
        public ValueTask WaitUntilAsync(TimeSpan offset)
        {
            if (offset <= clock.Elapsed)
            {
                return ValueTask.CompletedTask;
            }

            return pacerWaiter is null
                ? new ValueTask(clock.TimerDelayAsync(offset - clock.Elapsed, cancellationToken))
                : pacerWaiter.WaitUntilAsync(clock.Timestamp(offset));
        }

        public void Dispose() => pacerWaiter?.Dispose();
    }
}
