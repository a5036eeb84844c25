using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>A reply: its status and a copy of its payload.</summary>
public sealed class NativeReply(ushort opcode, uint requestId, NativeStatus status, byte[] payload)
{
    /// <summary>Opcode of the request.</summary>
    public ushort Opcode { get; } = opcode;

    /// <summary>Request id the reply answers.</summary>
    public uint RequestId { get; } = requestId;

    /// <summary>Status.</summary>
    public NativeStatus Status { get; } = status;

    /// <summary>Payload: the result, or a UTF-8 error message.</summary>
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>The payload is a typed value (the server sent it with the TYPED flag): decode it with <see cref="ReplyValue.Decode"/>.</summary>
    public bool IsTyped { get; init; }

    /// <summary>The payload as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Payload.Span);
}
