using C10k.Client;
using C10k.Protocol.Native;
using C10k.Security.Tests.Support;
using C10k.Testing;

namespace C10k.Security.Tests;

public sealed class NativeAuthTests
{
    [Theory]
    [InlineData("s3cret", "auth-reply, right password")]
    [InlineData("other", "auth-reply, wrong password (UNAUTHENTICATED)")]
    public async Task ExchangeIsTheDocumentedOneByteForByte(string password, string reply)
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=" + password);
        await using var peer = await Peer.ConnectAsync(server.Port("native"));
        var unauthenticated = DocVectors.Bytes("unauthenticated-reply to a PING sent before AUTH (not executed)");
        var expected = DocVectors.Bytes(reply);

        await peer.SendAsync(Peer.Native(NativeOpcodes.Ping, 10));
        Assert.Equal(unauthenticated, await peer.ReadAsync(unauthenticated.Length));
        await peer.SendAsync(DocVectors.Bytes("auth-request \"AUTH default s3cret\""));
        Assert.Equal(expected, await peer.ReadAsync(expected.Length));
    }

    [Fact]
    public async Task OnlyHelloAndAuthRunBeforeAuthenticationThenEverything()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:alice=wonder");
        using var counted = new CountedMetrics(server);
        await using var peer = await Peer.ConnectAsync(server.Port("native"));

        await peer.SendAsync([.. Peer.Native(NativeOpcodes.Hello, 1), .. Peer.Native(NativeOpcodes.Hash, 2, "1", "abc"), .. Peer.Native(NativeOpcodes.Auth, 3, "alice", "nope")]);
        Assert.Equal(NativeStatus.Ok, (await peer.ReadNativeAsync())!.Value.Status);
        Assert.Equal((2u, NativeStatus.Unauthenticated, "authentication required"), await peer.ReadNativeAsync());
        Assert.Equal((3u, NativeStatus.Unauthenticated, "invalid username-password pair or user is disabled."), await peer.ReadNativeAsync());
        await peer.SendAsync([.. Peer.Native(NativeOpcodes.Auth, 4, "alice", "wonder"), .. Peer.Native(NativeOpcodes.Echo, 5, new string('x', 20_000))]);

        Assert.Equal((4u, NativeStatus.Ok, "OK"), await peer.ReadNativeAsync());
        var echo = (await peer.ReadNativeAsync())!.Value;
        Assert.Equal((5u, NativeStatus.Ok, 20_000), (echo.Id, echo.Status, echo.Text.Length));
        await Timeouts.UntilAsync(() => counted["c10k.auth.failures front=native"] == 1, "the failure is counted");
    }

    [Fact]
    public async Task FrameOverSixteenKibibytesBeforeAuthenticationIsTooLargeAndCloses()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");
        await using var peer = await Peer.ConnectAsync(server.Port("native"));

        await peer.SendAsync(Peer.Native(NativeOpcodes.Echo, 1, new string('x', 17_000)));

        Assert.Equal(NativeStatus.TooLarge, (await peer.ReadNativeAsync())!.Value.Status);
        Assert.True(await peer.IsClosedByServerAsync());
    }

    [Fact]
    public async Task WithoutUsersTheDefaultUserNeedsNoPasswordAndABarePasswordIsAMistake()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await Peer.ConnectAsync(server.Port("native"));

        await peer.SendAsync([.. Peer.Native(NativeOpcodes.Auth, 1, "anything"), .. Peer.Native(NativeOpcodes.Auth, 2, "default", "anything")]);

        var bare = (await peer.ReadNativeAsync())!.Value;
        Assert.Equal((1u, NativeStatus.Error), (bare.Id, bare.Status));
        Assert.StartsWith("AUTH <password> called without any password configured for the default user.", bare.Text, StringComparison.Ordinal);
        Assert.Equal((2u, NativeStatus.Ok, "OK"), await peer.ReadNativeAsync());
    }

    [Fact]
    public async Task ClientAuthenticatesWithItsOptionsAndAWrongPasswordFailsTheConnect()
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret");

        await using var client = await C10kClient.ConnectAsync("127.0.0.1", server.Port("native"), new ClientOptions { Password = "s3cret" }).WaitAsync(Timeouts.Socket);
        var refused = await Assert.ThrowsAsync<C10kStatusException>(() =>
            C10kClient.ConnectAsync("127.0.0.1", server.Port("native"), new ClientOptions { Password = "nope" }).WaitAsync(Timeouts.Socket));

        Assert.Equal("PONG", await client.PingAsync().WaitAsync(Timeouts.Socket));
        Assert.Equal(NativeStatus.Unauthenticated, refused.Status);
    }
}
