namespace C10k.LoadTesting.Targets.Resp;

/// <summary>What the load generator keeps of a RESP reply: its kind, an error's first word, its size on the wire, and its value when asked.</summary>
internal readonly record struct RespReplySummary(ReplyKind Kind, string ErrorCode, int WireLength, ReadOnlyMemory<byte> Value)
{
    public bool IsError => Kind == ReplyKind.Error;
}
