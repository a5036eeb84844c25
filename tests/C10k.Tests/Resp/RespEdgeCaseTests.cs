using System.Net;
using System.Net.Sockets;
using System.Text;

namespace C10k.Tests.Resp;

/// <summary>Replies byte for byte as redis-server 7.0.15 sends them (each expectation was recorded from it).</summary>
public class RespEdgeCaseTests
{
    [Theory]
    [InlineData("*1\r\n$0\r\n\r\n", "-ERR unknown command '', with args beginning with: \r\n")]
    [InlineData("*3\r\n$0\r\n\r\n$1\r\na\r\n$1\r\nb\r\n", "-ERR unknown command '', with args beginning with: 'a' 'b' \r\n")]
    [InlineData("\"\" a b\r\n", "-ERR unknown command '', with args beginning with: 'a' 'b' \r\n")]
    [InlineData("ECHO \"hello world\"\r\n", "$11\r\nhello world\r\n")]
    [InlineData("ECHO 'a b'\r\n", "$3\r\na b\r\n")]
    [InlineData("ECHO \"a\\nb\\x41\\x4g\"\r\n", "$7\r\na\nbAx4g\r\n")]
    [InlineData("ECHO \"a\" \"b\"\r\n", "-ERR wrong number of arguments for 'echo' command\r\n")]
    [InlineData("ECHO\f a\r\n", "-ERR unknown command 'ECHO\f', with args beginning with: 'a' \r\n")]
    public async Task EdgeCasesAreAnsweredAsRedisAnswersThem(string request, string reply)
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await ConnectAsync(server.RespPort);

        await socket.SendAsync(Encoding.Latin1.GetBytes(request + "PING\r\n")).WaitAsync(Timeouts.Socket);

        Assert.Equal(reply + "+PONG\r\n", await ReadAsync(socket, reply.Length + 7));
    }

    [Theory]
    [InlineData("ECHO \"abc\r\n")]
    [InlineData("ECHO \"a\"b\r\n")]
    public async Task UnbalancedQuotesGetRedisErrorThenClose(string request)
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await ConnectAsync(server.RespPort);

        await socket.SendAsync(Encoding.Latin1.GetBytes("PING\r\n" + request + "PING\r\n")).WaitAsync(Timeouts.Socket);

        Assert.Equal("+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n", await ReadAsync(socket, int.MaxValue));
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return socket;
    }

    // Reads until `length` bytes arrived or the server closed.
    private static async Task<string> ReadAsync(Socket socket, int length)
    {
        var received = new List<byte>();
        var chunk = new byte[4096];
        while (received.Count < length)
        {
            var read = await socket.ReceiveAsync(chunk).WaitAsync(Timeouts.Socket);
            if (read == 0)
            {
                break;
            }

            received.AddRange(chunk.AsSpan(0, read));
        }

        return Encoding.Latin1.GetString([.. received]);
    }
}
