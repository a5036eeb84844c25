namespace C10k.LoadTesting.Runner;

/// <summary>Time since the run started, from the injected <see cref="TimeProvider"/>.</summary>
internal sealed class RunClock
{
    private readonly long _start;

    public RunClock(TimeProvider time)
    {
        Time = time;
        _start = time.GetTimestamp();
    }

    public TimeProvider Time { get; }

    public TimeSpan Elapsed => Time.GetElapsedTime(_start);

    /// <summary>
    /// Completes at <paramref name="offset"/> after the run started. Continuations run on the thread that fires the timer
    /// (Task.Delay over a TimeProvider forces them onto the thread pool), so a manual clock in tests drives the whole run deterministically.
    /// </summary>
    public Task DelayUntilAsync(TimeSpan offset, CancellationToken cancellationToken)
    {
        var due = offset - Elapsed;
        return due <= TimeSpan.Zero ? Task.CompletedTask : DelayAsync(due, cancellationToken);
    }

    public Task DelayAsync(TimeSpan due, CancellationToken cancellationToken)
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
