using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// <see cref="C10kClient.SendValueAsync"/> reuses its calls: taking a result frees the call's slot and returns the call to the pool,
/// and a reply that comes after its call timed out completes nothing, not the next call that reuses the object.
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

    /// <summary>Timestamps that move only when the test says; the sweep's timer still ticks on the system clock.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }
}
