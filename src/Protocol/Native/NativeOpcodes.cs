namespace C10k.Protocol.Native;

/// <summary>Opcodes of the built-in operations. Opcodes from <see cref="FirstUserOpcode"/> up are free for applications.</summary>
public static class NativeOpcodes
{
    /// <summary>Optional handshake; the reply states version, max frame size and in-flight cap.</summary>
    public const ushort Hello = 0x0001;

    /// <summary>PING [message]: replies "PONG" or the message.</summary>
    public const ushort Ping = 0x0002;

    /// <summary>ECHO message.</summary>
    public const ushort Echo = 0x0003;

    /// <summary>AUTH [user] password: authenticates the connection (docs/protocol.md, "Authentication").</summary>
    public const ushort Auth = 0x0004;

    /// <summary>HASH iterations data: iterated SHA-256, 64 lowercase hex characters.</summary>
    public const ushort Hash = 0x0010;

    /// <summary>First opcode reserved for application operations.</summary>
    public const ushort FirstUserOpcode = 0x1000;
}
