using System.Buffers;
using System.Text;

namespace C10k.Protocol.Resp;

/// <summary>Maps a command name's bytes to a <see cref="RespCommand"/>: length first, then a case-insensitive byte compare. No strings.</summary>
public static class RespCommandTable
{
    // Longer than any built-in name, so anything longer is Unknown without a copy.
    private const int MaxNameLength = 16;

    /// <summary>Identifies a contiguous name.</summary>
    public static RespCommand Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when Ascii.EqualsIgnoreCase(name, "GET"u8) => RespCommand.Get,
        4 when Ascii.EqualsIgnoreCase(name, "PING"u8) => RespCommand.Ping,
        4 when Ascii.EqualsIgnoreCase(name, "ECHO"u8) => RespCommand.Echo,
        4 when Ascii.EqualsIgnoreCase(name, "QUIT"u8) => RespCommand.Quit,
        4 when Ascii.EqualsIgnoreCase(name, "INFO"u8) => RespCommand.Info,
        4 when Ascii.EqualsIgnoreCase(name, "AUTH"u8) => RespCommand.Auth,
        5 when Ascii.EqualsIgnoreCase(name, "HELLO"u8) => RespCommand.Hello,
        6 when Ascii.EqualsIgnoreCase(name, "SELECT"u8) => RespCommand.Select,
        6 when Ascii.EqualsIgnoreCase(name, "CLIENT"u8) => RespCommand.Client,
        6 when Ascii.EqualsIgnoreCase(name, "CONFIG"u8) => RespCommand.Config,
        7 when Ascii.EqualsIgnoreCase(name, "COMMAND"u8) => RespCommand.Command,
        7 when Ascii.EqualsIgnoreCase(name, "CLUSTER"u8) => RespCommand.Cluster,
        8 when Ascii.EqualsIgnoreCase(name, "SENTINEL"u8) => RespCommand.Sentinel,
        9 when Ascii.EqualsIgnoreCase(name, "SUBSCRIBE"u8) => RespCommand.Subscribe,
        11 when Ascii.EqualsIgnoreCase(name, "UNSUBSCRIBE"u8) => RespCommand.Unsubscribe,
        _ => RespCommand.Unknown,
    };

    /// <summary>Identifies a name that may straddle buffer segments.</summary>
    public static RespCommand Identify(in ReadOnlySequence<byte> name)
    {
        if (name.IsSingleSegment)
        {
            return Identify(name.FirstSpan);
        }

        if (name.Length > MaxNameLength)
        {
            return RespCommand.Unknown;
        }

        Span<byte> copy = stackalloc byte[MaxNameLength];
        name.CopyTo(copy);
        return Identify(copy[..(int)name.Length]);
    }
}
