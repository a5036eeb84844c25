namespace C10k.Server.Dispatch;

/// <summary>The connection a work item belongs to: it takes the finished item back through its single writer.</summary>
internal interface IWorkOwner
{
    /// <summary>True once the connection has closed: its queued work is dropped, not executed.</summary>
    bool IsClosed { get; }

    /// <summary>Takes a finished (or cancelled) item. Called on a worker thread: must not block or touch a pipe.</summary>
    void OnWorkCompleted(WorkItem item);
}
