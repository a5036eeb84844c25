using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Typed;

namespace C10k.Server.Operations;

/// <summary>
/// An operation that awaits I/O (a database, another service) without holding a thread while it waits. It starts on the
/// connection's I/O thread: the code before its first incomplete await runs there, so it must be cheap; the rest runs wherever
/// the awaited I/O completes. It never occupies a worker. Its request counts against the connection's in-flight cap until
/// the reply is written, like pooled work.
/// <para>
/// <c>cancellationToken</c> fires when the request's deadline passes, its connection closes, or a drain times out: pass it to
/// every await. The client then gets CANCELLED. An operation that ignores it keeps its request in flight until it ends.
/// </para>
/// </summary>
public abstract class AsyncOperation : Operation
{
    /// <summary>Creates an asynchronous operation; the parameters are <see cref="Operation"/>'s.</summary>
    protected AsyncOperation(string name, ushort opcode, int minArgs, int maxArgs)
        : base(name, opcode, OperationPlacement.Async, minArgs, maxArgs) => IsTyped = true;

    /// <summary>Not used: the dispatcher calls <see cref="ExecuteAsync"/>.</summary>
    public sealed override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Name} is asynchronous: the dispatcher calls ExecuteAsync.");

    /// <summary>
    /// Runs the request and writes exactly one value to <paramref name="reply"/>. <paramref name="args"/> stay valid until the
    /// returned task completes. Throwing yields an ERROR reply (CANCELLED for an <see cref="OperationCanceledException"/> once
    /// <paramref name="cancellationToken"/> has fired); the connection survives.
    /// </summary>
    public abstract ValueTask ExecuteAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken);
}
