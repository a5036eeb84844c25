namespace C10k.Protocol.Native;

/// <summary>Why a byte stream is not a valid native frame stream. Any of these ends the connection.</summary>
public enum NativeProtocolError
{
    /// <summary>The first byte is not <see cref="NativeProtocol.Magic"/>.</summary>
    BadMagic,

    /// <summary>A reserved flag bit or reserved header byte is set.</summary>
    ReservedBitsSet,

    /// <summary>The payload length is over the configured maximum.</summary>
    FrameTooLarge,

    /// <summary>The stream ended in the middle of a frame.</summary>
    Truncated,
}
