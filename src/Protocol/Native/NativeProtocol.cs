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

    /// <summary>Flag bits that must be zero in this version.</summary>
    public const byte ReservedFlagsMask = 0xFE;

    /// <summary>Default largest payload accepted, in bytes (1 MiB).</summary>
    public const int DefaultMaxFrameBytes = 1024 * 1024;
}
