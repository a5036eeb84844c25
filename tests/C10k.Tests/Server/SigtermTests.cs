using System.Diagnostics;
using C10k.Client;

namespace C10k.Tests.Server;

/// <summary>A real SIGTERM to a child server process (never to the test process itself).</summary>
public class SigtermTests
{
    [Fact]
    public async Task SigtermDrainsAndExitsZero()
    {
        using var server = StartChild();
        try
        {
            var port = await ReadNativePortAsync(server);
            await using (var client = await C10kClient.ConnectAsync("127.0.0.1", port).WaitAsync(Timeouts.Socket))
            {
                Assert.Equal("PONG", await client.PingAsync().WaitAsync(Timeouts.Socket));
            }

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(Timeouts.Socket);
                Assert.Equal(0, kill.ExitCode);
            }

            await server.WaitForExitAsync().WaitAsync(Timeouts.Socket);

            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartChild()
    {
        var start = ServerProcess.StartInfo("--C10k:Shutdown:DrainTimeoutMs=2000");
        start.Environment["Logging__Console__FormatterName"] = "simple";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
    }

    private static async Task<int> ReadNativePortAsync(Process server)
    {
        var port = await ServerProcess.ReadNativePortAsync(server);
        _ = server.StandardOutput.ReadToEndAsync();
        return port;
    }
}
