using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Closed model: N virtual users, each sending its next request only after the previous reply. Latency is measured from the
/// actual send, so a stalled server delays only the N requests in flight: the model hides queueing delay (which is why the
/// open model exists), but it is what <c>redis-benchmark -c N</c> does.
/// </summary>
internal static class ClosedModelDriver
{
    /// <summary>How often a ramp re-evaluates its number of virtual users.</summary>
    private static readonly TimeSpan RampStep = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(ScenarioExecution execution, TimelineSegment segment, TimeSpan segmentStart, CancellationToken cancellationToken)
    {
        if (segment.Simulation.Kind == LoadSimulationKind.IterationsForConstant)
        {
            var remaining = segment.Simulation.Iterations;
            var sharing = Enumerable.Range(0, (int)segment.To).Select(i => IterateAsync(execution, segment, i, () => Interlocked.Decrement(ref remaining) >= 0, cancellationToken));
            await Task.WhenAll(sharing);
            return;
        }

        var end = segmentStart + segment.During;
        var wanted = 0;
        var users = new List<Task>();
        bool Continue(int user) => user < Volatile.Read(ref wanted) && execution.Clock.Elapsed < end && !cancellationToken.IsCancellationRequested;
        while (execution.Clock.Elapsed < end && !cancellationToken.IsCancellationRequested)
        {
            var now = execution.Clock.Elapsed;
            Volatile.Write(ref wanted, segment.CopiesAt(now - segmentStart));
            for (var user = 0; user < wanted; user++)
            {
                if (user < users.Count && !users[user].IsCompleted)
                {
                    continue;
                }

                var u = user;
                var task = IterateAsync(execution, segment, u, () => Continue(u), cancellationToken);
                if (user < users.Count)
                {
                    users[user] = task;
                }
                else
                {
                    users.Add(task);
                }
            }

            var next = segment.Simulation.Kind == LoadSimulationKind.RampingConstant ? now + RampStep : end;
            await execution.Clock.DelayUntilAsync(next < end ? next : end, cancellationToken);
        }

        await Task.WhenAll(users);
    }

    private static async Task IterateAsync(ScenarioExecution execution, TimelineSegment segment, int user, Func<bool> proceed, CancellationToken cancellationToken)
    {
        while (proceed() && !cancellationToken.IsCancellationRequested)
        {
            await execution.RunOnceAsync(execution.Clock.Elapsed, segment.Measured, user);
        }
    }
}
