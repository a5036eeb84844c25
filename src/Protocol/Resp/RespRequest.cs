using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// One parsed request: a view into the receive buffer, valid until the reader's buffer is advanced past it.
/// </summary>
public readonly struct RespRequest
{
    /// <summary>Creates a request view; <paramref name="isInline"/> marks an inline line whose quoted arguments were decoded into <see cref="ArgumentEncoding.RespBulk"/>.</summary>
    public RespRequest(RespCommand command, ReadOnlySequence<byte> name, ArgumentList arguments, bool isInline = false)
    {
        Command = command;
        Name = name;
        Arguments = arguments;
        IsInline = isInline || arguments.Encoding == ArgumentEncoding.RespInline;
    }

    /// <summary>The built-in command, or <see cref="RespCommand.Unknown"/> for a registry lookup by <see cref="Name"/>.</summary>
    public RespCommand Command { get; }

    /// <summary>The command name as received (any case).</summary>
    public ReadOnlySequence<byte> Name { get; }

    /// <summary>The arguments after the name.</summary>
    public ArgumentList Arguments { get; }

    /// <summary>True when the request came as an inline (telnet-style) line rather than an array.</summary>
    public bool IsInline { get; }
}
