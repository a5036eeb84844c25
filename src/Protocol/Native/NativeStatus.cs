namespace C10k.Protocol.Native;

/// <summary>Status byte of a reply frame.</summary>
public enum NativeStatus : byte
{
    /// <summary>Success; the payload is the result.</summary>
    Ok = 0,

    /// <summary>The operation failed on the server; the payload is a UTF-8 message.</summary>
    Error = 1,

    /// <summary>The server's work queue is full: retry later.</summary>
    Busy = 2,

    /// <summary>The request's deadline passed before it ran.</summary>
    Timeout = 3,

    /// <summary>The frame's length is over the server's maximum; the server closes the connection.</summary>
    TooLarge = 4,

    /// <summary>No operation has this opcode; the connection stays usable.</summary>
    UnknownOp = 5,

    /// <summary>The arguments are malformed or out of range.</summary>
    BadArgs = 6,

    /// <summary>The server holds its maximum number of connections; sent with request id 0, then close.</summary>
    ConnectionLimit = 7,

    /// <summary>The server is draining and did not run the request.</summary>
    ShuttingDown = 8,

    /// <summary>
    /// The request started and was stopped while running (its deadline passed, or a drain timed out). Unlike
    /// <see cref="Timeout"/> (never executed, safe to retry) an operation with side effects may have had some of them.
    /// </summary>
    Cancelled = 9,

    /// <summary>
    /// The server requires authentication: the request was not run (connection stays open), or an AUTH failed (its payload says why).
    /// </summary>
    Unauthenticated = 10,

    /// <summary>The server refuses this client (protected mode); sent with request id 0, then close.</summary>
    Denied = 11,
}
