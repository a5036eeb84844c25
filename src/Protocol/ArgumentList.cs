using System.Buffers;
using System.Buffers.Binary;

namespace C10k.Protocol;

/// <summary>
/// The arguments of one request as a view over the bytes they arrived in: no copy, no allocation.
/// Both fronts produce it, so an operation reads its arguments the same way whichever protocol carried them.
/// The codec that built it has already validated the layout, so enumeration never fails.
/// </summary>
public readonly struct ArgumentList
{
    /// <summary>Creates a view; <paramref name="raw"/> must hold exactly <paramref name="count"/> well-formed arguments.</summary>
    public ArgumentList(ReadOnlySequence<byte> raw, int count, ArgumentEncoding encoding)
    {
        Raw = raw;
        Count = count;
        Encoding = encoding;
    }

    /// <summary>The encoded arguments, as received.</summary>
    public ReadOnlySequence<byte> Raw { get; }

    /// <summary>Number of arguments.</summary>
    public int Count { get; }

    /// <summary>Layout of <see cref="Raw"/>.</summary>
    public ArgumentEncoding Encoding { get; }

    /// <summary>Returns the same list re-pointed at <paramref name="copy"/>, a copy of <see cref="Raw"/> (for work that outlives the receive buffer).</summary>
    public ArgumentList WithRaw(ReadOnlySequence<byte> copy) => new(copy, Count, Encoding);

    /// <summary>Gets argument <paramref name="index"/> (0-based). Walks the list: arguments are few.</summary>
    public ReadOnlySequence<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var e = GetEnumerator();
            for (var i = 0; i <= index; i++)
            {
                e.MoveNext();
            }

            return e.Current;
        }
    }

    /// <summary>Enumerates the arguments in order.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// Parses argument <paramref name="index"/> as a decimal integer the way Redis's <c>string2ll</c> does: an optional '-',
    /// no '+', no spaces, no leading zeros, no overflow (so both fronts accept exactly what Redis accepts).
    /// </summary>
    public bool TryGetInt64(int index, out long value) => Resp.RespLine.TryParseInteger(this[index], out value);

    /// <summary>Allocation-free enumerator over <see cref="ArgumentList"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ArgumentList _list;
        private SequenceReader<byte> _reader;
        private int _index;

        internal Enumerator(ArgumentList list)
        {
            _list = list;
            _reader = new SequenceReader<byte>(list.Raw);
            _index = 0;
            Current = default;
        }

        /// <summary>The current argument.</summary>
        public ReadOnlySequence<byte> Current { get; private set; }

        /// <summary>Advances to the next argument.</summary>
        public bool MoveNext()
        {
            if (_index >= _list.Count)
            {
                return false;
            }

            _index++;
            Current = _list.Encoding switch
            {
                ArgumentEncoding.LengthPrefixed => NextLengthPrefixed(ref _reader),
                ArgumentEncoding.RespBulk => NextRespBulk(ref _reader),
                _ => NextInline(ref _reader),
            };
            return true;
        }

        private static ReadOnlySequence<byte> NextLengthPrefixed(ref SequenceReader<byte> reader)
        {
            Span<byte> prefix = stackalloc byte[4];
            reader.TryCopyTo(prefix);
            reader.Advance(4);
            var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
            var arg = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length);
            return arg;
        }

        private static ReadOnlySequence<byte> NextRespBulk(ref SequenceReader<byte> reader)
        {
            reader.Advance(1); // '$'
            long length = 0;
            while (reader.TryRead(out var b) && b != (byte)'\r')
            {
                length = (length * 10) + (b - '0');
            }

            reader.Advance(1); // '\n'
            var arg = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length + 2);
            return arg;
        }

        private static ReadOnlySequence<byte> NextInline(ref SequenceReader<byte> reader)
        {
            reader.AdvancePastAny((byte)' ', (byte)'\t');
            var start = reader.Position;
            if (!reader.TryAdvanceToAny(" \t"u8, advancePastDelimiter: false))
            {
                reader.AdvanceToEnd();
            }

            return reader.Sequence.Slice(start, reader.Position);
        }
    }
}
