using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Native;

namespace C10k.Ops.Tests;

/// <summary>A minimal native-protocol client over a loopback socket: frames written by hand, every await bounded.</summary>
internal sealed class NativeTestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private NativeTestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<NativeTestClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        return new NativeTestClient(socket);
    }

    /// <summary>Sends one request frame per id in <paramref name="ids"/>, all in one write.</summary>
    public async Task SendAsync(ushort opcode, IEnumerable<uint> ids, params string[] args)
    {
        var payload = new ArrayBufferWriter<byte>();
        foreach (var arg in args)
        {
            NativeArguments.Write(payload, Encoding.UTF8.GetBytes(arg));
        }

        var frames = new ArrayBufferWriter<byte>();
        foreach (var id in ids)
        {
            NativeFrameWriter.WriteRequest(frames, opcode, id, payload.WrittenSpan);
        }

        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        await _stream.WriteAsync(frames.WrittenMemory, timeout.Token);
    }

    public Task SendAsync(ushort opcode, uint id, params string[] args) => SendAsync(opcode, [id], args);

    /// <summary>Reads the next reply frame; throws <see cref="EndOfStreamException"/> when the server closed the connection.</summary>
    public async Task<NativeReply> ReadReplyAsync()
    {
        var header = new byte[NativeProtocol.HeaderSize];
        await ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        var payload = new byte[length];
        await ReadExactlyAsync(payload);
        return new NativeReply(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), (NativeStatus)header[12], payload);
    }

    /// <summary>True when the server closes the connection (reads end) before sending anything more.</summary>
    public async Task<bool> ServerClosedAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        var buffer = new byte[1];
        try
        {
            return await _stream.ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task ReadExactlyAsync(byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        await _stream.ReadExactlyAsync(buffer, timeout.Token);
    }
}
