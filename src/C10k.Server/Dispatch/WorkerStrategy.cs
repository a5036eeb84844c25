namespace C10k.Server.Dispatch;

/// <summary>Where heavy requests run (<c>C10k:Workers:Strategy</c>). All four are kept so the dispatch benchmark can compare them.</summary>
public enum WorkerStrategy
{
    /// <summary>Dedicated threads, one per core, taking work round-robin by connection from one fair, bounded queue (default).</summary>
    PerCore,

    /// <summary>Everything on the I/O thread that read it: the event-loop model, for comparison.</summary>
    Inline,

    /// <summary>The .NET ThreadPool (what Task.Run does), bounded by the same queue limit.</summary>
    ThreadPool,

    /// <summary>Dedicated threads sharing one queue.</summary>
    SharedQueue,
}
