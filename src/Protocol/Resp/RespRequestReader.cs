using System.Buffers;

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
public sealed partial class RespRequestReader : IMessageReader<RespRequest>
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

    private void ResetProgress()
    {
        _offset = 0;
        _count = 0;
        _read = 0;
        _inBody = false;
        _bodyLength = 0;
    }
}
