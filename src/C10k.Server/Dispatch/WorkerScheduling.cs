namespace C10k.Server.Dispatch;

/// <summary>The Linux scheduling policy of the worker threads (<c>C10k:Workers:Scheduling</c>); ignored elsewhere.</summary>
public enum WorkerScheduling
{
    /// <summary>SCHED_OTHER: the normal time-sharing policy, weighted by <c>Workers:Nice</c>.</summary>
    Normal,

    /// <summary>SCHED_BATCH: time-sharing, but a worker's wake-up never preempts a running thread.</summary>
    Batch,

    /// <summary>SCHED_IDLE: workers run only on CPU time no normal thread wants; any socket thread preempts them at once.</summary>
    Idle,

    /// <summary>
    /// SCHED_OTHER with a long time slice (20 ms, sched_setattr; the EEVDF scheduler of Linux 6.12 and later, older kernels
    /// ignore it): a waking thread with the default slice (about 1.4 ms here) preempts a worker at once, yet workers keep
    /// their fair share of the CPU, as at nice 0.
    /// </summary>
    LongSlice,
}
