namespace C10k.LoadTesting.Tests;

/// <summary>
/// A simulated server on a manual clock: every request takes <c>serviceTime</c>, except that nothing completes during the stall
/// window: a request that arrives or would finish inside it finishes when the stall ends.
/// </summary>
internal sealed class StallingServer(ManualTimeProvider time, TimeSpan serviceTime, TimeSpan stallStart, TimeSpan stallEnd)
{
    public ValueTask<Response> HandleAsync()
    {
        var now = TimeSpan.FromTicks(time.GetTimestamp());
        var done = now + serviceTime;
        if (done > stallStart && now < stallEnd)
        {
            done = done < stallEnd ? stallEnd : done;
        }

        var completion = new TaskCompletionSource<Response>();
        var timer = time.CreateTimer(_ => completion.TrySetResult(Response.Ok()), null, done - now, Timeout.InfiniteTimeSpan);
        return new ValueTask<Response>(completion.Task.ContinueWith(
            t =>
            {
                timer.Dispose();
                return t.Result;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default));
    }
}
