using System.Buffers;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;

namespace C10k.Server.Resp;

/// <summary>Encodes an operation's outcome for RESP: its payload as a bulk string, or an error whose code names the status.</summary>
internal static class RespOperationReply
{
    public static void Write(IBufferWriter<byte> output, NativeStatus status, ReadOnlySpan<byte> payload, string? error)
    {
        if (status == NativeStatus.Ok)
        {
            RespReplyWriter.WriteBulkString(output, payload);
            return;
        }

        RespErrorBuilder.Write(output, Code(status), error ?? "request failed");
    }

    // Clients key on the first word: BUSY and TIMEOUT tell a retry-able overload apart from a bad request.
    private static ReadOnlySpan<byte> Code(NativeStatus status) => status switch
    {
        NativeStatus.Busy => "BUSY"u8,
        NativeStatus.Timeout => "TIMEOUT"u8,
        NativeStatus.ShuttingDown => "SHUTDOWN"u8,
        _ => "ERR"u8,
    };
}
