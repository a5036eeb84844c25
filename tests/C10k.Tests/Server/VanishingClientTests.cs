using System.Diagnostics.Metrics;
using System.Net.Sockets;
using C10k.Protocol.Native;
using C10k.Tests.Support;

namespace C10k.Tests.Server;

[Collection(SerialTests.Name)]
public class VanishingClientTests
{
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
        var factory = server.MeterFactory;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "c10k.protocol.errors")
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
}
