using System.Net;
using System.Net.Sockets;
using C10k.Protocol.Proxy;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Deploy.Tests;

/// <summary>The server with <c>C10k:Network:ProxyProtocol=true</c>, over loopback.</summary>
public sealed class ProxyProtocolServerTests : IAsyncLifetime
{
    private static readonly byte[] Ping = Convert.FromHexString("C1000002" + "00000007" + "00000000" + "00000000");
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        _app = C10kServer.Build(["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--C10k:Network:ProxyProtocol=true", "--C10k:ProtectedMode=false",
            "--C10k:Limits:PartialFrameTimeoutMs=1000", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_request_after_the_header_is_answered()
    {
        using var socket = await ConnectAsync("native");
        var header = ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 51234), new IPEndPoint(IPAddress.Loopback, 7000));
        await socket.SendAsync(header.Concat(Ping).ToArray());

        var reply = await ReceiveAsync(socket, 20);

        Assert.Equal("PONG", System.Text.Encoding.ASCII.GetString(reply, 16, 4));
    }

    [Fact]
    public async Task Resp_front_takes_the_header_too()
    {
        using var socket = await ConnectAsync("resp");
        await socket.SendAsync(ProxyHeaderV2.Create(null, null).Concat("*1\r\n$4\r\nPING\r\n"u8.ToArray()).ToArray());

        var reply = await ReceiveAsync(socket, 7);

        Assert.Equal("+PONG\r\n", System.Text.Encoding.ASCII.GetString(reply));
    }

    [Fact]
    public async Task A_connection_without_the_header_is_closed_unanswered()
    {
        using var socket = await ConnectAsync("native");
        await socket.SendAsync(Ping);

        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
    }

    private async Task<Socket> ConnectAsync(string endpoint)
    {
        var port = _app!.Services.GetRequiredService<ServerEndpoints>().Port(endpoint);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
        return socket;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var length = 0;
        while (length < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(read > 0, $"closed after {length} bytes");
            length += read;
        }

        return buffer;
    }
}
