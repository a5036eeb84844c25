using System.Buffers;
using System.Buffers.Text;
using System.Text;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Connections;
using C10k.Server.Operations;

namespace MemcachedFront;

/// <summary>
/// The memcached front's replies to operations: a simple string, error or integer as one line (<c>STORED</c>, <c>SERVER_ERROR …</c>,
/// <c>42</c>), a retrieval's array as <c>VALUE key flags bytes [cas]</c> lines each followed by its data block, then <c>END</c>.
/// A refused request is <c>CLIENT_ERROR</c> with its reason when its arguments were bad, else <c>SERVER_ERROR</c> (busy, timed
/// out, draining). A request sent with <c>noreply</c> carries <see cref="NoReply"/> in its tag and gets nothing. Stateless.
/// </summary>
public sealed class MemcachedEncoder : ReplyEncoder
{
    /// <summary>The tag bit of a request whose reply is suppressed; the session numbers requests in the other 31 bits.</summary>
    public const uint NoReply = 0x8000_0000;

    /// <summary>The one instance, shared by every connection.</summary>
    public static MemcachedEncoder Instance { get; } = new();

    /// <inheritdoc />
    public override void WriteResult(IBufferWriter<byte> output, in OperationResult result)
    {
        if ((result.Tag & NoReply) != 0)
        {
            return;
        }

        if (result.Status != NativeStatus.Ok)
        {
            WriteLine(output, result.Status == NativeStatus.BadArgs ? "CLIENT_ERROR "u8 : "SERVER_ERROR "u8, Encoding.UTF8.GetBytes(result.Error ?? result.Status.ToString()));
        }
        else if (result.Form == ReplyForm.Typed)
        {
            var reader = new ReplyReader(result.Payload);
            WriteTyped(output, ref reader);
        }
        else
        {
            WriteLine(output, default, result.Payload);
        }
    }

    /// <inheritdoc />
    public override void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag)
    {
        if ((tag & NoReply) == 0)
        {
            output.Write("ERROR\r\n"u8);
        }
    }

    /// <summary>Writes <paramref name="prefix"/>, <paramref name="text"/> and CRLF.</summary>
    public static void WriteLine(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> text)
    {
        output.Write(prefix);
        output.Write(text);
        output.Write("\r\n"u8);
    }

    private static void WriteTyped(IBufferWriter<byte> output, ref ReplyReader reader)
    {
        switch (reader.Read(out var bytes, out var number))
        {
            case ReplyType.Array:
                for (long i = 0; i < number; i++)
                {
                    WriteValue(output, ref reader);
                }

                output.Write("END\r\n"u8);
                break;
            case ReplyType.Integer:
                WriteNumber(output, number);
                output.Write("\r\n"u8);
                break;
            case ReplyType.Nil:
                output.Write("END\r\n"u8);
                break;
            default:
                WriteLine(output, default, bytes);
                break;
        }
    }

    // One element of a retrieval: [key, flags, data] or [key, flags, data, cas].
    private static void WriteValue(IBufferWriter<byte> output, ref ReplyReader reader)
    {
        reader.Read(out _, out var fields);
        reader.Read(out var key, out _);
        reader.Read(out _, out var flags);
        reader.Read(out var data, out _);
        output.Write("VALUE "u8);
        output.Write(key);
        output.Write(" "u8);
        WriteNumber(output, flags);
        output.Write(" "u8);
        WriteNumber(output, data.Length);
        if (fields == 4)
        {
            reader.Read(out _, out var cas);
            output.Write(" "u8);
            WriteNumber(output, cas);
        }

        output.Write("\r\n"u8);
        WriteLine(output, default, data);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long number)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(number, span, out var written);
        output.Advance(written);
    }
}
