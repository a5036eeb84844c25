using System.Net;
using System.Net.Sockets;
using C10k.Server.Connections;

namespace C10k.Tests.Server;

/// <summary>
/// <c>C10k:Shutdown:ReadinessDelayMs</c> (issue 14, item 7): on a stop request, <c>/readyz</c> answers 503 at once while every port
/// still serves new connections; only after the delay do the listeners close and the drain begin.
/// </summary>
public class ReadinessDelayTests
{
    [Fact]
    public async Task DuringTheDelayReadinessIsDownWhileNewConnectionsAreServed()
    {
        // Ten minutes: the test, not a clock, ends the delay (the host's stop token does, as a second SIGTERM or the timeout would).
        await using var server = await TestServer.StartAsync(null, "Shutdown:ReadinessDelayMs=600000");
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("readyz")).StatusCode);
        using var hurry = new CancellationTokenSource();

        var stopping = server.App.StopAsync(hurry.Token);
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Admin.GetAsync("readyz")).StatusCode);
            await using (var client = await server.ConnectAsync())
            {
                Assert.Equal("PONG", await client.PingAsync().WaitAsync(Timeouts.Socket));
            }

            using (var resp = await RespTestConnection.ConnectAsync(server.RespPort))
            {
                Assert.Equal("+PONG", await resp.CallAsync("PING"));
            }

            Assert.False(stopping.IsCompleted);
            Assert.False(server.Service<ConnectionRegistry>().IsDraining);
        }
        finally
        {
            // Ends the delay however the checks went, so the server can stop.
            hurry.Cancel();
        }

        await stopping.WaitAsync(Timeouts.Socket);
        Assert.True(server.Service<ConnectionRegistry>().IsDraining);
    }

    [Fact]
    public async Task WithoutADelayTheDrainBeginsAtOnce()
    {
        await using var server = await TestServer.StartAsync();

        await server.App.StopAsync().WaitAsync(Timeouts.Socket);

        Assert.True(server.Service<ConnectionRegistry>().IsDraining);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, server.NativePort).WaitAsync(Timeouts.Socket));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
