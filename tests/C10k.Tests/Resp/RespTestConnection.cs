using System.Buffers;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Resp;
using C10k.Tests.Support;

namespace C10k.Tests.Resp;

/// <summary>A bare socket speaking RESP by hand; replies are read with the codec's reply reader and rendered as text.</summary>
internal sealed class RespTestConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly RespReplyReader _reader = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _end;

    public static async Task<RespTestConnection> ConnectAsync(int port)
    {
        var connection = new RespTestConnection();
        await connection._socket.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return connection;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes).WaitAsync(Timeouts.Socket);

    /// <summary>Sends one command as an array of bulk strings.</summary>
    public Task SendCommandAsync(params string[] parts)
    {
        var output = new ArrayBufferWriter<byte>();
        RespRequestWriter.WriteArrayHeader(output, parts.Length);
        foreach (var part in parts)
        {
            RespRequestWriter.WriteArgument(output, Encoding.UTF8.GetBytes(part));
        }

        return SendAsync(output.WrittenSpan.ToArray());
    }

    /// <summary>Sends a command and reads its reply.</summary>
    public async Task<string> CallAsync(params string[] parts)
    {
        await SendCommandAsync(parts);
        return await ReadAsync() ?? "(closed)";
    }

    /// <summary>Reads one reply rendered as text (<c>+PONG</c>, <c>-ERR …</c>, <c>:1</c>, <c>$hello</c>, <c>$nil</c>, <c>[…]</c>); null when the server closed.</summary>
    public async Task<string?> ReadAsync()
    {
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(_buffer, 0, _end);
            if (_reader.TryRead(ref buffer, out var reply))
            {
                var text = Render(reply);
                var consumed = _end - (int)buffer.Length;
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _end - consumed);
                _end -= consumed;
                return text;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_end)).AsTask().WaitAsync(Timeouts.Socket);
            }
            catch (SocketException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    public void Dispose() => _socket.Dispose();

    public static string Render(RespReply reply)
    {
        if (reply.IsNull)
        {
            return reply.Type == RespReplyType.Array ? "[nil]" : "$nil";
        }

        switch (reply.Type)
        {
            case RespReplyType.Array:
                var parts = new List<string>();
                foreach (var element in reply)
                {
                    parts.Add(Render(element));
                }

                return "[" + string.Join(", ", parts) + "]";
            case RespReplyType.Integer:
                return ":" + reply.Value;
            case RespReplyType.SimpleString:
                return "+" + Encoding.UTF8.GetString(reply.Payload);
            case RespReplyType.Error:
                return "-" + Encoding.UTF8.GetString(reply.Payload);
            default:
                return "$" + Encoding.UTF8.GetString(reply.Payload);
        }
    }
}
