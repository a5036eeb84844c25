using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;

namespace C10k.Server.Operations;

/// <summary>ECHO message: replies the message.</summary>
internal sealed class EchoOperation() : Operation("ECHO", NativeOpcodes.Echo, OperationPlacement.Inline, 1, 1)
{
    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        foreach (var segment in args[0])
        {
            reply.Write(segment.Span);
        }
    }
}
