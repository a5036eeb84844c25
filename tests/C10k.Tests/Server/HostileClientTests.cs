using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Server.Operations;
using C10k.Tests.Support;

namespace C10k.Tests.Server;

/// <summary>
/// Clients that misbehave on purpose, on both fronts: each test also runs well-behaved clients beside them and checks their
/// replies byte for byte, then that the server is back to its baseline (connections, work in flight).
/// Serial: the vanish test measures the process's managed memory.
/// </summary>
[Collection(SerialTests.Name)]
public class HostileClientTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    [Fact]
    public async Task GarbageAndOversizeHeadersCloseOnlyTheirConnectionOnBothFronts()
    {
        await using var server = await TestServer.StartAsync(null, "Native:MaxFrameBytes=65536");
        using var nativeBystander = await server.ConnectNativeAsync();
        using var respBystander = await RespTestConnection.ConnectAsync(server.RespPort);
        var random = new Random(14);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        garbage[0] = 0x47;

        byte[][] closedWithoutReply = [garbage, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), [0xC1, 0x80, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]];
        foreach (var bytes in closedWithoutReply)
        {
            using var raw = await server.ConnectNativeAsync();
            await raw.SendAsync(bytes);
            Assert.True(await raw.IsClosedByServerAsync());
            await AssertEchoAsync(nativeBystander, 1, "still here");
        }

        using (var oversize = await server.ConnectNativeAsync())
        {
            var header = RawConnection.Request(NativeOpcodes.Echo, 9, [])[..NativeProtocol.HeaderSize];
            header[8] = header[9] = header[10] = header[11] = 0xFF;
            await oversize.SendAsync(header);
            var reply = await oversize.ReadReplyAsync();
            Assert.Equal((9u, NativeStatus.TooLarge), (reply!.RequestId, reply.Status));
            Assert.True(await oversize.IsClosedByServerAsync());
        }

        var inline = new byte[100_000];
        random.NextBytes(inline);
        for (var i = 0; i < inline.Length; i++)
        {
            inline[i] = inline[i] is (byte)'\r' or (byte)'\n' or (byte)'*' ? (byte)'x' : inline[i];
        }

        (byte[] Bytes, string Error)[] respCases =
        [
            ("*2000000\r\n"u8.ToArray(), "-ERR Protocol error: invalid multibulk length"),
            ("*1\r\n$999999999999\r\n"u8.ToArray(), "-ERR Protocol error: invalid bulk length"),
            ("*1\r\nX\r\n"u8.ToArray(), "-ERR Protocol error: expected '$', got 'X'"),
            (inline, "-ERR Protocol error: too big inline request"),
        ];
        foreach (var (bytes, error) in respCases)
        {
            using var resp = await RespTestConnection.ConnectAsync(server.RespPort);
            await resp.SendAsync(bytes);
            Assert.Equal(error, await resp.ReadAsync().WaitAsync(Timeouts.Socket));
            Assert.Null(await resp.ReadAsync().WaitAsync(Timeouts.Socket));
            Assert.Equal("$still here", await respBystander.CallAsync("ECHO", "still here").WaitAsync(Timeouts.Socket));
        }

        await Timeouts.UntilAsync(() => server.OpenConnections == 1 && server.Registry.OpenConnections(Front.Resp) == 1, "only the bystanders remain");
    }

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

    [Fact]
    public async Task ResetWhileLargeRepliesAreWrittenLeavesOthersRepliesByteCorrect()
    {
        const int Size = 512 * 1024;
        await using var server = await TestServer.StartAsync(ops => ops.Register(new BlobOperation()));
        using var nativeBystander = await server.ConnectNativeAsync();
        using var respBystander = await RespTestConnection.ConnectAsync(server.RespPort);
        var expected = Blob(Size);

        var resets = Enumerable.Range(0, 16).Select(async i =>
        {
            using var socket = await ConnectSocketAsync(i % 2 == 0 ? server.NativePort : server.RespPort, receiveBuffer: 0);
            var request = i % 2 == 0
                ? RawConnection.Request(BlobOperation.Code, 1, RawConnection.Args(Size.ToString(CultureInfo.InvariantCulture)))
                : RespCommand("BLOB", Size.ToString(CultureInfo.InvariantCulture));
            await socket.SendAsync(Enumerable.Repeat(request, 4).SelectMany(b => b).ToArray()).WaitAsync(Timeouts.Socket);
            Assert.True(await socket.ReceiveAsync(new byte[1024]).WaitAsync(Timeouts.Socket) > 0, "the reply is being written");
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });
        var bystanders = Task.Run(async () =>
        {
            for (var round = 0; round < 3; round++)
            {
                await nativeBystander.SendAsync(BlobOperation.Code, (uint)round, Size.ToString(CultureInfo.InvariantCulture));
                var reply = await nativeBystander.ReadReplyAsync();
                Assert.Equal(((uint)round, NativeStatus.Ok), (reply!.RequestId, reply.Status));
                Assert.Equal(expected, Encoding.ASCII.GetString(reply.Payload));
                Assert.Equal("$" + expected, await respBystander.CallAsync("BLOB", Size.ToString(CultureInfo.InvariantCulture)).WaitAsync(Timeouts.Socket));
            }
        });
        await Task.WhenAll(resets).WaitAsync(Timeouts.Socket);
        await bystanders.WaitAsync(Timeouts.Socket);

        await Timeouts.UntilAsync(
            () => server.OpenConnections == 1 && server.Registry.OpenConnections(Front.Resp) == 1 && server.Registry.InFlight == 0,
            "every reset connection is gone");
    }

    [Fact]
    public async Task ClientsReadingOneBytePerSecondAreClosedAsOutputStalledWhileOthersAreServed()
    {
        const string Size = "262144";
        await using var server = await TestServer.StartAsync(
            ops => ops.Register(new BlobOperation()), "Limits:PartialFrameTimeoutMs=1000", "Limits:MaxPendingOutputBytes=268435456");
        using var closes = new CloseCounter(server);
        using var nativeSlow = await ConnectSocketAsync(server.NativePort, receiveBuffer: 4096);
        using var respSlow = await ConnectSocketAsync(server.RespPort, receiveBuffer: 4096);
        await nativeSlow.SendAsync(Enumerable.Repeat(RawConnection.Request(BlobOperation.Code, 1, RawConnection.Args(Size)), 32).SelectMany(b => b).ToArray());
        await respSlow.SendAsync(Enumerable.Repeat(RespCommand("BLOB", Size), 32).SelectMany(b => b).ToArray());
        using var native = await server.ConnectNativeAsync();
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);

        var stalled = false;
        for (var second = 0u; second < 25 && !stalled; second++)
        {
            await ReadOneByteAsync(nativeSlow);
            await ReadOneByteAsync(respSlow);
            await AssertEchoAsync(native, second, $"served at {second}");
            Assert.Equal($"$served at {second}", await resp.CallAsync("ECHO", $"served at {second}").WaitAsync(Timeouts.Socket));
            await Task.Delay(1000);
            stalled = closes["native/output_stalled"] == 1 && closes["resp/output_stalled"] == 1;
        }

        Assert.True(stalled, "both slow readers were closed as output_stalled");
        await Timeouts.UntilAsync(() => server.OpenConnections == 1 && server.Registry.OpenConnections(Front.Resp) == 1, "only the served clients remain");
        await AssertEchoAsync(native, 100, "after the close");
    }

    [Fact]
    public async Task ClientSendingGarbageLeavesOthersRepliesByteCorrect()
    {
        await using var server = await TestServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var garbage = Task.Run(async () =>
        {
            var random = new Random(14);
            for (var round = 0; round < 2000 && !stop.IsCancellationRequested; round++)
            {
                var bytes = new byte[random.Next(1, 8192)];
                random.NextBytes(bytes);
                using var socket = await ConnectSocketAsync(round % 2 == 0 ? server.NativePort : server.RespPort, receiveBuffer: 0);
                try
                {
                    await socket.SendAsync(bytes).WaitAsync(Timeouts.Socket);
                }
                catch (SocketException)
                {
                    // The server may close first (bad magic, protocol error): that is the point.
                }
            }
        });

        var clients = Enumerable.Range(0, 4).Select(n => Task.Run(() => WellBehavedAsync(server, n)));
        await Task.WhenAll(clients).WaitAsync(Timeouts.Socket);
        await stop.CancelAsync();
        await garbage.WaitAsync(Timeouts.Socket);

        await Timeouts.UntilAsync(() => server.OpenConnections == 0 && server.Registry.OpenConnections(Front.Resp) == 0, "every connection is closed");
    }

    private static async Task WellBehavedAsync(TestServer server, int n)
    {
        using var native = await server.ConnectNativeAsync();
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);
        for (var batch = 0; batch < 10; batch++)
        {
            var expected = new Dictionary<uint, string>();
            var frames = new List<byte>();
            var resps = new List<byte>();
            for (var i = 0; i < 16; i++)
            {
                var id = (uint)((batch * 16) + i + 1);
                var data = $"client {n} request {id} " + new string('x', (int)(id % 97));
                var hash = i % 4 == 0;
                expected[id] = hash ? Hash(1000, data) : data;
                frames.AddRange(hash
                    ? RawConnection.Request(NativeOpcodes.Hash, id, RawConnection.Args("1000", data))
                    : RawConnection.Request(NativeOpcodes.Echo, id, RawConnection.Args(data)));
                resps.AddRange(hash ? RespCommand("HASH", "1000", data) : RespCommand("ECHO", data));
            }

            await native.SendAsync([.. frames]);
            await resp.SendAsync([.. resps]);
            for (var i = 0; i < 16; i++)
            {
                var reply = await native.ReadReplyAsync();
                Assert.NotNull(reply);
                Assert.Equal(NativeStatus.Ok, reply.Status);
                Assert.Equal(expected[reply.RequestId], Encoding.UTF8.GetString(reply.Payload));
                Assert.Equal("$" + expected[(uint)((batch * 16) + i + 1)], await resp.ReadAsync().WaitAsync(Timeouts.Socket));
            }
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

    private static async Task<Socket> ConnectSocketAsync(int port, int receiveBuffer)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return socket;
    }

    private static async Task ReadOneByteAsync(Socket socket)
    {
        try
        {
            await socket.ReceiveAsync(new byte[1]).WaitAsync(Timeouts.Socket);
        }
        catch (SocketException)
        {
            // Closed by the server: what the test waits for.
        }
    }

    private static async Task AssertEchoAsync(RawConnection connection, uint id, string text)
    {
        await connection.SendAsync(NativeOpcodes.Echo, id, text);
        var reply = await connection.ReadReplyAsync();
        Assert.NotNull(reply);
        Assert.Equal((id, NativeStatus.Ok, text), (reply.RequestId, reply.Status, Encoding.UTF8.GetString(reply.Payload)));
    }

    private static byte[] RespCommand(params string[] parts)
    {
        var output = new ArrayBufferWriter<byte>();
        RespRequestWriter.WriteArrayHeader(output, parts.Length);
        foreach (var part in parts)
        {
            RespRequestWriter.WriteArgument(output, Encoding.UTF8.GetBytes(part));
        }

        return output.WrittenSpan.ToArray();
    }

    private static string Hash(int iterations, string data)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(data));
        for (var i = 1; i < iterations; i++)
        {
            digest = SHA256.HashData(digest);
        }

        return Convert.ToHexStringLower(digest);
    }

    private static string Blob(long size) => string.Create((int)size, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[i % Alphabet.Length];
        }
    });

    /// <summary>BLOB size: a small request with a large reply (the alphabet repeated), for clients that read slowly or reset.</summary>
    private sealed class BlobOperation() : Operation("BLOB", Code, OperationPlacement.Inline, 1, 1)
    {
        public const ushort Code = 0x2002;

        public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
        {
            var valid = args.TryGetInt64(0, out cost) && cost is > 0 and <= 16 * 1024 * 1024;
            message = valid ? null : "size out of range";
            return valid;
        }

        public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
        {
            args.TryGetInt64(0, out var size);
            for (var written = 0L; written < size;)
            {
                var chunk = (int)Math.Min(4096, size - written);
                var span = reply.GetSpan(chunk);
                for (var i = 0; i < chunk; i++)
                {
                    span[i] = (byte)Alphabet[(int)((written + i) % Alphabet.Length)];
                }

                reply.Advance(chunk);
                written += chunk;
            }
        }
    }

    /// <summary>Counts <c>c10k.connections.closed</c> by <c>front/reason</c>.</summary>
    private sealed class CloseCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new();

        public CloseCounter(TestServer server)
        {
            var factory = server.MeterFactory;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "c10k.connections.closed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? front = null, reason = null;
                foreach (var tag in tags)
                {
                    front = tag.Key == "front" ? (string?)tag.Value : front;
                    reason = tag.Key == "reason" ? (string?)tag.Value : reason;
                }

                _counts.AddOrUpdate($"{front}/{reason}", value, (_, count) => count + value);
            });
            _listener.Start();
        }

        public long this[string key] => _counts.GetValueOrDefault(key);

        public void Dispose() => _listener.Dispose();
    }
}
