using System.ComponentModel.DataAnnotations;
using C10k.Server.Dispatch;

namespace C10k.Server.Hosting;

/// <summary>Worker pool, section <c>C10k:Workers</c>.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Workers";

    /// <summary>Worker threads. Default 0 = one per processor.</summary>
    [Range(0, 1024)]
    public int Count { get; set; }

    /// <summary>Where heavy work runs. Default <see cref="WorkerStrategy.PerCore"/>; the others exist for the dispatch benchmark.</summary>
    public WorkerStrategy Strategy { get; set; } = WorkerStrategy.PerCore;

    /// <summary>
    /// Items the worker queue holds before it is full. Default 0 = 1,024 per worker. A full queue still takes a connection's work
    /// up to its fair share, max(1, MaxQueued ÷ connections with queued work); past its share a connection is not read any more
    /// (TCP backpressure) until its own replies drain.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxQueued { get; set; }

    /// <summary>
    /// Bytes of queued requests (their argument copies plus 256 per item) before the queue is full, shared the same way as
    /// <see cref="MaxQueued"/>; a connection with nothing queued may always queue one request. Default 64 MiB.
    /// </summary>
    [Range(1_048_576L, long.MaxValue)]
    public long MaxQueuedBytes { get; set; } = 64L << 20;

    /// <summary>Deadline of a request that carries none, in ms; work not started by then gets TIMEOUT. Default 10,000; 0 = none.</summary>
    [Range(0, int.MaxValue)]
    public int DefaultDeadlineMs { get; set; } = 10_000;

    /// <summary>Longest deadline a request may ask for, in ms; a larger one (the native header allows 49 days) is capped to it. Default 60,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDeadlineMs { get; set; } = 60_000;

    /// <summary>Auto-placed requests whose estimated time is above this run on the pool, the rest inline. Default 50 µs.</summary>
    [Range(0, 10_000_000)]
    public int InlineThresholdMicroseconds { get; set; } = 50;

    /// <summary>
    /// Linux scheduling of the worker threads (sched_setscheduler or sched_setattr on each thread), so that socket threads win
    /// the CPU. Default Idle (SCHED_IDLE: workers take only CPU time no other thread wants), the variant bench/responsiveness.sh
    /// picked; the variants and their trade-off: docs/dispatch.md.
    /// </summary>
    public WorkerScheduling Scheduling { get; set; } = WorkerScheduling.Idle;

    /// <summary>
    /// Linux nice value of the worker threads (setpriority on each thread; with LongSlice, part of sched_setattr). Default 0:
    /// a higher value also hands the workers' CPU to every other process (docs/dispatch.md).
    /// </summary>
    [Range(0, 19)]
    public int Nice { get; set; }

    /// <summary>Worker count after applying the default.</summary>
    public int EffectiveCount => Count > 0 ? Count : Environment.ProcessorCount;

    /// <summary>Queue bound after applying the default.</summary>
    public int EffectiveMaxQueued => MaxQueued > 0 ? MaxQueued : 1024 * EffectiveCount;
}
