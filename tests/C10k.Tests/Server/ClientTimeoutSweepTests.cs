using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// Request timeouts cost one timer per process, not one per connection: 10,000 held connections of the load tool each had a
/// sweep timer, and an infinite timeout swept every 10 ms and failed every call at the next sweep.
/// </summary>
public class ClientTimeoutSweepTests
{
    [Fact]
    public async Task ClientsWithTheSameTimeoutShareOneTimerAndClientsWithoutATimeoutCreateNone()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        var timed = new CountingTimeProvider();
        var untimed = new CountingTimeProvider();
        var clients = new List<C10kClient>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add(await server.ConnectAsync(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), TimeProvider = timed }));
            clients.Add(await server.ConnectAsync(new ClientOptions { RequestTimeout = Timeout.InfiniteTimeSpan, TimeProvider = untimed }));
        }

        Assert.Equal(1, timed.TimersCreated);
        Assert.Equal(0, untimed.TimersCreated);

        // The shared sweep times out a call on any of its clients; a call without a timeout is never failed by it.
        var waiting = clients[^1].SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty);
        await Assert.ThrowsAsync<TimeoutException>(() => clients[^2].SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty).WaitAsync(Timeouts.Socket));
        Assert.False(waiting.IsCompleted);
        gate.Open();
        Assert.Equal(NativeStatus.Ok, (await waiting.WaitAsync(Timeouts.Socket)).Status);

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        Assert.Equal(1, timed.TimersDisposed);
    }

    [Fact]
    public async Task AClientWhoseConnectionEndsLeavesTheSweep()
    {
        var time = new CountingTimeProvider();
        var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync(new ClientOptions { TimeProvider = time });
        Assert.Equal(1, time.TimersCreated);

        await server.DisposeAsync();
        await Timeouts.UntilAsync(() => !client.IsConnected, "the client sees the server close");

        // The client is marked failed first and leaves the sweep just after, on the thread that saw the close.
        await Timeouts.UntilAsync(() => time.TimersDisposed == 1, "the client leaves the sweep");
        Assert.Equal(1, time.TimersCreated);
    }

    /// <summary>The system clock, counting the timers created on it and disposed.</summary>
    private sealed class CountingTimeProvider : TimeProvider
    {
        private int _created;
        private int _disposed;

        public int TimersCreated => Volatile.Read(ref _created);

        public int TimersDisposed => Volatile.Read(ref _disposed);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            return new CountedTimer(System.CreateTimer(callback, state, dueTime, period), () => Interlocked.Increment(ref _disposed));
        }

        private sealed class CountedTimer(ITimer inner, Action onDispose) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                inner.Dispose();
                onDispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
