using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// Fair admission under saturation: a connection over its share of a full worker queue is not read (TCP backpressure) instead
/// of getting BUSY, and a fresh connection's request still gets in. Held in place with a gate, no timing.
/// </summary>
public class FairAdmissionTests
{
    private const int Hogs = 64;
    private const int InFlightEach = 32;

    [Fact]
    public async Task AFreshClientsHashIsAnsweredWhileSixtyFourHogsSaturateTheQueueAndNobodyGetsBusy()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(
            ops => ops.Register(gate), "Workers:Count=1", $"Workers:MaxQueued={Hogs}", "Workers:InlineThresholdMicroseconds=0",
            "Workers:DefaultDeadlineMs=0", $"Limits:MaxInFlightPerConnection={InFlightEach}");
        var pauses = 0L;
        using var listener = WorkerPoolTests.CounterListener(server, "c10k.connections.backpressure", v => Interlocked.Add(ref pauses, v));
        var hogs = new List<RawConnection>();
        try
        {
            // One hog at a time, each until it is read: it took all its requests, or paused over its share. Only the first
            // hog's first request ever runs (the gate holds the only worker), so nothing else moves meanwhile.
            for (var i = 0; i < Hogs; i++)
            {
                var (inFlight, paused) = (server.Registry.InFlight, Interlocked.Read(ref pauses));
                var hog = await RawConnection.ConnectAsync(server.NativePort);
                hogs.Add(hog);
                await hog.SendAsync([.. Enumerable.Range(1, InFlightEach).SelectMany(id => RawConnection.Request(gate.Opcode, (uint)id, []))]);
                await Timeouts.UntilAsync(() => gate.Entered == 1, "the only worker is held");
                await Timeouts.UntilAsync(() => server.Registry.InFlight == inFlight + InFlightEach || Interlocked.Read(ref pauses) > paused, $"hog {i} is read");
            }

            var full = server.Dispatcher.QueueDepth;
            Assert.True(full >= Hogs - 1, $"the queue holds {full}");
            Assert.True(Interlocked.Read(ref pauses) >= Hogs - 2, $"{pauses} hogs paused");
            using var fresh = await RawConnection.ConnectAsync(server.NativePort);
            await fresh.SendAsync(RawConnection.Request(NativeOpcodes.Hash, 1, RawConnection.Args("1000", "fresh")));
            await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == full + 1, "the fresh client's HASH is queued");
            gate.Open();

            var hash = await fresh.ReadReplyAsync();
            Assert.Equal((1u, NativeStatus.Ok), (hash!.RequestId, hash.Status));
            var statuses = new Dictionary<NativeStatus, int>();
            foreach (var hog in hogs)
            {
                for (var i = 0; i < InFlightEach; i++)
                {
                    var status = (await hog.ReadReplyAsync())!.Status;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }
            }

            Assert.Equal(new Dictionary<NativeStatus, int> { [NativeStatus.Ok] = Hogs * InFlightEach }, statuses);
        }
        finally
        {
            hogs.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task AConnectionOverItsShareIsPausedNotRefusedAndResumesAsItsWorkDrains()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Workers:Count=1", "Workers:MaxQueued=2");
        var pauses = 0L;
        using var listener = WorkerPoolTests.CounterListener(server, "c10k.connections.backpressure", v => Interlocked.Add(ref pauses, v));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the only worker is held");
        await raw.SendAsync([.. Enumerable.Range(2, 5).SelectMany(id => RawConnection.Request(gate.Opcode, (uint)id, []))]);
        await Timeouts.UntilAsync(() => server.Dispatcher.QueueDepth == 2, "two requests fill the queue");
        await Timeouts.UntilAsync(() => Interlocked.Read(ref pauses) >= 1, "the connection stops being read");
        Assert.Equal(3, server.Registry.InFlight);
        gate.Open();

        var ids = new List<uint>();
        for (var i = 0; i < 6; i++)
        {
            var reply = await raw.ReadReplyAsync();
            Assert.Equal(NativeStatus.Ok, reply!.Status);
            ids.Add(reply.RequestId);
        }

        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], ids.Order());
    }
}
