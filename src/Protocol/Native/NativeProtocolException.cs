using System.Diagnostics.CodeAnalysis;

namespace C10k.Protocol.Native;

/// <summary>Malformed native input. Carries an error code, not free text; the stream can't be trusted after it.</summary>
public sealed class NativeProtocolException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public NativeProtocolException(NativeProtocolError error, long length = 0)
        : base(error.ToString())
    {
        Error = error;
        Length = length;
    }

    /// <summary>What was wrong.</summary>
    public NativeProtocolError Error { get; }

    /// <summary>For <see cref="NativeProtocolError.FrameTooLarge"/>: the length the peer announced.</summary>
    public long Length { get; }

    /// <summary>Throws <see cref="NativeProtocolError.BadMagic"/>.</summary>
    [DoesNotReturn]
    public static void ThrowBadMagic() => throw new NativeProtocolException(NativeProtocolError.BadMagic);

    /// <summary>Throws <see cref="NativeProtocolError.ReservedBitsSet"/>.</summary>
    [DoesNotReturn]
    public static void ThrowReservedBits() => throw new NativeProtocolException(NativeProtocolError.ReservedBitsSet);

    /// <summary>Throws <see cref="NativeProtocolError.FrameTooLarge"/>.</summary>
    [DoesNotReturn]
    public static void ThrowFrameTooLarge(long length) => throw new NativeProtocolException(NativeProtocolError.FrameTooLarge, length);

    /// <summary>Throws <see cref="NativeProtocolError.Truncated"/>.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated() => throw new NativeProtocolException(NativeProtocolError.Truncated);
}
