using System.Buffers;
using System.Buffers.Binary;

namespace C10k.Protocol.Native;

/// <summary>
/// Encodes and validates the argument list of a native request payload: each argument is a big-endian u32 length and its bytes,
/// and the arguments fill the payload exactly.
/// </summary>
public static class NativeArguments
{
    /// <summary>Bytes needed to encode arguments of the given total data length and count.</summary>
    public static int EncodedLength(int count, int totalDataBytes) => (count * 4) + totalDataBytes;

    /// <summary>Appends one argument to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> argument)
    {
        var span = output.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)argument.Length);
        output.Advance(4);
        output.Write(argument);
    }

    /// <summary>Checks that <paramref name="payload"/> is a well-formed argument list and returns it as an <see cref="ArgumentList"/>.</summary>
    public static bool TryParse(ReadOnlySequence<byte> payload, int maxArgs, out ArgumentList arguments)
    {
        arguments = default;
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        while (!reader.End)
        {
            if (count == maxArgs || !reader.TryReadBigEndian(out int length) || length < 0 || reader.Remaining < length)
            {
                return false;
            }

            reader.Advance(length);
            count++;
        }

        arguments = new ArgumentList(payload, count, ArgumentEncoding.LengthPrefixed);
        return true;
    }
}
