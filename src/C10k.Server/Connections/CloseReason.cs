namespace C10k.Server.Connections;

/// <summary>Why a connection ended: the <c>reason</c> tag of <c>c10k.connections.closed</c> and the close log line.</summary>
internal enum CloseReason
{
    /// <summary>The peer closed its side.</summary>
    ClientClosed,

    /// <summary>The peer reset the connection.</summary>
    Reset,

    /// <summary>The transport aborted the connection.</summary>
    Aborted,

    /// <summary>Malformed input: the error reply was sent after every earlier reply, then the connection closed.</summary>
    ProtocolError,

    /// <summary>The server drained it (SIGTERM).</summary>
    Drain,

    /// <summary>RESP QUIT.</summary>
    Quit,

    /// <summary><c>C10k:Limits:MaxConnectionAgeMs</c> passed, between requests.</summary>
    MaxConnectionAge,

    /// <summary>Nothing arrived and nothing was in flight for <c>C10k:Limits:IdleTimeoutMs</c>.</summary>
    IdleTimeout,

    /// <summary>One frame stayed incomplete for <c>C10k:Limits:PartialFrameTimeoutMs</c>.</summary>
    PartialFrameTimeout,

    /// <summary>A flush made no progress for <c>C10k:Limits:PartialFrameTimeoutMs</c>: the peer does not read.</summary>
    OutputStalled,

    /// <summary>Replies waiting for the peer passed <c>C10k:Limits:MaxPendingOutputBytes</c>.</summary>
    OutputOverflow,

    /// <summary>An unexpected exception (a bug, in a front's parser say) ended the connection; logged (event 105).</summary>
    Failed,
}

/// <summary>Metric and log names of <see cref="CloseReason"/>.</summary>
internal static class CloseReasons
{
    /// <summary>The tag value.</summary>
    public static string Tag(this CloseReason reason) => reason switch
    {
        CloseReason.ClientClosed => "client_closed",
        CloseReason.Reset => "reset",
        CloseReason.Aborted => "aborted",
        CloseReason.ProtocolError => "protocol_error",
        CloseReason.Drain => "drain",
        CloseReason.Quit => "quit",
        CloseReason.MaxConnectionAge => "max_connection_age",
        CloseReason.IdleTimeout => "idle_timeout",
        CloseReason.PartialFrameTimeout => "partial_frame_timeout",
        CloseReason.OutputStalled => "output_stalled",
        CloseReason.OutputOverflow => "output_overflow",
        CloseReason.Failed => "failed",
        _ => "other",
    };
}
