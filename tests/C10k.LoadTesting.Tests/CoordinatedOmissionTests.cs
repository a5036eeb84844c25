using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Tests;

public sealed class CoordinatedOmissionTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OpenModelShowsAOneSecondStallAtP99WhileClosedModelHidesIt()
    {
        var open = await RunAgainstStallingServerAsync(LoadSimulation.Inject(1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        var closed = await RunAgainstStallingServerAsync(LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(10)));

        Assert.Equal(10_000, open.Ok);
        Assert.True(open.P99Ms >= 900, $"open-model p99 {open.P99Ms} ms should show the 1 s stall");
        Assert.True(open.MaxMs >= 999, $"open-model max {open.MaxMs} ms");

        Assert.InRange(closed.Ok, 8_900, 9_100);
        Assert.True(closed.P99Ms <= 2, $"closed-model p99 {closed.P99Ms} ms hides the stall");
        Assert.True(closed.MaxMs >= 999, "the closed model sees the stall only on the one request in flight");
    }

    private static async Task<Results.ScenarioStats> RunAgainstStallingServerAsync(LoadSimulation simulation)
    {
        var time = new ManualTimeProvider();
        var server = new StallingServer(time, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
        var scenario = Scenario.Create("stall", _ => server.HandleAsync()).WithLoadSimulations(simulation);
        var result = await ManualClockRun.RunAsync(time, () => LoadRunner.RegisterScenarios(scenario).WithTimeProvider(time).RunAsync(), Step, Limit);
        return Assert.Single(result.Scenarios);
    }
}
