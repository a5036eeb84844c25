using System.Buffers;
using System.Text;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>
/// Native replies: a frame carrying the request's id and opcode; an error's payload is its UTF-8 message. A typed reply goes
/// out with the TYPED flag to a client that asked for typed replies (HELLO 2), flattened to bytes to any other; a typed error
/// that is the whole reply is an ERROR status either way (docs/protocol.md).
/// </summary>
internal sealed class NativeReplyEncoder : ReplyEncoder
{
    public override void WriteResult(IBufferWriter<byte> output, in OperationResult result)
    {
        var opcode = result.Operation.Opcode;
        if (result.Status != NativeStatus.Ok)
        {
            WriteError(output, opcode, result.Tag, result.Status, result.Error);
        }
        else if (result.Form < ReplyForm.Typed)
        {
            NativeFrameWriter.WriteReply(output, opcode, result.Tag, NativeStatus.Ok, result.Payload);
        }
        else if (ReplyFlattening.IsError(result.Payload, out var message))
        {
            NativeFrameWriter.WriteReply(output, opcode, result.Tag, NativeStatus.Error, message);
        }
        else if (result.Form == ReplyForm.Typed)
        {
            NativeFrameWriter.WriteTypedReply(output, opcode, result.Tag, result.Payload);
        }
        else
        {
            var length = ReplyFlattening.Length(result.Payload);
            var span = output.GetSpan(NativeProtocol.HeaderSize);
            NativeFrameWriter.WriteHeader(span, isReply: true, opcode, result.Tag, NativeStatus.Ok, 0, length);
            output.Advance(NativeProtocol.HeaderSize);
            ReplyFlattening.Write(result.Payload, output);
        }
    }

    public override void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag) =>
        WriteError(output, operation.Opcode, tag, NativeStatus.BadArgs, "wrong number of arguments");

    /// <summary>Writes a reply whose payload is the UTF-8 <paramref name="message"/> (encoded straight into the output).</summary>
    public static void WriteError(IBufferWriter<byte> output, ushort opcode, uint requestId, NativeStatus status, string? message)
    {
        message ??= "";
        var length = Encoding.UTF8.GetByteCount(message);
        var span = output.GetSpan(NativeProtocol.HeaderSize + length);
        NativeFrameWriter.WriteHeader(span, isReply: true, opcode, requestId, status, 0, length);
        Encoding.UTF8.GetBytes(message, span[NativeProtocol.HeaderSize..]);
        output.Advance(NativeProtocol.HeaderSize + length);
    }
}
