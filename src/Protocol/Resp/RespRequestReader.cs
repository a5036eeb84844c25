using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// Parses RESP requests: arrays of bulk strings (what clients send) and inline lines (telnet, <c>redis-benchmark</c>'s PING_INLINE).
/// Incremental and allocation-free: a request is parsed whole or not at all, and every length is checked against
/// <see cref="RespLimits"/> before the parser waits for the bytes it announces. Empty requests (a blank line, <c>*0</c>, <c>*-1</c>) are skipped, as Redis does.
/// Inline arguments are split on spaces and tabs; quotes are ordinary bytes.
/// </summary>
public sealed class RespRequestReader : IMessageReader<RespRequest>
{
    private readonly int _maxArgs;
    private readonly long _maxBulkBytes;
    private readonly int _maxInlineBytes;
    private readonly RespProtocolError _tooManyArgs;
    private readonly RespProtocolError _bulkTooLong;

    /// <summary>Creates a reader enforcing <paramref name="limits"/> (Redis's defaults when null).</summary>
    public RespRequestReader(RespLimits? limits = null)
    {
        limits ??= RespLimits.Default;
        _maxArgs = limits.MaxArgs;
        _maxBulkBytes = limits.MaxBulkBytes;
        _maxInlineBytes = limits.MaxInlineBytes;
        _tooManyArgs = limits.IsUnauthenticated ? RespProtocolError.UnauthenticatedMultibulkLength : RespProtocolError.InvalidMultibulkLength;
        _bulkTooLong = limits.IsUnauthenticated ? RespProtocolError.UnauthenticatedBulkLength : RespProtocolError.InvalidBulkLength;
    }

    /// <summary>
    /// Parses the next request. On true, <paramref name="buffer"/> starts just past it. On false more bytes are needed and
    /// <paramref name="buffer"/> has moved only past skipped empty requests. Throws <see cref="RespProtocolException"/> on malformed input.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out RespRequest request)
    {
        while (!buffer.IsEmpty)
        {
            var reader = new SequenceReader<byte>(buffer);
            bool complete;
            if (reader.IsNext((byte)'*'))
            {
                reader.Advance(1);
                complete = TryReadArray(ref reader, out request);
            }
            else
            {
                complete = TryReadInline(ref reader, out request);
            }

            if (!complete)
            {
                return false;
            }

            buffer = buffer.Slice(reader.Position);
            if (!request.Name.IsEmpty)
            {
                return true;
            }
        }

        request = default;
        return false;
    }

    /// <inheritdoc />
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out RespRequest message)
    {
        var buffer = input.Slice(consumed);
        var parsed = TryRead(ref buffer, out message);
        consumed = buffer.Start;
        examined = parsed ? consumed : input.End;
        return parsed;
    }

    private bool TryReadArray(ref SequenceReader<byte> reader, out RespRequest request)
    {
        request = default;
        if (!RespLine.TryRead(ref reader, _maxInlineBytes, RespProtocolError.TooBigMultibulkCountString, out var header))
        {
            return false;
        }

        if (!RespLine.TryParseInteger(header, out var count) || count > int.MaxValue)
        {
            RespProtocolException.Throw(RespProtocolError.InvalidMultibulkLength);
        }

        if (count > _maxArgs)
        {
            RespProtocolException.Throw(_tooManyArgs);
        }

        if (count <= 0)
        {
            return true;
        }

        if (!TryReadBulk(ref reader, out var name))
        {
            return false;
        }

        var argumentsStart = reader.Position;
        for (var i = 1; i < count; i++)
        {
            if (!TryReadBulk(ref reader, out _))
            {
                return false;
            }
        }

        var arguments = new ArgumentList(reader.Sequence.Slice(argumentsStart, reader.Position), (int)count - 1, ArgumentEncoding.RespBulk);
        request = new RespRequest(RespCommandTable.Identify(name), name, arguments);
        return true;
    }

    private bool TryReadBulk(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> value)
    {
        value = default;
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        if (type != '$')
        {
            RespProtocolException.Throw(RespProtocolError.ExpectedBulkString, type);
        }

        if (!RespLine.TryRead(ref reader, _maxInlineBytes, RespProtocolError.TooBigBulkCountString, out var header))
        {
            return false;
        }

        if (!RespLine.TryParseInteger(header, out var length) || length < 0)
        {
            RespProtocolException.Throw(RespProtocolError.InvalidBulkLength);
        }

        if (length > _maxBulkBytes)
        {
            RespProtocolException.Throw(_bulkTooLong);
        }

        // The bulk and its CRLF; Redis skips those two bytes without checking them, and so do we.
        if (reader.Remaining < length + 2)
        {
            return false;
        }

        value = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length + 2);
        return true;
    }

    private bool TryReadInline(ref SequenceReader<byte> reader, out RespRequest request)
    {
        request = default;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (reader.Remaining > _maxInlineBytes)
            {
                RespProtocolException.Throw(RespProtocolError.TooBigInlineRequest);
            }

            return false;
        }

        if (line.Length > _maxInlineBytes)
        {
            RespProtocolException.Throw(RespProtocolError.TooBigInlineRequest);
        }

        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        var words = new SequenceReader<byte>(line);
        if (!TryReadWord(ref words, out var name))
        {
            return true;
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
