namespace C10k.Server.Dispatch;

/// <summary>Where <see cref="CommandDispatcher.Place"/> sends a request.</summary>
internal enum Placement
{
    /// <summary>Run now, on the I/O thread (<see cref="CommandDispatcher.RunInline"/>).</summary>
    Inline,

    /// <summary>Hand to the worker pool (<see cref="CommandDispatcher.Enqueue"/>).</summary>
    Pool,

    /// <summary>Refused: the argument count is outside the operation's range (each front words this its own way).</summary>
    WrongArity,

    /// <summary>Refused with a status and message: bad arguments, or the server is draining.</summary>
    Refused,
}
