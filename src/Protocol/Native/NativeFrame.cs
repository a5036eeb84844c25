using System.Buffers;

namespace C10k.Protocol.Native;

/// <summary>
/// One native frame. <see cref="Payload"/> is a view into the receive buffer, valid until the reader advances past it.
/// Requests carry <see cref="DeadlineMs"/> (0 = server default); replies carry <see cref="Status"/>.
/// </summary>
public readonly struct NativeFrame
{
    /// <summary>Creates a frame.</summary>
    public NativeFrame(bool isReply, ushort opcode, uint requestId, NativeStatus status, uint deadlineMs, ReadOnlySequence<byte> payload, bool isTyped = false)
    {
        IsTyped = isTyped;
        IsReply = isReply;
        Opcode = opcode;
        RequestId = requestId;
        Status = status;
        DeadlineMs = deadlineMs;
        Payload = payload;
    }

    /// <summary>True for a reply, false for a request.</summary>
    public bool IsReply { get; }

    /// <summary>For a reply: its payload is a typed value (<see cref="NativeProtocol.TypedFlag"/>).</summary>
    public bool IsTyped { get; }

    /// <summary>Operation code (echoed in replies).</summary>
    public ushort Opcode { get; }

    /// <summary>Chosen by the client; echoed in the reply so replies can be matched out of order.</summary>
    public uint RequestId { get; }

    /// <summary>Reply status (requests: <see cref="NativeStatus.Ok"/>).</summary>
    public NativeStatus Status { get; }

    /// <summary>Request deadline in milliseconds from receipt; 0 means the server default (replies: 0).</summary>
    public uint DeadlineMs { get; }

    /// <summary>Payload bytes.</summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>Builds a request frame.</summary>
    public static NativeFrame Request(ushort opcode, uint requestId, ReadOnlySequence<byte> payload, uint deadlineMs = 0) =>
        new(false, opcode, requestId, NativeStatus.Ok, deadlineMs, payload);

    /// <summary>Builds a reply frame.</summary>
    public static NativeFrame Reply(ushort opcode, uint requestId, NativeStatus status, ReadOnlySequence<byte> payload) =>
        new(true, opcode, requestId, status, 0, payload);
}
