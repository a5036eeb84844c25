using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Tests.Resp;

/// <summary>WECHO message: always on the worker pool, replies at once; finishes before a blocked GATE does.</summary>
public sealed class WorkerEchoOperation() : Operation("WECHO", 0x1101, OperationPlacement.Worker, 1, 1)
{
    private int _executed;

    public int Executed => Volatile.Read(ref _executed);

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        foreach (var segment in args[0])
        {
            reply.Write(segment.Span);
        }

        Interlocked.Increment(ref _executed);
    }
}
