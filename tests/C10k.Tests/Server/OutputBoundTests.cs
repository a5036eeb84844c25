using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Server.Operations;
using C10k.Tests.Resp;

namespace C10k.Tests.Server;

/// <summary>
/// The output bound: a client that sends without reading makes the server stop reading it (TCP backpressure) with its buffered
/// replies bounded, and gets every reply once it reads; pooled replies past <c>Limits:MaxPendingOutputBytes</c> close it.
/// </summary>
public class OutputBoundTests
{
    // What the connection may hold in our buffers when it stops reading: one batch's flush threshold (64 KiB) plus the
    // largest single reply, plus the in-flight cap's staged pooled replies.
    private const long InlineBound = (64 * 1024) + (16 * 1024);
    private const int FloodLimitBytes = 256 * 1024 * 1024;

    // A flush blocked this long closes the connection (output_stalled): long enough for the test to read on a loaded box.
    private const string NoStallTimeout = "Limits:PartialFrameTimeoutMs=600000";

    [Fact]
    public async Task RespCommandFloodThatIsNotReadStopsTheServerReadingAndLosesNothing()
    {
        await using var server = await TestServer.StartAsync(null, NoStallTimeout);
        using var socket = await ConnectNotReadingAsync(server.RespPort);
        const int Commands = 5000;

        // 45 KB of COMMAND asks for megabytes of replies, more than the socket buffers hold: the loop ends up waiting for a flush.
        socket.Blocking = true;
        await socket.SendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("COMMAND\r\n", Commands)))).WaitAsync(Timeouts.Socket);
        await Timeouts.UntilAsync(() => server.Registry.Sessions.Count == 1, "the connection is registered");
        var session = server.Registry.Sessions.Single();
        await Timeouts.UntilAsync(() => session.Writer.FlushStartedAt != 0, "the read loop waits for a flush");
        Assert.False(session.IsClosed);
        Assert.InRange(session.Writer.PendingBytes, 0, InlineBound);

        var replies = await CountRespReplies(socket, Commands).WaitAsync(Timeouts.Socket);
        Assert.Equal(Commands, replies.Count);
        Assert.All(replies, reply => Assert.StartsWith("[", reply, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RespPooledFloodThatIsNotReadStaysBoundedAndLosesNothing()
    {
        var wecho = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(wecho), NoStallTimeout);
        var request = Encoding.ASCII.GetBytes($"*2\r\n$5\r\nWECHO\r\n$1024\r\n{new string('w', 1024)}\r\n");

        var replies = await FloodThenReadAsync(server, server.RespPort, request, InlineBound + (32 * 1100), CountRespReplies);

        Assert.All(replies, reply => Assert.Equal("$" + new string('w', 1024), reply));
    }

    [Fact]
    public async Task NativePingFloodThatIsNotReadStopsTheServerReadingAndLosesNothing()
    {
        await using var server = await TestServer.StartAsync(null, NoStallTimeout);
        var request = RawConnection.Request(NativeOpcodes.Ping, 7, []);

        var replies = await FloodThenReadAsync(server, server.NativePort, request, InlineBound, CountNativeReplies);

        Assert.All(replies, reply => Assert.Equal("7 Ok", reply));
    }

    [Fact]
    public async Task NativePooledFloodThatIsNotReadStaysBoundedAndLosesNothing()
    {
        var wecho = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(wecho), NoStallTimeout);
        var request = RawConnection.Request(wecho.Opcode, 9, RawConnection.Args(new string('w', 1024)));

        var replies = await FloodThenReadAsync(server, server.NativePort, request, InlineBound + (32 * 1100), CountNativeReplies);

        Assert.All(replies, reply => Assert.Equal("9 Ok", reply));
    }

    [Theory]
    [InlineData(Front.Resp)]
    [InlineData(Front.Native)]
    public async Task PooledRepliesPastTheHardCapCloseWithOutputOverflow(Front front)
    {
        using var big = new GatedReplyOperation();
        using var gate = new GateOperation(placement: OperationPlacement.Inline);
        await using var server = await TestServer.StartAsync(ops => ops.Register(big).Register(gate), "Limits:MaxPendingOutputBytes=65536");
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = CloseListener(server, reasons.Enqueue);
        using var socket = await ConnectNotReadingAsync(front == Front.Resp ? server.RespPort : server.NativePort);

        // Eight pooled 16 KiB replies held on the workers, then an inline GATE that holds the read loop, and with it the
        // connection's turn to write: once the workers go on, their replies can only be staged, 128 KiB past the 64 KiB cap.
        var requests = new List<byte>();
        for (var i = 0; i < 8; i++)
        {
            requests.AddRange(front == Front.Resp ? "BIG\r\n"u8.ToArray() : RawConnection.Request(big.Opcode, (uint)i, []));
        }

        requests.AddRange(front == Front.Resp ? "GATE\r\n"u8.ToArray() : RawConnection.Request(gate.Opcode, 8, []));
        socket.Blocking = true;
        await socket.SendAsync(requests.ToArray()).WaitAsync(Timeouts.Socket);
        await gate.FirstEntered.WaitAsync(Timeouts.Socket);
        big.Open();

        await Timeouts.UntilAsync(() => !reasons.IsEmpty || server.Registry.Sessions.All(s => s.Writer.PendingBytes > 65536), "the pooled replies are staged");
        gate.Open();
        // The session leaves the registry just before its close is counted: wait for the count, not only for the registry.
        await Timeouts.UntilAsync(() => !reasons.IsEmpty && server.Registry.OpenConnections(front) == 0, "the connection is closed and counted");
        Assert.Equal(["output_overflow"], reasons);
    }

    // Sends `request` over and over without reading until the server stops reading (sends stall), checks what the connection
    // buffers then, then reads: every request sent is answered.
    private static async Task<List<string>> FloodThenReadAsync(
        TestServer server, int port, byte[] request, long bound, Func<Socket, int, Task<List<string>>> read)
    {
        using var socket = await ConnectNotReadingAsync(port);
        var sent = 0;
        int last;
        while ((last = await SendUntilStalledAsync(socket, request)) == request.Length)
        {
            sent++;
            Assert.True((long)sent * request.Length < FloodLimitBytes, "the server kept reading a client that never reads");
        }

        var session = Assert.Single(server.Registry.Sessions);
        Assert.False(session.IsClosed);
        Assert.InRange(session.Writer.PendingBytes, 0, bound);

        // The last request may be half-sent: finish it while reading, so the server can parse it.
        var reading = read(socket, sent + 1);
        await socket.SendAsync(request.AsMemory(last)).AsTask().WaitAsync(Timeouts.Socket);
        var replies = await reading.WaitAsync(Timeouts.Socket);
        Assert.Equal(sent + 1, replies.Count);
        return replies;
    }

    private static async Task<Socket> ConnectNotReadingAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, SendBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        socket.Blocking = false;
        return socket;
    }

    // Sends one request; returns the bytes sent, fewer than its length once the socket stayed unwritable for 3 s (the server
    // stopped reading).
    private static async Task<int> SendUntilStalledAsync(Socket socket, byte[] request)
    {
        var offset = 0;
        for (var waits = 0; offset < request.Length && waits < 60;)
        {
            var n = socket.Send(request, offset, request.Length - offset, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                waits++;
                await Task.Delay(50);
                continue;
            }

            if (error != SocketError.Success)
            {
                // Closed by the server: the callers check why.
                break;
            }

            offset += n;
            waits = 0;
        }

        return offset;
    }

    private static async Task<List<string>> CountRespReplies(Socket socket, int expected)
    {
        socket.Blocking = true;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var received = new List<byte>();
        var replies = new List<string>();
        var reader = new RespReplyReader();
        var chunk = new byte[64 * 1024];
        while (replies.Count < expected)
        {
            var n = await stream.ReadAsync(chunk).AsTask().WaitAsync(Timeouts.Socket);
            if (n == 0)
            {
                break;
            }

            received.AddRange(chunk.AsSpan(0, n));
            var buffer = new System.Buffers.ReadOnlySequence<byte>([.. received]);
            var start = buffer.Length;
            while (reader.TryRead(ref buffer, out var reply))
            {
                replies.Add(RespTestConnection.Render(reply));
            }

            received.RemoveRange(0, (int)(start - buffer.Length));
        }

        return replies;
    }

    private static async Task<List<string>> CountNativeReplies(Socket socket, int expected)
    {
        socket.Blocking = true;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var header = new byte[NativeProtocol.HeaderSize];
        var replies = new List<string>();
        while (replies.Count < expected)
        {
            await stream.ReadExactlyAsync(header).AsTask().WaitAsync(Timeouts.Socket);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            await stream.ReadExactlyAsync(new byte[length]).AsTask().WaitAsync(Timeouts.Socket);
            replies.Add($"{BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))} {(NativeStatus)header[12]}");
        }

        return replies;
    }

    private static MeterListener CloseListener(TestServer server, Action<string> onClosed) =>
        server.Listen("c10k.connections.closed", (_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    onClosed((string)tag.Value!);
                }
            }
        });

    /// <summary>BIG: on the worker pool, waits for the test to open it, then replies 16 KiB.</summary>
    private sealed class GatedReplyOperation() : Operation("BIG", 0x1102, OperationPlacement.Worker, 0, 0), IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public void Open() => _gate.Set();

        public void Dispose() => _gate.Dispose();

        public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
        {
            _gate.Wait(Timeouts.Socket, cancellationToken);
            reply.Write(new byte[16 * 1024]);
        }
    }
}
