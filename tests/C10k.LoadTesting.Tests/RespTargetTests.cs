using System.Buffers;
using System.Text;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;
using C10k.LoadTesting.Targets.Resp;

namespace C10k.LoadTesting.Tests;

public sealed class RespTargetTests
{
    [Fact]
    public void CodecWritesCommandsAsArraysOfBulkStrings()
    {
        var output = new ArrayBufferWriter<byte>();

        new SharedRespCodec().WriteCommand(output, ["HASH"u8.ToArray(), "1000"u8.ToArray(), "abc"u8.ToArray()]);

        Assert.Equal("*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$3\r\nabc\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("+PONG\r\n", ReplyKind.Simple, "", "PONG")]
    [InlineData("-ERR unknown command\r\n", ReplyKind.Error, "ERR", "ERR unknown command")]
    [InlineData("-BUSY\r\n", ReplyKind.Error, "BUSY", "BUSY")]
    [InlineData(":42\r\n", ReplyKind.Integer, "", "42")]
    [InlineData("$3\r\nabc\r\n", ReplyKind.Bulk, "", "abc")]
    [InlineData("$-1\r\n", ReplyKind.Null, "", "")]
    [InlineData("*2\r\n$1\r\na\r\n:1\r\n", ReplyKind.Array, "", "2")]
    public void CodecReadsEachReplyKindAndValueAndOnlyWhenComplete(string wire, ReplyKind kind, string code, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(wire + "+NEXT\r\n");
        var codec = new SharedRespCodec();
        for (var cut = 0; cut < wire.Length; cut++)
        {
            var prefix = new ReadOnlySequence<byte>(bytes, 0, cut);
            Assert.False(codec.TryReadReply(ref prefix, true, out _));
        }

        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(codec.TryReadReply(ref buffer, true, out var reply));
        Assert.Equal((kind, code, wire.Length, value), (reply.Kind, reply.ErrorCode, reply.WireLength, Encoding.ASCII.GetString(reply.Value.Span)));
        Assert.Equal("+NEXT\r\n", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void CodecRejectsAnUnknownTypeByte()
    {
        var buffer = new ReadOnlySequence<byte>("?oops\r\n"u8.ToArray());

        Assert.Throws<C10k.Protocol.Resp.RespProtocolException>(() => new SharedRespCodec().TryReadReply(ref buffer, false, out _));
    }

    [Fact]
    public async Task PipelinedPingsOnOneConnectionAllGetTheirReplies()
    {
        await using var server = new FakeRespServer();
        var traffic = new TrafficCounters();
        await using var connection = await TargetAddress.Parse($"resp://127.0.0.1:{server.Port}").ConnectAsync(null, traffic, () => { }, CancellationToken.None);

        var replies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => connection.PingAsync(CancellationToken.None).AsTask()));

        Assert.All(replies, r => Assert.True(r.IsOk));
        Assert.Equal(14_000, traffic.BytesOut);
        Assert.Equal(7_000, traffic.BytesIn);
    }

    [Fact]
    public async Task ReusedPendingRepliesCarryEachRequestsOwnCaptureChoice()
    {
        await using var server = new FakeRespServer();
        await using var connection = await TargetAddress.Parse($"resp://127.0.0.1:{server.Port}").ConnectAsync(null, new TrafficCounters(), () => { }, CancellationToken.None);
        ReadOnlyMemory<byte>[] ping = ["PING"u8.ToArray()];

        // Waves of pipelined requests: from the second wave on, every request waits on a pending reply a former one used.
        for (var wave = 0; wave < 3; wave++)
        {
            var capture = Enumerable.Range(0, 50).Select(i => (i + wave) % 2 == 0).ToList();
            var replies = await Task.WhenAll(capture.Select(c => connection.ExecuteAsync(ping, c, CancellationToken.None).AsTask())).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.All(replies, r => Assert.True(r.IsOk));
            Assert.Equal(capture.Select(c => c ? "PONG" : string.Empty), replies.Select(r => Encoding.ASCII.GetString(r.Value.Span)));
        }
    }

    [Fact]
    public async Task OpenModelRunOverLoopbackCompletesEveryRequestWithoutErrors()
    {
        await using var server = new FakeRespServer();
        var scenario = Scenario.Create("ping", ctx => ctx.Connection.PingAsync(ctx.CancellationToken))
            .WithConnections(ConnectionSettings.Of(4))
            .WithLoadSimulations(LoadSimulation.Inject(500, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var result = await LoadRunner.RegisterScenarios(scenario).WithTarget(TargetAddress.Parse($"resp://127.0.0.1:{server.Port}")).RunAsync();

        var stats = Assert.Single(result.Scenarios);
        Assert.Equal((1000L, 0L), (stats.Ok, stats.Fail));
        Assert.Equal(4, stats.Connections.MaxOpen);
        Assert.Equal(0, stats.Connections.Errors);
    }

    [Fact]
    public async Task RefusedConnectsAreCountedAsConnectFailures()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var scenario = Scenario.Create("ping", ctx => ctx.Connection.PingAsync(ctx.CancellationToken))
            .WithConnections(ConnectionSettings.Of(3))
            .WithLoadSimulations(LoadSimulation.Pause(TimeSpan.FromMilliseconds(10)));

        var result = await LoadRunner.RegisterScenarios(scenario).WithTarget(TargetAddress.Parse($"resp://127.0.0.1:{port}")).RunAsync();

        Assert.Equal(3, result.Scenarios[0].Connections.ConnectFailures);
    }
}
