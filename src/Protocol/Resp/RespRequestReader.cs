using System.Buffers;
using System.Buffers.Text;

namespace C10k.Protocol.Resp;

/// <summary>
/// Parses RESP requests: arrays of bulk strings (what clients send) and inline lines (telnet, <c>redis-benchmark</c>'s PING_INLINE,
/// with Redis's quoting rules). Every length is checked against <see cref="RespLimits"/> before the parser waits for the bytes it
/// announces. Empty requests (a blank line, <c>*0</c>, <c>*-1</c>) are skipped, as Redis does; an empty command name is a request.
/// <para>
/// Incremental: a partial array is not re-parsed from its start on every read; the reader keeps how far it got (so the caller must
/// pass the same unconsumed bytes, plus new ones, after a false). A request still incomplete once <see cref="SpillThresholdBytes"/>
/// of it are buffered moves into the reader's own pooled buffer and the input is consumed as it arrives, so requests up to the
/// limits arrive through a smaller read-ahead. A request is valid until the next call or until its buffer is advanced past it.
/// </para>
/// </summary>
public sealed class RespRequestReader : IMessageReader<RespRequest>
{
    /// <summary>Default <see cref="SpillThresholdBytes"/>.</summary>
    public const int DefaultSpillThresholdBytes = SpillBuffer.DefaultThresholdBytes;

    private readonly int _maxArgs;
    private readonly long _maxBulkBytes;
    private readonly int _maxInlineBytes;
    private readonly RespProtocolError _tooManyArgs;
    private readonly RespProtocolError _bulkTooLong;
    private readonly MemoryPool<byte>? _pool;
    private SpillBuffer? _held;
    private bool _holding;
    private bool _returnedHeld;

    // How far the partial request has been parsed, counted from its first byte.
    private long _offset;
    private long _count;
    private long _read;
    private bool _inBody;
    private long _bodyLength;
    private long _nameOffset;
    private long _nameLength;
    private long _argumentsOffset;

