using System.Collections.Concurrent;
using C10k.Server.Hosting;

namespace C10k.Server.Dispatch;

/// <summary>Dedicated threads sharing one bounded FIFO, first come first served: the baseline the fair pool is measured against.</summary>
internal sealed class SharedQueueScheduler : IWorkScheduler
{
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Thread[] _threads;
    private readonly long[] _executed;
    private readonly int _capacity;
    private readonly Action<WorkItem> _run;
    private int _count;
    private int _busy;
    private volatile bool _stopping;

    public SharedQueueScheduler(WorkerOptions options, Action<WorkItem> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        var workerCount = options.EffectiveCount;
        _capacity = options.EffectiveMaxQueued;
        _run = run;
        _executed = new long[workerCount];
        _threads = new Thread[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            var index = i;
            _threads[i] = new Thread(() => RunWorker(index, options.Scheduling, options.Nice)) { IsBackground = true, Name = $"c10k-shared-{i}" };
            _threads[i].Start();
        }
    }

    public int QueueDepth => Volatile.Read(ref _count);

    public int BusyWorkers => Volatile.Read(ref _busy);

    public IReadOnlyList<long> ExecutedPerWorker => [.. _executed.Select(e => Interlocked.Read(ref e))];

    public bool TryEnqueue(WorkItem item)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _queue.Enqueue(item);
        _available.Release();
        return true;
    }

    public void DrainQueued(Action<WorkItem> cancel)
    {
        while (_queue.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            cancel(item);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _available.Release(_threads.Length);
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        _available.Dispose();
    }

    private void RunWorker(int index, WorkerScheduling scheduling, int nice)
    {
        if (scheduling != WorkerScheduling.Normal || nice != 0)
        {
            LinuxThreadPriority.TryApply(scheduling, nice);
        }

        while (true)
        {
            _available.Wait();
            if (_stopping)
            {
                return;
            }

            if (!_queue.TryDequeue(out var item))
            {
                continue; // drained by DrainQueued
            }

            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _busy);
            _run(item);
            Interlocked.Increment(ref _executed[index]);
            Interlocked.Decrement(ref _busy);
        }
    }
}
