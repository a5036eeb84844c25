using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace C10k.Ops.Tests;

/// <summary>
/// The runtime reads DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS once, when it creates its socket engine, so only a fresh
/// process shows what the server's Program.cs made of it: these start one and read the engine's state back through INFO.
/// </summary>
public sealed class SocketEngineTests
{
    [Fact]
    public async Task InlineSocketCompletionsAreOnByDefault()
    {
        var info = ServerProcess.StartInfo();
        info.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");

        var server = await InfoServerAsync(info);

        Assert.Contains("socket_inline_completions:yes\r\n", server, StringComparison.Ordinal);
        Assert.Contains($"socket_engines:{Environment.ProcessorCount}\r\n", server, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEnvironmentCanStillTurnThemOff()
    {
        var info = ServerProcess.StartInfo();
        info.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0";

        var server = await InfoServerAsync(info);

        Assert.Contains("socket_inline_completions:no\r\n", server, StringComparison.Ordinal);
    }

    /// <summary>Starts the server, sends <c>INFO server</c> over RESP, returns the bulk string and stops the server.</summary>
    private static async Task<string> InfoServerAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        try
        {
            var port = await ServerProcess.ReadPortAsync(process, "resp");
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", port, timeout.Token);
            await socket.SendAsync("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n"u8.ToArray(), timeout.Token);
            var received = new List<byte>();
            var buffer = new byte[4096];
            while (!IsCompleteBulk(received))
            {
                var n = await socket.ReceiveAsync(buffer, timeout.Token);
                Assert.True(n > 0, "the server closed the connection before the INFO reply was complete");
                received.AddRange(buffer.AsSpan(0, n));
            }

            return Encoding.ASCII.GetString([.. received]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>True once <paramref name="reply"/> holds a whole <c>$length\r\n…\r\n</c> bulk string.</summary>
    private static bool IsCompleteBulk(List<byte> reply)
    {
        var text = Encoding.ASCII.GetString([.. reply]);
        var header = text.IndexOf("\r\n", StringComparison.Ordinal);
        return header > 0 && int.TryParse(text.AsSpan(1, header - 1), out var length) && reply.Count >= header + 2 + length + 2;
    }
}
