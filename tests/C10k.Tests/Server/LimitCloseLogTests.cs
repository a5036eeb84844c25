using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace C10k.Tests.Server;

/// <summary>Closes for a limit are logged rate-limited like protocol errors (issue 14, item 6): many clients can't flood the log.</summary>
public class LimitCloseLogTests
{
    private const int Clients = 60;

    [Fact]
    public async Task IdleTimeoutClosesOfManyClientsAreLoggedAtMostTenASecond()
    {
        var start = ServerProcess.StartInfo("--C10k:Limits:IdleTimeoutMs=200", "--C10k:Shutdown:DrainTimeoutMs=1000");
        start.Environment["Logging__Console__FormatterName"] = "simple";
        using var server = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        try
        {
            var port = await ServerProcess.ReadPortAsync(server, "resp");
            var output = server.StandardOutput.ReadToEndAsync();
            var sockets = new List<Socket>();
            for (var i = 0; i < Clients; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
            }

            // Each idle client is closed by the heartbeat (one tick a second closes them all): aborted, so the read ends in a reset.
            foreach (var socket in sockets)
            {
                await AssertClosedAsync(socket);
                socket.Dispose();
            }

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(Timeouts.Socket);
            }

            await server.WaitForExitAsync().WaitAsync(Timeouts.Socket);
            var logged = (await output).Split('\n').Count(l => l.Contains("closed by the server: idle_timeout", StringComparison.Ordinal));

            // Unlimited, every close would be a line; at 10 a second, 60 closes need 6 different seconds to all show.
            Assert.InRange(logged, 1, Clients - 1);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task AssertClosedAsync(Socket socket)
    {
        try
        {
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16]).WaitAsync(Timeouts.Socket));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // An abort: what a limit close is.
        }
    }
}
