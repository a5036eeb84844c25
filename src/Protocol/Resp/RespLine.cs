using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>Header lines shared by the request and reply readers: <c>&lt;integer&gt;\r\n</c> after a type byte.</summary>
internal static class RespLine
{
    // long.MinValue has 19 digits and a sign.
    private const int MaxIntegerLength = 20;

    /// <summary>
    /// Reads up to and past the next CR and the byte after it (Redis skips that byte without checking it).
    /// False when the CR or its follower has not arrived; throws <paramref name="tooLong"/> when no CR is within <paramref name="maxLine"/> bytes.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, int maxLine, RespProtocolError tooLong, out ReadOnlySequence<byte> line)
    {
        // Longer than maxLine is an error whether or not its CR has arrived, so how the bytes were cut into reads can't change the outcome.
        if (!reader.TryReadTo(out line, (byte)'\r'))
        {
            if (reader.Remaining > maxLine)
            {
                RespProtocolException.Throw(tooLong);
            }

            return false;
        }

        if (line.Length > maxLine)
        {
            RespProtocolException.Throw(tooLong);
        }

        if (reader.End)
        {
            reader.Rewind(line.Length + 1);
            return false;
        }

        reader.Advance(1);
        return true;
    }

    /// <summary>Parses an integer as Redis's <c>string2ll</c>: optional '-', no '+', no leading zeros, no spaces, no overflow.</summary>
    public static bool TryParseInteger(in ReadOnlySequence<byte> line, out long value)
    {
        value = 0;
        if (line.IsEmpty || line.Length > MaxIntegerLength)
        {
            return false;
        }

        if (line.IsSingleSegment)
        {
            return TryParseInteger(line.FirstSpan, out value);
        }

        Span<byte> copy = stackalloc byte[MaxIntegerLength];
        line.CopyTo(copy);
        return TryParseInteger(copy[..(int)line.Length], out value);
    }

    private static bool TryParseInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.Length == 1 && s[0] == '0')
        {
            return true;
        }

        var negative = s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        if (s.IsEmpty || s[0] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }

        ulong magnitude = 0;
        foreach (var b in s)
        {
            var digit = (uint)(b - '0');
            if (digit > 9 || magnitude > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = (long)(0 - magnitude);
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }
}
