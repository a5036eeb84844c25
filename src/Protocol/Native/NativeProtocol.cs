namespace C10k.Protocol.Native;

/// <summary>Constants of the native wire format (docs/protocol.md is normative).</summary>
public static class NativeProtocol
{
    /// <summary>First byte of every frame: magic nibble 0xC, version 1.</summary>
    public const byte Magic = 0xC1;

    /// <summary>Protocol version carried in the low nibble of <see cref="Magic"/>.</summary>
    public const byte Version = 1;

    /// <summary>Fixed header size in bytes.</summary>
    public const int HeaderSize = 16;

    /// <summary>Flag bit 0: the frame is a reply.</summary>
    public const byte ReplyFlag = 0x01;

    /// <summary>
    /// Reply flag bit 1: the payload is a typed value (docs/protocol.md, "Typed replies"). Sent only on connections whose
    /// HELLO asked for <see cref="TypedVersion"/>, and only for replies of operations that write typed values.
    /// </summary>
    public const byte TypedFlag = 0x02;

    /// <summary>The version a client names in HELLO to receive typed replies.</summary>
    public const ushort TypedVersion = 2;

    /// <summary>Request flag bits that must be zero.</summary>
    public const byte ReservedFlagsMask = 0xFE;

    /// <summary>Reply flag bits that must be zero (bit 1 is <see cref="TypedFlag"/>).</summary>
    public const byte ReservedReplyFlagsMask = 0xFC;

    /// <summary>Default largest payload accepted, in bytes (1 MiB).</summary>
    public const int DefaultMaxFrameBytes = 1024 * 1024;
}
