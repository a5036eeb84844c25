using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Native;

namespace C10k.Testing;

/// <summary>A bare native-protocol socket: frames written by hand (or any bytes at all), replies read one frame at a time, every await bounded.</summary>
public sealed class RawConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly ReceiveBuffer _received;

    private RawConnection() => _received = new ReceiveBuffer(_socket);

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var raw = new RawConnection();
        await raw._socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return raw;
    }

    /// <summary>One request frame with <paramref name="payload"/> as its body.</summary>
    public static byte[] Request(ushort opcode, uint id, byte[] payload, uint deadlineMs = 0)
    {
        var frame = new byte[NativeProtocol.HeaderSize + payload.Length];
        NativeFrameWriter.WriteHeader(frame, false, opcode, id, NativeStatus.Ok, deadlineMs, payload.Length);
        payload.CopyTo(frame, NativeProtocol.HeaderSize);
        return frame;
    }

    /// <summary>A request body: each argument as a 4-byte big-endian length and its UTF-8 bytes.</summary>
    public static byte[] Args(params string[] args)
    {
        var payload = new ArrayBufferWriter<byte>();
        foreach (var arg in args)
        {
            NativeArguments.Write(payload, Encoding.UTF8.GetBytes(arg));
        }

        return payload.WrittenSpan.ToArray();
    }

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes).WaitAsync(Timeouts.Socket);

    /// <summary>Sends one request frame per id in <paramref name="ids"/>, all in one write.</summary>
    public Task SendAsync(ushort opcode, IEnumerable<uint> ids, params string[] args)
    {
        var payload = Args(args);
        var frames = new ArrayBufferWriter<byte>();
        foreach (var id in ids)
        {
            NativeFrameWriter.WriteRequest(frames, opcode, id, payload);
        }

        return SendAsync(frames.WrittenSpan.ToArray());
    }

    public Task SendAsync(ushort opcode, uint id, params string[] args) => SendAsync(opcode, [id], args);

    /// <summary>Reads the next reply frame; null when the server closed the connection first.</summary>
    public async Task<NativeReply?> ReadReplyAsync()
    {
        if (!await _received.FillAsync(NativeProtocol.HeaderSize))
        {
            return null;
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(_received.Unread.Span[8..]);
        if (!await _received.FillAsync(NativeProtocol.HeaderSize + length))
        {
            return null;
        }

        var frame = _received.Unread.Span;
        var reply = new NativeReply(
            BinaryPrimitives.ReadUInt16BigEndian(frame[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(frame[4..]),
            (NativeStatus)frame[12],
            frame.Slice(NativeProtocol.HeaderSize, length).ToArray(),
            frame[1]);
        _received.Consume(NativeProtocol.HeaderSize + length);
        return reply;
    }

    /// <summary>True when the server closed the connection (reads return 0 or reset) before any more bytes.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return _received.Unread.IsEmpty && await _socket.ReceiveAsync(new byte[1]).WaitAsync(Timeouts.Socket) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Half-closes: shuts down the sending side (a FIN), keeps reading.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose() => _socket.Dispose();
}
