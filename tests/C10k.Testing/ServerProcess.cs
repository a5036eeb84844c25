using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace C10k.Testing;

/// <summary>Runs the built server as its own process (<c>dotnet c10k-server.dll</c>, src/Server), for what only a process shows: exit codes, stdout, stderr.</summary>
public static partial class ServerProcess
{
    /// <summary>Starts with every port on 0 (free ports), then <paramref name="args"/>.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "c10k-server.dll"));
        foreach (var arg in (string[])["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs to exit (killed past the timeout) and returns the exit code and both outputs.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Reads the server's standard output up to its "native listening" line and returns that port; the rest of the output stays unread.</summary>
    public static Task<int> ReadNativePortAsync(Process server) => ReadPortAsync(server, "native");

    /// <summary>Reads the server's standard output up to its "<paramref name="front"/> listening" line and returns that port.</summary>
    public static async Task<int> ReadPortAsync(Process server, string front)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match && match.Groups[1].Value == front)
            {
                return int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"the server exited before {front} was listening: " + await server.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"([a-z]+) listening on [\d.]+:(\d+)")]
    private static partial Regex Listening();
}
