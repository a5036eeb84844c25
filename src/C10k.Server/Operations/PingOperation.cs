using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;

namespace C10k.Server.Operations;

/// <summary>PING [message]: replies "PONG", or the message.</summary>
internal sealed class PingOperation() : Operation("PING", NativeOpcodes.Ping, OperationPlacement.Inline, 0, 1)
{
    public override bool RepliesWithStatusLine(in ArgumentList args) => args.Count == 0;

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            reply.Write("PONG"u8);
            return;
        }

        foreach (var segment in args[0])
        {
            reply.Write(segment.Span);
        }
    }
}
