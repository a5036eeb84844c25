using System.Runtime.CompilerServices;
using C10k.LoadTesting.Runner;

namespace C10k.LoadTesting.Tests;

/// <summary>The pacer's schedule on a simulated clock: what wakes when and on which thread, never how fast.</summary>
public sealed class SendPacerTests
{
    private const string PacerThread = "c10k-load pacer";

    private static readonly long Millisecond = TimeSpan.TicksPerMillisecond;
    private static readonly long[] OutOfOrderDues = [30, 10, 20];

    [Fact]
    public async Task AReusedWaiterResumesOnThePacerThreadAtEachDueTimeInTurn()
    {
        var clock = new SimulatedPacerClock { Frozen = true };
        using var pacer = new SendPacer(clock);
        using var waiter = pacer.CreateWaiter(resumeOnPacer: true, CancellationToken.None);

        // Like the open-model driver: each wait after the first is armed from the previous one's continuation, on the pacer's thread,
        // which therefore cannot complete it before its continuation is attached. The clock stands still until the first wait's
        // continuation is attached (a wait that completed first would resume on the awaiting thread, and so would the whole chain).
        // Gaps of 0.1 ms (the fine sleep) and 5 ms (a coarse wait first) alternate.
        long[] dues = [Millisecond / 10, 2 * Millisecond / 10, 52 * Millisecond / 10, 53 * Millisecond / 10, 103 * Millisecond / 10];
        var woken = await Task.Run(async () =>
        {
            var seen = new List<(long Due, long Now, string? Thread)>();
            await new StartClockOnceAttached(waiter.WaitUntilAsync(dues[0]), clock);
            seen.Add((dues[0], clock.GetTimestamp(), Thread.CurrentThread.Name));
            foreach (var due in dues.Skip(1))
            {
                await waiter.WaitUntilAsync(due);
                seen.Add((due, clock.GetTimestamp(), Thread.CurrentThread.Name));
            }

            return seen;
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(dues.Select(d => (d, d)), woken.Select(w => (w.Due, w.Now)));
        Assert.All(woken, w => Assert.Equal(PacerThread, w.Thread));
    }

    [Fact]
    public async Task WaitersAddedOutOfOrderWakeInDueOrder()
    {
        var clock = new SimulatedPacerClock { Frozen = true };
        using var pacer = new SendPacer(clock);
        var woken = new List<long>();

        // Queued while the clock stands still, then woken as it runs. Each continuation runs on the pacer's thread, one after the
        // other, so the list needs no lock.
        var waits = OutOfOrderDues.Select(d => pacer.WaitUntilAsync(d * Millisecond, true, CancellationToken.None).ContinueWith(_ => woken.Add(d), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)).ToList();
        clock.Frozen = false;
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([10L, 20L, 30L], woken);
    }

    [Fact]
    public async Task CancellingAReusedWaiterFailsItsWaitAndEveryLaterOne()
    {
        using var pacer = new SendPacer(new SimulatedPacerClock { Frozen = true });
        using var cancel = new CancellationTokenSource();
        using var waiter = pacer.CreateWaiter(resumeOnPacer: false, cancel.Token);

        var pending = waiter.WaitUntilAsync(TimeSpan.TicksPerSecond).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitUntilAsync(2 * TimeSpan.TicksPerSecond).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task StoppingThePacerFailsWaitsStillQueued()
    {
        var pacer = new SendPacer(new SimulatedPacerClock { Frozen = true });
        using var waiter = pacer.CreateWaiter(resumeOnPacer: false, CancellationToken.None);
        var pending = waiter.WaitUntilAsync(TimeSpan.TicksPerSecond).AsTask();

        pacer.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Awaits <paramref name="wait"/>, and lets the simulated clock run only once the continuation is attached.</summary>
    private readonly struct StartClockOnceAttached(ValueTask wait, SimulatedPacerClock clock) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public StartClockOnceAttached GetAwaiter() => this;

        public void GetResult() => wait.GetAwaiter().GetResult();

        public void OnCompleted(Action continuation)
        {
            wait.GetAwaiter().OnCompleted(continuation);
            clock.Frozen = false;
        }

        public void UnsafeOnCompleted(Action continuation)
        {
            wait.GetAwaiter().UnsafeOnCompleted(continuation);
            clock.Frozen = false;
        }
    }
}
