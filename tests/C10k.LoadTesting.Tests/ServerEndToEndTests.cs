using System.Net;
using System.Net.Sockets;
using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;
using C10k.Server.Hosting;

namespace C10k.LoadTesting.Tests;

public sealed class ServerEndToEndTests
{
    [Theory]
    [InlineData("native")]
    [InlineData("resp")]
    public Task LoopbackRunAgainstTheRealServerCompletesEveryRequestWithoutErrors(string scheme) => WithServerAsync(scheme, async target =>
        {
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
        });

    [Theory]
    [InlineData("native")]
    [InlineData("resp")]
    public Task StepsCarryRepliesForwardAndFailedChecksAreCountedPerStep(string scheme) => WithServerAsync(scheme, async target =>
        {
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

            var result = await LoadRunner.RegisterScenarios(scenario).WithTarget(target).RunAsync();

            var stats = Assert.Single(result.Scenarios);
            Assert.Equal(["echo:30/0", "echo-back:30/0", "wrong:0/30"], stats.Steps.Select(s => $"{s.Name}:{s.Ok}/{s.Fail}"));
            Assert.Equal(30, stats.FailByStatus["check:value"]);
            Assert.Equal(2, stats.Connections.MaxOpen);
            Assert.Contains("every request failed (check:value (30))", Assert.Single(result.Errors), StringComparison.Ordinal);
        });

    /// <summary>Starts the real server with <paramref name="scheme"/>'s front on a free port and runs <paramref name="test"/> against it.</summary>
    private static async Task WithServerAsync(string scheme, Func<ILoadTarget, Task> test)
    {
        var port = FreePort();
        await using var server = scheme == "native" ? StartableServer(nativePort: port, respPort: 0) : StartableServer(nativePort: 0, respPort: port);
        await server.StartAsync();
        try
        {
            await test(TargetAddress.Parse($"{scheme}://127.0.0.1:{port}"));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static Microsoft.AspNetCore.Builder.WebApplication StartableServer(int nativePort, int respPort) =>
        C10kServer.Build([$"--C10k:Native:Port={nativePort}", $"--C10k:Resp:Port={respPort}", "--C10k:Admin:Port=0", "--Logging:LogLevel:Default=Warning"]);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
