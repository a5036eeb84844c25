using System.Diagnostics.Metrics;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>Dispatch behaviour, held in place with gate operations instead of timing.</summary>
public class WorkerPoolTests
{
    [Fact]
    public async Task TheSharedQueueBaselineAnswersBusyWhenItsQueueIsFull()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Workers:Strategy=SharedQueue", "Workers:Count=2", "Workers:MaxQueued=2");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 1, []), .. RawConnection.Request(gate.Opcode, 2, [])]);
        await Timeouts.UntilAsync(() => gate.Entered == 2, "both workers hold a gated request");
        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 3, []), .. RawConnection.Request(gate.Opcode, 4, [])]);
        await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == 2, "the queue is full");
        await raw.SendAsync(RawConnection.Request(gate.Opcode, 5, []));

        var busy = await raw.ReadReplyAsync();
        Assert.Equal((5u, NativeStatus.Busy), (busy!.RequestId, busy.Status));
        gate.Open();
        var rest = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            var reply = await raw.ReadReplyAsync();
            Assert.Equal(NativeStatus.Ok, reply!.Status);
            rest.Add(reply.RequestId);
        }

        Assert.Equal([1u, 2u, 3u, 4u], rest.Order());
    }

    [Fact]
    public async Task ExpiredDeadlineGetsTimeoutAndIsNotExecuted()
    {
        using var gate = new GateOperation();
        using var counted = new GateOperation(0x1002, "COUNTED");
        counted.Open();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate).Register(counted), "Workers:Count=1");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the only worker is held");
        await raw.SendAsync(RawConnection.Request(counted.Opcode, 2, [], deadlineMs: 1));
        await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == 1, "the deadline request is queued");
        await Task.Delay(50);
        gate.Open();

        var replies = new[] { await raw.ReadReplyAsync(), await raw.ReadReplyAsync() }.Select(r => (r!.RequestId, r.Status)).Order();
        Assert.Equal([(1u, NativeStatus.Ok), (2u, NativeStatus.Timeout)], replies);
        Assert.Equal(0, counted.Entered);
    }

    [Fact]
    public async Task ClosedConnectionsQueuedWorkIsCancelledNotExecuted()
    {
        using var gate = new GateOperation();
        using var counted = new GateOperation(0x1002, "COUNTED");
        counted.Open();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate).Register(counted), "Workers:Count=1");
        var cancelled = 0L;
        using var listener = CounterListener(server, "c10k.worker.cancelled", v => Interlocked.Add(ref cancelled, v));
        using (var holder = await RawConnection.ConnectAsync(server.NativePort))
        {
            await holder.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
            await Timeouts.UntilAsync(() => gate.Entered == 1, "the only worker is held");
            using (var leaver = await RawConnection.ConnectAsync(server.NativePort))
            {
                await leaver.SendAsync([.. RawConnection.Request(counted.Opcode, 1, []), .. RawConnection.Request(counted.Opcode, 2, [])]);
                await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == 2, "the leaver's work is queued");
            }

            await Timeouts.UntilAsync(() => server.OpenConnections == 1, "the leaver's connection is closed");
            gate.Open();
            Assert.Equal(NativeStatus.Ok, (await holder.ReadReplyAsync())!.Status);
        }

        await Timeouts.UntilAsync(() => Interlocked.Read(ref cancelled) == 2, "both queued items are dropped");
        Assert.Equal(0, counted.Entered);
    }

    [Fact]
    public async Task InFlightCapStopsReadingAndResumesWithFramesAlreadyBuffered()
    {
        const int Cap = 4;
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), $"Limits:MaxInFlightPerConnection={Cap}");
        var pauses = 0L;
        using var listener = CounterListener(server, "c10k.connections.backpressure", v => Interlocked.Add(ref pauses, v));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. Enumerable.Range(1, Cap * 3).SelectMany(i => RawConnection.Request(gate.Opcode, (uint)i, []))]);
        await Timeouts.UntilAsync(() => server.Registry.InFlight == Cap, "the connection reaches its cap");
        await Timeouts.UntilAsync(() => Interlocked.Read(ref pauses) >= 1, "the pause is counted");
        Assert.Equal(Cap, server.Registry.InFlight);
        gate.Open();

        var ids = new List<uint>();
        for (var i = 0; i < Cap * 3; i++)
        {
            var reply = await raw.ReadReplyAsync();
            Assert.Equal(NativeStatus.Ok, reply!.Status);
            ids.Add(reply.RequestId);
        }

        Assert.Equal(Enumerable.Range(1, Cap * 3).Select(i => (uint)i), ids.Order());
    }

    [Fact]
    public async Task OneConnectionsHashBurstRunsOnEveryWorker()
    {
        await using var server = await TestServer.StartAsync(null, "Workers:Count=2", "Workers:InlineThresholdMicroseconds=0");
        await using var client = await server.ConnectAsync();

        var hashes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.HashAsync(i % 2 == 0 ? 200 : 5000, "x"u8.ToArray()))).WaitAsync(Timeouts.Socket);

        Assert.Equal(200, hashes.Length);
        Assert.All(server.Dispatcher.ExecutedPerWorker, executed => Assert.True(executed > 0));
    }

    [Fact]
    public async Task AutoPlacementRunsCheapArgumentsInlineAndHeavyOnesOnThePool()
    {
        await using var server = await TestServer.StartAsync(null, "Workers:InlineThresholdMicroseconds=200");
        var placements = new Dictionary<string, long>();
        using var listener = CounterListener(server, "c10k.dispatch.placements", (v, placement) =>
        {
            lock (placements)
            {
                placements[placement] = placements.GetValueOrDefault(placement) + v;
            }
        });
        await using var client = await server.ConnectAsync();

        await client.HashAsync(1000, "calibrate"u8.ToArray());
        Assert.Equal(1, Placed(placements, "pool"));

        for (var i = 0; i < 20; i++)
        {
            await client.HashAsync(1, "x"u8.ToArray());
        }

        Assert.Equal(20, Placed(placements, "inline"));
        await client.HashAsync(1_000_000, "x"u8.ToArray());
        Assert.Equal(2, Placed(placements, "pool"));
    }

    private static long Placed(Dictionary<string, long> placements, string where)
    {
        lock (placements)
        {
            return placements.GetValueOrDefault(where);
        }
    }

    internal static MeterListener CounterListener(TestServer server, string name, Action<long> onValue) =>
        CounterListener(server, name, (v, _) => onValue(v));

    internal static MeterListener CounterListener(TestServer server, string name, Action<long, string> onValue)
    {
        var factory = server.MeterFactory;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var placement = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "placement")
                {
                    placement = (string?)tag.Value ?? "";
                }
            }

            onValue(value, placement);
        });
        listener.Start();
        return listener;
    }
}
