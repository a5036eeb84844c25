using System.Buffers;
using System.Net;
using System.Net.Sockets;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>
/// Read-ahead: a connection paused at its in-flight cap is not read, so a client that keeps sending meets TCP backpressure
/// after a bounded number of bytes, on either data-port transport (C10k's lean one reads only when its handler asks).
/// </summary>
public class ReadAheadTests
{
    // Hundreds of times the bound.
    private const int FloodBytes = 32 * 1024 * 1024;

    // The first batch the session saw before it paused: at most one transport read-ahead (64 KiB) of PINGs.
    private const long Bound = 128 * 1024;

    [Theory]
    [InlineData("Lean")]
    [InlineData("Kestrel")]
    public async Task ConnectionPausedAtItsCapIsNotReadWhileTheClientKeepsSending(string transport)
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(
            ops => ops.Register(gate), "Limits:MaxInFlightPerConnection=1", $"Transport:DataPorts={transport}");
        long received = 0;
        using var listener = server.Listen("c10k.bytes.received", (_, bytes, _, _) => Interlocked.Add(ref received, bytes));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, server.NativePort).WaitAsync(Timeouts.Socket);
        await socket.SendAsync(RawConnection.Request(gate.Opcode, 1, [])).WaitAsync(Timeouts.Socket);
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the gate holds the connection's one place in flight");

        _ = socket.SendAsync(PingFrames(FloodBytes));

        // Until the count stays put for a second: a server that reads on keeps it moving until the whole flood is in. (The flood
        // itself may complete into the kernel's buffers, which autotuning lets grow to tens of MiB: that says nothing either way.)
        var seen = -1L;
        for (var polls = 0; polls < 120; polls++)
        {
            var now = Interlocked.Read(ref received);
            if (now == seen)
            {
                break;
            }

            seen = now;
            await Task.Delay(1000);
        }

        Assert.InRange(Interlocked.Read(ref received), 1, Bound);
        Assert.Equal(1, server.Registry.InFlight);
    }

    private static byte[] PingFrames(int bytes)
    {
        var frames = new ArrayBufferWriter<byte>(bytes);
        for (uint id = 2; frames.WrittenCount < bytes; id++)
        {
            NativeFrameWriter.WriteRequest(frames, NativeOpcodes.Ping, id, []);
        }

        return frames.WrittenSpan.ToArray();
    }
}
