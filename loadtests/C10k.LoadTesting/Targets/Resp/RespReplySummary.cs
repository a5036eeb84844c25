namespace C10k.LoadTesting.Targets.Resp;

/// <summary>What the load generator keeps of a RESP reply: error or not, the error's first word, and its size on the wire.</summary>
internal readonly record struct RespReplySummary(bool IsError, string ErrorCode, int WireLength);
