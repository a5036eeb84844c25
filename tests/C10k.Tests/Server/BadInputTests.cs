using C10k.Protocol.Native;

namespace C10k.Tests.Server;

public class BadInputTests
{
    [Fact]
    public async Task UnknownOpcodeGetsUnknownOpAndTheConnectionStaysUsable()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(0x0BAD, 1, []), .. RawConnection.Request(NativeOpcodes.Ping, 2, [])]);

        Assert.Equal((1u, NativeStatus.UnknownOp), Pick(await raw.ReadReplyAsync()));
        Assert.Equal((2u, NativeStatus.Ok), Pick(await raw.ReadReplyAsync()));
    }

    [Fact]
    public async Task MalformedArgumentsGetBadArgsAndTheConnectionStaysUsable()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([
            .. RawConnection.Request(NativeOpcodes.Echo, 1, [0, 0, 0, 9, 1]),
            .. RawConnection.Request(NativeOpcodes.Hash, 2, RawConnection.Args("0", "x")),
            .. RawConnection.Request(NativeOpcodes.Hash, 3, RawConnection.Args("12x", "x")),
            .. RawConnection.Request(NativeOpcodes.Echo, 4, RawConnection.Args()),
            .. RawConnection.Request(NativeOpcodes.Ping, 5, [])]);

        for (var id = 1u; id <= 4; id++)
        {
            Assert.Equal((id, NativeStatus.BadArgs), Pick(await raw.ReadReplyAsync()));
        }

        Assert.Equal((5u, NativeStatus.Ok), Pick(await raw.ReadReplyAsync()));
    }

    [Fact]
    public async Task LengthOverTheMaximumGetsTooLargeThenClose()
    {
        await using var server = await TestServer.StartAsync(null, "Native:MaxFrameBytes=1024");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        var header = RawConnection.Request(NativeOpcodes.Echo, 7, new byte[2000])[..NativeProtocol.HeaderSize];
        await raw.SendAsync(header);

        Assert.Equal((7u, NativeStatus.TooLarge), Pick(await raw.ReadReplyAsync()));
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F })]
    [InlineData(new byte[] { 0xC1, 0x40, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public async Task BadMagicOrReservedBitsCloseTheConnectionWithoutReply(byte[] garbage)
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(garbage);

        Assert.True(await raw.IsClosedByServerAsync());
    }

    private static (uint, NativeStatus) Pick(NativeReply? reply)
    {
        Assert.NotNull(reply);
        return (reply.RequestId, reply.Status);
    }
}
