using System.Diagnostics;
using System.Text.RegularExpressions;
using C10k.Client;
using C10k.Tests.Support;

namespace C10k.Tests.Server;

/// <summary>A real SIGTERM to a child server process (never to the test process itself).</summary>
public partial class SigtermTests
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
        var dll = Path.Combine(AppContext.BaseDirectory, "C10k.Server.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--C10k:Shutdown:DrainTimeoutMs=2000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__Console__FormatterName"] = "simple";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
    }

    private static async Task<int> ReadNativePortAsync(Process server)
    {
        while (await server.StandardOutput.ReadLineAsync().WaitAsync(Timeouts.Socket) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = server.StandardOutput.ReadToEndAsync();
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("the server exited before listening: " + await server.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"native listening on [\d.]+:(\d+)")]
    private static partial Regex ListeningLine();
}
