using System.Buffers;
using System.Buffers.Text;

namespace C10k.Protocol.Resp;

/// <summary>
/// Writes requests as clients send them: an array of bulk strings (or an inline line, as <c>redis-benchmark</c>'s PING_INLINE).
/// The static helpers serve the load generator; <see cref="WriteMessage"/> re-encodes a parsed <see cref="RespRequest"/>.
/// </summary>
public sealed class RespRequestWriter : IMessageWriter<RespRequest>
{
    /// <summary>Writes <c>*count\r\n</c>; <paramref name="count"/> includes the command name.</summary>
    public static void WriteArrayHeader(IBufferWriter<byte> output, int count) => RespReplyWriter.WriteArrayHeader(output, count);

    /// <summary>Writes one argument (or the command name) as a bulk string.</summary>
    public static void WriteArgument(IBufferWriter<byte> output, ReadOnlySpan<byte> value) => RespReplyWriter.WriteBulkString(output, value);

    /// <summary>Writes one argument held in a sequence as a bulk string.</summary>
    public static void WriteArgument(IBufferWriter<byte> output, in ReadOnlySequence<byte> value) => RespReplyWriter.WriteBulkString(output, value);

    /// <summary>Writes an integer argument as its decimal bulk string (<c>$4\r\n1000\r\n</c>).</summary>
    public static void WriteArgument(IBufferWriter<byte> output, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var length);
        RespReplyWriter.WriteBulkString(output, digits[..length]);
    }

    /// <summary>Writes a command with no arguments.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> command)
    {
        WriteArrayHeader(output, 1);
        WriteArgument(output, command);
    }

    /// <summary>Writes a command with one argument.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> command, ReadOnlySpan<byte> argument)
    {
        WriteArrayHeader(output, 2);
        WriteArgument(output, command);
        WriteArgument(output, argument);
    }

    /// <summary>Writes a command with two arguments.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> command, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        WriteArrayHeader(output, 3);
        WriteArgument(output, command);
        WriteArgument(output, first);
        WriteArgument(output, second);
    }

    /// <summary>Writes an inline command: <paramref name="line"/> (words separated by spaces) then CRLF.</summary>
    public static void WriteInline(IBufferWriter<byte> output, ReadOnlySpan<byte> line)
    {
        output.Write(line);
        output.Write("\r\n"u8);
    }

    /// <summary>Writes <paramref name="message"/> as an array of bulk strings, whatever encoding it arrived in.</summary>
    public void WriteMessage(RespRequest message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteArrayHeader(output, message.Arguments.Count + 1);
        WriteArgument(output, message.Name);
        foreach (var argument in message.Arguments)
        {
            WriteArgument(output, argument);
        }
    }
}
