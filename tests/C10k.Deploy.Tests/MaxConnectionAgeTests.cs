using System.Diagnostics;
using C10k.Protocol.Native;

namespace C10k.Deploy.Tests;

/// <summary><c>C10k:Limits:MaxConnectionAgeMs</c>: old connections are closed between requests, so clients reconnect through the balancer.</summary>
public sealed class MaxConnectionAgeTests
{
    private static readonly byte[] Ping = RawConnection.Request(NativeOpcodes.Ping, 7, []);

    [Fact]
    public async Task An_idle_connection_past_its_age_is_closed_after_its_replies()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnectionAgeMs=1000");
        using var raw = await server.ConnectNativeAsync();
        var opened = Stopwatch.StartNew();

        await raw.SendAsync(Ping);
        var reply = await raw.ReadReplyAsync();

        Assert.Equal((7u, NativeStatus.Ok), (reply!.RequestId, reply.Status));
        Assert.True(await raw.IsClosedByServerAsync());

        // Closed by the server (reply first, then FIN), after the age less its jitter and within age + jitter + one heartbeat.
        Assert.InRange(opened.Elapsed, TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await server.ConnectNativeAsync();

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await raw.SendAsync(Ping);

        Assert.NotNull(await raw.ReadReplyAsync());
    }
}
