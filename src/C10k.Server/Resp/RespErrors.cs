using System.Buffers;
using C10k.Protocol.Resp;

namespace C10k.Server.Resp;

/// <summary>Error replies in Redis 7.0's exact wording (src/server.c processCommand, src/networking.c).</summary>
internal static class RespErrors
{
    // Redis caps the echoed name at 128 bytes and stops adding arguments once their text reaches 128.
    private const int EchoLimit = 128;

    public static ReadOnlySpan<byte> NotAnInteger => "ERR value is not an integer or out of range"u8;

    public static ReadOnlySpan<byte> MaxClients => "ERR max number of clients reached"u8;

    public static ReadOnlySpan<byte> ClusterDisabled => "ERR This instance has cluster support disabled"u8;

    /// <summary><c>-ERR unknown command 'foo', with args beginning with: 'a' 'b' </c></summary>
    public static void WriteUnknownCommand(IBufferWriter<byte> output, in RespRequest request)
    {
        var error = new RespErrorBuilder(output);
        error.Append("ERR unknown command '"u8);
        error.Append(request.Name, EchoLimit);
        error.Append("', with args beginning with: "u8);
        var argumentsStart = error.TextLength;
        foreach (var argument in request.Arguments)
        {
            var used = error.TextLength - argumentsStart;
            if (used >= EchoLimit)
            {
                break;
            }

            error.Append("'"u8);
            error.Append(argument, EchoLimit - used);
            error.Append("' "u8);
        }

        error.Commit();
    }

    /// <summary><c>-ERR wrong number of arguments for 'echo' command</c>; <paramref name="name"/> is the lower-case full name (<c>config|get</c>).</summary>
    public static void WriteWrongArity(IBufferWriter<byte> output, string name)
    {
        var error = new RespErrorBuilder(output);
        error.Append("ERR wrong number of arguments for '"u8);
        error.Append(name);
        error.Append("' command"u8);
        error.Commit();
    }

    /// <summary><c>-ERR unknown subcommand 'FOO'. Try CONFIG HELP.</c></summary>
    public static void WriteUnknownSubcommand(IBufferWriter<byte> output, in ReadOnlySequence<byte> subcommand, string command)
    {
        var error = new RespErrorBuilder(output);
        error.Append("ERR unknown subcommand '"u8);
        error.Append(subcommand, EchoLimit);
        error.Append("'. Try "u8);
        error.Append(command);
        error.Append(" HELP."u8);
        error.Commit();
    }

    /// <summary><c>-ERR Can't execute 'get': only (P|S)SUBSCRIBE / … are allowed in this context</c></summary>
    public static void WriteNotInSubscribedMode(IBufferWriter<byte> output, in ReadOnlySequence<byte> name)
    {
        var error = new RespErrorBuilder(output);
        error.Append("ERR Can't execute '"u8);
        error.AppendLower(name, EchoLimit);
        error.Append("': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"u8);
        error.Commit();
    }

    /// <summary>Writes a fixed error message (its code included).</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> message) => RespReplyWriter.WriteError(output, message);
}
