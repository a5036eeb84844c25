namespace C10k.Protocol.Typed;

/// <summary>
/// The type of one value of a typed reply. Each value of the native typed payload starts with this byte (docs/protocol.md,
/// "Typed replies"); the bytes are RESP's own type markers, so a reply reads the same in a hex dump of either front.
/// </summary>
public enum ReplyType : byte
{
    /// <summary>A short status text (RESP <c>+OK</c>): u32 length, then the bytes. No CR or LF.</summary>
    SimpleString = (byte)'+',

    /// <summary>An error (RESP <c>-ERR …</c>): u32 length, then UTF-8 text whose first word is the error code.</summary>
    Error = (byte)'-',

    /// <summary>A signed 64-bit integer: 8 bytes, big-endian.</summary>
#pragma warning disable CA1720 // RESP's own name for the type; a reader of the protocol looks for it.
    Integer = (byte)':',
#pragma warning restore CA1720

    /// <summary>Binary-safe data: u32 length, then the bytes.</summary>
    Bulk = (byte)'$',

    /// <summary>An array: u32 element count, then that many values (nested arrays allowed).</summary>
    Array = (byte)'*',

    /// <summary>No value (RESP's null bulk string): nothing follows the type byte.</summary>
    Nil = (byte)'_',
}
