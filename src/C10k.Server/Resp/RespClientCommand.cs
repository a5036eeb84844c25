using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;

namespace C10k.Server.Resp;

/// <summary>CLIENT SETNAME / GETNAME / SETINFO / ID / INFO / LIST, with Redis's replies (SETINFO as Redis 7.2, which clients now send on connect).</summary>
internal static class RespClientCommand
{
    public static ReadOnlySpan<byte> InvalidName => "ERR Client names cannot contain spaces, newlines or special characters."u8;

    public static NativeStatus Execute(RespConnection connection, in ArgumentList args, IBufferWriter<byte> output)
    {
        var sub = args[0];
        var count = args.Count;
        if (RespArgument.Is(sub, "SETNAME"u8))
        {
            return count == 2 ? SetName(connection, args[1], output) : WrongArity(output, "client|setname");
        }

        if (RespArgument.Is(sub, "GETNAME"u8))
        {
            if (count != 1)
            {
                return WrongArity(output, "client|getname");
            }

            if (connection.ClientName is { } name)
            {
                RespReplyWriter.WriteBulkString(output, name);
            }
            else
            {
                RespReplyWriter.WriteNullBulkString(output);
            }

            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "ID"u8))
        {
            if (count != 1)
            {
                return WrongArity(output, "client|id");
            }

            RespReplyWriter.WriteInteger(output, connection.ClientId);
            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "SETINFO"u8))
        {
            return count == 3 ? SetInfo(args[1], output) : WrongArity(output, "client|setinfo");
        }

        if (RespArgument.Is(sub, "INFO"u8))
        {
            if (count != 1)
            {
                return WrongArity(output, "client|info");
            }

            var line = new StringBuilder();
            Describe(connection, line);
            RespReplyWriter.WriteBulkString(output, Encoding.UTF8.GetBytes(line.ToString()));
            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "LIST"u8))
        {
            var lines = new StringBuilder();
            foreach (var session in connection.Resp.Connections.Registry.Sessions)
            {
                if (session is RespConnection resp && !resp.IsClosed)
                {
                    Describe(resp, lines);
                }
            }

            RespReplyWriter.WriteBulkString(output, Encoding.UTF8.GetBytes(lines.ToString()));
            return NativeStatus.Ok;
        }

        RespErrors.WriteUnknownSubcommand(output, sub, "CLIENT");
        return NativeStatus.BadArgs;
    }

    /// <summary>Redis's rule: printable ASCII with no spaces (an empty name clears it).</summary>
    public static bool IsValidName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is < (byte)'!' or > (byte)'~')
            {
                return false;
            }
        }

        return true;
    }

    private static NativeStatus SetName(RespConnection connection, in ReadOnlySequence<byte> name, IBufferWriter<byte> output)
    {
        var bytes = name.ToArray();
        if (!IsValidName(bytes))
        {
            RespErrors.Write(output, InvalidName);
            return NativeStatus.BadArgs;
        }

        connection.ClientName = bytes.Length == 0 ? null : bytes;
        output.Write(RespReplyWriter.Ok);
        return NativeStatus.Ok;
    }

    private static NativeStatus SetInfo(in ReadOnlySequence<byte> attribute, IBufferWriter<byte> output)
    {
        if (RespArgument.Is(attribute, "LIB-NAME"u8) || RespArgument.Is(attribute, "LIB-VER"u8))
        {
            output.Write(RespReplyWriter.Ok);
            return NativeStatus.Ok;
        }

        var error = new RespErrorBuilder(output);
        error.Append("ERR Unrecognized option '"u8);
        error.Append(attribute, 128);
        error.Append("'"u8);
        error.Commit();
        return NativeStatus.BadArgs;
    }

    private static NativeStatus WrongArity(IBufferWriter<byte> output, string name)
    {
        RespErrors.WriteWrongArity(output, name);
        return NativeStatus.BadArgs;
    }

    // The fields of Redis's CLIENT LIST line that mean something here; buffer sizes and fds are Kestrel's business.
    private static void Describe(RespConnection connection, StringBuilder line)
    {
        var age = (long)Stopwatch.GetElapsedTime(connection.ConnectedAt).TotalSeconds;
        var name = connection.ClientName is { } n ? Encoding.ASCII.GetString(n) : "";
        line.Append(CultureInfo.InvariantCulture, $"id={connection.ClientId} addr={connection.RemoteAddress} laddr={connection.LocalAddress} fd=-1 name={name} ")
            .Append(CultureInfo.InvariantCulture, $"age={age} flags=N db=0 sub={connection.SubscriptionCount} psub=0 multi=-1 ")
            .Append(CultureInfo.InvariantCulture, $"inflight={connection.InFlight} user=default resp=2\n");
    }
}
