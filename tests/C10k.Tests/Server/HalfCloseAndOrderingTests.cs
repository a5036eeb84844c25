using System.Text;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>Every accepted request gets its reply: after a half-close, behind the in-flight cap, before a protocol error.</summary>
public class HalfCloseAndOrderingTests
{
    [Fact]
    public async Task NativeClientThatHalfClosesGetsEveryReplyThenTheConnectionCloses()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 1, []), .. RawConnection.Request(NativeOpcodes.Ping, 2, [])]);
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the pooled request runs");
        raw.ShutdownSend();
        gate.Open();

        var replies = new[] { await raw.ReadReplyAsync(), await raw.ReadReplyAsync() };
        Assert.Equal([(1u, NativeStatus.Ok), (2u, NativeStatus.Ok)], replies.Select(r => (r!.RequestId, r.Status)).Order());
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task RespClientThatHalfClosesGetsRepliesHeldBehindTheCapInOrder()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Limits:MaxInFlightPerConnection=2");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("GATE\r\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"ECHO e{i}\r\n")) + "HASH 1 abc\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1 && server.Registry.InFlight == 2, "the loop pauses at its cap");
        c.ShutdownSend();
        gate.Open();

        Assert.Equal("$open", await c.ReadAsync());
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal($"$e{i}", await c.ReadAsync());
        }

        Assert.Equal("$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await c.ReadAsync());
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task RespProtocolErrorIsWrittenAfterEveryEarlierReply()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("GATE\r\nPING\r\n*1\r\n$x\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1, "GATE runs");
        gate.Open();

        Assert.Equal("$open", await c.ReadAsync());
        Assert.Equal("+PONG", await c.ReadAsync());
        Assert.Equal("-ERR Protocol error: invalid bulk length", await c.ReadAsync());
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task ClientPipeliningWithAPartialFrameAtTheEndOfEveryWriteIsNotASlowLoris()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:PartialFrameTimeoutMs=2000");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        var stream = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40).Select(i => $"ECHO w{i:D2}\r\n")));

        // Every write completes a request and leaves the next one half-sent, for about 3 × the partial-frame timeout (a gap
        // between two writes stays far below it even on a loaded box; the old clock closed such a client after one timeout).
        var sent = 0;
        for (var i = 0; i < 40; i++)
        {
            var upTo = Math.Min(stream.Length, ((i + 1) * 10) + 4);
            await c.SendAsync(stream[sent..upTo]);
            sent = upTo;
            Assert.Equal($"$w{i:D2}", await c.ReadAsync());
            await Task.Delay(150);
        }

        Assert.Equal("+PONG", await c.CallAsync("PING"));
    }
}
