using C10k.Security.Tests.Support;
using C10k.Testing;

namespace C10k.Security.Tests;

/// <summary>A failed TLS handshake is bad input like any other: the connection closes, counted and logged as a refusal.</summary>
public sealed class TlsHandshakeFailureTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public async Task PlainTextOnATlsPortIsCountedAsAFailedHandshakeAndACompletedHandshakeIsNot()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        using var counted = new CountedMetrics(server);
        await using var tls = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate);
        await tls.SendAsync("PING\r\n");
        Assert.Equal("+PONG", await tls.ReadLineAsync());

        await using var plain = await Peer.ConnectAsync(server.Port("resp-tls"));
        await plain.SendAsync("PING\r\n");

        Assert.True(await plain.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => counted["c10k.connections.rejected front=resp reason=tls_handshake"] == 1, "the failed handshake is counted");
        Assert.Equal("+PONG", await CallAsync(tls, "PING\r\n"));
        Assert.Equal(1, counted["c10k.connections.rejected front=resp reason=tls_handshake"]);
    }

    public void Dispose() => _certificates.Dispose();

    private static async Task<string?> CallAsync(Peer peer, string request)
    {
        await peer.SendAsync(request);
        return await peer.ReadLineAsync();
    }
}
