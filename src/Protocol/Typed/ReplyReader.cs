using System.Buffers.Binary;

namespace C10k.Protocol.Typed;

/// <summary>
/// Reads a typed payload (docs/protocol.md, "Typed replies") value by value, in the order written: an array's header, then its
/// elements. Malformed input throws <see cref="InvalidDataException"/>; <see cref="IsWellFormed"/> checks a whole payload first.
/// </summary>
public ref struct ReplyReader
{
    /// <summary>Deepest nesting of arrays a payload may have (a reader recurses that deep at most).</summary>
    public const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _payload;
    private int _position;

    /// <summary>Reads <paramref name="payload"/> from its start.</summary>
    public ReplyReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _position = 0;
    }

    /// <summary>True once every byte has been read.</summary>
    public readonly bool End => _position == _payload.Length;

    /// <summary>
    /// Reads the next value's header. Strings (simple, error, bulk): <paramref name="bytes"/> holds them. Integer:
    /// <paramref name="number"/> is its value. Array: <paramref name="number"/> is its element count, which follow.
    /// </summary>
    public ReplyType Read(out ReadOnlySpan<byte> bytes, out long number)
    {
        bytes = default;
        number = 0;
        var type = (ReplyType)Take(1)[0];
        switch (type)
        {
            case ReplyType.Nil:
                break;
            case ReplyType.Integer:
                number = BinaryPrimitives.ReadInt64BigEndian(Take(8));
                break;
            case ReplyType.Array:
                number = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
                break;
            case ReplyType.SimpleString or ReplyType.Error or ReplyType.Bulk:
                var length = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
                bytes = Take(length);
                number = length;
                break;
            default:
                throw new InvalidDataException($"Unknown typed value 0x{(byte)type:x2}.");
        }

        return type;
    }

    /// <summary>Reads and discards the next value, array elements included.</summary>
    public void Skip() => Skip(0);

    /// <summary>True when <paramref name="payload"/> holds exactly one well-formed value nested at most <see cref="MaxDepth"/> deep.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> payload)
    {
        var reader = new ReplyReader(payload);
        try
        {
            reader.Skip();
            return reader.End;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private void Skip(int depth)
    {
        if (Read(out _, out var count) != ReplyType.Array)
        {
            return;
        }

        if (depth == MaxDepth)
        {
            throw new InvalidDataException($"Typed value nested deeper than {MaxDepth}.");
        }

        for (long i = 0; i < count; i++)
        {
            Skip(depth + 1);
        }
    }

    private ReadOnlySpan<byte> Take(uint count)
    {
        if (count > (uint)(_payload.Length - _position))
        {
            throw new InvalidDataException("Typed value cut short.");
        }

        var taken = _payload.Slice(_position, (int)count);
        _position += (int)count;
        return taken;
    }
}
