using C10k.Protocol.Native;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>
/// One operation's outcome, handed to the front's <see cref="ReplyEncoder"/>: the same for inline, pooled and asynchronous
/// requests. <see cref="Payload"/> and <see cref="Error"/> are valid during the encoder call only.
/// </summary>
public readonly ref struct OperationResult
{
    /// <summary>Creates a result.</summary>
    public OperationResult(Operation operation, uint tag, NativeStatus status, ReadOnlySpan<byte> payload, string? error, ReplyForm form)
    {
        Operation = operation;
        Tag = tag;
        Status = status;
        Payload = payload;
        Error = error;
        Form = form;
    }

    /// <summary>The operation that ran (or was refused).</summary>
    public Operation Operation { get; }

    /// <summary>The request's tag: its id on the wire (native), or its sequence number (request-ordered fronts).</summary>
    public uint Tag { get; }

    /// <summary>OK, or why there is no result (BUSY, TIMEOUT, CANCELLED, BAD_ARGS, ERROR, SHUTTING_DOWN…).</summary>
    public NativeStatus Status { get; }

    /// <summary>When <see cref="Status"/> is OK: the reply, bytes or a typed value as <see cref="Form"/> says.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>When <see cref="Status"/> is not OK: the message for the client.</summary>
    public string? Error { get; }

    /// <summary>What <see cref="Payload"/> holds.</summary>
    public ReplyForm Form { get; }
}
