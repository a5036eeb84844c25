using System.Net;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;
using C10k.Security.Tests.Support;
using C10k.Testing;

namespace C10k.Security.Tests;

public sealed class ProxyTrustTests
{
    private static readonly byte[] HeaderThenPing =
        [.. ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 7000)), .. Peer.Native(NativeOpcodes.Ping, 1)];

    [Fact]
    public async Task HeaderFromAnUntrustedPeerIsRefusedUnreadAndCounted()
    {
        await using var server = await TestServer.StartAsync(null, "Network:ProxyProtocol=true", "Network:TrustedProxies=127.0.0.1");
        using var counted = new CountedMetrics(server);
        await using var untrusted = await Peer.ConnectAsync(server.Port("native"), from: "127.0.0.2");

        await untrusted.SendAsync(HeaderThenPing);

        Assert.True(await untrusted.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => counted["c10k.connections.rejected front=native reason=untrusted_proxy"] == 1, "the refusal is counted");
    }

    [Fact]
    public async Task HeaderFromATrustedRangeIsRead()
    {
        await using var server = await TestServer.StartAsync(null, "Network:ProxyProtocol=true", "Network:TrustedProxies=10.0.0.0/8, 127.0.0.0/30");
        await using var trusted = await Peer.ConnectAsync(server.Port("native"), from: "127.0.0.2");

        await trusted.SendAsync(HeaderThenPing);

        Assert.Equal((1u, NativeStatus.Ok, "PONG"), await trusted.ReadNativeAsync());
    }

    [Fact]
    public async Task ListThatIsNotAddressesFailsTheStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestServer.StartAsync(null, "Network:ProxyProtocol=true", "Network:TrustedProxies=haproxy"));

        Assert.Contains("C10k:Network:TrustedProxies must list IP addresses and CIDR ranges (got 'haproxy')", error.Failures);
    }
}
