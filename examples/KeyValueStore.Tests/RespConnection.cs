using System.Net.Sockets;
using System.Text;

namespace KeyValueStore.Tests;

/// <summary>
/// A raw RESP2 client, as redis-cli sees the server: sends a command, reads one reply and renders it with its type (<c>+OK</c>,
/// <c>-ERR …</c>, <c>:1</c>, <c>"value"</c>, <c>nil</c>, <c>["a", "b"]</c>).
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly BufferedStream _stream;

    private RespConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = new BufferedStream(tcp.GetStream());
    }

    public static async Task<RespConnection> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(KeyValueApp.Timeout);
        return new RespConnection(tcp);
    }

    public async Task<string> CallAsync(params string[] command)
    {
        using var timeout = new CancellationTokenSource(KeyValueApp.Timeout);
        var request = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var word in command)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(word)).Append("\r\n").Append(word).Append("\r\n");
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
        await _stream.FlushAsync(timeout.Token);
        return await ReadValueAsync(timeout.Token);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task<string> ReadValueAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        var rest = line[1..];
        switch (line[0])
        {
            case '+' or '-' or ':':
                return line;
            case '$' when rest == "-1":
                return "nil";
            case '$':
                var data = new byte[int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture) + 2];
                await _stream.ReadExactlyAsync(data, cancellationToken);
                return '"' + Encoding.UTF8.GetString(data, 0, data.Length - 2) + '"';
            case '*':
                var elements = new string[int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture)];
                for (var i = 0; i < elements.Length; i++)
                {
                    elements[i] = await ReadValueAsync(cancellationToken);
                }

                return "[" + string.Join(", ", elements) + "]";
            default:
                throw new InvalidDataException("not a RESP2 reply: " + line);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            await _stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }
    }
}
