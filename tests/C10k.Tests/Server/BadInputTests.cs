using System.Diagnostics.Metrics;
using System.Net.Sockets;
using C10k.Protocol.Native;
using C10k.Tests.Support;

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

    [Fact]
    public async Task ClientsVanishingMidFrameAreCountedAndLeaveNothingBehind()
    {
        await using var server = await TestServer.StartAsync();
        var truncated = 0L;
        using var listener = ProtocolErrorListener(server, () => Interlocked.Increment(ref truncated));
        var partial = RawConnection.Request(NativeOpcodes.Echo, 1, RawConnection.Args(new string('x', 500)))[..300];

        await VanishAsync(server.NativePort, partial, 50);
        await Timeouts.UntilAsync(() => server.OpenConnections == 0, "warm-up connections are gone");
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        await VanishAsync(server.NativePort, partial, 1000);

        await Timeouts.UntilAsync(() => server.OpenConnections == 0, "every vanished connection is closed");
        await Timeouts.UntilAsync(() => Interlocked.Read(ref truncated) >= 1050, "every truncated frame is counted");
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - baseline < 4 * 1024 * 1024, $"managed memory grew from {baseline} to {after} bytes");
    }

    private static async Task VanishAsync(int port, byte[] partial, int cycles)
    {
        using var slots = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, cycles).Select(async _ =>
        {
            await slots.WaitAsync();
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
                await socket.SendAsync(partial).WaitAsync(Timeouts.Socket);
                socket.Shutdown(SocketShutdown.Both);
            }
            finally
            {
                slots.Release();
            }
        })).WaitAsync(Timeouts.Socket);
    }

    private static MeterListener ProtocolErrorListener(TestServer server, Action onTruncated)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == server.MeterFactory && instrument.Name == "c10k.protocol.errors")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind" && (string?)tag.Value == "truncated")
                {
                    onTruncated();
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static (uint, NativeStatus) Pick((uint Id, NativeStatus Status, ushort Opcode, byte[] Payload)? reply)
    {
        Assert.NotNull(reply);
        return (reply.Value.Id, reply.Value.Status);
    }
}
