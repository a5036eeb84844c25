using C10k.Protocol.Native;

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
