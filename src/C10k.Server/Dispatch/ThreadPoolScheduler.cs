namespace C10k.Server.Dispatch;

/// <summary>
/// Work on the .NET ThreadPool, as <c>Task.Run</c> would do it, bounded by the same queue limit. Kept as the baseline that shows
/// why CPU work does not belong on the pool that also runs Kestrel's I/O continuations.
/// </summary>
internal sealed class ThreadPoolScheduler(int maxQueued, Action<WorkItem> run) : IWorkScheduler
{
    private int _queued;
    private int _busy;

    public int QueueDepth => Volatile.Read(ref _queued);

    public int BusyWorkers => Volatile.Read(ref _busy);

    public IReadOnlyList<long> ExecutedPerWorker => [];

    public bool TryEnqueue(WorkItem item)
    {
        if (Interlocked.Increment(ref _queued) > maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _ = Task.Run(() =>
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _busy);
            run(item);
            Interlocked.Decrement(ref _busy);
        });
        return true;
    }

    /// <summary>Items already on the ThreadPool can't be pulled back; the dispatcher's shutdown flag makes them reply SHUTTING_DOWN unexecuted.</summary>
    public void DrainQueued(Action<WorkItem> cancel)
    {
    }

    public void Dispose()
    {
    }
}
