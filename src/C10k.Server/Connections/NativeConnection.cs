using System.Buffers;
using System.Buffers.Binary;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using C10k.Server.Security;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>A native-protocol connection: frames in, replies matched by request id out (in completion order).</summary>
internal sealed class NativeConnection : ConnectionSession
{
    private readonly NativeAuthGate _auth;
    private readonly OperationRegistry _operations;
    private readonly NativeOptions _options;

    public NativeConnection(ConnectionContext context, ConnectionServices services, OperationRegistry operations, NativeOptions options)
        : base(context, Front.Native, services, new CompletionOrder(), ReplyEncoder.Native)
    {
        _auth = new NativeAuthGate(services.Authenticator, options.MaxFrameBytes, context.RemoteEndPoint?.ToString());
        _operations = operations;
        _options = options;
    }

    private protected override long HeldBytes => _auth.Frames.HeldBytes;

    private protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
    {
        if (!_auth.Frames.TryRead(ref buffer, out var frame))
        {
            return false;
        }

        Handle(frame);
        return true;
    }

    private protected override void WriteProtocolError(ProtocolException exception)
    {
        if (exception is NativeProtocolException { Error: NativeProtocolError.FrameTooLarge } tooLarge)
        {
            Answer(C10kMetrics.OtherOp, tooLarge.Opcode, tooLarge.RequestId, NativeStatus.TooLarge, "frame larger than the server's maximum");
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

        if (_auth.TryHandle(frame, Writer.InlineOutput(), out var authStatus))
        {
            Metrics.RequestCompleted(Front, "auth", authStatus);
            return;
        }

        if (!_operations.TryGet(frame.Opcode, out var operation))
        {
            Answer(C10kMetrics.OtherOp, frame.Opcode, frame.RequestId, NativeStatus.UnknownOp, "unknown opcode");
            return;
        }

        if (frame.IsReply || !NativeArguments.TryParse(frame.Payload, _options.MaxArgs, out var args))
        {
            var message = frame.IsReply ? "a client sends requests, not replies" : "malformed argument list";
            Writer.Answer(operation, frame.RequestId, NativeStatus.BadArgs, default, message);
            return;
        }

        RunOperation(operation, args, frame.RequestId, frame.DeadlineMs);
    }

    private void Answer(string op, ushort opcode, uint requestId, NativeStatus status, string message)
    {
        NativeReplyEncoder.WriteError(Writer.InlineOutput(), opcode, requestId, status, message);
        Metrics.RequestCompleted(Front, op, status);
    }

    private void WriteHello(uint requestId)
    {
        Span<byte> payload = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(payload, NativeProtocol.Version);
        BinaryPrimitives.WriteUInt32BigEndian(payload[2..], (uint)_options.MaxFrameBytes);
        BinaryPrimitives.WriteUInt32BigEndian(payload[6..], (uint)InFlightCap);
        NativeFrameWriter.WriteReply(Writer.InlineOutput(), NativeOpcodes.Hello, requestId, NativeStatus.Ok, payload);
    }
}
