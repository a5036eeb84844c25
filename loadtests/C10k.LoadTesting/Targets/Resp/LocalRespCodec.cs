using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>
/// A minimal RESP2 request writer and reply reader, used until the shared codec in <c>src/Protocol/Resp</c> lands
/// (then <see cref="IRespClientCodec"/> is implemented over that one and this file goes).
/// </summary>
internal sealed class LocalRespCodec : IRespClientCodec
{
    /// <summary>Deepest nesting of reply arrays accepted; servers under test send flat replies.</summary>
    private const int MaxDepth = 8;

    public void WriteCommand(IBufferWriter<byte> output, ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        WriteHeader(output, (byte)'*', arguments.Length);
        foreach (var argument in arguments)
        {
            WriteHeader(output, (byte)'$', argument.Length);
            output.Write(argument.Span);
            output.Write("\r\n"u8);
        }
    }

    public bool TryReadReply(ref ReadOnlySequence<byte> buffer, out RespReplySummary reply)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!TrySkipValue(ref reader, 0, out var isError, out var code))
        {
            reply = default;
            return false;
        }

        reply = new RespReplySummary(isError, code, (int)reader.Consumed);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int length)
    {
        var span = output.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    private static bool TrySkipValue(ref SequenceReader<byte> reader, int depth, out bool isError, out string code)
    {
        isError = false;
        code = string.Empty;
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("RESP reply nested too deeply.");
        }

        if (!reader.TryRead(out var type) || !reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
        {
            return false;
        }

        switch (type)
        {
            case (byte)'+' or (byte)':':
                return true;
            case (byte)'-':
                isError = true;
                code = ErrorCode(line);
                return true;
            case (byte)'$':
                var length = ParseLength(line);
                return length < 0 || (reader.Remaining >= length + 2 && Advance(ref reader, length + 2));
            case (byte)'*':
                var count = ParseLength(line);
                for (long i = 0; i < count; i++)
                {
                    if (!TrySkipValue(ref reader, depth + 1, out _, out _))
                    {
                        return false;
                    }
                }

                return true;
            default:
                throw new InvalidDataException($"Unexpected RESP type byte 0x{type:x2}.");
        }
    }

    private static bool Advance(ref SequenceReader<byte> reader, long count)
    {
        reader.Advance(count);
        return true;
    }

    private static long ParseLength(ReadOnlySequence<byte> line)
    {
        Span<byte> digits = stackalloc byte[20];
        if (line.Length > digits.Length)
        {
            throw new InvalidDataException("RESP length too long.");
        }

        line.CopyTo(digits);
        return Utf8Parser.TryParse(digits[..(int)line.Length], out long value, out var used) && used == line.Length
            ? value
            : throw new InvalidDataException("RESP length is not a number.");
    }

    private static string ErrorCode(ReadOnlySequence<byte> line)
    {
        var text = Encoding.ASCII.GetString(line.Length > 64 ? line.Slice(0, 64) : line);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? text[..space] : text;
    }
}
