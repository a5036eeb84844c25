namespace C10k.Server.Connections;

/// <summary>What an operation's reply payload holds, and how the front is asked to encode it.</summary>
public enum ReplyForm : byte
{
    /// <summary>Bytes (RESP: a bulk string; native: the payload as is).</summary>
    Bulk,

    /// <summary>Bytes that are a short status line such as PONG (RESP: a simple string; native: the payload as is).</summary>
    StatusLine,

    /// <summary>A typed value (<see cref="C10k.Protocol.Typed.ReplyWriter"/>) for a client that reads typed replies.</summary>
    Typed,

    /// <summary>A typed value for a client that reads bytes only (a native version-1 client): flatten it (docs/protocol.md).</summary>
    TypedAsBytes,
}
