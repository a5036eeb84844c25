using System.Net;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;

namespace C10k.Deploy.Tests;

/// <summary>The server with <c>C10k:Network:ProxyProtocol=true</c>, over loopback.</summary>
public sealed class ProxyProtocolServerTests : IAsyncLifetime
{
    private static readonly byte[] Ping = RawConnection.Request(NativeOpcodes.Ping, 7, []);
    private TestServer? _server;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(null, "Network:ProxyProtocol=true", "ProtectedMode=false", "Limits:PartialFrameTimeoutMs=1000");

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task A_request_after_the_header_is_answered()
    {
        using var raw = await _server!.ConnectNativeAsync();
        var header = ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 51234), new IPEndPoint(IPAddress.Loopback, 7000));
        await raw.SendAsync([.. header, .. Ping]);

        var reply = await raw.ReadReplyAsync();

        Assert.Equal((7u, "PONG"), (reply!.RequestId, reply.Text));
    }

    [Fact]
    public async Task Resp_front_takes_the_header_too()
    {
        using var resp = await RespTestConnection.ConnectAsync(_server!.RespPort);
        await resp.SendAsync([.. ProxyHeaderV2.Create(null, null), .. "*1\r\n$4\r\nPING\r\n"u8]);

        Assert.Equal("+PONG", await resp.ReadAsync());
    }

    [Fact]
    public async Task A_connection_without_the_header_is_closed_unanswered()
    {
        using var raw = await _server!.ConnectNativeAsync();
        await raw.SendAsync(Ping);

        Assert.True(await raw.IsClosedByServerAsync());
    }
}
