using System.Net;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;
using C10k.Security.Tests.Support;
using C10k.Testing;
using C10k.Server.Connections;
using C10k.Server.Hosting;

namespace C10k.Security.Tests;

public sealed class ConnectionLimitTests
{
    private static readonly long DefaultLimit = DescriptorLimit.SoftLimit() is { } nofile ? Math.Max(nofile - 512, nofile / 2) : 16_000;

    [Fact]
    public async Task DefaultLimitIsTheDescriptorLimitLessTheReserveAndShownByConfigInfoAndTheStatusPage()
    {
        await using var server = await TestServer.StartAsync();
        await using var resp = await Peer.ConnectAsync(server.Port("resp"));

        await resp.SendAsync("CONFIG GET maxclients\r\n");
        var config = new string?[] { await resp.ReadLineAsync(), await resp.ReadLineAsync(), await resp.ReadLineAsync(), await resp.ReadLineAsync(), await resp.ReadLineAsync() };
        await resp.SendAsync("INFO clients\r\n");
        var infoLength = int.Parse((await resp.ReadLineAsync())![1..], System.Globalization.CultureInfo.InvariantCulture);
        var info = System.Text.Encoding.ASCII.GetString((await resp.ReadAsync(infoLength + 2))!);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port("admin")}/"), Timeout = Timeouts.Socket };
        var page = await admin.GetStringAsync("");

        var limit = DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["*2", "$10", "maxclients", "$" + limit.Length, limit], config.Select(l => l ?? "(closed)"));
        Assert.Contains($"maxclients:{DefaultLimit}\r\n", info, StringComparison.Ordinal);
        Assert.Contains($"<b id=\"connection-limit\">{DefaultLimit:N0}</b>", page, StringComparison.Ordinal);
        Assert.Equal("default: RLIMIT_NOFILE " + DescriptorLimit.SoftLimit() + " - 512", server.Service<ConnectionLimitDefault>().Source);
        Assert.False(server.Service<ConnectionLimitDefault>().ExceedsDescriptors);
    }

    [Fact]
    public async Task ConfiguredLimitAboveTheDescriptorsIsHonouredAndFlagged()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=10000000");

        Assert.Equal(10_000_000, server.Service<ConnectionGate>().MaxConnections);
        Assert.Equal("configured", server.Service<ConnectionLimitDefault>().Source);
        Assert.True(server.Service<ConnectionLimitDefault>().ExceedsDescriptors);
    }

    [Fact]
    public async Task LimitCoversEveryFrontTogether()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=2");
        using var counted = new CountedMetrics(server);
        await using var native = await Peer.ConnectAsync(server.Port("native"));
        await native.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));
        Assert.Equal(NativeStatus.Ok, (await native.ReadNativeAsync())!.Value.Status);
        await using var resp = await Peer.ConnectAsync(server.Port("resp"));
        await resp.SendAsync("PING\r\n");
        Assert.Equal("+PONG", await resp.ReadLineAsync());

        await using var thirdResp = await Peer.ConnectAsync(server.Port("resp"));
        await using var thirdNative = await Peer.ConnectAsync(server.Port("native"));

        Assert.Equal("-ERR max number of clients reached", await thirdResp.ReadLineAsync());
        Assert.Equal((0u, NativeStatus.ConnectionLimit, "max number of clients reached"), await thirdNative.ReadNativeAsync());
        Assert.True(await thirdNative.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => counted["c10k.connections.rejected front=native reason=connection_limit"] == 1, "the native refusal is counted");
        Assert.Equal(1, counted["c10k.connections.rejected front=resp reason=connection_limit"]);
    }

    [Fact]
    public async Task ConnectionWaitingForItsProxyHeaderHoldsAPlace()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=1", "Network:ProxyProtocol=true", "ProtectedMode=false");
        await using var waiting = await Peer.ConnectAsync(server.Port("native"));
        await Timeouts.UntilAsync(() => server.Service<ConnectionGate>().Open == 1, "the header-less connection holds a place");

        await using var refused = await Peer.ConnectAsync(server.Port("native"));
        await refused.SendAsync([.. ProxyFrom("192.0.2.1"), .. Peer.Native(NativeOpcodes.Ping, 1)]);

        Assert.Equal(NativeStatus.ConnectionLimit, (await refused.ReadNativeAsync())!.Value.Status);
        await waiting.SendAsync([.. ProxyFrom("192.0.2.2"), .. Peer.Native(NativeOpcodes.Ping, 2)]);
        Assert.Equal((2u, NativeStatus.Ok, "PONG"), await waiting.ReadNativeAsync());
    }

    [Fact]
    public async Task PerAddressLimitCountsTheProxyHeadersClientAddress()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnectionsPerAddress=1", "Network:ProxyProtocol=true", "ProtectedMode=false");
        using var counted = new CountedMetrics(server);
        var header = ProxyFrom("192.0.2.7");
        await using var first = await Peer.ConnectAsync(server.Port("resp"));
        await first.SendAsync([.. header, .. "PING\r\n"u8.ToArray()]);
        Assert.Equal("+PONG", await first.ReadLineAsync());

        await using var sameClient = await Peer.ConnectAsync(server.Port("resp"));
        await sameClient.SendAsync(header);
        await using var otherClient = await Peer.ConnectAsync(server.Port("resp"));
        await otherClient.SendAsync([.. ProxyFrom("192.0.2.8"), .. "PING\r\n"u8.ToArray()]);

        Assert.Equal("-ERR max number of connections from this address reached", await sameClient.ReadLineAsync());
        Assert.True(await sameClient.IsClosedByServerAsync());
        Assert.Equal("+PONG", await otherClient.ReadLineAsync());
        Assert.Equal(1, counted["c10k.connections.rejected front=resp reason=address_limit"]);
    }

    [Fact]
    public async Task PerAddressPlaceIsGivenBackWhenTheConnectionEnds()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnectionsPerAddress=1");
        var first = await Peer.ConnectAsync(server.Port("native"));
        await first.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));
        Assert.Equal(NativeStatus.Ok, (await first.ReadNativeAsync())!.Value.Status);
        await first.DisposeAsync();
        await Timeouts.UntilAsync(() => server.Service<ConnectionGate>().Addresses == 0, "the address's place is free again");

        await using var second = await Peer.ConnectAsync(server.Port("native"));
        await second.SendAsync(Peer.Native(NativeOpcodes.Ping, 2));

        Assert.Equal((2u, NativeStatus.Ok, "PONG"), await second.ReadNativeAsync());
    }

    private static byte[] ProxyFrom(string client) =>
        ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse(client), 40000), new IPEndPoint(IPAddress.Loopback, 7000));
}
