using System.Text;
using C10k.Protocol.Native;
using C10k.Server.Operations;
using C10k.Tests.Resp;

namespace C10k.Tests.Server;

/// <summary>
/// The connection writer's promise: a finished reply never waits for the client's next bytes. Gated tests force the
/// interleavings that can be forced from outside; the trickle tests run the rest in bounded loops with random split points.
/// </summary>
public class ReplyPathTests
{
    [Fact]
    public async Task WorkerReplyFinishedWhileTheReadLoopHoldsTheWriterGoesOutWithoutMoreClientBytes()
    {
        using var pooled = new GateOperation();
        using var inline = new GateOperation(0x1201, "IGATE", OperationPlacement.Inline);
        await using var server = await TestServer.StartAsync(ops => ops.Register(pooled).Register(inline), "Workers:Count=1");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(pooled.Opcode, 1, []));
        await Timeouts.UntilAsync(() => pooled.Entered == 1, "the pooled request runs");
        await raw.SendAsync(RawConnection.Request(inline.Opcode, 2, []));
        await inline.FirstEntered.WaitAsync(Timeouts.Socket);

        // The read loop is inside the inline request, holding the writer: the worker must stage its reply and leave it.
        pooled.Open();
        await Timeouts.UntilAsync(() => pooled.Executed == 1 && server.Dispatcher.BusyWorkers == 0, "the worker finished and handed its reply over");
        inline.Open();

        var replies = new[] { await raw.ReadReplyAsync(), await raw.ReadReplyAsync() };
        Assert.Equal([(1u, NativeStatus.Ok), (2u, NativeStatus.Ok)], replies.Select(r => (r!.RequestId, r.Status)).Order());
    }

    [Fact]
    public async Task ReadLoopPausedAtTheCapResumesWhenAWorkerReplyIsWritten()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Limits:MaxInFlightPerConnection=1");
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 1, []), .. RawConnection.Request(NativeOpcodes.Ping, 2, [])]);
        await Timeouts.UntilAsync(() => gate.Entered == 1 && server.Registry.InFlight == 1, "the loop pauses at its cap with PING unread");
        gate.Open();

        Assert.Equal(1u, (await raw.ReadReplyAsync())!.RequestId);
        Assert.Equal(2u, (await raw.ReadReplyAsync())!.RequestId);
    }

    [Fact]
    public async Task RespRequestsTrickledInRandomPiecesAreAllAnsweredInOrder()
    {
        var wecho = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(wecho), "Limits:MaxInFlightPerConnection=4");
        var random = new Random(11);
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        for (var round = 0; round < 300; round++)
        {
            var expected = new List<string>();
            var requests = new StringBuilder();
            for (var i = 0; i < 12; i++)
            {
                var word = $"r{round}-{i}";
                switch (random.Next(3))
                {
                    case 0:
                        requests.Append(Command("WECHO", word));
                        expected.Add("$" + word);
                        break;
                    case 1:
                        requests.Append("PING\r\n");
                        expected.Add("+PONG");
                        break;
                    default:
                        requests.Append(Command("ECHO", word));
                        expected.Add("$" + word);
                        break;
                }
            }

            await SendInPiecesAsync(random, Encoding.ASCII.GetBytes(requests.ToString()), c.SendAsync);
            foreach (var reply in expected)
            {
                Assert.Equal(reply, await c.ReadAsync());
            }
        }
    }

    [Fact]
    public async Task NativeRequestsTrickledInRandomPiecesAreAllAnswered()
    {
        var wecho = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(wecho), "Limits:MaxInFlightPerConnection=4");
        var random = new Random(12);
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        uint id = 0;
        for (var round = 0; round < 300; round++)
        {
            var expected = new Dictionary<uint, string>();
            var frames = new List<byte>();
            for (var i = 0; i < 12; i++)
            {
                var word = $"n{round}-{i}";
                var pooled = random.Next(2) == 0;
                frames.AddRange(RawConnection.Request(pooled ? wecho.Opcode : NativeOpcodes.Echo, ++id, RawConnection.Args(word)));
                expected[id] = word;
            }

            await SendInPiecesAsync(random, [.. frames], raw.SendAsync);
            for (var i = 0; i < expected.Count; i++)
            {
                var reply = (await raw.ReadReplyAsync())!;
                Assert.Equal((NativeStatus.Ok, expected[reply.RequestId]), (reply.Status, reply.Text));
            }
        }
    }

    [Fact]
    public async Task ClientThatReadsLateGetsEveryLargeReplyInOrder()
    {
        var wecho = new WorkerEchoOperation();
        // 6 MiB of replies, all in flight at once: past the default 4 MiB output cap unless the kernel's socket buffers happen to
        // take enough of them first (about 1 run in 4). The cap has its own tests (OutputBoundTests); this one is about order.
        await using var server = await TestServer.StartAsync(ops => ops.Register(wecho), "Limits:MaxPendingOutputBytes=67108864");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        var payload = new string('x', 256 * 1024);

        // Far more than the socket and pipe buffers hold: workers finish while flushes wait for the client.
        var requests = new StringBuilder();
        for (var i = 0; i < 24; i++)
        {
            requests.Append(Command("WECHO", i + payload)).Append("PING\r\n");
        }

        await c.SendAsync(Encoding.ASCII.GetBytes(requests.ToString()));
        await Timeouts.UntilAsync(() => wecho.Executed >= 8, "workers finish while nobody reads");
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal("$" + i + payload, await c.ReadAsync());
            Assert.Equal("+PONG", await c.ReadAsync());
        }
    }

    private static string Command(string command, string argument) =>
        $"*2\r\n${command.Length}\r\n{command}\r\n${argument.Length}\r\n{argument}\r\n";

    private static async Task SendInPiecesAsync(Random random, byte[] bytes, Func<byte[], Task> send)
    {
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - offset, 1 + random.Next(40));
            await send(bytes[offset..(offset + length)]);
            offset += length;
            if (random.Next(4) == 0)
            {
                await Task.Yield();
            }
        }
    }
}
