using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;

namespace C10k.Server.Resp;

/// <summary>
/// HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only. Protocol 3 gets <c>-NOPROTO</c>, on which clients
/// (StackExchange.Redis among them) fall back to RESP2. As Redis 7: AUTH is checked after the options parse (WRONGPASS on a
/// wrong pair), and an unauthenticated connection without AUTH gets <c>-NOAUTH HELLO must be called …</c>.
/// </summary>
internal static class RespHelloCommand
{
    /// <summary>The Redis version we answer as: the command surface and wording follow Redis 7.0.</summary>
    public const string CompatibleVersion = "7.0.0";

    public static NativeStatus Execute(RespConnection connection, in ArgumentList args, IBufferWriter<byte> output)
    {
        byte[]? name = null;
        if (args.Count > 0)
        {
            if (!args.TryGetInt64(0, out var version))
            {
                RespErrors.Write(output, "ERR Protocol version is not an integer or out of range"u8);
                return NativeStatus.BadArgs;
            }

            if (version != 2)
            {
                RespErrors.Write(output, "NOPROTO unsupported protocol version"u8);
                return NativeStatus.BadArgs;
            }

            var auth = -1;
            for (var i = 1; i < args.Count; i++)
            {
                var option = args[i];
                var more = args.Count - 1 - i;
                if (RespArgument.Is(option, "AUTH"u8) && more >= 2)
                {
                    auth = i;
                    i += 2;
                }
                else if (RespArgument.Is(option, "SETNAME"u8) && more >= 1)
                {
                    name = args[++i].ToArray();
                    if (!RespClientCommand.IsValidName(name))
                    {
                        RespErrors.Write(output, RespClientCommand.InvalidName);
                        return NativeStatus.BadArgs;
                    }
                }
                else
                {
                    var error = new RespErrorBuilder(output);
                    error.Append("ERR Syntax error in HELLO option '"u8);
                    error.Append(option, 128);
                    error.Append("'"u8);
                    error.Commit();
                    return NativeStatus.BadArgs;
                }
            }

            if (auth > 0 && !connection.Auth.TryAuthenticate(args[auth + 1], args[auth + 2], output))
            {
                return NativeStatus.Unauthenticated;
            }
        }

        if (!connection.Auth.IsAuthenticated)
        {
            RespErrors.Write(output, RespAuthGate.HelloNoAuth);
            return NativeStatus.Unauthenticated;
        }

        if (name is not null)
        {
            connection.ClientName = name.Length == 0 ? null : name;
        }

        RespReplyWriter.WriteArrayHeader(output, 14);
        RespReplyWriter.WriteBulkString(output, "server"u8);
        RespReplyWriter.WriteBulkString(output, "c10k"u8);
        RespReplyWriter.WriteBulkString(output, "version"u8);
        RespReplyWriter.WriteBulkString(output, "7.0.0"u8);
        RespReplyWriter.WriteBulkString(output, "proto"u8);
        RespReplyWriter.WriteInteger(output, 2);
        RespReplyWriter.WriteBulkString(output, "id"u8);
        RespReplyWriter.WriteInteger(output, connection.ClientId);
        RespReplyWriter.WriteBulkString(output, "mode"u8);
        RespReplyWriter.WriteBulkString(output, "standalone"u8);
        RespReplyWriter.WriteBulkString(output, "role"u8);
        RespReplyWriter.WriteBulkString(output, "master"u8);
        RespReplyWriter.WriteBulkString(output, "modules"u8);
        RespReplyWriter.WriteArrayHeader(output, 0);
        return NativeStatus.Ok;
    }
}
