using System.Net;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;
using C10k.Server.Connections;

namespace C10k.Tests.Server;

public class DrainTests
{
    [Fact]
    public async Task StopFinishesInFlightWorkAndRefusesNewConnections()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=20000");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the request runs");

        var stopping = server.App.StopAsync();
        await Timeouts.UntilAsync(() => server.Registry.IsDraining, "the drain starts");
        using (var late = await RawConnection.ConnectAsync(server.NativePort))
        {
            var refusal = await late.ReadReplyAsync();
            Assert.Equal((0u, NativeStatus.ShuttingDown), (refusal!.RequestId, refusal.Status));
        }

        Assert.False(stopping.IsCompleted);
        gate.Open();
        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Ok), (reply!.RequestId, reply.Status));
        await stopping.WaitAsync(Timeouts.Socket);
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task ConnectionsStillInTheirProxyHeaderWhenTheDrainBeginsAreRefusedInTheirProtocol()
    {
        await using var server = await TestServer.StartAsync(null, "Network:ProxyProtocol=true", "ProtectedMode=false");
        long refused = 0;
        using var listener = server.Listen("c10k.connections.rejected", (_, value, _, _) => Interlocked.Add(ref refused, value));
        using var native = await RawConnection.ConnectAsync(server.NativePort);
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);
        await Timeouts.UntilAsync(() => server.Service<ConnectionGate>().Open == 2, "both were admitted and wait for their header");

        server.Registry.BeginDrain();
        var header = ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 40000), new IPEndPoint(IPAddress.Loopback, 7000));
        await native.SendAsync([.. header, .. RawConnection.Request(NativeOpcodes.Ping, 1, [])]);
        await resp.SendAsync([.. header, .. "PING\r\n"u8.ToArray()]);

        var refusal = await native.ReadReplyAsync();
        Assert.Equal((0u, NativeStatus.ShuttingDown), (refusal!.RequestId, refusal.Status));
        Assert.True(await native.IsClosedByServerAsync());
        Assert.Equal("-ERR server is shutting down", await resp.ReadAsync());
        Assert.Null(await resp.ReadAsync());
        await Timeouts.UntilAsync(() => Interlocked.Read(ref refused) == 2, "both refusals are counted");
        Assert.Equal(0, server.Registry.OpenConnections(Front.Native) + server.Registry.OpenConnections(Front.Resp));
    }

    [Fact]
    public async Task WorkStillQueuedWhenTheDrainTimesOutGetsShuttingDown()
    {
        using var gate = new GateOperation();
        using var queued = new GateOperation(0x1002, "QUEUED");
        queued.Open();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate).Register(queued), "Workers:Count=1", "Shutdown:DrainTimeoutMs=200");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the only worker is held");
        await raw.SendAsync(RawConnection.Request(queued.Opcode, 2, []));
        await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == 1, "the second request is queued");

        var stopping = server.App.StopAsync();
        var shutdown = await raw.ReadReplyAsync();
        gate.Open();
        await stopping.WaitAsync(Timeouts.Socket);

        Assert.Equal((2u, NativeStatus.ShuttingDown), (shutdown!.RequestId, shutdown.Status));
        Assert.Equal(0, queued.Entered);
    }
}
