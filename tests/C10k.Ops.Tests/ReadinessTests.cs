using System.Net;
using C10k.Protocol.Native;
using C10k.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Ops.Tests;

public sealed class ReadinessTests
{
    [Fact]
    public async Task HealthAndReadinessAnswerOkOnceStarted()
    {
        await using var server = await TestServer.StartAsync();

        using var health = await server.Admin.GetAsync("healthz");
        using var ready = await server.Admin.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadinessTurns503AtDrainStartWhileAdminAndDataPortsStillAnswerAndInFlightWorkFinishes()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(registry => registry.Register(gate), "Shutdown:DrainTimeoutMs=20000");
        using var busy = await server.ConnectNativeAsync();
        await busy.SendAsync(GateOperation.GateOpcode, 7);
        await gate.FirstEntered.WaitAsync(Timeouts.Socket);

        var stopping = server.App.StopAsync();
        using var notReady = await WaitForStatusAsync(server.Admin, "readyz", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("draining\n", await notReady.Content.ReadAsStringAsync());
        using var health = await server.Admin.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("c10k_server_draining{otel_scope_name=\"C10k.Server\"} 1", await server.Admin.GetStringAsync("metrics"), StringComparison.Ordinal);

        using (var late = await server.ConnectNativeAsync())
        {
            var refusal = await late.ReadReplyAsync();
            Assert.Equal(NativeStatus.ShuttingDown, refusal!.Status);
            Assert.True(await late.IsClosedByServerAsync());
        }

        Assert.False(stopping.IsCompleted, "the host must wait for in-flight work before stopping the listeners");
        gate.Open();
        var reply = await busy.ReadReplyAsync();
        Assert.Equal((7u, NativeStatus.Ok, "open"), (reply!.RequestId, reply.Status, reply.Text));
        await stopping.WaitAsync(Timeouts.Socket);
    }

    [Fact]
    public async Task HostShutdownTimeoutExceedsTheDrainTimeout()
    {
        await using var app = TestServer.Build(null, "Shutdown:DrainTimeoutMs=30000");

        var shutdown = app.Services.GetService<IOptions<HostOptions>>()!.Value.ShutdownTimeout;
        var drain = app.Services.GetService<IOptions<ShutdownOptions>>()!.Value.DrainTimeoutMs;

        Assert.True(shutdown > TimeSpan.FromMilliseconds(drain), $"ShutdownTimeout {shutdown} must exceed the drain timeout {drain} ms");
    }

    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Timeouts.Socket;
        while (true)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(20);
        }
    }
}
