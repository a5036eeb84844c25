using System.Net.Sockets;
using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

public class LimitsTests
{
    [Fact]
    public async Task ConnectionOverTheLimitGetsConnectionLimitFrameAndOthersAreUnaffected()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=2");
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await Timeouts.UntilAsync(() => server.OpenConnections == 2, "two connections are admitted");

        using var third = await RawConnection.ConnectAsync(server.NativePort);
        var notice = await third.ReadReplyAsync();

        Assert.Equal((0u, NativeStatus.ConnectionLimit), (notice!.RequestId, notice.Status));
        Assert.True(await third.IsClosedByServerAsync());
        Assert.Equal("PONG", await first.PingAsync());
        Assert.Equal("PONG", await second.PingAsync());
    }

    [Fact]
    public async Task ClientSeesConnectionLimitAsATypedFailure()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=1");
        await using var first = await server.ConnectAsync();
        await Timeouts.UntilAsync(() => server.OpenConnections == 1, "one connection is admitted");
        await using var second = await server.ConnectAsync();

        var failure = await Assert.ThrowsAsync<C10kConnectionException>(() => second.PingAsync().WaitAsync(Timeouts.Socket));
        Assert.Contains("ConnectionLimit", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleConnectionIsClosed()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:IdleTimeoutMs=300");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task SlowLorisPartialFrameIsClosed()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:PartialFrameTimeoutMs=300");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(NativeOpcodes.Ping, 1, [])[..5]);

        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task ClientThatNeverReadsIsStoppedAndClosedWithBoundedMemory()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:PartialFrameTimeoutMs=500");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.NativePort).WaitAsync(Timeouts.Socket);
        var echo = RawConnection.Request(NativeOpcodes.Echo, 1, RawConnection.Args(new string('x', 16 * 1024)));
        var burst = Enumerable.Repeat(echo, 64).SelectMany(b => b).ToArray();

        var closed = false;
        for (var i = 0; i < 400 && !closed; i++)
        {
            using var send = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.SendAsync(burst, send.Token);
            }
            catch (OperationCanceledException)
            {
                closed = server.OpenConnections == 0;
            }
            catch (SocketException)
            {
                closed = true;
            }
        }

        Assert.True(closed, "the server closed the connection of a client that never reads");
        await Timeouts.UntilAsync(() => server.OpenConnections == 0, "the connection is gone");
    }
}
