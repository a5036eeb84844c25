using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using C10k.Protocol.Native;
using C10k.Server.Buffers;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>A native-protocol connection: frames in, replies matched by request id out (in completion order).</summary>
internal sealed class NativeConnection : ConnectionSession
{
    private readonly NativeFrameReader _frames;
    private readonly OperationRegistry _operations;
    private readonly NativeOptions _options;
    private readonly PooledBufferWriter _scratch = new();

    public NativeConnection(ConnectionContext context, ConnectionServices services, OperationRegistry operations, NativeOptions options)
        : base(context, Front.Native, services, services.Limits.MaxInFlightPerConnection)
    {
        _frames = new NativeFrameReader(options.MaxFrameBytes);
        _operations = operations;
        _options = options;
    }

    private protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
    {
        if (!_frames.TryRead(ref buffer, out var frame))
        {
            return false;
        }

        Handle(frame);
        return true;
    }

    private protected override bool TryHandleProtocolError(Exception exception, out string kind)
    {
        if (exception is not NativeProtocolException protocol)
        {
            kind = "";
            return false;
        }

        kind = protocol.Error switch
        {
            NativeProtocolError.BadMagic => "bad_magic",
            NativeProtocolError.ReservedBitsSet => "reserved_bits",
            NativeProtocolError.FrameTooLarge => "too_large",
            _ => "truncated",
        };
        if (protocol.Error == NativeProtocolError.FrameTooLarge)
        {
            WriteReply(Output, protocol.Opcode, protocol.RequestId, NativeStatus.TooLarge, "frame larger than the server's maximum");
            Metrics.RequestCompleted(Front, C10kMetrics.OtherOp, NativeStatus.TooLarge);
        }

        return true;
    }

    private protected override void WriteCompletion(WorkItem item, IBufferWriter<byte> output)
    {
        if (item.Status == NativeStatus.Ok)
        {
            NativeFrameWriter.WriteReply(output, item.Operation.Opcode, item.Tag, NativeStatus.Ok, item.Reply.WrittenSpan);
        }
        else
        {
            WriteReply(output, item.Operation.Opcode, item.Tag, item.Status, item.Error);
        }
    }

    private void Handle(in NativeFrame frame)
    {
        if (frame.Opcode == NativeOpcodes.Hello)
        {
            WriteHello(frame.RequestId);
            Metrics.RequestCompleted(Front, "hello", NativeStatus.Ok);
            return;
        }

        if (!_operations.TryGet(frame.Opcode, out var operation))
        {
            Answer(C10kMetrics.OtherOp, frame, NativeStatus.UnknownOp, "unknown opcode");
            return;
        }

        if (frame.IsReply || !NativeArguments.TryParse(frame.Payload, _options.MaxArgs, out var args))
        {
            Answer(operation.MetricName, frame, NativeStatus.BadArgs, frame.IsReply ? "a client sends requests, not replies" : "malformed argument list");
            return;
        }

        if (Draining)
        {
            Answer(operation.MetricName, frame, NativeStatus.ShuttingDown, "server is shutting down");
            return;
        }

        AddInFlight();
        var result = Dispatcher.Dispatch(operation, args, this, frame.RequestId, frame.DeadlineMs, _scratch);
        if (result.Queued)
        {
            return;
        }

        RemoveInFlight();
        if (result.Status == NativeStatus.Ok)
        {
            NativeFrameWriter.WriteReply(Output, frame.Opcode, frame.RequestId, NativeStatus.Ok, _scratch.WrittenSpan);
            Metrics.RequestCompleted(Front, operation.MetricName, NativeStatus.Ok);
        }
        else
        {
            Answer(operation.MetricName, frame, result.Status, result.Error);
        }

        _scratch.Reset();
    }

    private void Answer(string op, in NativeFrame frame, NativeStatus status, string? message)
    {
        WriteReply(Output, frame.Opcode, frame.RequestId, status, message);
        Metrics.RequestCompleted(Front, op, status);
    }

    private void WriteHello(uint requestId)
    {
        Span<byte> payload = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(payload, NativeProtocol.Version);
        BinaryPrimitives.WriteUInt32BigEndian(payload[2..], (uint)_options.MaxFrameBytes);
        BinaryPrimitives.WriteUInt32BigEndian(payload[6..], (uint)InFlightCap);
        NativeFrameWriter.WriteReply(Output, NativeOpcodes.Hello, requestId, NativeStatus.Ok, payload);
    }

    /// <summary>Writes an error reply whose payload is the UTF-8 message (no allocation: encoded straight into the output).</summary>
    internal static void WriteReply(IBufferWriter<byte> output, ushort opcode, uint requestId, NativeStatus status, string? message)
    {
        message ??= "";
        var length = Encoding.UTF8.GetByteCount(message);
        var span = output.GetSpan(NativeProtocol.HeaderSize + length);
        NativeFrameWriter.WriteHeader(span, isReply: true, opcode, requestId, status, 0, length);
        Encoding.UTF8.GetBytes(message, span[NativeProtocol.HeaderSize..]);
        output.Advance(NativeProtocol.HeaderSize + length);
    }
}
