namespace C10k.Server.Dispatch;

/// <summary>Runs work items off the I/O threads. Implementations never block the caller of <see cref="TryEnqueue"/>.</summary>
internal interface IWorkScheduler : IDisposable
{
    /// <summary>Queues <paramref name="item"/>; false when the bound is reached (the caller replies BUSY).</summary>
    bool TryEnqueue(WorkItem item);

    /// <summary>
    /// False while <paramref name="owner"/> holds more than its fair share of a full queue: its read loop pauses (TCP backpressure)
    /// until a reply of its own wakes it. Schedulers without per-connection shares always say true.
    /// </summary>
    bool MayQueue(IWorkOwner owner) => true;

    /// <summary>Items waiting now.</summary>
    int QueueDepth { get; }

    /// <summary>Threads running an item now.</summary>
    int BusyWorkers { get; }

    /// <summary>Items executed per worker thread (empty where threads are not the scheduler's own).</summary>
    IReadOnlyList<long> ExecutedPerWorker { get; }

    /// <summary>Removes every item not yet started and hands each to <paramref name="cancel"/>.</summary>
    void DrainQueued(Action<WorkItem> cancel);
}
