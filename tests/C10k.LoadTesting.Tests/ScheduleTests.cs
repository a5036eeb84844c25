using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Tests;

public sealed class ScheduleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void InjectSendsExactlyRateTimesDurationEvenlySpaced()
    {
        var segment = Assert.Single(SimulationTimeline.Build([LoadSimulation.Inject(20_000, Second, TimeSpan.FromSeconds(30))], TimeSpan.Zero));

        Assert.Equal(600_000, segment.RequestCount);
        Assert.Equal(TimeSpan.Zero, segment.OffsetOfRequest(0));
        Assert.Equal(TimeSpan.FromTicks(500), segment.OffsetOfRequest(1));
        Assert.Equal(TimeSpan.FromSeconds(29.99995), segment.OffsetOfRequest(599_999));
    }

    [Fact]
    public void InjectPerIntervalIsConvertedToPerSecond()
    {
        var simulation = LoadSimulation.Inject(50, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

        Assert.Equal(500, simulation.Target);
        Assert.Equal(1000, SimulationTimeline.Build([simulation], TimeSpan.Zero)[0].RequestCount);
    }

    [Fact]
    public void RampingInjectFromZeroSendsTheAreaUnderTheRampWithGrowingRate()
    {
        var segment = SimulationTimeline.Build([LoadSimulation.RampingInject(1000, Second, TimeSpan.FromSeconds(10))], TimeSpan.Zero)[0];

        Assert.Equal(5000, segment.RequestCount);
        var firstSecond = Enumerable.Range(0, 5000).Count(i => segment.OffsetOfRequest(i) < Second);
        var lastSecond = Enumerable.Range(0, 5000).Count(i => segment.OffsetOfRequest(i) >= TimeSpan.FromSeconds(9));
        Assert.Equal(50, firstSecond);
        Assert.Equal(950, lastSecond);
    }

    [Fact]
    public void RampingInjectStartsFromThePreviousSegmentsRate()
    {
        var timeline = SimulationTimeline.Build(
            [LoadSimulation.Inject(100, Second, TimeSpan.FromSeconds(5)), LoadSimulation.RampingInject(300, Second, TimeSpan.FromSeconds(10))],
            TimeSpan.Zero);

        Assert.Equal(100, timeline[1].From);
        Assert.Equal(TimeSpan.FromSeconds(5), timeline[1].Start);
        Assert.Equal(2000, timeline[1].RequestCount);
    }

    [Fact]
    public void RequestOffsetsNeverDecrease()
    {
        var segment = SimulationTimeline.Build([LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(3)), LoadSimulation.RampingInject(0, Second, TimeSpan.FromSeconds(3))], TimeSpan.Zero)[1];

        var offsets = Enumerable.Range(0, (int)segment.RequestCount).Select(i => segment.OffsetOfRequest(i)).ToList();
        Assert.Equal(15, offsets.Count);
        Assert.Equal(offsets.Order(), offsets);
        Assert.True(offsets[^1] < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void RampingConstantMovesCopiesLinearlyFromThePreviousLevel()
    {
        var timeline = SimulationTimeline.Build([LoadSimulation.KeepConstant(10, Second), LoadSimulation.RampingConstant(30, TimeSpan.FromSeconds(10))], TimeSpan.Zero);

        Assert.Equal(10, timeline[0].CopiesAt(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(10, timeline[1].CopiesAt(TimeSpan.Zero));
        Assert.Equal(20, timeline[1].CopiesAt(TimeSpan.FromSeconds(5)));
        Assert.Equal(30, timeline[1].CopiesAt(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void PauseSendsNothingAndResetsTheRampLevel()
    {
        var timeline = SimulationTimeline.Build(
            [LoadSimulation.Inject(100, Second, Second), LoadSimulation.Pause(Second), LoadSimulation.RampingInject(100, Second, TimeSpan.FromSeconds(2))],
            TimeSpan.Zero);

        Assert.Equal(0, timeline[1].RequestCount);
        Assert.Equal(0, timeline[2].From);
        Assert.Equal(100, timeline[2].RequestCount);
    }

    [Fact]
    public void WarmUpPrependsAnUnmeasuredSegmentAtTheFirstLevel()
    {
        var timeline = SimulationTimeline.Build([LoadSimulation.RampingInject(100, Second, TimeSpan.FromSeconds(10))], TimeSpan.FromSeconds(3));

        Assert.Equal(2, timeline.Count);
        Assert.False(timeline[0].Measured);
        Assert.Equal(300, timeline[0].RequestCount);
        Assert.Equal(TimeSpan.FromSeconds(3), timeline[1].Start);
        Assert.True(timeline[1].Measured);
    }

    [Fact]
    public async Task InjectRunSendsEachRequestAtItsIntendedTime()
    {
        var time = new ManualTimeProvider();
        var sendTimes = new List<TimeSpan>();
        var scenario = Scenario.Create("count", _ =>
        {
            sendTimes.Add(TimeSpan.FromTicks(time.GetTimestamp()));
            return ValueTask.FromResult(Response.Ok());
        }).WithLoadSimulations(LoadSimulation.Inject(200, Second, TimeSpan.FromSeconds(5)));

        var result = await ManualClockRun.RunAsync(time, () => LoadRunner.RegisterScenarios(scenario).WithTimeProvider(time).RunAsync(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.Equal(1000, result.Scenarios[0].Ok);
        Assert.Equal(200, result.Scenarios[0].Rps);
        Assert.All(sendTimes.Select((t, i) => (t, i)), x => Assert.Equal(TimeSpan.FromMilliseconds(5 * x.i), x.t));
    }

    [Fact]
    public async Task SendLagRecordsHowLateEachRequestLeftAfterItsIntendedTime()
    {
        var time = new ManualTimeProvider();

        // Requests are due every 10 ms but each send keeps the generator busy for 15 ms: request i leaves 5·i ms late.
        var scenario = Scenario.Create("lag", _ =>
        {
            time.Skew(TimeSpan.FromMilliseconds(15));
            return ValueTask.FromResult(Response.Ok());
        }).WithLoadSimulations(LoadSimulation.Inject(100, Second, Second));

        var result = await ManualClockRun.RunAsync(time, () => LoadRunner.RegisterScenarios(scenario).WithTimeProvider(time).RunAsync(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        var stats = result.Scenarios[0];
        Assert.Equal(100, stats.Ok);
        Assert.InRange(stats.MaxSendLagMs, 494.5, 495.5);
        Assert.InRange(stats.SendLagP50Ms, 244.5, 245.5);
    }

    [Fact]
    public async Task OpenModelInvocationsKeepTheirOwnContextWhileInFlightThoughContextsAreReused()
    {
        var time = new ManualTimeProvider();
        var server = new StallingServer(time, TimeSpan.FromMilliseconds(25), TimeSpan.MaxValue, TimeSpan.MaxValue);
        var seen = new System.Collections.Concurrent.ConcurrentBag<(long Before, long After)>();

        // 1,000/s with 25 ms replies: ~25 in flight at once, each launched invocation's context reused once its reply came back.
        var scenario = Scenario.Create("reuse", async ctx =>
        {
            var before = ctx.InvocationNumber;
            var response = await server.HandleAsync();
            seen.Add((before, ctx.InvocationNumber));
            return response;
        }).WithLoadSimulations(LoadSimulation.Inject(1000, Second, Second));

        var result = await ManualClockRun.RunAsync(time, () => LoadRunner.RegisterScenarios(scenario).WithTimeProvider(time).RunAsync(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.Equal(1000, result.Scenarios[0].Ok);
        Assert.All(seen, s => Assert.Equal(s.Before, s.After));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), seen.Select(s => s.Before).Order());
    }

    [Fact]
    public async Task PacerWakesWaitersInDueOrderAndDropsCancelledOnes()
    {
        using var pacer = new SendPacer();
        using var cancel = new CancellationTokenSource();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var woken = new List<int>();
        var now = System.Diagnostics.Stopwatch.GetTimestamp();

        // Hold the pacer's thread inside a continuation while the waiters queue up, so they are all due when it looks again. Due
        // 200 ms ahead, not now: a wait the pacer completed before ContinueWith attached would run the continuation (and its
        // 30 s hold) on this thread instead, and the waiters would then be woken in the order they were added.
        var blocker = pacer.WaitUntilAsync(now + (System.Diagnostics.Stopwatch.Frequency / 5), true, CancellationToken.None).ContinueWith(_ => { entered.Set(); release.Wait(TimeSpan.FromSeconds(30)); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        int[] dues = [3, 1, 2];
        var waits = dues.Select(d => pacer.WaitUntilAsync(now + (System.Diagnostics.Stopwatch.Frequency / 5) + d, true, CancellationToken.None).ContinueWith(_ => woken.Add(d), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)).ToList();
        var cancelled = pacer.WaitUntilAsync(now + (System.Diagnostics.Stopwatch.Frequency * 60), false, cancel.Token);
        release.Set();
        await cancel.CancelAsync();
        await Task.WhenAll([blocker, .. waits]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([1, 2, 3], woken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task IterationsForConstantRunsExactlyTheGivenIterations()
    {
        var time = new ManualTimeProvider();
        var server = new StallingServer(time, TimeSpan.FromMilliseconds(2), TimeSpan.MaxValue, TimeSpan.MaxValue);
        var scenario = Scenario.Create("iterations", _ => server.HandleAsync()).WithLoadSimulations(LoadSimulation.IterationsForConstant(4, 1001));

        var result = await ManualClockRun.RunAsync(time, () => LoadRunner.RegisterScenarios(scenario).WithTimeProvider(time).RunAsync(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.Equal(1001, result.Scenarios[0].Ok);
        Assert.Equal("closed", result.Scenarios[0].Model);
    }
}
