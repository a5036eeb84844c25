using System.Buffers;
using System.Buffers.Binary;

namespace C10k.Protocol.Native;

/// <summary>
/// Parses native frames in place. Returns false on incomplete input; throws <see cref="NativeProtocolException"/> as soon as
/// the bytes seen can't start a valid frame, and rejects an over-long length before waiting for the body.
/// A frame still incomplete once <see cref="SpillThresholdBytes"/> of it are buffered is moved out of the input into the reader's
/// own pooled buffer (the input is consumed as it arrives), so frames up to <see cref="MaxFrameBytes"/> arrive through a smaller
/// read-ahead. A frame is valid until the next call or until the buffer it came from is advanced past it.
/// </summary>
public sealed class NativeFrameReader : IMessageReader<NativeFrame>
{
    /// <summary>Default <see cref="SpillThresholdBytes"/>.</summary>
    public const int DefaultSpillThresholdBytes = SpillBuffer.DefaultThresholdBytes;

    private readonly MemoryPool<byte>? _pool;
    private SpillBuffer? _held;
    private long _heldFrameBytes;
    private bool _returnedHeld;

    /// <summary>Creates a reader that accepts payloads up to <paramref name="maxFrameBytes"/>.</summary>
    public NativeFrameReader(int maxFrameBytes = NativeProtocol.DefaultMaxFrameBytes, int spillThresholdBytes = DefaultSpillThresholdBytes, MemoryPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrameBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(spillThresholdBytes, NativeProtocol.HeaderSize);
        MaxFrameBytes = maxFrameBytes;
        SpillThresholdBytes = spillThresholdBytes;
        _pool = pool;
    }

    /// <summary>Largest payload accepted.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>Buffered bytes of an incomplete frame past which the reader takes them out of the input; at most the transport's read-ahead.</summary>
    public int SpillThresholdBytes { get; }

    /// <summary>Bytes of an incomplete frame the reader has consumed from the input and holds itself.</summary>
    public long HeldBytes => _heldFrameBytes > 0 ? _held!.Length : 0;

    /// <inheritdoc />
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out NativeFrame message)
    {
        var buffer = input.Slice(consumed);
        var parsed = TryRead(ref buffer, out message);
        consumed = buffer.Start;
        examined = parsed ? consumed : input.End;
        return parsed;
    }

    /// <summary>
    /// Parses one frame from the front of <paramref name="buffer"/> and slices the buffer past it. On false, the buffer may have been
    /// sliced past bytes the reader took into its own buffer: pass what follows them, plus whatever arrives, to the next call.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out NativeFrame frame)
    {
        if (_returnedHeld)
        {
            _returnedHeld = false;
            _held!.Reset();
        }

        if (_heldFrameBytes > 0)
        {
            return TryContinueHeld(ref buffer, out frame);
        }

        if (TryParse(buffer, out frame, out var frameBytes))
        {
            buffer = buffer.Slice(frameBytes);
            return true;
        }

        if (frameBytes > 0 && buffer.Length >= SpillThresholdBytes)
        {
            _held ??= new SpillBuffer(_pool);
            _held.Append(buffer);
            _heldFrameBytes = frameBytes;
            buffer = buffer.Slice(buffer.End);
        }

        return false;
    }

    private bool TryContinueHeld(ref ReadOnlySequence<byte> buffer, out NativeFrame frame)
    {
        var held = _held!;
        var take = Math.Min(_heldFrameBytes - held.Length, buffer.Length);
        held.Append(buffer.Slice(0, take));
        buffer = buffer.Slice(take);
        if (held.Length < _heldFrameBytes)
        {
            frame = default;
            return false;
        }

        _heldFrameBytes = 0;
        _returnedHeld = true;
        return TryParse(held.Sequence, out frame, out _);
    }

    // The whole frame's size goes to frameBytes once the header is known, complete or not.
    private bool TryParse(in ReadOnlySequence<byte> input, out NativeFrame message, out long frameBytes)
    {
        message = default;
        frameBytes = 0;
        if (input.Length < NativeProtocol.HeaderSize)
        {
            ValidatePrefix(input);
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

        frameBytes = NativeProtocol.HeaderSize + length;
        if (input.Length < frameBytes)
        {
            return false;
        }

        message = new NativeFrame(
            isReply,
            BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[4..]),
            isReply ? (NativeStatus)header[12] : NativeStatus.Ok,
            isReply ? 0 : BinaryPrimitives.ReadUInt32BigEndian(header[12..]),
            input.Slice(NativeProtocol.HeaderSize, length),
            (header[1] & NativeProtocol.TypedFlag) != 0);
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

        if (header.Length > 1 && (header[1] & ((header[1] & NativeProtocol.ReplyFlag) != 0 ? NativeProtocol.ReservedReplyFlagsMask : NativeProtocol.ReservedFlagsMask)) != 0)
        {
            NativeProtocolException.ThrowReservedBits();
        }
    }
}
