using System.Diagnostics;
using System.Globalization;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Runner;

namespace C10k.Load.Cli;

/// <summary>
/// <c>--processes K</c>: starts K copies of this tool, each with 1/K of the rate, virtual users and connections (and its own source
/// addresses), then merges their HdrHistograms bucket by bucket — never averaging percentiles — and reports once.
/// </summary>
internal static class ProcessFanOut
{
    public static async Task<int> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("c10k-load-");
        try
        {
            var children = Enumerable.Range(0, options.Processes).Select(i => StartChild(i, options.Processes, Path.Combine(folder.FullName, $"{i}.json"))).ToList();
            try
            {
                await Task.WhenAll(children.Select(c => ForwardAsync(c.Process, c.Index, cancellationToken)));
            }
            finally
            {
                foreach (var (process, _) in children.Where(c => !c.Process.HasExited))
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            var failed = children.Where(c => c.Process.ExitCode != 0).Select(c => c.Index).ToList();
            children.ForEach(c => c.Process.Dispose());
            if (failed.Count > 0)
            {
                await Console.Error.WriteLineAsync($"c10k-load: child process(es) {string.Join(", ", failed)} failed.");
                return RunHandler.ErrorExitCode;
            }

            var runs = new List<RunMeasurements>();
            for (var i = 0; i < options.Processes; i++)
            {
                runs.Add(MeasurementTransport.RunFromJson(await File.ReadAllTextAsync(Path.Combine(folder.FullName, $"{i}.json"), cancellationToken)));
            }

            return await RunHandler.FinishMergedAsync(options, runs, cancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static (Process Process, int Index) StartChild(int index, int count, string output)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ProcessFanOut).Assembly.Location);
        }

        foreach (var arg in WithoutProcessesOption(Environment.GetCommandLineArgs().Skip(1)))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in new[] { "--child-index", index.ToString(CultureInfo.InvariantCulture), "--child-count", count.ToString(CultureInfo.InvariantCulture), "--child-output", output, "--plain" })
        {
            start.ArgumentList.Add(arg);
        }

        return (Process.Start(start) ?? throw new IOException("Could not start a child process."), index);
    }

    private static IEnumerable<string> WithoutProcessesOption(IEnumerable<string> args)
    {
        var skipNext = false;
        foreach (var arg in args)
        {
            if (skipNext)
            {
                skipNext = false;
                continue;
            }

            if (arg is "--processes" or "-p" or "--metrics-port" or "--plain")
            {
                skipNext = arg != "--plain";
                continue;
            }

            if (!arg.StartsWith("--processes=", StringComparison.Ordinal) && !arg.StartsWith("--metrics-port=", StringComparison.Ordinal))
            {
                yield return arg;
            }
        }
    }

    private static async Task ForwardAsync(Process process, int index, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            Console.WriteLine($"[p{index}] {line}");
        }

        await process.WaitForExitAsync(cancellationToken);
    }
}
