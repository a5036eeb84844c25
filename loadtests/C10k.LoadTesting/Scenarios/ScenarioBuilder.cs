using System.Net;
using System.Text;
using System.Text.Json;
using C10k.LoadTesting.Feeds;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Thresholds;

namespace C10k.LoadTesting.Scenarios;

/// <summary>Loads scenario files and turns definitions into runnable <see cref="ScenarioProps"/>, split for one process's share.</summary>
public static class ScenarioBuilder
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>The built-in single-command scenarios, usable as <c>--scenario NAME</c> without a file.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["ping", "echo", "hash"];

    /// <summary>Reads a scenario file.</summary>
    public static ScenarioFile Load(string path)
    {
        var file = JsonSerializer.Deserialize<ScenarioFile>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} is empty.");
        if (file.Scenarios.Count == 0)
        {
            throw new InvalidDataException($"{path} has no scenarios.");
        }

        return file with { Name = Path.GetFileNameWithoutExtension(path), BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." };
    }

    /// <summary>Builds the scenarios of <paramref name="file"/> for <paramref name="share"/>, with source addresses for the connections.</summary>
    public static IReadOnlyList<ScenarioProps> Build(ScenarioFile file, LoadShare share, IReadOnlyList<IPAddress> sourceAddresses)
    {
        ArgumentNullException.ThrowIfNull(file);
        var totalWeight = file.Scenarios.Where(s => s.Simulation is null).Sum(s => s.Weight);
        return file.Scenarios.Select(d => Build(d, file, totalWeight, share, sourceAddresses)).ToList();
    }

    private static ScenarioProps Build(ScenarioDefinition d, ScenarioFile file, double totalWeight, LoadShare share, IReadOnlyList<IPAddress> sourceAddresses)
    {
        var simulations = d.Simulation is not null
            ? SimulationParser.Parse(d.Simulation)
            : SimulationParser.Parse(file.Simulation ?? throw new InvalidDataException($"Scenario '{d.Name}' has no simulation and the file gives no shared one."))
                .Select(s => Weighted(s, d.Weight / totalWeight)).ToList();
        var connections = (int)share.Of((long)d.Connections);
        var props = Scenario.Create(d.Name, Step(d))
            .WithLoadSimulations([.. simulations.Select(s => Split(s, share))])
            .WithConnections(new ConnectionSettings(connections, share.Of(d.ConnectRate), share.Pick(sourceAddresses), TimeSpan.FromSeconds(10)))
            .WithThresholds([.. d.Thresholds.Select(Threshold.Parse)]);
        if (d.WarmUp is not null)
        {
            props = props.WithWarmUpDuration(DurationParser.Parse(d.WarmUp));
        }

        return d.Feed is null ? props : props.WithFeed(DataFeed.FromFile(Path.Combine(file.BaseDirectory, d.Feed.File), Enum.Parse<FeedMode>(d.Feed.Mode, ignoreCase: true)));
    }

    /// <summary>A weighted member of a mix gets its weight's share of the rate or of the virtual users (at least one).</summary>
    private static LoadSimulation Weighted(LoadSimulation s, double fraction) => s.IsOpenModel
        ? s with { Target = s.Target * fraction }
        : s with { Target = s.Kind == LoadSimulationKind.Pause ? 0 : Math.Max(1, Math.Round(s.Target * fraction)), Iterations = (long)Math.Round(s.Iterations * fraction) };

    private static LoadSimulation Split(LoadSimulation s, LoadShare share) => s.IsOpenModel
        ? s with { Target = share.Of(s.Target) }
        : s with { Target = share.Of((long)s.Target), Iterations = share.Of(s.Iterations) };

    private static Func<ScenarioContext, ValueTask<Response>> Step(ScenarioDefinition d)
    {
        ReadOnlyMemory<byte> payload = Encoding.UTF8.GetBytes(d.Payload);
        var iterations = d.HashIterations;
        return d.Command.ToLowerInvariant() switch
        {
            "ping" => ctx => ctx.Connection.PingAsync(ctx.CancellationToken),
            "echo" => ctx => ctx.Connection.EchoAsync(ctx.Payload.IsEmpty ? payload : ctx.Payload, ctx.CancellationToken),
            "hash" => ctx => ctx.Connection.HashAsync(iterations, ctx.Payload.IsEmpty ? payload : ctx.Payload, ctx.CancellationToken),
            _ => throw new InvalidDataException($"Scenario '{d.Name}': unknown command '{d.Command}' (use {string.Join(", ", Commands)})."),
        };
    }
}
