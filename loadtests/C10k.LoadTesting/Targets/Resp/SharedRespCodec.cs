using System.Buffers;
using System.Text;
using C10k.Protocol.Resp;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>The client side of the shared RESP2 codec in <c>src/Protocol/Resp</c>: its request writer and reply reader.</summary>
internal sealed class SharedRespCodec : IRespClientCodec
{
    /// <summary>Longest error text kept for the status (the first word is what reports group by).</summary>
    private const int MaxErrorBytes = 64;

    private readonly RespReplyReader _reader = new();

    public void WriteCommand(IBufferWriter<byte> output, ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        RespRequestWriter.WriteArrayHeader(output, arguments.Length);
        foreach (var argument in arguments)
        {
            RespRequestWriter.WriteArgument(output, argument.Span);
        }
    }

    public bool TryReadReply(ref ReadOnlySequence<byte> buffer, out RespReplySummary reply)
    {
        var before = buffer.Length;
        if (!_reader.TryRead(ref buffer, out var parsed))
        {
            reply = default;
            return false;
        }

        var wireLength = (int)(before - buffer.Length);
        reply = parsed.Type == RespReplyType.Error
            ? new RespReplySummary(true, ErrorCode(parsed.Payload), wireLength)
            : new RespReplySummary(false, string.Empty, wireLength);
        return true;
    }

    private static string ErrorCode(ReadOnlySequence<byte> text)
    {
        var head = Encoding.ASCII.GetString(text.Length > MaxErrorBytes ? text.Slice(0, MaxErrorBytes) : text);
        var space = head.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? head[..space] : head;
    }
}
