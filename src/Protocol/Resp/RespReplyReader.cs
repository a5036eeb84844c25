using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// Parses RESP2 replies on the client side, pipelining-aware: call it in a loop over one receive buffer.
/// A reply (nested arrays included) is parsed whole or not at all, with no allocation and no recursion;
/// lengths are checked against <see cref="RespLimits"/> before waiting for their bytes.
/// </summary>
public sealed class RespReplyReader : IMessageReader<RespReply>
{
    private static readonly RespReplyReader Trusted = new(new RespLimits { MaxArgs = int.MaxValue, MaxBulkBytes = long.MaxValue, MaxInlineBytes = int.MaxValue });

    private readonly int _maxElements;
    private readonly long _maxBulkBytes;
    private readonly int _maxLineBytes;

    /// <summary>Creates a reader enforcing <paramref name="limits"/> (Redis's defaults when null).</summary>
    public RespReplyReader(RespLimits? limits = null)
    {
        limits ??= RespLimits.Default;
        _maxElements = limits.MaxArgs;
        _maxBulkBytes = limits.MaxBulkBytes;
        _maxLineBytes = limits.MaxInlineBytes;
    }

    /// <summary>Parses the next reply. On true, <paramref name="buffer"/> starts just past it; on false it is unchanged and more bytes are needed.</summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out RespReply reply)
    {
        reply = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!TryReadOne(ref reader, out reply))
        {
            return false;
        }

        // Elements still owed by the arrays opened so far (no recursion: nesting only adds to the count).
        var owed = reply.Type == RespReplyType.Array ? Math.Max(reply.Value, 0) : 0;
        var elementsStart = reader.Position;
        while (owed > 0)
        {
            if (!TryReadOne(ref reader, out var element))
            {
                return false;
            }

            owed += (element.Type == RespReplyType.Array ? Math.Max(element.Value, 0) : 0) - 1;
        }

        if (reply.Type == RespReplyType.Array)
        {
            reply = new RespReply(RespReplyType.Array, reply.Value, buffer.Slice(elementsStart, reader.Position));
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    /// <inheritdoc />
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out RespReply message)
    {
        var buffer = input.Slice(consumed);
        var parsed = TryRead(ref buffer, out message);
        consumed = buffer.Start;
        examined = parsed ? consumed : input.End;
        return parsed;
    }

    /// <summary>Re-reads elements of a reply that was already validated.</summary>
    internal static void TryReadTrusted(ref ReadOnlySequence<byte> buffer, out RespReply reply) => Trusted.TryRead(ref buffer, out reply);

    // One header and, for non-arrays, its payload; an array's elements are left to the caller.
    private bool TryReadOne(ref SequenceReader<byte> reader, out RespReply reply)
    {
        reply = default;
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        var replyType = type switch
        {
            (byte)'+' => RespReplyType.SimpleString,
            (byte)'-' => RespReplyType.Error,
            (byte)':' => RespReplyType.Integer,
            (byte)'$' => RespReplyType.BulkString,
            (byte)'*' => RespReplyType.Array,
            _ => ThrowUnexpectedType(type),
        };

        if (!RespLine.TryRead(ref reader, _maxLineBytes, RespProtocolError.TooBigReplyLine, out var line))
        {
            return false;
        }

        if (replyType is RespReplyType.SimpleString or RespReplyType.Error)
        {
            reply = new RespReply(replyType, 0, line);
            return true;
        }

        if (!RespLine.TryParseInteger(line, out var value))
        {
            RespProtocolException.Throw(RespProtocolError.InvalidReplyLength);
        }

        switch (replyType)
        {
            case RespReplyType.Integer:
                reply = new RespReply(replyType, value, default);
                return true;
            case RespReplyType.Array:
                if (value < -1 || value > _maxElements)
                {
                    RespProtocolException.Throw(RespProtocolError.InvalidReplyLength);
                }

                reply = new RespReply(replyType, value, default);
                return true;
        }

        if (value < -1 || value > _maxBulkBytes)
        {
            RespProtocolException.Throw(RespProtocolError.InvalidReplyLength);
        }

        if (value == -1)
        {
            reply = new RespReply(replyType, value, default);
            return true;
        }

        if (reader.Remaining < value + 2)
        {
            return false;
        }

        reply = new RespReply(replyType, value, reader.UnreadSequence.Slice(0, value));
        reader.Advance(value + 2);
        return true;
    }

    private static RespReplyType ThrowUnexpectedType(byte type)
    {
        RespProtocolException.Throw(RespProtocolError.UnexpectedReplyType, type);
        return default;
    }
}
