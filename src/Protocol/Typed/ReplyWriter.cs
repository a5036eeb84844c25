using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace C10k.Protocol.Typed;

/// <summary>
/// Writes one typed reply: exactly one value, where an array's header is followed by its elements. Every front encodes what
/// it writes its own way (RESP: <c>+ - : $ * $-1</c>; native: the typed payload of docs/protocol.md, or the version-1
/// flattening for clients that did not ask for typed replies). A value type over the output: copying it is free.
/// </summary>
public readonly struct ReplyWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>Writes the typed payload into <paramref name="output"/>.</summary>
    public ReplyWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>A short status text such as <c>OK</c>. CR and LF are replaced by spaces (RESP can't carry them).</summary>
    public void WriteSimpleString(ReadOnlySpan<byte> text) => WriteLine(ReplyType.SimpleString, text);

    /// <summary>A short status text, UTF-8.</summary>
    public void WriteSimpleString(string text) => WriteLine(ReplyType.SimpleString, text);

    /// <summary>
    /// An error. Its first word is the code (<c>ERR</c>, <c>WRONGTYPE</c>…), as in Redis; RESP sends it as is, the native front
    /// as an ERROR status when it is the whole reply, else as an error element.
    /// </summary>
    public void WriteError(string message) => WriteLine(ReplyType.Error, message);

    /// <summary>A signed 64-bit integer.</summary>
    public void WriteInteger(long value)
    {
        var span = _output.GetSpan(9);
        span[0] = (byte)ReplyType.Integer;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
        _output.Advance(9);
    }

    /// <summary>Binary-safe data.</summary>
    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        WriteHeader(ReplyType.Bulk, value.Length);
        _output.Write(value);
    }

    /// <summary>Binary-safe data, possibly in several segments (an argument, say).</summary>
    public void WriteBulk(in ReadOnlySequence<byte> value)
    {
        WriteHeader(ReplyType.Bulk, checked((int)value.Length));
        foreach (var segment in value)
        {
            _output.Write(segment.Span);
        }
    }

    /// <summary>Text as UTF-8 data.</summary>
    public void WriteBulk(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteHeader(ReplyType.Bulk, length);
        Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
        _output.Advance(length);
    }

    /// <summary>An array of <paramref name="count"/> elements: write exactly that many values next.</summary>
    public void WriteArray(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteHeader(ReplyType.Array, count);
    }

    /// <summary>No value (RESP <c>$-1</c>).</summary>
    public void WriteNil()
    {
        _output.GetSpan(1)[0] = (byte)ReplyType.Nil;
        _output.Advance(1);
    }

    private void WriteLine(ReplyType type, ReadOnlySpan<byte> text)
    {
        WriteHeader(type, text.Length);
        var span = _output.GetSpan(text.Length)[..text.Length];
        text.CopyTo(span);
        EndLine(span);
    }

    // Encoded straight into the output: no array per reply.
    private void WriteLine(ReplyType type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = Encoding.UTF8.GetByteCount(text);
        WriteHeader(type, length);
        var span = _output.GetSpan(length)[..length];
        Encoding.UTF8.GetBytes(text, span);
        EndLine(span);
    }

    private void EndLine(Span<byte> line)
    {
        line.Replace((byte)'\r', (byte)' ');
        line.Replace((byte)'\n', (byte)' ');
        _output.Advance(line.Length);
    }

    private void WriteHeader(ReplyType type, int length)
    {
        var span = _output.GetSpan(5);
        span[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        _output.Advance(5);
    }
}
