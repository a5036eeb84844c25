using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// <see cref="C10kClient.SendValueAsync"/> and <see cref="C10kClient.SendForStatusAsync"/> reuse their calls: taking a result frees the
/// call's slot and returns the call to the pool, and a reply that comes after its call timed out completes nothing, not the next call
/// that reuses the object.
/// </summary>
public class ClientCallPoolTests
{
    [Fact]
    public async Task TakingAResultFreesTheSlotForTheNextCall()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync(new ClientOptions { MaxPendingCalls = 1 });

        for (var i = 0; i < 200; i++)
        {
            var reply = await client.SendValueAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty).AsTask().WaitAsync(Timeouts.Socket);
            Assert.Equal("PONG", reply.Text);
        }

        Assert.Equal(0, client.PendingCalls);
    }

    [Fact]
    public async Task AReplyAfterItsCallTimedOutCompletesNothing()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        var clock = new SteppedClock();
        await using var client = await server.ConnectAsync(new ClientOptions { MaxPendingCalls = 1, RequestTimeout = TimeSpan.FromSeconds(1), TimeProvider = clock });

        var gated = client.SendValueAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty).AsTask();
        clock.Advance(TimeSpan.FromSeconds(2)); // the sweep's next tick finds it expired; the clock then stands still for the PINGs
        await Assert.ThrowsAsync<TimeoutException>(() => gated.WaitAsync(Timeouts.Socket));
        gate.Open();
        await Timeouts.UntilAsync(() => gate.Executed == 1, "the timed-out call runs and its reply goes out");

        for (var i = 0; i < 20; i++)
        {
            var reply = await client.SendValueAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty).AsTask().WaitAsync(Timeouts.Socket);
            Assert.Equal("PONG", reply.Text);
        }
    }

    [Fact]
    public async Task StatusCallsAndReplyCallsReuseTheSameCallsAndEachGetsItsOwnResult()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync(new ClientOptions { MaxPendingCalls = 1 });

        for (var i = 0; i < 100; i++)
        {
            var message = "message " + i;
            var echoed = await client.SendValueAsync(NativeOpcodes.Echo, RawConnection.Args(message)).AsTask().WaitAsync(Timeouts.Socket);
            var status = await client.SendForStatusAsync(NativeOpcodes.Echo, RawConnection.Args(message)).AsTask().WaitAsync(Timeouts.Socket);
            var unknown = await client.SendForStatusAsync(0x7FFF, ReadOnlyMemory<byte>.Empty).AsTask().WaitAsync(Timeouts.Socket);

            Assert.Equal(message, echoed.Text);
            Assert.Equal(new NativeReplyStatus(NativeStatus.Ok, message.Length), status);
            Assert.Equal(NativeStatus.UnknownOp, unknown.Status);
            Assert.True(unknown.PayloadLength > 0, "an error reply carries its message");
        }

        var empty = await client.SendValueAsync(NativeOpcodes.Echo, RawConnection.Args("")).AsTask().WaitAsync(Timeouts.Socket);
        Assert.Same(Array.Empty<byte>(), System.Runtime.InteropServices.MemoryMarshal.TryGetArray(empty.Payload, out var array) ? array.Array : null);
        Assert.Equal(0, client.PendingCalls);
    }

    [Fact]
    public async Task AStatusCallFailsAsAReplyCallDoes()
    {
        using var gate = new GateOperation(cancellable: false);
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        var clock = new SteppedClock();
        await using var client = await server.ConnectAsync(new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(1), TimeProvider = clock });
        using var cancel = new CancellationTokenSource();

        var timedOut = client.SendForStatusAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty).AsTask();
        clock.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<TimeoutException>(() => timedOut.WaitAsync(Timeouts.Socket));
        var cancelled = client.SendForStatusAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty, cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeouts.Socket));
        var lost = client.SendForStatusAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty).AsTask();
        await client.DisposeAsync();
        await Assert.ThrowsAsync<C10kConnectionException>(() => lost.WaitAsync(Timeouts.Socket));
        gate.Open();

        Assert.Equal(0, client.PendingCalls);
        await Assert.ThrowsAsync<C10kConnectionException>(() => client.SendForStatusAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty).AsTask().WaitAsync(Timeouts.Socket));
    }

    /// <summary>Timestamps that move only when the test says; the sweep's timer still ticks on the system clock.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }
}
