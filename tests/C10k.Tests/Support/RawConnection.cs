using System.Buffers.Binary;
using System.Net.Sockets;
using C10k.Protocol.Native;

namespace C10k.Tests.Support;

/// <summary>A bare socket for writing frames by hand and reading replies, with every await bounded.</summary>
public sealed class RawConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var raw = new RawConnection();
        await raw._socket.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return raw;
    }

    public static byte[] Request(ushort opcode, uint id, byte[] payload, uint deadlineMs = 0)
    {
        var frame = new byte[NativeProtocol.HeaderSize + payload.Length];
        NativeFrameWriter.WriteHeader(frame, false, opcode, id, NativeStatus.Ok, deadlineMs, payload.Length);
        payload.CopyTo(frame, NativeProtocol.HeaderSize);
        return frame;
    }

    public static byte[] Args(params string[] args) =>
        [.. args.SelectMany(a => { var b = System.Text.Encoding.UTF8.GetBytes(a); var p = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(p, b.Length); return p.Concat(b); })];

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes).WaitAsync(Timeouts.Socket);

    /// <summary>Reads one reply frame: (id, status, payload); null when the server closed the connection.</summary>
    public async Task<(uint Id, NativeStatus Status, ushort Opcode, byte[] Payload)?> ReadReplyAsync()
    {
        if (!await FillAsync(NativeProtocol.HeaderSize))
        {
            return null;
        }

        var header = _buffer.AsSpan(_start, NativeProtocol.HeaderSize);
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        if (!await FillAsync(NativeProtocol.HeaderSize + length))
        {
            return null;
        }

        header = _buffer.AsSpan(_start, NativeProtocol.HeaderSize);
        var reply = (BinaryPrimitives.ReadUInt32BigEndian(header[4..]), (NativeStatus)header[12], BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            _buffer.AsSpan(_start + NativeProtocol.HeaderSize, length).ToArray());
        _start += NativeProtocol.HeaderSize + length;
        return reply;
    }

    /// <summary>True when the server closed the connection (reads return 0 or reset) before any more bytes.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return _start == _end && await _socket.ReceiveAsync(new byte[1]).WaitAsync(Timeouts.Socket) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<bool> FillAsync(int needed)
    {
        while (_end - _start < needed)
        {
            if (_buffer.Length - _start < needed)
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, needed)];
                _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
                _end -= _start;
                _start = 0;
                _buffer = bigger;
            }

            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end)).AsTask().WaitAsync(Timeouts.Socket);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
