using System.Buffers;
using System.Buffers.Text;

namespace C10k.Protocol.Resp;

/// <summary>Writes RESP2 replies straight into an output buffer (the connection's pipe). Never fails; never allocates.</summary>
public static class RespReplyWriter
{
    // Type byte, 20 characters of a long, CRLF.
    private const int MaxHeaderLength = 1 + 20 + 2;

    /// <summary><c>+OK\r\n</c></summary>
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;

    /// <summary><c>+PONG\r\n</c></summary>
    public static ReadOnlySpan<byte> Pong => "+PONG\r\n"u8;

    /// <summary><c>$-1\r\n</c>, RESP2's null bulk string.</summary>
    public static ReadOnlySpan<byte> NullBulkString => "$-1\r\n"u8;

    /// <summary><c>*-1\r\n</c>, RESP2's null array.</summary>
    public static ReadOnlySpan<byte> NullArray => "*-1\r\n"u8;

    /// <summary>Writes <c>+text\r\n</c>. CR and LF in <paramref name="text"/> become spaces, as Redis does, so the reply stays one line.</summary>
    public static void WriteSimpleString(IBufferWriter<byte> output, ReadOnlySpan<byte> text) => WriteLine(output, (byte)'+', text);

    /// <summary>Writes <c>-message\r\n</c>; <paramref name="message"/> starts with its code (<c>ERR …</c>). CR and LF become spaces.</summary>
    public static void WriteError(IBufferWriter<byte> output, ReadOnlySpan<byte> message) => WriteLine(output, (byte)'-', message);

    /// <summary>Writes <c>:value\r\n</c>.</summary>
    public static void WriteInteger(IBufferWriter<byte> output, long value) => WriteHeader(output, (byte)':', value);

    /// <summary>Writes <c>*count\r\n</c>; the caller then writes <paramref name="count"/> elements.</summary>
    public static void WriteArrayHeader(IBufferWriter<byte> output, long count) => WriteHeader(output, (byte)'*', count);

    /// <summary>Writes <c>$length\r\n</c>; the caller then writes exactly that many bytes and <see cref="WriteBulkStringEnd"/>.</summary>
    public static void WriteBulkStringHeader(IBufferWriter<byte> output, long length) => WriteHeader(output, (byte)'$', length);

    /// <summary>Writes the CRLF that ends a bulk string begun with <see cref="WriteBulkStringHeader"/>.</summary>
    public static void WriteBulkStringEnd(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    /// <summary>Writes <paramref name="value"/> as a bulk string.</summary>
    public static void WriteBulkString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        if (value.Length <= 256)
        {
            var span = output.GetSpan(MaxHeaderLength + value.Length + 2);
            var written = FormatHeader(span, (byte)'$', value.Length);
            value.CopyTo(span[written..]);
            written += value.Length;
            span[written++] = (byte)'\r';
            span[written++] = (byte)'\n';
            output.Advance(written);
            return;
        }

        WriteBulkStringHeader(output, value.Length);
        output.Write(value);
        WriteBulkStringEnd(output);
    }

    /// <summary>Writes <paramref name="value"/> (possibly in several segments, e.g. an argument still in the receive buffer) as a bulk string.</summary>
    public static void WriteBulkString(IBufferWriter<byte> output, in ReadOnlySequence<byte> value)
    {
        if (value.IsSingleSegment)
        {
            WriteBulkString(output, value.FirstSpan);
            return;
        }

        WriteBulkStringHeader(output, value.Length);
        foreach (var segment in value)
        {
            output.Write(segment.Span);
        }

        WriteBulkStringEnd(output);
    }

    /// <summary>Writes RESP2's null bulk string, <c>$-1\r\n</c>.</summary>
    public static void WriteNullBulkString(IBufferWriter<byte> output) => output.Write(NullBulkString);

    /// <summary>Writes RESP2's null array, <c>*-1\r\n</c>.</summary>
    public static void WriteNullArray(IBufferWriter<byte> output) => output.Write(NullArray);

    private static void WriteHeader(IBufferWriter<byte> output, byte type, long value)
    {
        var span = output.GetSpan(MaxHeaderLength);
        output.Advance(FormatHeader(span, type, value));
    }

    private static int FormatHeader(Span<byte> span, byte type, long value)
    {
        span[0] = type;
        Utf8Formatter.TryFormat(value, span[1..], out var digits);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        return digits + 3;
    }

    private static void WriteLine(IBufferWriter<byte> output, byte type, ReadOnlySpan<byte> text)
    {
        var span = output.GetSpan(text.Length + 3);
        span[0] = type;
        var body = span.Slice(1, text.Length);
        text.CopyTo(body);
        body.Replace((byte)'\r', (byte)' ');
        body.Replace((byte)'\n', (byte)' ');
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        output.Advance(text.Length + 3);
    }
}
