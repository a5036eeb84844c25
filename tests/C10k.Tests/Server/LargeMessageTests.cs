using System.Security.Cryptography;
using System.Text;
using C10k.Protocol.Native;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Tests.Server;

/// <summary>Messages up to the configured maximums arrive whole, however the transport buffers them (issue 13: bounded read-ahead).</summary>
public class LargeMessageTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    [Theory]
    [InlineData(null, 64 * 1024)]
    [InlineData("Transport:MaxReadBufferBytes=131072", 128 * 1024)]
    public async Task TheTransportReadsAheadOnlyTheConfiguredBound(string? setting, int expected)
    {
        // Kestrel's own default is 1 MiB per socket; the tests below go through this bound, so they show larger messages still arrive.
        await using var app = TestServer.Build(null, setting is null ? [] : [setting]);
        var socket = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(expected, socket.MaxReadBufferSize);
    }

    [Fact]
    public async Task FourMiBNativeFrameIsAnsweredWhenTheMaximumAllowsIt()
    {
        // HASH 1 answers 64 bytes, so only the request is large (a 4 MiB reply would meet the output cap instead).
        await using var server = await TestServer.StartAsync(null, $"Native:MaxFrameBytes={FourMiB + 1024}");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        var message = Pattern(FourMiB);

        await raw.SendAsync([
            .. RawConnection.Request(NativeOpcodes.Hash, 2, [.. RawConnection.Args("1"), .. LengthPrefix(FourMiB), .. message]),
            .. RawConnection.Request(NativeOpcodes.Ping, 3, [])]);

        // Native replies come in completion order: HASH may run on a worker after PING is answered.
        var replies = new[] { await raw.ReadReplyAsync(), await raw.ReadReplyAsync() }.ToDictionary(r => r?.RequestId ?? 0);
        Assert.Equal(NativeStatus.Ok, replies[2]?.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(message)), Encoding.ASCII.GetString(replies[2]?.Payload ?? []));
        Assert.Equal(NativeStatus.Ok, replies[3]?.Status);
    }

    [Fact]
    public async Task TwoMiBRespEchoIsAnswered()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        var message = Encoding.ASCII.GetString(Pattern(2 * 1024 * 1024));

        Assert.Equal("$" + message, await c.CallAsync("ECHO", message));
        Assert.Equal("+PONG", await c.CallAsync("PING"));
    }

    private static byte[] LengthPrefix(int length)
    {
        var prefix = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prefix, length);
        return prefix;
    }

    // Printable and aperiodic enough that a misplaced chunk shows.
    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)('a' + ((i * 7) + (i >> 10)) % 26);
        }

        return bytes;
    }
}
