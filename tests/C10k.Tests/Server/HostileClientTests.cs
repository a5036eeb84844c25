using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Tests.Support;

namespace C10k.Tests.Server;

/// <summary>
/// Clients that misbehave on purpose, on both fronts: each test also runs well-behaved clients beside them and checks their
/// replies byte for byte, then that the server is back to its baseline (connections, work in flight).
/// Serial: the vanish test measures the process's managed memory.
/// </summary>
[Collection(SerialTests.Name)]
public partial class HostileClientTests
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
}
