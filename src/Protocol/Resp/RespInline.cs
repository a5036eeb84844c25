using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// Splits an inline command line as Redis's <c>sdssplitargs</c> does: blanks separate words; "double quotes" take the escapes
/// <c>\n \r \t \b \a \xHH</c> and <c>\</c> before any other byte; 'single quotes' take only <c>\'</c>; a closing quote must be
/// followed by a blank or the end, and an unterminated one is an error. One deviation: a NUL byte is an ordinary byte (Redis's
/// newline search stops at it, so it never answers such a line at all).
/// </summary>
internal static class RespInline
{
    // Lines without these split on spaces and tabs alone and stay views of the receive buffer.
    private static readonly SearchValues<byte> Special = SearchValues.Create("\"'\r\v\f"u8);

    /// <summary>True when <paramref name="line"/> needs Redis's quoting rules (quotes, or blanks other than space and tab).</summary>
    public static bool NeedsDecoding(in ReadOnlySequence<byte> line)
    {
        foreach (var memory in line)
        {
            if (memory.Span.ContainsAny(Special))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits a line that needs no decoding; false when it has no word (an empty request).</summary>
    public static bool TryReadPlain(in ReadOnlySequence<byte> line, out RespRequest request)
    {
        var words = new SequenceReader<byte>(line);
        if (!TryReadWord(ref words, out var name))
        {
            request = default;
            return false;
        }

        var count = 0;
        var argumentsStart = words.Position;
        var argumentsEnd = argumentsStart;
        while (TryReadWord(ref words, out var word))
        {
            if (count == 0)
            {
                argumentsStart = word.Start;
            }

            argumentsEnd = word.End;
            count++;
        }

        var arguments = new ArgumentList(line.Slice(argumentsStart, argumentsEnd), count, ArgumentEncoding.RespInline);
        request = new RespRequest(RespCommandTable.Identify(name), name, arguments);
        return true;
    }

    /// <summary>
    /// Decodes the words of <paramref name="line"/> in place (a word never grows) and stores each word's start and length in
    /// <paramref name="bounds"/> (room for <c>line.Length + 1</c>). Returns the number of words.
    /// </summary>
    public static int Decode(Span<byte> line, Span<int> bounds)
    {
        var read = 0;
        var write = 0;
        var count = 0;
        while (true)
        {
            while (read < line.Length && IsSpace(line[read]))
            {
                read++;
            }

            if (read == line.Length)
            {
                return count;
            }

            var start = write;
            var quote = (byte)0;
            var done = false;
            while (!done)
            {
                if (quote == 0)
                {
                    done = DecodePlain(line, ref read, ref write, ref quote);
                }
                else if (read == line.Length)
                {
                    RespProtocolException.Throw(RespProtocolError.UnbalancedQuotes);
                }
                else
                {
                    done = quote == '"' ? DecodeDoubleQuoted(line, ref read, ref write) : DecodeSingleQuoted(line, ref read, ref write);
                }
            }

            bounds[2 * count] = start;
            bounds[(2 * count) + 1] = write - start;
            count++;
        }
    }

    // One step outside quotes; true at the end of the word.
    private static bool DecodePlain(Span<byte> line, ref int read, ref int write, ref byte quote)
    {
        if (read == line.Length)
        {
            return true;
        }

        var c = line[read++];
        switch (c)
        {
            case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t':
                return true;
            case (byte)'"' or (byte)'\'':
                quote = c;
                return false;
            default:
                line[write++] = c;
                return false;
        }
    }

    private static bool DecodeDoubleQuoted(Span<byte> line, ref int read, ref int write)
    {
        var c = line[read];
        if (c == '\\' && read + 3 < line.Length && line[read + 1] == 'x' && IsHex(line[read + 2]) && IsHex(line[read + 3]))
        {
            line[write++] = (byte)((HexValue(line[read + 2]) << 4) | HexValue(line[read + 3]));
            read += 4;
        }
        else if (c == '\\' && read + 1 < line.Length)
        {
            line[write++] = line[read + 1] switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                (byte)'b' => (byte)'\b',
                (byte)'a' => (byte)'\a',
                var other => other,
            };
            read += 2;
        }
        else if (c == '"')
        {
            return CloseQuote(line, ref read);
        }
        else
        {
            line[write++] = c;
            read++;
        }

        return false;
    }

    private static bool DecodeSingleQuoted(Span<byte> line, ref int read, ref int write)
    {
        var c = line[read];
        if (c == '\\' && read + 1 < line.Length && line[read + 1] == '\'')
        {
            line[write++] = (byte)'\'';
            read += 2;
        }
        else if (c == '\'')
        {
            return CloseQuote(line, ref read);
        }
        else
        {
            line[write++] = c;
            read++;
        }

        return false;
    }

    // A closing quote ends the word, and must be followed by a blank or the end of the line.
    private static bool CloseQuote(ReadOnlySpan<byte> line, ref int read)
    {
        read++;
        if (read < line.Length && !IsSpace(line[read]))
        {
            RespProtocolException.Throw(RespProtocolError.UnbalancedQuotes);
        }

        return true;
    }

    // C's isspace: words may start after \v and \f, but only space, tab, CR and LF end an unquoted word.
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Words are separated by spaces and tabs, exactly as ArgumentList enumerates RespInline.
    private static bool TryReadWord(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> word)
    {
        reader.AdvancePastAny((byte)' ', (byte)'\t');
        var start = reader.Position;
        if (!reader.TryAdvanceToAny(" \t"u8, advancePastDelimiter: false))
        {
            reader.AdvanceToEnd();
        }

        word = reader.Sequence.Slice(start, reader.Position);
        return !word.IsEmpty;
    }
}
