using C10k.Security.Tests.Support;
using C10k.Testing;
using C10k.Server.Connections;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Security.Tests;

public sealed class RefusalLogTests
{
    [Fact]
    public async Task RefusalsAreAllCountedButLoggedAtMostTenASecondWithTheSuppressedCountAfter()
    {
        await using var server = await TestServer.StartAsync();
        using var counted = new CountedMetrics(server);
        var time = new ManualTime();
        using var logs = new CapturedLogs();
        var admission = ActivatorUtilities.CreateInstance<Admission>(server.Services, time, logs);

        for (var i = 0; i < 25; i++)
        {
            await admission.RefuseAsync(new DefaultConnectionContext(), Front.Native, Refusal.ConnectionLimit, 1, canWrite: false);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        await admission.RefuseAsync(new DefaultConnectionContext(), Front.Native, Refusal.ConnectionLimit, 1, canWrite: false);

        var refusals = logs.Entries.Where(e => e.EventId == 500).Select(e => e.Message).ToList();
        Assert.Equal(11, refusals.Count);
        Assert.EndsWith("(limit 1; 15 similar messages suppressed before this one)", refusals[^1], StringComparison.Ordinal);
        Assert.Equal(26, counted["c10k.connections.rejected front=native reason=connection_limit"]);
    }

    [Fact]
    public async Task ConnectionDuringADrainIsRefusedInItsFrontsProtocolAndCounted()
    {
        await using var server = await TestServer.StartAsync();
        using var counted = new CountedMetrics(server);
        server.Service<ConnectionRegistry>().BeginDrain();

        await using var native = await Peer.ConnectAsync(server.Port("native"));
        await using var resp = await Peer.ConnectAsync(server.Port("resp"));

        Assert.Equal((0u, C10k.Protocol.Native.NativeStatus.ShuttingDown, "server is shutting down"), await native.ReadNativeAsync());
        Assert.Equal("-ERR server is shutting down", await resp.ReadLineAsync());
        await Timeouts.UntilAsync(() => counted["c10k.connections.rejected front=resp reason=draining"] == 1, "the refusal is counted");
    }
}
