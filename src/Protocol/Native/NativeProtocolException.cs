using System.Diagnostics.CodeAnalysis;

namespace C10k.Protocol.Native;

/// <summary>Malformed native input. Carries an error code, not free text; the stream can't be trusted after it.</summary>
public sealed class NativeProtocolException : ProtocolException
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public NativeProtocolException(NativeProtocolError error, long length = 0, uint requestId = 0, ushort opcode = 0)
        : base(error.ToString(), KindOf(error))
    {
        Error = error;
        Length = length;
        RequestId = requestId;
        Opcode = opcode;
    }

    /// <summary>What was wrong.</summary>
    public NativeProtocolError Error { get; }

    /// <summary>For <see cref="NativeProtocolError.FrameTooLarge"/>: the length the peer announced.</summary>
    public long Length { get; }

    /// <summary>For <see cref="NativeProtocolError.FrameTooLarge"/>: the request id of the refused frame, so the error reply can name it.</summary>
    public uint RequestId { get; }

    /// <summary>For <see cref="NativeProtocolError.FrameTooLarge"/>: the opcode of the refused frame.</summary>
    public ushort Opcode { get; }

    /// <summary>Throws <see cref="NativeProtocolError.BadMagic"/>.</summary>
    [DoesNotReturn]
    public static void ThrowBadMagic() => throw new NativeProtocolException(NativeProtocolError.BadMagic);

    /// <summary>Throws <see cref="NativeProtocolError.ReservedBitsSet"/>.</summary>
    [DoesNotReturn]
    public static void ThrowReservedBits() => throw new NativeProtocolException(NativeProtocolError.ReservedBitsSet);

    /// <summary>Throws <see cref="NativeProtocolError.FrameTooLarge"/>.</summary>
    [DoesNotReturn]
    public static void ThrowFrameTooLarge(long length, uint requestId, ushort opcode) =>
        throw new NativeProtocolException(NativeProtocolError.FrameTooLarge, length, requestId, opcode);

    /// <summary>Throws <see cref="NativeProtocolError.Truncated"/>.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated() => throw new NativeProtocolException(NativeProtocolError.Truncated);

    private static string KindOf(NativeProtocolError error) => error switch
    {
        NativeProtocolError.BadMagic => "bad_magic",
        NativeProtocolError.ReservedBitsSet => "reserved_bits",
        NativeProtocolError.FrameTooLarge => "too_large",
        _ => "truncated",
    };
}
