using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Buffers;
using C10k.Server.Dispatch;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>The path of an operation's request on every front: placed first, then run inline, queued, or refused.</summary>
internal static class OperationRequest
{
    // Inline payloads are written here first: inline work runs only on I/O threads, one request at a time per thread.
    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    /// <summary>
    /// Answers the request now through <paramref name="writer"/> (inline or refused), or queues it; a queued request takes its
    /// place in the reply order before the pool can finish it, and only then (RESP pays for ordering only on the pool).
    /// </summary>
    public static void Run(CommandDispatcher dispatcher, ConnectionWriter writer, Operation operation, in ArgumentList args, uint tag, uint deadlineMs)
    {
        var statusLine = operation.RepliesWithStatusLine(args);
        switch (dispatcher.Place(operation, args, out var cost, out var status, out var error))
        {
            case Placement.Inline:
                var scratch = t_scratch ??= new PooledBufferWriter();
                status = dispatcher.RunInline(operation, args, cost, scratch, out error);
                writer.Answer(operation, tag, status, scratch.WrittenSpan, error, statusLine);
                scratch.Reset();
                break;
            case Placement.Pool:
                writer.BeginPooled(tag);
                if (!dispatcher.Enqueue(operation, args, writer, tag, deadlineMs, cost, statusLine))
                {
                    writer.CancelPooled(tag);
                    writer.Answer(operation, tag, NativeStatus.Busy, default, "worker queue full");
                }

                break;
            case Placement.WrongArity:
                writer.AnswerWrongArity(operation, tag);
                break;
            default:
                writer.Answer(operation, tag, status, default, error);
                break;
        }
    }
}
