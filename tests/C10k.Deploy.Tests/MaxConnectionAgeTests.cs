using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Deploy.Tests;

/// <summary><c>C10k:Limits:MaxConnectionAgeMs</c>: old connections are closed between requests, so clients reconnect through the balancer.</summary>
public sealed class MaxConnectionAgeTests
{
    private static readonly byte[] Ping = Convert.FromHexString("C1000002" + "00000007" + "00000000" + "00000000");

    [Fact]
    public async Task An_idle_connection_past_its_age_is_closed_after_its_replies()
    {
        await using var server = await StartAsync("--C10k:Limits:MaxConnectionAgeMs=1000");
        using var socket = await ConnectAsync(server);
        var opened = Stopwatch.StartNew();

        await socket.SendAsync(Ping);
        Assert.Equal(20, await ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(10)));

        // Closed by the server (reply first, then FIN), after the age less its jitter and within age + jitter + one heartbeat.
        Assert.InRange(opened.Elapsed, TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var server = await StartAsync();
        using var socket = await ConnectAsync(server);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await socket.SendAsync(Ping);
        var reply = new byte[20];
        var read = 0;
        while (read < reply.Length)
        {
            var n = await socket.ReceiveAsync(reply.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(n > 0, "the server closed a connection with no age limit");
            read += n;
        }
    }

    private static async Task<int> ReadUntilClosedAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[256];
        var total = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(timeout);
            if (n == 0)
            {
                return total;
            }

            total += n;
        }
    }

    private static async Task<Server> StartAsync(params string[] settings)
    {
        var app = C10kServer.Build(["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new Server(app);
    }

    private static async Task<Socket> ConnectAsync(Server server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.App.Services.GetRequiredService<ServerEndpoints>().NativePort).WaitAsync(TimeSpan.FromSeconds(10));
        return socket;
    }

    private sealed record Server(WebApplication App) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await App.DisposeAsync();
        }
    }
}
