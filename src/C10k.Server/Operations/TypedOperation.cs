using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Typed;

namespace C10k.Server.Operations;

/// <summary>
/// A synchronous operation whose reply is typed (integer, array, nil, simple string, error, bulk) rather than bytes. Placement,
/// validation and cancellation are those of <see cref="Operation"/>; each front encodes the reply its own way (docs/protocol.md).
/// </summary>
public abstract class TypedOperation : Operation
{
    /// <summary>Creates a typed operation; the parameters are <see cref="Operation"/>'s.</summary>
    protected TypedOperation(string name, ushort opcode, OperationPlacement placement, int minArgs, int maxArgs)
        : base(name, opcode, placement, minArgs, maxArgs) => IsTyped = true;

    /// <inheritdoc />
    public sealed override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken) =>
        Execute(args, new ReplyWriter(reply), cancellationToken);

    /// <summary>Runs the request and writes exactly one value to <paramref name="reply"/> (an array's header, then its elements).</summary>
    public abstract void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken);
}
