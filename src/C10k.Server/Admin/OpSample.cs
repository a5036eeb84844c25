namespace C10k.Server.Admin;

/// <summary>The cumulative counts of one op at one instant.</summary>
internal sealed record OpSample(string Op, long Ok, long Busy, long Timeout, long Failed, long[] Execution, long[] QueueWait)
{
    /// <summary>Requests answered, whatever their status.</summary>
    public long Total => Ok + Busy + Timeout + Failed;
}
