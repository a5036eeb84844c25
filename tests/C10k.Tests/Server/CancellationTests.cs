using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Connections;
using C10k.Server.Dispatch;
using C10k.Tests.Resp;

namespace C10k.Tests.Server;

/// <summary>A running operation can be stopped: by its deadline, by its connection closing, by a drain that timed out.</summary>
public class CancellationTests
{
    [Fact]
    public async Task HashPastItsDeadlineWhileRunningIsCancelledNotTimedOut()
    {
        await using var server = await TestServer.StartAsync(null, "Operations:MaxHashIterations=2000000000");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        // Two billion iterations take many minutes: the 1 s deadline passes while it runs.
        await raw.SendAsync(RawConnection.Request(NativeOpcodes.Hash, 1, RawConnection.Args("2000000000", "x"), deadlineMs: 1000));

        var reply = await raw.ReadReplyAsync();
        Assert.Equal((1u, NativeStatus.Cancelled, "deadline passed while running"), (reply!.RequestId, reply.Status, reply.Text));
        await raw.SendAsync(RawConnection.Request(NativeOpcodes.Ping, 2, []));
        Assert.Equal(NativeStatus.Ok, (await raw.ReadReplyAsync())!.Status);
    }

    [Fact]
    public async Task RespHashPastItsDeadlineGetsACancelledError()
    {
        await using var server = await TestServer.StartAsync(null, "Operations:MaxHashIterations=2000000000", "Workers:DefaultDeadlineMs=1000");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.Equal("-CANCELLED deadline passed while running", await c.CallAsync("HASH", "2000000000", "x"));
    }

    [Fact]
    public async Task DeadlinesAboveTheMaximumAreCapped()
    {
        await using var server = await TestServer.StartAsync(null, "Operations:MaxHashIterations=2000000000", "Workers:MaxDeadlineMs=1000");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(NativeOpcodes.Hash, 1, RawConnection.Args("2000000000", "x"), deadlineMs: uint.MaxValue));

        Assert.Equal(NativeStatus.Cancelled, (await raw.ReadReplyAsync())!.Status);
    }

    [Fact]
    public async Task ClosingTheConnectionCancelsItsRunningWork()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using (var raw = await RawConnection.ConnectAsync(server.NativePort))
        {
            await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
            await Timeouts.UntilAsync(() => gate.Entered == 1, "the gated request runs");
        }

        await Timeouts.UntilAsync(() => gate.Cancelled == 1, "the running request is cancelled when its connection closes");
        Assert.Equal(0, gate.Executed);
    }

    [Fact]
    public async Task DrainThatTimesOutCancelsRunningWorkAndAnswersIt()
    {
        using var gate = new GateOperation();
        var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=200");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the gated request runs");

        var stopping = server.DisposeAsync();
        var reply = await raw.ReadReplyAsync();
        await stopping.AsTask().WaitAsync(Timeouts.Socket);

        Assert.Equal((1u, NativeStatus.Cancelled, "server is shutting down"), (reply!.RequestId, reply.Status, reply.Text));
        Assert.Equal(1, gate.Cancelled);
    }

    [Fact]
    public async Task WorkerSurvivesAFaultOutsideTheOperationAndCountsIt()
    {
        var echo = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(echo), "Workers:Count=1");
        long faults = 0;
        using var listener = WorkerPoolTests.CounterListener(server, "c10k.worker.faults", v => Interlocked.Add(ref faults, v));
        var throwing = new ThrowingOwner();

        Assert.Equal(Placement.Pool, server.Dispatcher.Place(echo, Args("a"), out var cost, out _, out _));
        Assert.True(server.Dispatcher.Enqueue(echo, Args("a"), throwing, 1, 0, cost, ReplyForm.Bulk));
        await Timeouts.UntilAsync(() => Interlocked.Read(ref faults) == 1, "the fault is counted");

        // The single worker went on: the next request on a real connection is answered.
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        Assert.Equal("$b", await c.CallAsync("WECHO", "b"));
    }

    private static ArgumentList Args(string value)
    {
        Assert.True(NativeArguments.TryParse(new ReadOnlySequence<byte>(RawConnection.Args(value)), 8, out var args));
        return args;
    }

    private sealed class ThrowingOwner : IWorkOwner
    {
        public bool IsClosed => false;

        public CancellationToken Closed => CancellationToken.None;

        public void OnWorkCompleted(WorkItem item) => throw new InvalidOperationException("owner failed");
    }
}
