using System.Buffers;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Resp;

namespace C10k.Testing;

/// <summary>A bare socket speaking RESP by hand; replies are read with the codec's reply reader and rendered as text.</summary>
public sealed class RespTestConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly RespReplyReader _reader = new();
    private readonly ReceiveBuffer _received;

    private RespTestConnection() => _received = new ReceiveBuffer(_socket);

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
            var unread = new ReadOnlySequence<byte>(_received.Unread);
            var buffer = unread;
            if (_reader.TryRead(ref buffer, out var reply))
            {
                var text = Render(reply);
                _received.Consume((int)(unread.Length - buffer.Length));
                return text;
            }

            if (!await _received.ReceiveAsync())
            {
                return null;
            }
        }
    }

    /// <summary>Half-closes: shuts down the sending side (a FIN), keeps reading.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

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
