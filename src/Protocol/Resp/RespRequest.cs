using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// One parsed request: a view into the receive buffer, valid until the reader's buffer is advanced past it.
/// </summary>
public readonly struct RespRequest
{
    /// <summary>Creates a request view.</summary>
    public RespRequest(RespCommand command, ReadOnlySequence<byte> name, ArgumentList arguments)
    {
        Command = command;
        Name = name;
        Arguments = arguments;
    }

    /// <summary>The built-in command, or <see cref="RespCommand.Unknown"/> for a registry lookup by <see cref="Name"/>.</summary>
    public RespCommand Command { get; }

    /// <summary>The command name as received (any case).</summary>
    public ReadOnlySequence<byte> Name { get; }

    /// <summary>The arguments after the name.</summary>
    public ArgumentList Arguments { get; }

    /// <summary>True when the request came as an inline (telnet-style) line rather than an array.</summary>
    public bool IsInline => Arguments.Encoding == ArgumentEncoding.RespInline;
}
