using System.Buffers;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Protocol.Typed;
using C10k.Server.Operations;
using C10k.Server.Resp;

namespace C10k.Server.Connections;

/// <summary>
/// RESP replies to operations: a bulk string (or a simple string for a status line such as PONG), or an error whose first
/// word tells a retry-able overload (BUSY, TIMEOUT, SHUTDOWN) apart from a bad request (ERR). A typed reply keeps its types
/// (integer, array, nil, simple string, error).
/// </summary>
internal sealed class RespReplyEncoder : ReplyEncoder
{
    public override void WriteResult(IBufferWriter<byte> output, in OperationResult result)
    {
        if (result.Status != NativeStatus.Ok)
        {
            RespErrorBuilder.Write(output, Code(result.Status), result.Error ?? "request failed");
        }
        else if (result.Form == ReplyForm.StatusLine)
        {
            RespReplyWriter.WriteSimpleString(output, result.Payload);
        }
        else if (result.Form == ReplyForm.Bulk)
        {
            RespReplyWriter.WriteBulkString(output, result.Payload);
        }
        else
        {
            RespTyped.Write(output, result.Payload);
        }
    }

    public override void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag) => RespErrors.WriteWrongArity(output, operation.MetricName);

    private static ReadOnlySpan<byte> Code(NativeStatus status) => status switch
    {
        NativeStatus.Busy => "BUSY"u8,
        NativeStatus.Timeout => "TIMEOUT"u8,
        NativeStatus.ShuttingDown => "SHUTDOWN"u8,
        NativeStatus.Cancelled => "CANCELLED"u8,
        _ => "ERR"u8,
    };
}
