using C10k.LoadTesting.Connections;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Progress;
using C10k.LoadTesting.Reports;
using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Targets;
using C10k.LoadTesting.Thresholds;
using Spectre.Console;

namespace C10k.Load.Cli;

/// <summary>Runs <c>c10k-load run</c>: in this process, as one child of a split run, or as the parent of K children.</summary>
internal static class RunHandler
{
    public const int ErrorExitCode = 1;

    public static async Task<int> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Agents.Count > 0)
            {
                // Agents read the certificate files on their own hosts.
                return await AgentFanOut.RunAsync(options, cancellationToken);
            }

            options.Connection.Validate(Uri.TryCreate(options.Target, UriKind.Absolute, out var target) ? target.Host : options.Target);
            if (options.Processes > 1 && !options.IsChild)
            {
                return await ProcessFanOut.RunAsync(options, cancellationToken);
            }

            var runner = CreateRunner(options, new LoadShare(options.ChildIndex, Math.Max(1, options.ChildCount)));
            using var metrics = options.IsChild ? null : MetricsEndpoint.Start(options.MetricsPort);
            if (options.IsChild)
            {
                var measured = await runner.WithProgress(new PlainLineProgress(Console.Out)).MeasureAsync(cancellationToken);
                await File.WriteAllTextAsync(options.ChildOutput!, MeasurementTransport.ToJson(measured), cancellationToken);
                return 0;
            }

            RunMeasurements measurements;
            if (!options.Plain && LiveTableProgress.IsSupported(AnsiConsole.Console))
            {
                var live = new LiveTableProgress(AnsiConsole.Console);
                measurements = await live.ShowWhileAsync(() => runner.WithProgress(live).MeasureAsync(cancellationToken));
            }
            else
            {
                measurements = await runner.WithProgress(new PlainLineProgress(Console.Out)).MeasureAsync(cancellationToken);
            }

            return await FinishAsync(options, runner.Summarize(measurements, processes: 1), cancellationToken);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or NotSupportedException or ArgumentException or System.Text.Json.JsonException
            or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"c10k-load: {e.Message}");
            return ErrorExitCode;
        }
    }

    /// <summary>Builds the runner for this process's share of the load.</summary>
    public static LoadRunner CreateRunner(RunOptions options, LoadShare share) =>
        CreateRunner(ScenarioOverrides.Resolve(options), options.Target, options.Connection, options.Thresholds, options.DrainTimeout, options.SourceAddresses, share);

    /// <summary>Builds the runner for <paramref name="share"/> of a resolved scenario file.</summary>
    public static LoadRunner CreateRunner(
        ScenarioFile file, string target, TargetOptions connection, IReadOnlyList<string> thresholds, TimeSpan drainTimeout, string? sourceAddresses, LoadShare share)
    {
        var scenarios = ScenarioBuilder.Build(file, share, SourceAddressRange.Parse(sourceAddresses));
        return LoadRunner.RegisterScenarios([.. scenarios])
            .WithTarget(TargetAddress.Parse(target, connection))
            .WithThresholds([.. thresholds.Select(Threshold.Parse)])
            .WithDrainTimeout(drainTimeout);
    }

    /// <summary>Merges the runs of K processes or agents (histograms added, never averaged) and finishes as one run.</summary>
    public static Task<int> FinishMergedAsync(RunOptions options, IReadOnlyList<RunMeasurements> runs, CancellationToken cancellationToken)
    {
        var runner = CreateRunner(options, LoadShare.Whole);
        return FinishAsync(options, runner.Summarize(MeasurementTransport.Merge(runs), runs.Count), cancellationToken);
    }

    /// <summary>Prints the summary, writes the reports and turns thresholds into the exit code.</summary>
    public static async Task<int> FinishAsync(RunOptions options, LoadTesting.Results.RunResult result, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine(MarkdownReport.Render(result));
        if (options.Report is not null)
        {
            var files = await ReportWriter.WriteAsync(result, options.Report, cancellationToken);
            Console.WriteLine($"Reports: {string.Join(", ", files)}");
        }

        foreach (var error in result.Errors)
        {
            await Console.Error.WriteLineAsync($"c10k-load: {error}");
        }

        return result.Errors.Count > 0 ? ErrorExitCode : result.Passed ? 0 : ThresholdEvaluator.FailedExitCode;
    }
}
