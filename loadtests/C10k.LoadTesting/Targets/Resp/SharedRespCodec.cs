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

    public bool TryReadReply(ref ReadOnlySequence<byte> buffer, bool captureValue, out RespReplySummary reply)
    {
        var before = buffer.Length;
        if (!_reader.TryRead(ref buffer, out var parsed))
        {
            reply = default;
            return false;
        }

        var wireLength = (int)(before - buffer.Length);
        var kind = KindOf(parsed);
        reply = new RespReplySummary(kind, kind == ReplyKind.Error ? ErrorCode(parsed.Payload) : string.Empty, wireLength, captureValue ? ValueOf(parsed, kind) : default);
        return true;
    }

    private static ReplyKind KindOf(RespReply reply) => reply.IsNull ? ReplyKind.Null : reply.Type switch
    {
        RespReplyType.SimpleString => ReplyKind.Simple,
        RespReplyType.Error => ReplyKind.Error,
        RespReplyType.Integer => ReplyKind.Integer,
        RespReplyType.BulkString => ReplyKind.Bulk,
        _ => ReplyKind.Array,
    };

    /// <summary>The text of a simple string or error, a bulk string's bytes, an integer's or an array's element count's digits.</summary>
    private static ReadOnlyMemory<byte> ValueOf(RespReply reply, ReplyKind kind) => kind switch
    {
        ReplyKind.Integer or ReplyKind.Array => Encoding.ASCII.GetBytes(reply.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ReplyKind.Null => default,
        _ => reply.Payload.ToArray(),
    };

    private static string ErrorCode(ReadOnlySequence<byte> text)
    {
        var head = Encoding.ASCII.GetString(text.Length > MaxErrorBytes ? text.Slice(0, MaxErrorBytes) : text);
        var space = head.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? head[..space] : head;
    }
}
