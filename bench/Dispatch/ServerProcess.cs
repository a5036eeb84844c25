using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace C10k.Bench.Dispatch;

/// <summary>The server under test as a child process (its own CPU, read from /proc), started from the same build.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    // Every port ephemeral, so the benchmark never collides with a server already running on the defaults.
    private static readonly string[] FreePorts = ["Native:Port=0", "Resp:Port=0", "Admin:Port=0"];

    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "c10k-server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var setting in FreePorts.Concat(settings))
        {
            info.ArgumentList.Add("--C10k:" + setting);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new ServerProcess(process, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("server exited before listening: " + await process.StandardError.ReadToEndAsync(CancellationToken.None));
    }

    /// <summary>User + system CPU time of the server so far (from /proc/PID/stat; clock ticks are 100 Hz on Linux).</summary>
    public TimeSpan CpuTime()
    {
        var fields = File.ReadAllText($"/proc/{Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"native listening on [\d.]+:(\d+)")]
    private static partial Regex Listening();
}
