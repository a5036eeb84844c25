using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace C10k.Tests.Resp;

public class RespMetricsTests
{
    [Fact]
    public async Task ProtocolErrorsRequestsAndRefusalsAreCountedByFront()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=2");
        var counted = new ConcurrentDictionary<string, long>();
        var factory = server.MeterFactory;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $" {tag.Key}={tag.Value}";
            }

            counted.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        listener.Start();

        using (var c = await RespTestConnection.ConnectAsync(server.RespPort))
        {
            await c.SendAsync("PING\r\nPING\r\nHASH 1 abc\r\nNOPE\r\n");
            for (var i = 0; i < 4; i++)
            {
                await c.ReadAsync();
            }

            await c.SendAsync("*1\r\n$-3\r\n");
            Assert.Equal("-ERR Protocol error: invalid bulk length", await c.ReadAsync());
            Assert.Null(await c.ReadAsync());
        }

        using var first = await RespTestConnection.ConnectAsync(server.RespPort);
        using var second = await RespTestConnection.ConnectAsync(server.RespPort);
        Assert.Equal("+PONG", await first.CallAsync("PING"));
        Assert.Equal("+PONG", await second.CallAsync("PING"));
        using var third = await RespTestConnection.ConnectAsync(server.RespPort);
        Assert.Equal("-ERR max number of clients reached", await third.ReadAsync());

        await Timeouts.UntilAsync(() => counted.ContainsKey("c10k.connections.rejected front=resp reason=connection_limit"), "the refusal is counted");
        Assert.Equal(1, counted["c10k.protocol.errors front=resp kind=invalid_bulk_length"]);
        Assert.Equal(4, counted["c10k.requests front=resp op=ping status=ok"]);
        Assert.Equal(1, counted["c10k.requests front=resp op=hash status=ok"]);
        Assert.Equal(1, counted["c10k.requests front=resp op=other status=unknown_op"]);
    }
}
