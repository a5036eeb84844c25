using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// Asynchronous operations: they await without holding a worker, and the in-flight cap, the deadline, a closing connection
/// and the drain bound them exactly as they bound pooled work.
/// </summary>
public class AsyncOperationTests
{
    [Fact]
    public async Task AnAsyncOperationRepliesWhenItsAwaitCompletes()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        var asyncPlacements = 0L;
        using var listener = WorkerPoolTests.CounterListener(server, "c10k.dispatch.placements", (v, placement) =>
        {
            if (placement == "async")
            {
                Interlocked.Add(ref asyncPlacements, v);
            }
        });
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the request starts");
        gate.Open();

        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Ok, "open", NativeProtocol.ReplyFlag), (reply!.RequestId, reply.Status, reply.Text, reply.Flags));
        Assert.Equal(1, Interlocked.Read(ref asyncPlacements));
    }

    [Fact]
    public async Task OnRespAnAsyncReplyKeepsItsPlaceInRequestOrder()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);

        await resp.SendAsync("AGATE\r\nPING\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the request starts");
        gate.Open();

        Assert.Equal("$open", await resp.ReadAsync());
        Assert.Equal("+PONG", await resp.ReadAsync());
    }

    [Fact]
    public async Task AnAsyncOperationAwaitingHoldsNoWorker()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Workers:Count=1");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the async request waits at its gate");

        // HASH uncalibrated goes to the pool's only worker; it answers while the async request still waits.
        await raw.SendAsync(RawConnection.Request(NativeOpcodes.Hash, 2, RawConnection.Args("100000", "abc")));
        var hash = await raw.ReadReplyAsync();

        Assert.Equal((2u, NativeStatus.Ok), (hash!.RequestId, hash.Status));
        Assert.Equal(0, gate.Executed);
        gate.Open();
        var waited = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Ok), (waited!.RequestId, waited.Status));
    }

    [Fact]
    public async Task PastItsDeadlineAnAsyncOperationIsCancelled()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, [], deadlineMs: 200));

        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Cancelled, "deadline passed while running"), (reply!.RequestId, reply.Status, reply.Text));
        Assert.Equal(1, gate.Cancelled);
    }

    [Fact]
    public async Task ClosingTheConnectionCancelsItsAsyncOperations()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using (var raw = await RawConnection.ConnectAsync(server.NativePort))
        {
            await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
            await Timeouts.UntilAsync(() => gate.Entered == 1, "the request waits");
        }

        await Timeouts.UntilAsync(() => gate.Cancelled == 1, "the waiting request is cancelled when its connection closes");
        Assert.Equal(0, gate.Executed);
    }

    [Fact]
    public async Task AsyncOperationsCountAgainstTheInFlightCap()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Limits:MaxInFlightPerConnection=2");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 1, []), .. RawConnection.Request(gate.Opcode, 2, []), .. RawConnection.Request(gate.Opcode, 3, [])]);
        await Timeouts.UntilAsync(() => gate.Entered == 2, "two requests wait");
        Assert.Equal(2, server.Registry.InFlight);
        gate.Open();
        var ids = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await raw.ReadReplyAsync())!.RequestId);
        }

        Assert.Equal([1u, 2u, 3u], ids.Order());
        Assert.Equal(2, gate.MaxRunning);
    }

    [Fact]
    public async Task TheDrainWaitsForAsyncOperations()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=20000");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the request waits");

        var stopping = server.App.StopAsync();
        await Timeouts.UntilAsync(() => server.Registry.IsDraining, "the drain starts");
        Assert.False(stopping.IsCompleted);
        gate.Open();

        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Ok, "open"), (reply!.RequestId, reply.Status, reply.Text));
        await stopping.WaitAsync(Timeouts.Socket);
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task ADrainThatTimesOutCancelsAsyncOperations()
    {
        var gate = new AsyncGateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=200");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the request waits");

        await server.App.StopAsync().WaitAsync(Timeouts.Socket);

        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Cancelled, "server is shutting down"), (reply!.RequestId, reply.Status, reply.Text));
        Assert.Equal(1, gate.Cancelled);
    }
}
