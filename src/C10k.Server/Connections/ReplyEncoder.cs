using System.Buffers;
using C10k.Protocol.Native;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>
/// How one front puts an operation's result on the wire. Stateless: one instance per front, shared by its connections.
/// Inline results and worker results go through the same two methods, so a reply's bytes don't depend on where it ran.
/// </summary>
internal abstract class ReplyEncoder
{
    /// <summary>The native front's encoder.</summary>
    public static ReplyEncoder Native { get; } = new NativeReplyEncoder();

    /// <summary>The RESP front's encoder.</summary>
    public static ReplyEncoder Resp { get; } = new RespReplyEncoder();

    /// <summary>
    /// Writes the reply to request <paramref name="tag"/>: <paramref name="payload"/> when <paramref name="status"/> is OK
    /// (a status line rather than binary data when <paramref name="statusLine"/>), else <paramref name="error"/>.
    /// </summary>
    public abstract void WriteResult(IBufferWriter<byte> output, Operation operation, uint tag, NativeStatus status, ReadOnlySpan<byte> payload, string? error, bool statusLine);

    /// <summary>Writes the front's "wrong number of arguments" reply.</summary>
    public abstract void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag);
}
