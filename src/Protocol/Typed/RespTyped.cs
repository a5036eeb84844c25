using System.Buffers;
using C10k.Protocol.Resp;

namespace C10k.Protocol.Typed;

/// <summary>Encodes a typed payload as RESP2: <c>+</c> simple string, <c>-</c> error, <c>:</c> integer, <c>$</c> bulk, <c>*</c> array, <c>$-1</c> nil.</summary>
public static class RespTyped
{
    /// <summary>Writes the well-formed typed <paramref name="payload"/> as one RESP2 reply.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new ReplyReader(payload);
        Write(output, ref reader);
    }

    private static void Write(IBufferWriter<byte> output, ref ReplyReader reader)
    {
        switch (reader.Read(out var bytes, out var number))
        {
            case ReplyType.SimpleString:
                RespReplyWriter.WriteSimpleString(output, bytes);
                break;
            case ReplyType.Error:
                RespReplyWriter.WriteError(output, bytes);
                break;
            case ReplyType.Integer:
                RespReplyWriter.WriteInteger(output, number);
                break;
            case ReplyType.Nil:
                RespReplyWriter.WriteNullBulkString(output);
                break;
            case ReplyType.Array:
                RespReplyWriter.WriteArrayHeader(output, number);
                for (long i = 0; i < number; i++)
                {
                    Write(output, ref reader);
                }

                break;
            default:
                RespReplyWriter.WriteBulkString(output, bytes);
                break;
        }
    }
}
