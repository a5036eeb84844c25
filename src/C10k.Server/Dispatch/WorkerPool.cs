using C10k.Server.Hosting;

namespace C10k.Server.Dispatch;

/// <summary>
/// The worker pool: one dedicated thread per core (by default) taking work from one <see cref="FairWorkQueue"/>, round-robin by
/// connection, so a connection with one request waits behind one request of each other busy connection, not behind all of
/// theirs. Enqueue never blocks; an idle worker sleeps on its own semaphore and an enqueue wakes one sleeper.
/// </summary>
internal sealed class WorkerPool : IWorkScheduler
{
    private readonly Worker[] _workers;
    private readonly FairWorkQueue _queue;
    private readonly Action<WorkItem> _run;
    private volatile bool _stopping;

    public WorkerPool(WorkerOptions options, Action<WorkItem> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = new FairWorkQueue(options.EffectiveMaxQueued, options.MaxQueuedBytes);
        _run = run;
        _workers = new Worker[options.EffectiveCount];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(i);
        }

        foreach (var worker in _workers)
        {
            worker.Thread = new Thread(() => RunWorker(worker, options.Scheduling, options.Nice))
            {
                IsBackground = true,
                Name = $"c10k-worker-{worker.Index}",
            };
            worker.Thread.Start();
        }
    }

    public int QueueDepth => _queue.Count;

    public int BusyWorkers => _workers.Count(w => Volatile.Read(ref w.Busy) != 0);

    public IReadOnlyList<long> ExecutedPerWorker => [.. _workers.Select(w => Interlocked.Read(ref w.Executed))];

    public bool MayQueue(IWorkOwner owner) => _queue.MayQueue(owner);

    public bool TryEnqueue(WorkItem item)
    {
        if (!_queue.TryAdd(item))
        {
            return false;
        }

        foreach (var worker in _workers)
        {
            if (Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) == 1)
            {
                worker.Signal.Release();
                break;
            }
        }

        return true;
    }

    public void DrainQueued(Action<WorkItem> cancel)
    {
        while (_queue.TryTake(out var item))
        {
            cancel(item);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var worker in _workers)
        {
            worker.Signal.Release();
        }

        foreach (var worker in _workers)
        {
            worker.Thread?.Join(TimeSpan.FromSeconds(5));
            worker.Signal.Dispose();
        }
    }

    private void RunWorker(Worker worker, WorkerScheduling scheduling, int nice)
    {
        if (scheduling != WorkerScheduling.Normal || nice != 0)
        {
            LinuxThreadPriority.TryApply(scheduling, nice);
        }

        while (!_stopping)
        {
            if (_queue.TryTake(out var item))
            {
                Volatile.Write(ref worker.Busy, 1);
                _run(item);
                Interlocked.Increment(ref worker.Executed);
                Volatile.Write(ref worker.Busy, 0);
                continue;
            }

            // A full fence, not a volatile write: the store of Sleeping must be visible before the queue is read again, or an
            // enqueuer can miss it (store-load reordering) while this worker misses the new item, and sleep forever.
            Interlocked.Exchange(ref worker.Sleeping, 1);
            if (_queue.Count > 0 && Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) == 1)
            {
                continue; // work arrived between the last look and going to sleep
            }

            worker.Signal.Wait();
        }
    }

    // The semaphore is disposed by WorkerPool.Dispose after the thread has stopped.
#pragma warning disable CA1001
    private sealed class Worker(int index)
    {
        public readonly int Index = index;
        public readonly SemaphoreSlim Signal = new(0);
        public Thread? Thread;
        public int Busy;
        public int Sleeping;
        public long Executed;
    }
#pragma warning restore CA1001
}
