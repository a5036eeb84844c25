using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Native;
using C10k.Server.Connections;

namespace C10k.Tests.Server;

/// <summary>Churn and floods: connections that vanish with work queued, connect floods past the limit.</summary>
public partial class HostileClientTests
{
    [Fact]
    public async Task ThousandConnectVanishCyclesWithWorkQueuedLeaveNothingBehind()
    {
        // A client that closed without reset is a half-close: the server keeps its gated request until the drain timeout
        // bounds it (then cancels it), unless a reply it writes meets the peer's reset first. A short bound keeps the test short.
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=500");

        await VanishCyclesAsync(server, gate, 50);
        await UntilBaselineAsync(server);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        await VanishCyclesAsync(server, gate, 1000);

        await UntilBaselineAsync(server);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - baseline < 8 * 1024 * 1024, $"managed memory grew from {baseline} to {after} bytes (bound: 8 MiB)");
        gate.Open();
        using var fresh = await server.ConnectNativeAsync();
        await fresh.SendAsync(gate.Opcode, 1);
        Assert.Equal("open", Encoding.UTF8.GetString((await fresh.ReadReplyAsync())!.Payload));
        await AssertEchoAsync(fresh, 2, "workers are free");
    }

    [Fact]
    public async Task ConnectFloodPastTheLimitIsRefusedWithTheLimitsReplyWhileAdmittedClientsAreServed()
    {
        // The limit counts both fronts together: half of it on each.
        const int PerFront = 4;
        await using var server = await TestServer.StartAsync(null, $"Limits:MaxConnections={2 * PerFront}");
        var natives = new List<RawConnection>();
        var resps = new List<RespTestConnection>();
        try
        {
            for (var i = 0; i < PerFront; i++)
            {
                natives.Add(await server.ConnectNativeAsync());
                await AssertEchoAsync(natives[i], 1, "admitted");
                resps.Add(await RespTestConnection.ConnectAsync(server.RespPort));
                Assert.Equal("$admitted", await resps[i].CallAsync("ECHO", "admitted").WaitAsync(Timeouts.Socket));
            }

            var flood = Enumerable.Range(0, 64).Select(async _ =>
            {
                using var native = await server.ConnectNativeAsync();
                var notice = await native.ReadReplyAsync();
                Assert.Equal((0u, NativeStatus.ConnectionLimit), (notice!.RequestId, notice.Status));
                Assert.True(await native.IsClosedByServerAsync());
                using var resp = await RespTestConnection.ConnectAsync(server.RespPort);
                Assert.Equal("-ERR max number of clients reached", await resp.ReadAsync().WaitAsync(Timeouts.Socket));
                Assert.Null(await resp.ReadAsync().WaitAsync(Timeouts.Socket));
            });
            var served = natives.Select(async (native, n) =>
            {
                for (var round = 0u; round < 20; round++)
                {
                    await AssertEchoAsync(native, round, $"native {n} round {round}");
                    Assert.Equal($"$resp {n} round {round}", await resps[n].CallAsync("ECHO", $"resp {n} round {round}").WaitAsync(Timeouts.Socket));
                }
            });
            await Task.WhenAll(flood.Concat(served)).WaitAsync(Timeouts.Socket);

            Assert.Equal((PerFront, PerFront), (server.OpenConnections, server.Registry.OpenConnections(Front.Resp)));
        }
        finally
        {
            natives.ForEach(c => c.Dispose());
            resps.ForEach(c => c.Dispose());
        }
    }

    private static async Task VanishCyclesAsync(TestServer server, GateOperation gate, int cycles)
    {
        var gated = RawConnection.Request(gate.Opcode, 1, []);
        var native = (byte[])[.. gated, .. RawConnection.Request(NativeOpcodes.Ping, 2, []), .. RawConnection.Request(gate.Opcode, 3, [])];
        var resp = (byte[])[.. RespCommand("GATE"), .. RespCommand("PING"), .. RespCommand("GATE")];
        using var slots = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, cycles).Select(async cycle =>
        {
            await slots.WaitAsync();
            try
            {
                using var socket = await ConnectSocketAsync(cycle % 2 == 0 ? server.NativePort : server.RespPort, receiveBuffer: 0);
                await socket.SendAsync(cycle % 2 == 0 ? native : resp).WaitAsync(Timeouts.Socket);
                if (cycle % 4 < 2)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
            finally
            {
                slots.Release();
            }
        })).WaitAsync(Timeouts.Socket);
    }

    private static Task UntilBaselineAsync(TestServer server) =>
        Timeouts.UntilAsync(
            () => server.OpenConnections == 0 && server.Registry.OpenConnections(Front.Resp) == 0 && server.Registry.InFlight == 0
                && server.Dispatcher.QueueDepth == 0 && server.Dispatcher.BusyWorkers == 0,
            "connections, work in flight and the queues are back to zero");
}