    /// <summary>Creates a reader enforcing <paramref name="limits"/> (Redis's defaults when null); held requests use <paramref name="pool"/>.</summary>
    public RespRequestReader(RespLimits? limits = null, int spillThresholdBytes = DefaultSpillThresholdBytes, MemoryPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spillThresholdBytes, 1);
        limits ??= RespLimits.Default;
        _maxArgs = limits.MaxArgs;
        _maxBulkBytes = limits.MaxBulkBytes;
        _maxInlineBytes = limits.MaxInlineBytes;
        _tooManyArgs = limits.IsUnauthenticated ? RespProtocolError.UnauthenticatedMultibulkLength : RespProtocolError.InvalidMultibulkLength;
        _bulkTooLong = limits.IsUnauthenticated ? RespProtocolError.UnauthenticatedBulkLength : RespProtocolError.InvalidBulkLength;
        SpillThresholdBytes = spillThresholdBytes;
        _pool = pool;
    }

    private enum Parsed
    {
        Incomplete,
        Request,
        Empty,
    }

    /// <summary>Buffered bytes of an incomplete request past which the reader takes them out of the input; at most the transport's read-ahead.</summary>
    public int SpillThresholdBytes { get; }

    /// <summary>Bytes of an incomplete request the reader has consumed from the input and holds itself.</summary>
    public long HeldBytes => _holding ? _held!.Length : 0;

    /// <summary>
    /// Parses the next request. On true, <paramref name="buffer"/> starts just past it. On false more bytes are needed and
    /// <paramref name="buffer"/> has moved past skipped empty requests and past bytes the reader now holds (<see cref="HeldBytes"/>).
    /// Throws <see cref="RespProtocolException"/> on malformed input.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out RespRequest request)
    {
        if (_returnedHeld)
        {
            _returnedHeld = false;
            _held!.Reset();
        }

        while (true)
        {
            Parsed parsed;
            if (_holding)
            {
                parsed = ContinueHeld(ref buffer, out request);
                if (parsed == Parsed.Incomplete)
                {
                    return false;
                }

                _holding = false;
                _returnedHeld = true;
            }
            else
            {
                if (buffer.IsEmpty)
                {
                    request = default;
                    return false;
                }

                if (_offset > buffer.Length)
                {
                    // Not the bytes of the last call: start over.
                    ResetProgress();
                }

                parsed = Parse(buffer, out request, out var length);
                if (parsed == Parsed.Incomplete)
                {
                    Hold(ref buffer);
                    return false;
                }

                buffer = buffer.Slice(length);
            }

            if (parsed == Parsed.Request)
            {
                return true;
            }
        }
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

    private void Hold(ref ReadOnlySequence<byte> buffer)
    {
        // Every byte of an incomplete request's buffer belongs to it.
        if (buffer.Length >= SpillThresholdBytes)
        {
            _held ??= new SpillBuffer(_pool);
            _held.Reset();
            _held.Append(buffer);
            _holding = true;
            _returnedHeld = false;
            buffer = buffer.Slice(buffer.End);
        }
    }

    // Takes from the input only bytes that belong to the held request, then parses on from where the last call stopped.
    private Parsed ContinueHeld(ref ReadOnlySequence<byte> buffer, out RespRequest request)
    {
        var held = _held!;
        request = default;
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BytesOfHeldRequest(held, buffer));
            held.Append(buffer.Slice(0, take));
            buffer = buffer.Slice(take);
            var parsed = Parse(held.Sequence, out request, out _);
            if (parsed != Parsed.Incomplete)
            {
                return parsed;
            }
        }

        return Parsed.Incomplete;
    }

    // How many of the next input bytes can belong to the held request: the rest of a bulk, else up to the end of the current line.
    private long BytesOfHeldRequest(SpillBuffer held, in ReadOnlySequence<byte> buffer)
    {
        if (_inBody)
        {
            return _offset + _bodyLength + 2 - held.Length;
        }

        var reader = new SequenceReader<byte>(held.Sequence);
        reader.TryPeek(out var first);
        var terminator = first == '*' ? (byte)'\r' : (byte)'\n';
        if (terminator == '\r' && held.Length > _offset && held.Sequence.Slice(held.Length - 1).FirstSpan[0] == '\r')
        {
            // The line's CR has arrived: Redis takes the byte after it without looking at it.
            return 1;
        }

        var position = buffer.PositionOf(terminator);
        var line = position is { } end ? buffer.Slice(0, end).Length + 1 : buffer.Length;
        return terminator == '\r' ? line + 1 : line;
    }

    private Parsed Parse(in ReadOnlySequence<byte> input, out RespRequest request, out long length)
    {
        var reader = new SequenceReader<byte>(input);
        reader.TryPeek(out var first);
        return first == '*' ? ParseArray(input, out request, out length) : ParseInline(input, out request, out length);
    }

    private Parsed ParseArray(in ReadOnlySequence<byte> input, out RespRequest request, out long length)
    {
        request = default;
        length = 0;
        var start = _offset;
        var reader = new SequenceReader<byte>(input.Slice(start));
        if (_count == 0)
        {
            reader.Advance(1);
            if (!RespLine.TryRead(ref reader, _maxInlineBytes, RespProtocolError.TooBigMultibulkCountString, out var header))
            {
                return Parsed.Incomplete;
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
                length = reader.Consumed;
                return Parsed.Empty;
            }

            _count = count;
            _offset = start + reader.Consumed;
        }

        while (_read < _count)
        {
            if (!_inBody)
            {
                if (!TryReadBulkHeader(ref reader, out _bodyLength))
                {
                    return Parsed.Incomplete;
                }

                _inBody = true;
                _offset = start + reader.Consumed;
            }

            // The bulk and its CRLF; Redis skips those two bytes without checking them, and so do we.
            if (reader.Remaining < _bodyLength + 2)
            {
                return Parsed.Incomplete;
            }

            if (_read == 0)
            {
                _nameOffset = _offset;
                _nameLength = _bodyLength;
            }

            reader.Advance(_bodyLength + 2);
            _inBody = false;
            _read++;
            _offset = start + reader.Consumed;
            if (_read == 1)
            {
                _argumentsOffset = _offset;
            }
        }

        length = _offset;
        var name = input.Slice(_nameOffset, _nameLength);
        var arguments = new ArgumentList(input.Slice(_argumentsOffset, length - _argumentsOffset), (int)(_count - 1), ArgumentEncoding.RespBulk);
        request = new RespRequest(RespCommandTable.Identify(name), name, arguments);
        ResetProgress();
        return Parsed.Request;
    }

    private bool TryReadBulkHeader(ref SequenceReader<byte> reader, out long length)
    {
        length = 0;
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

        if (!RespLine.TryParseInteger(header, out length) || length < 0)
        {
            RespProtocolException.Throw(RespProtocolError.InvalidBulkLength);
        }

        if (length > _maxBulkBytes)
        {
            RespProtocolException.Throw(_bulkTooLong);
        }

        return true;
    }

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

    private void ResetProgress()
    {
        _offset = 0;
        _count = 0;
        _read = 0;
        _inBody = false;
        _bodyLength = 0;
    }
}
