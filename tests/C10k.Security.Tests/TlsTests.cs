using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using C10k.Client;
using C10k.Protocol.Native;
using C10k.Security.Tests.Support;
using C10k.Testing;
using C10k.Server.Connections;
using C10k.Server.Hosting;
using C10k.Server.Security;
using Microsoft.Extensions.Options;

namespace C10k.Security.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public async Task BothFrontsAnswerOverTlsNextToTheirPlainPorts()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        await using var native = await Peer.ConnectTlsAsync(server.Port("native-tls"), _certificates.CaCertificate);
        await using var resp = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate);
        await using var plain = await Peer.ConnectAsync(server.Port("resp"));

        await native.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));
        await resp.SendAsync("*1\r\n$4\r\nPING\r\n");
        await plain.SendAsync("PING\r\n");

        Assert.Equal((1u, NativeStatus.Ok, "PONG"), await native.ReadNativeAsync());
        Assert.Equal("+PONG", await resp.ReadLineAsync());
        Assert.Equal("+PONG", await plain.ReadLineAsync());
    }

    [Fact]
    public async Task PendingHandshakeHoldsAPlaceUnderTheLimitAndTimesOut()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings("Limits:MaxConnections=1", "Tls:HandshakeTimeoutMs=500"));
        await using var silent = await Peer.ConnectAsync(server.Port("resp-tls"));
        await Timeouts.UntilAsync(() => server.Service<ConnectionGate>().Open == 1, "the silent TLS connection holds a place");
        await using var refused = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal("-ERR max number of clients reached", await refused.ReadLineAsync());
        Assert.True(await silent.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => server.Service<ConnectionGate>().Open == 0, "the timed-out handshake gives its place back");
    }

    [Fact]
    public async Task ClientCertificateIsRequiredWhenConfigured()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings(
            "Tls:RequireClientCertificate=true", "Tls:ClientCaPath=" + _certificates.CaCertificate));
        using var clientCertificate = X509Certificate2.CreateFromPemFile(_certificates.ClientCertificate, _certificates.ClientKey);
        await using var withCertificate = await Peer.ConnectTlsAsync(server.Port("native-tls"), _certificates.CaCertificate, clientCertificate);
        await withCertificate.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));

        Assert.Equal((1u, NativeStatus.Ok, "PONG"), await withCertificate.ReadNativeAsync());
        Assert.False(await AnsweredWithoutClientCertificateAsync(server.Port("native-tls")));
    }

    [Fact]
    public async Task ProtectedModeRefusalIsReadableOverTls()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        await using var remote = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate, from: "127.0.0.2");

        Assert.StartsWith("-DENIED C10k is running in protected mode", await remote.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewedCertificateIsServedWithoutARestart()
    {
        var live = Path.Combine(_certificates.Directory, "live.crt");
        var liveKey = Path.Combine(_certificates.Directory, "live.key");
        File.Copy(_certificates.ServerCertificate, live);
        File.Copy(_certificates.ServerKey, liveKey);
        await using var server = await TestServer.StartAsync(null, "Resp:TlsPort=0", "Tls:CertificatePath=" + live, "Tls:KeyPath=" + liveKey);
        var (renewed, renewedKey) = _certificates.IssueServer("renewed", "localhost");

        File.Copy(renewedKey, liveKey, overwrite: true);
        File.Copy(renewed, live, overwrite: true);

        var expected = X509CertificateLoader.LoadCertificateFromFile(renewed).Thumbprint;
        string? served = null;
        for (var attempt = 0; attempt < 300 && served != expected; attempt++)
        {
            await using var peer = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate);
            served = X509CertificateLoader.LoadCertificate(peer.RemoteCertificate!.GetRawCertData()).Thumbprint;
            await Task.Delay(50);
        }

        Assert.Equal(expected, served);
    }

    [Fact]
    public void FilesThatStopLoadingKeepThePreviousCertificateUntilAGoodRenewalArrives()
    {
        var live = Path.Combine(_certificates.Directory, "live.crt");
        var liveKey = Path.Combine(_certificates.Directory, "live.key");
        File.Copy(_certificates.ServerCertificate, live);
        File.Copy(_certificates.ServerKey, liveKey);
        var time = new ManualTime();
        using var logs = new CapturedLogs();
        var source = new TlsCertificateSource(Options.Create(new TlsOptions { CertificatePath = live, KeyPath = liveKey }), time, logs);
        var first = Served(source);

        File.WriteAllText(live, "-----BEGIN CERTIFICATE-----\nMIIB\n");
        time.Advance(TimeSpan.FromSeconds(2));
        var duringBreakage = Served(source);
        time.Advance(TimeSpan.FromSeconds(2));
        var stillBroken = Served(source);
        var (renewed, renewedKey) = _certificates.IssueServer("renewed", "localhost");
        File.Copy(renewedKey, liveKey, overwrite: true);
        File.Copy(renewed, live, overwrite: true);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(first, duringBreakage);
        Assert.Equal(first, stillBroken);
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(renewed).Thumbprint, Served(source));
        Assert.Single(logs.Entries, e => e.EventId == 521);
    }

    [Fact]
    public async Task Tls12AndTls13AreServedAndNothingOlderIsEnabled()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        await using var tls12 = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate, protocols: SslProtocols.Tls12);
        await using var tls13 = await Peer.ConnectTlsAsync(server.Port("resp-tls"), _certificates.CaCertificate, protocols: SslProtocols.Tls13);
        await tls12.SendAsync("PING\r\n");

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, server.Service<TlsCertificateSource>().Current.EnabledSslProtocols);
        Assert.Equal(SslProtocols.Tls12, tls12.Protocol);
        Assert.Equal(SslProtocols.Tls13, tls13.Protocol);
        Assert.Equal("+PONG", await tls12.ReadLineAsync());
    }

    [Fact]
    public async Task PasswordProtectedPkcs12CertificateServes()
    {
        var pfx = Path.Combine(_certificates.Directory, "server.pfx");
        using (var pem = X509Certificate2.CreateFromPemFile(_certificates.ServerCertificate, _certificates.ServerKey))
        {
            await File.WriteAllBytesAsync(pfx, pem.Export(X509ContentType.Pkcs12, "pfx-pass"));
        }

        await using var server = await TestServer.StartAsync(null, "Native:TlsPort=0", "Tls:CertificatePath=" + pfx, "Tls:Password=pfx-pass");
        await using var peer = await Peer.ConnectTlsAsync(server.Port("native-tls"), _certificates.CaCertificate);
        await peer.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));

        Assert.Equal((1u, NativeStatus.Ok, "PONG"), await peer.ReadNativeAsync());
    }

    [Fact]
    public async Task TlsPortWithoutACertificateFailsTheStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestServer.StartAsync(null, "Resp:TlsPort=0"));

        Assert.Contains("C10k:Tls:CertificatePath is required when C10k:Native:TlsPort or C10k:Resp:TlsPort is set", error.Failures);
    }

    [Fact]
    public async Task ClientsConnectWithTlsServerNameCaFileAndClientCertificate()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings(
            "Tls:RequireClientCertificate=true", "Tls:ClientCaPath=" + _certificates.CaCertificate));
        var options = new ClientOptions
        {
            Tls = new ClientTlsOptions
            {
                ServerName = "localhost",
                CaCertificatePath = _certificates.CaCertificate,
                ClientCertificatePath = _certificates.ClientCertificate,
                ClientKeyPath = _certificates.ClientKey,
            },
        };

        await using var client = await C10kClient.ConnectAsync("127.0.0.1", server.Port("native-tls"), options).WaitAsync(Timeouts.Socket);
        await using var reconnecting = await ReconnectingC10kClient.ConnectAsync("127.0.0.1", server.Port("native-tls"), options).WaitAsync(Timeouts.Socket);

        Assert.Equal("PONG", await client.PingAsync().WaitAsync(Timeouts.Socket));
        Assert.Equal("PONG", await reconnecting.PingAsync().WaitAsync(Timeouts.Socket));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await client.HashAsync(1, "abc"u8.ToArray()).WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task StackExchangeRedisConnectsWithSslAndPassword()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings("Auth:Users:default=s3cret"));
        var options = StackExchange.Redis.ConfigurationOptions.Parse($"localhost:{server.Port("resp-tls")},ssl=true,password=s3cret");
        options.TrustIssuer(_certificates.CaCertificate);

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options).WaitAsync(Timeouts.Socket);
        var hash = await redis.GetDatabase().ExecuteAsync("HASH", 1, "abc").WaitAsync(Timeouts.Socket);

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", (string?)hash);
    }

    [Fact]
    public async Task ClientRefusesAServerItsCaFileDoesNotVouchFor()
    {
        using var other = new TestCertificates();
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        var options = new ClientOptions { Tls = new ClientTlsOptions { CaCertificatePath = other.CaCertificate } };

        await Assert.ThrowsAsync<AuthenticationException>(() => C10kClient.ConnectAsync("localhost", server.Port("native-tls"), options).WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task ClientChecksTheServerCertificateAgainstTheServerNameItIsGiven()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        var options = new ClientOptions { Tls = new ClientTlsOptions { ServerName = "not-this-server", CaCertificatePath = _certificates.CaCertificate } };

        // The certificate names localhost and 127.0.0.1: the host alone would pass, the server name given must not.
        await Assert.ThrowsAsync<AuthenticationException>(() => C10kClient.ConnectAsync("127.0.0.1", server.Port("native-tls"), options).WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task ReconnectingClientRunsTlsAndAuthOnEveryNewConnection()
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings("Auth:Users:default=s3cret", "Limits:MaxConnectionAgeMs=200"));
        var options = new ClientOptions { Password = "s3cret", Tls = new ClientTlsOptions { CaCertificatePath = _certificates.CaCertificate } };
        await using var client = await ReconnectingC10kClient.ConnectAsync("localhost", server.Port("native-tls"), options).WaitAsync(Timeouts.Socket);

        // A PONG on a connection opened after the first: without TLS or AUTH on it, the ping would fail otherwise.
        var answeredAfterReconnect = false;
        for (var i = 0; i < 2000 && !answeredAfterReconnect; i++)
        {
            var reconnected = client.Reconnects > 0;
            try
            {
                var pong = await client.PingAsync().WaitAsync(Timeouts.Socket);
                answeredAfterReconnect = reconnected && pong == "PONG";
            }
            catch (C10kConnectionException)
            {
                // A ping sent just as the aged connection closed fails: the client never retries it silently.
            }

            await Task.Delay(5);
        }

        Assert.True(answeredAfterReconnect);
    }

    public void Dispose() => _certificates.Dispose();

    private static string Served(TlsCertificateSource source) => source.Current.ServerCertificateContext!.TargetCertificate.Thumbprint;

    // Without a certificate the handshake fails, or (TLS 1.3, where the client finishes first) the server closes right after it.
    private async Task<bool> AnsweredWithoutClientCertificateAsync(int port)
    {
        try
        {
            await using var peer = await Peer.ConnectTlsAsync(port, _certificates.CaCertificate);
            await peer.SendAsync(Peer.Native(NativeOpcodes.Ping, 1));
            return await peer.ReadNativeAsync() is not null;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return false;
        }
    }
}
