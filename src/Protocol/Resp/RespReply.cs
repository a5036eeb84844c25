using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>
/// One complete reply as a view into the receive buffer, valid until the buffer is advanced past it.
/// Arrays keep their elements encoded in <see cref="Payload"/>; <see cref="GetEnumerator"/> walks them without allocating.
/// </summary>
public readonly struct RespReply
{
    /// <summary>Creates a reply view.</summary>
    public RespReply(RespReplyType type, long value, ReadOnlySequence<byte> payload)
    {
        Type = type;
        Value = value;
        Payload = payload;
    }

    /// <summary>The reply's type.</summary>
    public RespReplyType Type { get; }

    /// <summary>The integer of an <see cref="RespReplyType.Integer"/>, the length of a bulk string or the element count of an array (-1 for null).</summary>
    public long Value { get; }

    /// <summary>Text of a simple string or error (no CRLF), bytes of a bulk string, or the encoded elements of an array.</summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>True for RESP2's null bulk string and null array.</summary>
    public bool IsNull => Value < 0 && Type is RespReplyType.BulkString or RespReplyType.Array;

    /// <summary>Enumerates the elements of an array (nothing for other types), each a complete reply.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Allocation-free enumerator over an array reply's elements.</summary>
    public ref struct Enumerator
    {
        private ReadOnlySequence<byte> _remaining;
        private long _left;

        internal Enumerator(RespReply reply)
        {
            _remaining = reply.Type == RespReplyType.Array ? reply.Payload : default;
            _left = reply.Type == RespReplyType.Array ? Math.Max(reply.Value, 0) : 0;
            Current = default;
        }

        /// <summary>The current element.</summary>
        public RespReply Current { get; private set; }

        /// <summary>Advances to the next element.</summary>
        public bool MoveNext()
        {
            if (_left == 0)
            {
                return false;
            }

            _left--;
            RespReplyReader.TryReadTrusted(ref _remaining, out var current);
            Current = current;
            return true;
        }
    }
}
