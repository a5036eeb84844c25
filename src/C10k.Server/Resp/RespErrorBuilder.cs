using System.Buffers;
using System.Text;

namespace C10k.Server.Resp;

/// <summary>
/// Composes one error reply (<c>-CODE text\r\n</c>) straight in the output's memory, as Redis formats its errors, without strings.
/// Text longer than the reserved room is cut; CR and LF become spaces, so the reply stays one line.
/// </summary>
internal ref struct RespErrorBuilder
{
    // Unknown-command errors are the longest: 128 bytes of name and about 130 of arguments, plus the fixed words.
    private const int Room = 512;

    private readonly IBufferWriter<byte> _output;
    private readonly Span<byte> _span;
    private int _length;

    public RespErrorBuilder(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(Room);
        _span[0] = (byte)'-';
        _length = 1;
    }

    public readonly int TextLength => _length - 1;

    public void Append(ReadOnlySpan<byte> text)
    {
        var room = Room - 2 - _length;
        if (text.Length > room)
        {
            text = text[..room];
        }

        text.CopyTo(_span[_length..]);
        _length += text.Length;
    }

    public void Append(string ascii)
    {
        var room = Room - 2 - _length;
        var text = ascii.AsSpan(0, Math.Min(ascii.Length, room));
        for (var i = 0; i < text.Length; i++)
        {
            _span[_length + i] = text[i] < 128 ? (byte)text[i] : (byte)'?';
        }

        _length += text.Length;
    }

    /// <summary>Appends at most <paramref name="max"/> bytes of <paramref name="value"/>.</summary>
    public void Append(in ReadOnlySequence<byte> value, int max)
    {
        var take = (int)Math.Min(Math.Min(value.Length, max), Room - 2 - _length);
        value.Slice(0, take).CopyTo(_span[_length..]);
        _length += take;
    }

    /// <summary>Appends at most <paramref name="max"/> bytes of <paramref name="value"/> in lower case (Redis names commands in lower case).</summary>
    public void AppendLower(in ReadOnlySequence<byte> value, int max)
    {
        var start = _length;
        Append(value, max);
        Ascii.ToLowerInPlace(_span[start.._length], out _);
    }

    /// <summary>Ends the line and commits it to the output.</summary>
    public void Commit()
    {
        var text = _span[1.._length];
        text.Replace((byte)'\r', (byte)' ');
        text.Replace((byte)'\n', (byte)' ');
        _span[_length++] = (byte)'\r';
        _span[_length++] = (byte)'\n';
        _output.Advance(_length);
    }

    /// <summary>Writes <c>-</c><paramref name="code"/> <paramref name="message"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> code, string message)
    {
        var error = new RespErrorBuilder(output);
        error.Append(code);
        error.Append(" "u8);
        error.Append(message);
        error.Commit();
    }
}
