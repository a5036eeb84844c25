using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;

namespace C10k.LoadTesting.Tests;

public sealed class ServerEndToEndTests
{
    [Theory]
    [InlineData("native")]
    [InlineData("resp")]
    public async Task LoopbackRunAgainstTheRealServerCompletesEveryRequestWithoutErrors(string scheme)
    {
        await using var server = await TestServer.StartAsync();
        var target = Target(server, scheme);
        var light = scheme == "native"
            ? Scenario.Create("ping", ctx => ctx.Connection.PingAsync(ctx.CancellationToken))
            : Scenario.Create("echo", ctx => ctx.Connection.EchoAsync("hello"u8.ToArray(), ctx.CancellationToken));
        light = light
            .WithConnections(ConnectionSettings.Of(8))
            .WithLoadSimulations(LoadSimulation.Inject(1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        var hash = Scenario.Create("hash", ctx => ctx.Connection.HashAsync(1000, "abc"u8.ToArray(), ctx.CancellationToken))
            .WithConnections(ConnectionSettings.Of(2))
            .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(2)));

        var result = await LoadRunner.RegisterScenarios(light, hash).WithTarget(target).RunAsync();

        Assert.True(result.Scenarios[0].Fail == 0, string.Join(", ", result.Scenarios[0].FailByStatus.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal(2000, result.Scenarios[0].Ok);
        Assert.True(result.Scenarios[1].Ok > 0);
        Assert.Equal(0, result.Scenarios[1].Fail);
        Assert.All(result.Scenarios, s => Assert.Equal(0, s.Connections.Errors));
    }

    [Theory]
    [InlineData("native")]
    [InlineData("resp")]
    public async Task StepsCarryRepliesForwardAndFailedChecksAreCountedPerStep(string scheme)
    {
        await using var server = await TestServer.StartAsync();
        var definition = new ScenarioDefinition
        {
            Name = "steps",
            Simulation = "iterations-for-constant copies=2 iterations=30",
            Steps =
            [
                new StepDefinition { Name = "echo", Command = "ECHO v{seq}", Save = "x" },
                new StepDefinition { Name = "echo-back", Command = "ECHO {x}", Expect = new ExpectDefinition { Type = "bulk", Value = "v{seq}" } },
                new StepDefinition { Name = "wrong", Command = "PING", Expect = new ExpectDefinition { Value = "nope" } },
            ],
        };
        var scenario = Assert.Single(ScenarioBuilder.Build(new ScenarioFile { Scenarios = [definition] }, LoadShare.Whole, []));

        var result = await LoadRunner.RegisterScenarios(scenario).WithTarget(Target(server, scheme)).RunAsync();

        var stats = Assert.Single(result.Scenarios);
        Assert.Equal(["echo:30/0", "echo-back:30/0", "wrong:0/30"], stats.Steps.Select(s => $"{s.Name}:{s.Ok}/{s.Fail}"));
        Assert.Equal(30, stats.FailByStatus["check:value"]);
        Assert.Equal(2, stats.Connections.MaxOpen);
        Assert.Contains("every request failed (check:value (30))", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    private static ILoadTarget Target(TestServer server, string scheme) =>
        TargetAddress.Parse($"{scheme}://127.0.0.1:{(scheme == "native" ? server.NativePort : server.RespPort)}");
}
