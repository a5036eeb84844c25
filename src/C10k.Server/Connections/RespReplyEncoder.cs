using System.Buffers;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Operations;
using C10k.Server.Resp;

namespace C10k.Server.Connections;

/// <summary>
/// RESP replies to operations: a bulk string (or a simple string for a status line such as PONG), or an error whose first
/// word tells a retry-able overload (BUSY, TIMEOUT, SHUTDOWN) apart from a bad request (ERR).
/// </summary>
internal sealed class RespReplyEncoder : ReplyEncoder
{
    public override void WriteResult(IBufferWriter<byte> output, Operation operation, uint tag, NativeStatus status, ReadOnlySpan<byte> payload, string? error, bool statusLine)
    {
        if (status != NativeStatus.Ok)
        {
            RespErrorBuilder.Write(output, Code(status), error ?? "request failed");
        }
        else if (statusLine)
        {
            RespReplyWriter.WriteSimpleString(output, payload);
        }
        else
        {
            RespReplyWriter.WriteBulkString(output, payload);
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
