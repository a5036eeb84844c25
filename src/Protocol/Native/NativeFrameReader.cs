using System.Buffers;
using System.Buffers.Binary;

namespace C10k.Protocol.Native;

/// <summary>
/// Parses native frames in place. Returns false on incomplete input; throws <see cref="NativeProtocolException"/> as soon as
/// the bytes seen can't start a valid frame, and rejects an over-long length before waiting for the body.
/// </summary>
public sealed class NativeFrameReader : IMessageReader<NativeFrame>
{
    /// <summary>Creates a reader that accepts payloads up to <paramref name="maxFrameBytes"/>.</summary>
    public NativeFrameReader(int maxFrameBytes = NativeProtocol.DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrameBytes);
        MaxFrameBytes = maxFrameBytes;
    }

    /// <summary>Largest payload accepted.</summary>
    public int MaxFrameBytes { get; }

    /// <inheritdoc />
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out NativeFrame message)
    {
        message = default;
        if (input.Length < NativeProtocol.HeaderSize)
        {
            ValidatePrefix(input);
            examined = input.End;
            return false;
        }

        Span<byte> copy = stackalloc byte[NativeProtocol.HeaderSize];
        ReadOnlySpan<byte> header = input.FirstSpan.Length >= NativeProtocol.HeaderSize
            ? input.FirstSpan[..NativeProtocol.HeaderSize]
            : CopyHeader(input, copy);

        ValidatePrefix(header);
        var isReply = (header[1] & NativeProtocol.ReplyFlag) != 0;
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        if (length > (uint)MaxFrameBytes)
        {
            NativeProtocolException.ThrowFrameTooLarge(length, BinaryPrimitives.ReadUInt32BigEndian(header[4..]), BinaryPrimitives.ReadUInt16BigEndian(header[2..]));
        }

        if (isReply && (header[13] | header[14] | header[15]) != 0)
        {
            NativeProtocolException.ThrowReservedBits();
        }

        if (input.Length - NativeProtocol.HeaderSize < length)
        {
            examined = input.End;
            return false;
        }

        var payload = input.Slice(NativeProtocol.HeaderSize, length);
        message = new NativeFrame(
            isReply,
            BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[4..]),
            isReply ? (NativeStatus)header[12] : NativeStatus.Ok,
            isReply ? 0 : BinaryPrimitives.ReadUInt32BigEndian(header[12..]),
            payload);
        consumed = payload.End;
        examined = payload.End;
        return true;
    }

    /// <summary>Parses one frame from the front of <paramref name="buffer"/> and slices the buffer past it.</summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out NativeFrame frame)
    {
        var consumed = buffer.Start;
        var examined = buffer.Start;
        if (!TryParseMessage(buffer, ref consumed, ref examined, out frame))
        {
            return false;
        }

        buffer = buffer.Slice(consumed);
        return true;
    }

    private static ReadOnlySpan<byte> CopyHeader(in ReadOnlySequence<byte> input, Span<byte> copy)
    {
        input.Slice(0, NativeProtocol.HeaderSize).CopyTo(copy);
        return copy;
    }

    // Garbage is rejected from its first byte: no need to buffer a full header of it.
    private static void ValidatePrefix(in ReadOnlySequence<byte> input)
    {
        Span<byte> prefix = stackalloc byte[2];
        var available = (int)Math.Min(input.Length, 2);
        input.Slice(0, available).CopyTo(prefix);
        ValidatePrefix(prefix[..available]);
    }

    private static void ValidatePrefix(ReadOnlySpan<byte> header)
    {
        if (header.Length > 0 && header[0] != NativeProtocol.Magic)
        {
            NativeProtocolException.ThrowBadMagic();
        }

        if (header.Length > 1 && (header[1] & NativeProtocol.ReservedFlagsMask) != 0)
        {
            NativeProtocolException.ThrowReservedBits();
        }
    }
}
