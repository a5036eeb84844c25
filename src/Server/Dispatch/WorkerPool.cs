using System.Collections.Concurrent;

namespace C10k.Server.Dispatch;

/// <summary>
/// The per-core pool: one dedicated thread and one bounded queue per worker. Enqueue picks the shorter of two queues
/// (power of two choices) and never blocks; a worker that runs dry steals from the longest queue before it sleeps.
/// </summary>
internal sealed class WorkerPool : IWorkScheduler
{
    private readonly Worker[] _workers;
    private readonly int _capacityPerWorker;
    private readonly Action<WorkItem> _run;
    private long _steals;
    private volatile bool _stopping;

    public WorkerPool(int workerCount, int maxQueued, int nice, Action<WorkItem> run)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        _capacityPerWorker = Math.Max(1, maxQueued / workerCount);
        _run = run;
        _workers = new Worker[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            _workers[i] = new Worker(i);
        }

        foreach (var worker in _workers)
        {
            worker.Thread = new Thread(() => RunWorker(worker, nice)) { IsBackground = true, Name = $"c10k-worker-{worker.Index}" };
            worker.Thread.Start();
        }
    }

    public int QueueDepth => _workers.Sum(w => Volatile.Read(ref w.Count));

    public int BusyWorkers => _workers.Count(w => Volatile.Read(ref w.Busy) != 0);

    public long Steals => Interlocked.Read(ref _steals);

    public IReadOnlyList<long> ExecutedPerWorker => [.. _workers.Select(w => Interlocked.Read(ref w.Executed))];

    public bool TryEnqueue(WorkItem item)
    {
        var n = _workers.Length;
        var first = _workers[Random.Shared.Next(n)];
        var second = n == 1 ? first : _workers[(first.Index + 1 + Random.Shared.Next(n - 1)) % n];
        if (second.Load < first.Load)
        {
            (first, second) = (second, first);
        }

        return TryPush(first, item) || (second != first && TryPush(second, item));
    }

    public void DrainQueued(Action<WorkItem> cancel)
    {
        foreach (var worker in _workers)
        {
            while (TryTake(worker, out var item))
            {
                cancel(item);
            }
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

    private bool TryPush(Worker worker, WorkItem item)
    {
        if (Interlocked.Increment(ref worker.Count) > _capacityPerWorker)
        {
            Interlocked.Decrement(ref worker.Count);
            return false;
        }

        worker.Queue.Enqueue(item);
        if (!TryWake(worker) && Volatile.Read(ref worker.Busy) != 0)
        {
            // The chosen worker is busy: wake a sleeping one so it can steal instead of idling.
            foreach (var other in _workers)
            {
                if (TryWake(other))
                {
                    break;
                }
            }
        }

        return true;
    }

    private static bool TryWake(Worker worker)
    {
        if (Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) != 1)
        {
            return false;
        }

        worker.Signal.Release();
        return true;
    }

    private static bool TryTake(Worker worker, out WorkItem item)
    {
        if (worker.Queue.TryDequeue(out item!))
        {
            Interlocked.Decrement(ref worker.Count);
            return true;
        }

        return false;
    }

    private bool TrySteal(Worker thief, out WorkItem item)
    {
        Worker? victim = null;
        foreach (var worker in _workers)
        {
            if (worker != thief && Volatile.Read(ref worker.Count) > (victim is null ? 0 : Volatile.Read(ref victim.Count)))
            {
                victim = worker;
            }
        }

        if (victim is not null && TryTake(victim, out item))
        {
            Interlocked.Increment(ref _steals);
            return true;
        }

        item = null!;
        return false;
    }

    private void RunWorker(Worker worker, int nice)
    {
        if (nice != 0)
        {
            LinuxThreadPriority.TrySetNice(nice);
        }

        while (!_stopping)
        {
            if (TryTake(worker, out var item) || TrySteal(worker, out item))
            {
                Volatile.Write(ref worker.Busy, 1);
                _run(item);
                Interlocked.Increment(ref worker.Executed);
                Volatile.Write(ref worker.Busy, 0);
                continue;
            }

            // A full fence, not a volatile write: the store of Sleeping must be visible before the queues are read again, or
            // an enqueuer can miss it (store-load reordering) while this worker misses the new item, and sleep forever.
            Interlocked.Exchange(ref worker.Sleeping, 1);
            if (QueueDepth > 0 && Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) == 1)
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
        public readonly ConcurrentQueue<WorkItem> Queue = new();
        public readonly SemaphoreSlim Signal = new(0);
        public Thread? Thread;
        public int Count;
        public int Busy;
        public int Sleeping;
        public long Executed;

        /// <summary>Queue length plus the item running: what a new item would wait behind.</summary>
        public int Load => Volatile.Read(ref Count) + Volatile.Read(ref Busy);
    }
#pragma warning restore CA1001
}
