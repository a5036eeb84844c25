using System.Buffers;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>
/// How one front puts an operation's result on the wire. Stateless: one instance per front, shared by its connections, and
/// called from any thread (a worker's reply is encoded on the worker). Inline, pooled and asynchronous results go through the
/// same two methods, so a reply's bytes don't depend on where it ran.
/// </summary>
public abstract class ReplyEncoder
{
    /// <summary>The native front's encoder.</summary>
    internal static ReplyEncoder Native { get; } = new NativeReplyEncoder();

    /// <summary>The RESP front's encoder.</summary>
    internal static ReplyEncoder Resp { get; } = new RespReplyEncoder();

    /// <summary>Writes the reply to one request: its payload when the status is OK, else its error.</summary>
    public abstract void WriteResult(IBufferWriter<byte> output, in OperationResult result);

    /// <summary>Writes the front's "wrong number of arguments" reply to request <paramref name="tag"/>.</summary>
    public abstract void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag);
}
