using System.Buffers;
using System.Buffers.Text;

namespace C10k.Protocol.Resp;

/// <summary>Inline commands (a line of words, with Redis's quoting rules).</summary>
public sealed partial class RespRequestReader
{
    private Parsed ParseInline(in ReadOnlySequence<byte> input, out RespRequest request, out long length)
    {
        request = default;
        length = 0;
        var reader = new SequenceReader<byte>(input);
        reader.Advance(_offset);
        if (!reader.TryAdvanceTo((byte)'\n'))
        {
            if (input.Length > _maxInlineBytes)
            {
                RespProtocolException.Throw(RespProtocolError.TooBigInlineRequest);
            }

            _offset = input.Length;
            return Parsed.Incomplete;
        }

        length = reader.Consumed;
        ResetProgress();
        var line = input.Slice(0, length - 1);
        if (line.Length > _maxInlineBytes)
        {
            RespProtocolException.Throw(RespProtocolError.TooBigInlineRequest);
        }

        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (!RespInline.NeedsDecoding(line))
        {
            return RespInline.TryReadPlain(line, out request) ? Parsed.Request : Parsed.Empty;
        }

        return Decode(line, out request) ? Parsed.Request : Parsed.Empty;
    }

    // Quoted words are decoded into the held buffer as bulk strings, where the request then points.
    private bool Decode(in ReadOnlySequence<byte> line, out RespRequest request)
    {
        request = default;
        var text = ArrayPool<byte>.Shared.Rent((int)line.Length);
        var bounds = ArrayPool<int>.Shared.Rent((int)line.Length + 1);
        try
        {
            line.CopyTo(text);
            var count = RespInline.Decode(text.AsSpan(0, (int)line.Length), bounds);
            if (count == 0)
            {
                return false;
            }

            _held ??= new SpillBuffer(_pool);
            _held.Reset();
            _returnedHeld = true;
            long argumentsOffset = 0;
            Span<byte> digits = stackalloc byte[20];
            for (var i = 0; i < count; i++)
            {
                var word = text.AsSpan(bounds[2 * i], bounds[(2 * i) + 1]);
                Utf8Formatter.TryFormat(word.Length, digits, out var written);
                _held.Append("$"u8);
                _held.Append(digits[..written]);
                _held.Append("\r\n"u8);
                _held.Append(word);
                _held.Append("\r\n"u8);
                if (i == 0)
                {
                    argumentsOffset = _held.Length;
                }
            }

            var encoded = _held.Sequence;
            var name = encoded.Slice(argumentsOffset - 2 - bounds[1], bounds[1]);
            var arguments = new ArgumentList(encoded.Slice(argumentsOffset), count - 1, ArgumentEncoding.RespBulk);
            request = new RespRequest(RespCommandTable.Identify(name), name, arguments, isInline: true);
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(bounds);
            ArrayPool<byte>.Shared.Return(text);
        }
    }
}
