using System.Net;
using System.Net.Sockets;
using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;
using C10k.Server.Hosting;

namespace C10k.LoadTesting.Tests;

public sealed class NativeEndToEndTests
{
    [Fact]
    public async Task LoopbackRunAgainstTheRealServerCompletesEveryRequestWithoutErrors()
    {
        var port = FreePort();
        await using var server = C10kServer.Build([$"--C10k:Native:Port={port}", "--Logging:LogLevel:Default=Warning"]);
        await server.StartAsync();
        try
        {
            var target = TargetAddress.Parse($"native://127.0.0.1:{port}");
            var ping = Scenario.Create("ping", ctx => ctx.Connection.PingAsync(ctx.CancellationToken))
                .WithConnections(ConnectionSettings.Of(8))
                .WithLoadSimulations(LoadSimulation.Inject(1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
            var hash = Scenario.Create("hash", ctx => ctx.Connection.HashAsync(1000, "abc"u8.ToArray(), ctx.CancellationToken))
                .WithConnections(ConnectionSettings.Of(2))
                .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(2)));

            var result = await LoadRunner.RegisterScenarios(ping, hash).WithTarget(target).RunAsync();

            Assert.Equal((2000L, 0L), (result.Scenarios[0].Ok, result.Scenarios[0].Fail));
            Assert.True(result.Scenarios[1].Ok > 0);
            Assert.Equal(0, result.Scenarios[1].Fail);
            Assert.All(result.Scenarios, s => Assert.Equal(0, s.Connections.Errors));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
