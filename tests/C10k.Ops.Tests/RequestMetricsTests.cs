using System.Diagnostics.Metrics;
using C10k.Protocol.Native;
using C10k.Server.Diagnostics;

namespace C10k.Ops.Tests;

public sealed class RequestMetricsTests
{
    [Fact]
    public async Task HundredPingsCountAsHundredOkPingRequestsInTheInstrumentAndOnMetrics()
    {
        await using var server = await TestServer.StartAsync();
        using var requests = new RequestCounter(server.Service<C10kMetrics>());
        using var client = await server.ConnectNativeAsync();

        await client.SendAsync(NativeOpcodes.Ping, Enumerable.Range(1, 100).Select(i => (uint)i));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(NativeStatus.Ok, (await client.ReadReplyAsync())!.Status);
        }

        Assert.Equal(100, requests.Count("ping", "ok"));
        Assert.Equal(100, requests.Total);
        var metrics = await server.Admin.GetStringAsync("metrics");
        Assert.Contains("c10k_requests_total{otel_scope_name=\"C10k.Server\",front=\"native\",op=\"ping\",status=\"ok\"} 100\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOpcodeCountsAsOtherOp()
    {
        await using var server = await TestServer.StartAsync();
        using var requests = new RequestCounter(server.Service<C10kMetrics>());
        using var client = await server.ConnectNativeAsync();

        await client.SendAsync(0x0999, 1);
        var reply = await client.ReadReplyAsync();

        Assert.Equal(NativeStatus.UnknownOp, reply!.Status);
        Assert.Equal(1, requests.Count(C10kMetrics.OtherOp, "unknown_op"));
        Assert.Contains("op=\"other\",status=\"unknown_op\"} 1\n", await server.Admin.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRespCommandCountsAsOtherOpOnTheRespFront()
    {
        await using var server = await TestServer.StartAsync();
        using var requests = new RequestCounter(server.Service<C10kMetrics>());
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);

        var reply = await resp.CallAsync("NOSUCHTHING1");

        Assert.StartsWith("-ERR unknown command", reply, StringComparison.Ordinal);
        Assert.Equal(1, requests.Count(C10kMetrics.OtherOp, "unknown_op"));
        Assert.Contains("front=\"resp\",op=\"other\",status=\"unknown_op\"} 1\n", await server.Admin.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryInstrumentOfTheMeterIsInTheMetricsDoc()
    {
        await using var server = await TestServer.StartAsync();
        var meter = server.Service<C10kMetrics>().Meter;
        server.Service<C10k.Server.Dispatch.CommandDispatcher>();
        var names = new List<string>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    names.Add(instrument.Name);
                }
            };
            listener.Start();
        }

        var doc = RepositoryFiles.ReadAllText("docs/metrics.md");
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains("`" + name + "`", doc, StringComparison.Ordinal));
    }

    /// <summary>Counts <c>c10k.requests</c> measurements of one host's meter (other hosts in the process have their own meter instance).</summary>
    private sealed class RequestCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string? Op, string? Status), long> _counts = [];

        public RequestCounter(C10kMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "c10k.requests")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? op = null, status = null;
                foreach (var tag in tags)
                {
                    op = tag.Key == "op" ? tag.Value as string : op;
                    status = tag.Key == "status" ? tag.Value as string : status;
                }

                lock (_counts)
                {
                    _counts[(op, status)] = _counts.GetValueOrDefault((op, status)) + value;
                }
            });
            _listener.Start();
        }

        public long Total
        {
            get
            {
                lock (_counts)
                {
                    return _counts.Values.Sum();
                }
            }
        }

        public long Count(string op, string status)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault((op, status));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
