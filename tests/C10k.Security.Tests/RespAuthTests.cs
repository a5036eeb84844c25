using C10k.Security.Tests.Support;
using C10k.Testing;
using C10k.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace C10k.Security.Tests;

public sealed class RespAuthTests
{
    [Fact]
    public async Task WrongThenRightPasswordWithRedisRepliesThenCommandsRun()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret", "Auth:Users:alice=wonder");
        using var counted = new CountedMetrics(server);
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await CallAsync(peer, "AUTH nope"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await CallAsync(peer, "AUTH alice s3cret"));
        Assert.Equal("+OK", await CallAsync(peer, "AUTH s3cret"));
        Assert.Equal("+PONG", await CallAsync(peer, "PING"));
        Assert.Equal("+OK", await CallAsync(peer, "AUTH alice wonder"));
        await Timeouts.UntilAsync(() => counted["c10k.auth.failures front=resp"] == 2, "both failures are counted");
    }

    [Fact]
    public async Task OnlyAuthHelloAndQuitRunBeforeAuthentication()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal("-NOAUTH Authentication required.", await CallAsync(peer, "PING"));
        Assert.Equal("-NOAUTH Authentication required.", await CallAsync(peer, "HASH 1 abc"));
        Assert.Equal("-NOAUTH Authentication required.", await CallAsync(peer, "CLIENT ID"));
        Assert.Equal("-NOAUTH Authentication required.", await CallAsync(peer, "NOSUCHCOMMAND"));
        Assert.Equal(
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
            await CallAsync(peer, "HELLO 2"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await CallAsync(peer, "HELLO 2 AUTH default nope"));
        Assert.Equal("*14", await CallAsync(peer, "HELLO 2 AUTH default s3cret SETNAME app"));
        for (var i = 0; i < 25; i++)
        {
            await peer.ReadLineAsync();
        }

        Assert.Equal("$3", await CallAsync(peer, "CLIENT GETNAME"));
        await using var quitter = await Peer.ConnectAsync(server.Port("resp"));
        Assert.Equal("+OK", await CallAsync(quitter, "QUIT"));
        Assert.True(await quitter.IsClosedByServerAsync());
    }

    [Theory]
    [InlineData("*11\r\n", "-ERR Protocol error: unauthenticated multibulk length", "unauthenticated_multibulk_length")]
    [InlineData("*2\r\n$4\r\nECHO\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length", "unauthenticated_bulk_length")]
    public async Task OversizeRequestBeforeAuthenticationIsAProtocolErrorAndCloses(string request, string expected, string kind)
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        using var counted = new CountedMetrics(server);
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal(expected, await CallAsync(peer, request));
        Assert.True(await peer.IsClosedByServerAsync());
        await Timeouts.UntilAsync(() => counted[$"c10k.protocol.errors front=resp kind={kind}"] == 1, "the error is counted under its own kind");
    }

    [Fact]
    public async Task SizesOverThePreAuthenticationLimitsRunOnceAuthenticated()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));
        var big = new string('x', 20_000);

        await peer.SendAsync($"AUTH s3cret\r\n*2\r\n$4\r\nECHO\r\n${big.Length}\r\n{big}\r\n*11\r\n$4\r\nPING\r\n" + string.Concat(Enumerable.Repeat("$1\r\na\r\n", 10)));

        Assert.Equal("+OK", await peer.ReadLineAsync());
        Assert.Equal("$20000", await peer.ReadLineAsync());
        Assert.Equal(big, await peer.ReadLineAsync());
        Assert.Equal("-ERR wrong number of arguments for 'ping' command", await peer.ReadLineAsync());
    }

    [Fact]
    public async Task WithoutUsersABarePasswordIsAConfigurationMistakeAndTheDefaultUserTakesAnyPassword()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal(
            "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            await CallAsync(peer, "AUTH whatever"));
        Assert.Equal("+OK", await CallAsync(peer, "AUTH default whatever"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await CallAsync(peer, "AUTH bob whatever"));
    }

    [Fact]
    public async Task ClientFromAnotherAddressMayAuthenticateWhenUsersAreConfigured()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        await using var remote = await Peer.ConnectAsync(server.Port("resp"), from: "127.0.0.2");

        Assert.Equal("-NOAUTH Authentication required.", await CallAsync(remote, "PING"));
        Assert.Equal("+OK", await CallAsync(remote, "AUTH s3cret"));
    }

    [Fact]
    public async Task UserGivenAsAPasswordHashAuthenticatesWithThePassword()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("wonder"u8));
        await using var server = await TestServer.StartAsync(null, "Auth:Users:alice=sha256:" + hash);
        await using var peer = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await CallAsync(peer, "AUTH alice sha256:" + hash));
        Assert.Equal("+OK", await CallAsync(peer, "AUTH alice wonder"));
    }

    [Fact]
    public async Task MalformedHashOrEmptyPasswordFailsTheStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestServer.StartAsync(null, "Auth:Users:alice=sha256:abc", "Auth:Users:bob="));

        Assert.Contains("C10k:Auth:Users:alice must be sha256: followed by 64 hex digits", error.Failures);
        Assert.Contains("C10k:Auth:Users:bob has an empty password", error.Failures);
    }

    [Fact]
    public async Task StackExchangeRedisConnectsWithPasswordAndOnlyWithTheRightOne()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");

        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port("resp")},password=s3cret").WaitAsync(Timeouts.Socket);
        var hash = await redis.GetDatabase().ExecuteAsync("HASH", 1, "abc").WaitAsync(Timeouts.Socket);
        var wrong = ConfigurationOptions.Parse($"127.0.0.1:{server.Port("resp")},password=nope,connectRetry=0");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", (string?)hash);
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(wrong).WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task FailuresAreLoggedRateLimitedWithThePeerAddress()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        using var logs = new CapturedLogs();
        var authenticator = ActivatorUtilities.CreateInstance<Authenticator>(server.Services, new ManualTime(), logs);

        for (var i = 0; i < 12; i++)
        {
            authenticator.Authenticate(C10k.Server.Connections.Front.Resp, default, false, new("nope"u8.ToArray()), "192.0.2.9:5000");
        }

        var failures = logs.Entries.Where(e => e.EventId == 510).Select(e => e.Message).ToList();
        Assert.Equal(10, failures.Count);
        Assert.All(failures, m => Assert.Contains("for user 'default' from 192.0.2.9:5000", m, StringComparison.Ordinal));
    }

    private static async Task<string?> CallAsync(Peer peer, string command)
    {
        await peer.SendAsync(command.EndsWith('\n') ? command : command + "\r\n");
        return await peer.ReadLineAsync();
    }
}
