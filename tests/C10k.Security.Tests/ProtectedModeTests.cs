using System.Net;
using C10k.Protocol.Native;
using C10k.Security.Tests.Support;
using C10k.Server.Hosting;
using C10k.Server.Security;
using C10k.Testing;
using Microsoft.Extensions.Options;

namespace C10k.Security.Tests;

public sealed class ProtectedModeTests
{
    [Fact]
    public async Task RespClientFromAnotherAddressIsDeniedWithRedisStyleExplanationAndClosed()
    {
        await using var server = await TestServer.StartAsync();
        using var counted = new CountedMetrics(server);
        await using var remote = await Peer.ConnectAsync(server.Port("resp"), from: "127.0.0.2");

        var denial = await remote.ReadLineAsync();

        Assert.StartsWith("-DENIED C10k is running in protected mode because protected mode is enabled and no users are configured", denial, StringComparison.Ordinal);
        Assert.Contains("C10k:ProtectedMode=false", denial, StringComparison.Ordinal);
        Assert.True(await remote.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => counted["c10k.connections.rejected front=resp reason=protected_mode"] == 1, "the refusal is counted");
    }

    [Fact]
    public async Task NativeClientFromAnotherAddressGetsADeniedNotice()
    {
        await using var server = await TestServer.StartAsync();
        await using var remote = await Peer.ConnectAsync(server.Port("native"), from: "127.0.0.2");

        var notice = await remote.ReadNativeAsync();

        Assert.Equal((0u, NativeStatus.Denied), (notice!.Value.Id, notice.Value.Status));
        Assert.StartsWith("C10k is running in protected mode", notice.Value.Text, StringComparison.Ordinal);
        Assert.True(await remote.IsClosedByServerAsync());
    }

    [Fact]
    public async Task LoopbackClientIsServed()
    {
        await using var server = await TestServer.StartAsync();
        await using var local = await Peer.ConnectAsync(server.Port("resp"));

        await local.SendAsync("PING\r\n");

        Assert.Equal("+PONG", await local.ReadLineAsync());
    }

    [Fact]
    public async Task ProtectedModeOffServesOtherAddresses()
    {
        await using var server = await TestServer.StartAsync(null, "ProtectedMode=false");
        await using var remote = await Peer.ConnectAsync(server.Port("resp"), from: "127.0.0.2");

        await remote.SendAsync("PING\r\n");

        Assert.Equal("+PONG", await remote.ReadLineAsync());
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::ffff:127.0.0.2", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::2", false)]
    [InlineData("0.0.0.0", false)]
    public void LocalMeansExactlyTheThreeLoopbackAddressesOfRedis(string address, bool local) =>
        Assert.Equal(local, ClientAccess.IsLocal(new IPEndPoint(IPAddress.Parse(address), 6380)));

    [Theory]
    [InlineData(true, "", "protected mode: no users configured, so only clients from 127.0.0.1, ::1 and ::ffff:127.0.0.1 are served (C10k:ProtectedMode=false turns it off)")]
    [InlineData(false, "", "open: no users configured and protected mode off (C10k:ProtectedMode=false); every client is served without authentication")]
    [InlineData(true, "s3cret", "authentication required (1 user(s) in C10k:Auth:Users)")]
    [InlineData(false, "s3cret", "authentication required (1 user(s) in C10k:Auth:Users)")]
    public void StartLogStatesWhichModeHolds(bool protectedMode, string password, string line)
    {
        var auth = new AuthOptions();
        if (password.Length > 0)
        {
            auth.Users["default"] = password;
        }

        var access = new ClientAccess(new UserStore(Options.Create(auth)), Options.Create(new ServerOptions { ProtectedMode = protectedMode }));

        Assert.Equal(line, access.Describe());
        Assert.Equal(protectedMode && password.Length == 0, access.IsProtected);
    }
}
