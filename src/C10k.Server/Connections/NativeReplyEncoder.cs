using System.Buffers;
using System.Text;
using C10k.Protocol.Native;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>Native replies: a frame carrying the request's id and opcode; an error's payload is its UTF-8 message.</summary>
internal sealed class NativeReplyEncoder : ReplyEncoder
{
    public override void WriteResult(IBufferWriter<byte> output, Operation operation, uint tag, NativeStatus status, ReadOnlySpan<byte> payload, string? error, bool statusLine)
    {
        if (status == NativeStatus.Ok)
        {
            NativeFrameWriter.WriteReply(output, operation.Opcode, tag, NativeStatus.Ok, payload);
        }
        else
        {
            WriteError(output, operation.Opcode, tag, status, error);
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
