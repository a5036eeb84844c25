using System.Net.Sockets;

namespace C10k.Testing;

/// <summary>The bytes a test connection received and has not consumed yet; every receive is bounded by <see cref="Timeouts.Socket"/>.</summary>
internal sealed class ReceiveBuffer(Socket socket)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public ReadOnlyMemory<byte> Unread => _buffer.AsMemory(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Receives until at least <paramref name="count"/> bytes are unread; false when the server closed (or reset) first.</summary>
    public async Task<bool> FillAsync(int count)
    {
        while (_end - _start < count)
        {
            if (!await ReceiveAsync())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives at least one more byte; false when the server closed (or reset) the connection.</summary>
    public async Task<bool> ReceiveAsync()
    {
        if (_end == _buffer.Length)
        {
            var target = _start == 0 ? new byte[_buffer.Length * 2] : _buffer;
            _buffer.AsSpan(_start, _end - _start).CopyTo(target);
            _end -= _start;
            _start = 0;
            _buffer = target;
        }

        int read;
        try
        {
            read = await socket.ReceiveAsync(_buffer.AsMemory(_end)).AsTask().WaitAsync(Timeouts.Socket);
        }
        catch (SocketException)
        {
            return false;
        }

        _end += read;
        return read > 0;
    }
}
