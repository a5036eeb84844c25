using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace C10k.Protocol.Typed;

/// <summary>
/// The version-1 form of a typed reply, for native clients that did not ask for typed replies (docs/protocol.md): a string is
/// its bytes, an integer its ASCII decimal, nil empty, and an array an argument list (u32 length + bytes) of its elements,
/// each flattened the same way. A whole-reply error is sent as an ERROR status instead (see <see cref="IsError"/>).
/// </summary>
public static class ReplyFlattening
{
    /// <summary>True when the whole reply is an error; <paramref name="message"/> is its text.</summary>
    public static bool IsError(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> message)
    {
        message = default;
        if (payload.IsEmpty || payload[0] != (byte)ReplyType.Error)
        {
            return false;
        }

        var reader = new ReplyReader(payload);
        reader.Read(out message, out _);
        return true;
    }

    /// <summary>Length of the flattened form of the well-formed payload <paramref name="payload"/>.</summary>
    public static int Length(ReadOnlySpan<byte> payload)
    {
        var reader = new ReplyReader(payload);
        return Length(ref reader);
    }

    /// <summary>Writes the flattened form of the well-formed payload <paramref name="payload"/>.</summary>
    public static void Write(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new ReplyReader(payload);
        Write(ref reader, output);
    }

    private static int Length(ref ReplyReader reader)
    {
        var type = reader.Read(out var bytes, out var number);
        switch (type)
        {
            case ReplyType.Nil:
                return 0;
            case ReplyType.Integer:
                Span<byte> digits = stackalloc byte[20];
                Utf8Formatter.TryFormat(number, digits, out var written);
                return written;
            case ReplyType.Array:
                var total = 0;
                for (long i = 0; i < number; i++)
                {
                    total += 4 + Length(ref reader);
                }

                return total;
            default:
                return bytes.Length;
        }
    }

    private static void Write(ref ReplyReader reader, IBufferWriter<byte> output)
    {
        var type = reader.Read(out var bytes, out var number);
        switch (type)
        {
            case ReplyType.Nil:
                break;
            case ReplyType.Integer:
                Utf8Formatter.TryFormat(number, output.GetSpan(20), out var written);
                output.Advance(written);
                break;
            case ReplyType.Array:
                for (long i = 0; i < number; i++)
                {
                    var element = reader;
                    BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)Length(ref element));
                    output.Advance(4);
                    Write(ref reader, output);
                }

                break;
            default:
                output.Write(bytes);
                break;
        }
    }
}
