namespace C10k.Server.Operations;

/// <summary>Where an operation runs.</summary>
public enum OperationPlacement
{
    /// <summary>Always on the connection's I/O thread: cheaper than a thread hop.</summary>
    Inline,

    /// <summary>Always on the worker pool.</summary>
    Worker,

    /// <summary>Decided per request: its cost estimate times the calibrated time per cost unit, against the inline threshold.</summary>
    Auto,
}
