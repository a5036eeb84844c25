using System.Buffers;

namespace MemcachedFront;

/// <summary>
/// The number and key rules of memcached's text protocol (protocol.txt), shared by the front and the operations so that both
/// accept exactly the same input: memcached's <c>safe_strtoul</c>/<c>safe_strtol</c>/<c>safe_strtoull</c> on whole tokens.
/// </summary>
public static class MemcachedSyntax
{
    /// <summary>Longest key, in bytes (memcached's <c>KEY_MAX_LENGTH</c>).</summary>
    public const int MaxKeyBytes = 250;

    /// <summary>Exptimes up to this many seconds (30 days) are relative to now; larger ones are Unix times.</summary>
    public const long MaxRelativeExptime = 60 * 60 * 24 * 30;

    /// <summary>CLIENT_ERROR text for a malformed command line.</summary>
    public const string BadFormat = "bad command line format";

    /// <summary>CLIENT_ERROR text for a malformed incr/decr delta.</summary>
    public const string BadDelta = "invalid numeric delta argument";

    /// <summary>CLIENT_ERROR text for a malformed exptime (touch, flush_all).</summary>
    public const string BadExptime = "invalid exptime argument";

    /// <summary>A key memcached's text protocol can carry: 1 to 250 bytes, no space, no line feed.</summary>
    public static bool IsKey(ReadOnlySpan<byte> key) => key.Length is > 0 and <= MaxKeyBytes && key.IndexOfAny((byte)' ', (byte)'\n') < 0;

    /// <inheritdoc cref="IsKey(ReadOnlySpan{byte})"/>
    public static bool IsKey(in ReadOnlySequence<byte> key) => key.Length <= MaxKeyBytes && IsKey(Small(key, stackalloc byte[MaxKeyBytes]));

    /// <summary>An unsigned decimal: an optional '+', then digits, nothing else; false on overflow.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> token, out ulong value)
    {
        value = 0;
        if (!token.IsEmpty && token[0] == (byte)'+')
        {
            token = token[1..];
        }

        if (token.IsEmpty)
        {
            return false;
        }

        foreach (var b in token)
        {
            var digit = (uint)(b - '0');
            if (digit > 9 || value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>A flags token: an unsigned 32-bit decimal.</summary>
    public static bool TryParseFlags(ReadOnlySpan<byte> token, out uint flags)
    {
        var ok = TryParseUInt64(token, out var value) && value <= uint.MaxValue;
        flags = ok ? (uint)value : 0;
        return ok;
    }

    /// <summary>A signed 32-bit decimal (exptime, the byte count): an optional sign, then digits.</summary>
    public static bool TryParseInt32(ReadOnlySpan<byte> token, out int value)
    {
        value = 0;
        var negative = !token.IsEmpty && token[0] == (byte)'-';
        if (!TryParseUInt64(negative ? token[1..] : token, out var magnitude) || (negative && token.Length > 1 && token[1] == (byte)'+'))
        {
            return false;
        }

        if (magnitude > (negative ? 2_147_483_648UL : int.MaxValue))
        {
            return false;
        }

        value = negative ? (int)-(long)magnitude : (int)magnitude;
        return true;
    }

    /// <inheritdoc cref="TryParseUInt64(ReadOnlySpan{byte}, out ulong)"/>
    public static bool TryParseUInt64(in ReadOnlySequence<byte> token, out ulong value)
    {
        value = 0;
        return token.Length <= 32 && TryParseUInt64(Small(token, stackalloc byte[32]), out value);
    }

    /// <inheritdoc cref="TryParseFlags(ReadOnlySpan{byte}, out uint)"/>
    public static bool TryParseFlags(in ReadOnlySequence<byte> token, out uint flags)
    {
        flags = 0;
        return token.Length <= 32 && TryParseFlags(Small(token, stackalloc byte[32]), out flags);
    }

    /// <inheritdoc cref="TryParseInt32(ReadOnlySpan{byte}, out int)"/>
    public static bool TryParseInt32(in ReadOnlySequence<byte> token, out int value)
    {
        value = 0;
        return token.Length <= 32 && TryParseInt32(Small(token, stackalloc byte[32]), out value);
    }

    /// <summary>A token the operation's validation already accepted, as a number.</summary>
    public static ulong Number(in ReadOnlySequence<byte> token) => TryParseUInt64(token, out var value) ? value : throw new FormatException(BadFormat);

    /// <inheritdoc cref="Number(in ReadOnlySequence{byte})"/>
    public static uint Flags(in ReadOnlySequence<byte> token) => TryParseFlags(token, out var value) ? value : throw new FormatException(BadFormat);

    /// <inheritdoc cref="Number(in ReadOnlySequence{byte})"/>
    public static int Exptime(in ReadOnlySequence<byte> token) => TryParseInt32(token, out var value) ? value : throw new FormatException(BadFormat);

    /// <summary>
    /// The number a stored value holds, for incr/decr, as memcached reads it: optional leading whitespace, digits, then the end or
    /// whitespace (so <c>"99 "</c>, the space-padded result of a decr, still counts). False when it is not a number or overflows.
    /// </summary>
    public static bool TryParseStoredNumber(ReadOnlySpan<byte> value, out ulong number)
    {
        number = 0;
        var start = 0;
        while (start < value.Length && IsSpace(value[start]))
        {
            start++;
        }

        var end = start;
        if (end < value.Length && value[end] == (byte)'+')
        {
            end++;
        }

        while (end < value.Length && value[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        return (end == value.Length || IsSpace(value[end])) && TryParseUInt64(value[start..end], out number);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    // A short token as one span (callers check its length against the scratch first).
    private static ReadOnlySpan<byte> Small(in ReadOnlySequence<byte> token, Span<byte> scratch)
    {
        if (token.IsSingleSegment)
        {
            return token.FirstSpan;
        }

        token.CopyTo(scratch);
        return scratch[..(int)token.Length];
    }
}
