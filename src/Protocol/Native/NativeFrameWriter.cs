using System.Buffers;
using System.Buffers.Binary;

namespace C10k.Protocol.Native;

/// <summary>Encodes native frames straight into an <see cref="IBufferWriter{T}"/>.</summary>
public sealed class NativeFrameWriter : IMessageWriter<NativeFrame>
{
    /// <summary>The writer has no state: one instance serves every connection.</summary>
    public static readonly NativeFrameWriter Instance = new();

    /// <inheritdoc />
    public void WriteMessage(NativeFrame message, IBufferWriter<byte> output)
    {
        var length = checked((int)message.Payload.Length);
        var span = output.GetSpan(NativeProtocol.HeaderSize);
        WriteHeader(span, message.IsReply, message.Opcode, message.RequestId, message.Status, message.DeadlineMs, length);
        if (message.IsTyped)
        {
            span[1] |= NativeProtocol.TypedFlag;
        }

        output.Advance(NativeProtocol.HeaderSize);
        foreach (var segment in message.Payload)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Writes a reply frame whose payload is <paramref name="payload"/>.</summary>
    public static void WriteReply(IBufferWriter<byte> output, ushort opcode, uint requestId, NativeStatus status, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(NativeProtocol.HeaderSize);
        WriteHeader(span, isReply: true, opcode, requestId, status, 0, payload.Length);
        output.Advance(NativeProtocol.HeaderSize);
        output.Write(payload);
    }

    /// <summary>Writes an OK reply frame whose payload is the typed value <paramref name="payload"/> (the TYPED flag set).</summary>
    public static void WriteTypedReply(IBufferWriter<byte> output, ushort opcode, uint requestId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(NativeProtocol.HeaderSize);
        WriteHeader(span, isReply: true, opcode, requestId, NativeStatus.Ok, 0, payload.Length);
        span[1] |= NativeProtocol.TypedFlag;
        output.Advance(NativeProtocol.HeaderSize);
        output.Write(payload);
    }

    /// <summary>Writes a request frame whose payload is <paramref name="payload"/>.</summary>
    public static void WriteRequest(IBufferWriter<byte> output, ushort opcode, uint requestId, ReadOnlySpan<byte> payload, uint deadlineMs = 0)
    {
        var span = output.GetSpan(NativeProtocol.HeaderSize);
        WriteHeader(span, isReply: false, opcode, requestId, NativeStatus.Ok, deadlineMs, payload.Length);
        output.Advance(NativeProtocol.HeaderSize);
        output.Write(payload);
    }

    /// <summary>Writes the 16-byte header into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, bool isReply, ushort opcode, uint requestId, NativeStatus status, uint deadlineMs, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        destination[0] = NativeProtocol.Magic;
        destination[1] = isReply ? NativeProtocol.ReplyFlag : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], opcode);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], requestId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)payloadLength);
        if (isReply)
        {
            destination[12] = (byte)status;
            destination[13] = 0;
            destination[14] = 0;
            destination[15] = 0;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[12..], deadlineMs);
        }
    }
}
