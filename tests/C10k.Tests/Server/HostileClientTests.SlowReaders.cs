using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Connections;
using C10k.Server.Operations;

namespace C10k.Tests.Server;

/// <summary>Slow and resetting readers: clients that reset mid-reply or read one byte a second.</summary>
public partial class HostileClientTests
{
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
