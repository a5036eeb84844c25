using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Open model: sends request i of a segment at its intended time, whatever happened to earlier requests, and measures its latency
/// from that intended time. A server that stalls for a second therefore shows a second of latency on every request it delayed:
/// no coordinated omission. When the generator wakes late it sends everything due at once and records how late it was.
/// </summary>
internal static class OpenModelDriver
{
    public static async Task RunAsync(ScenarioExecution execution, TimelineSegment segment, TimeSpan segmentStart, CancellationToken cancellationToken)
    {
        var clock = execution.Clock;
        var total = segment.RequestCount;
        var index = 0L;
        using var waiter = clock.CreateScheduleWaiter(cancellationToken);
        while (index < total && !cancellationToken.IsCancellationRequested)
        {
            var intended = segmentStart + segment.OffsetOfRequest(index);
            var now = clock.Elapsed;
            if (intended > now)
            {
                await waiter.WaitUntilAsync(intended);
                continue;
            }

            while (index < total && (intended = segmentStart + segment.OffsetOfRequest(index)) <= now)
            {
                if (segment.Measured)
                {
                    execution.Measurement.RecordSendLag((long)(clock.Elapsed - intended).TotalMicroseconds); // as it leaves, behind earlier ones of a burst
                }

                execution.Launch(intended, segment.Measured, index);
                index++;
            }
        }

        await clock.DelayUntilAsync(segmentStart + segment.During, cancellationToken);
    }
}
