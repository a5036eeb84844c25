using System.Net;
using System.Text;
using System.Text.Json;
using C10k.LoadTesting.Commands;
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
        var split = simulations.Select(s => Split(s, share)).ToList();
        var props = Scenario.Create(d.Name, Step(d, share))
            .WithLoadSimulations([.. split])
            .WithConnections(new ConnectionSettings(Connections(d, share, split), share.Of(d.ConnectRate), share.Pick(sourceAddresses), TimeSpan.FromSeconds(10)))
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

    /// <summary>
    /// The connections a scenario holds: as given (split between shares), or one per closed-model virtual user of this share
    /// (<see cref="ScenarioDefinition.Pipeline"/> users per connection), or one in the open model.
    /// </summary>
    private static int Connections(ScenarioDefinition d, LoadShare share, IReadOnlyList<LoadSimulation> split)
    {
        if (d.Connections is { } given)
        {
            return (int)share.Of((long)given);
        }

        var pipeline = d.Pipeline ?? 1;
        if (pipeline < 1)
        {
            throw new InvalidDataException($"Scenario '{d.Name}': pipeline must be at least 1.");
        }

        var users = (long)split.Where(s => !s.IsOpenModel && s.Kind != LoadSimulationKind.Pause).Select(s => s.Target).DefaultIfEmpty(0).Max();
        return users > 0 ? (int)((users + pipeline - 1) / pipeline) : 1;
    }

    private static Func<ScenarioContext, ValueTask<Response>> Step(ScenarioDefinition d, LoadShare share)
    {
        try
        {
            var steps = d.Steps is { Count: > 0 }
                ? d.Steps.Select(s => ToStep(s.Name, s.Command, s.Expect, s.Save)).ToList()
                : [ToStep(null, ShortForm(d), d.Expect, null)];
            var vars = (d.Vars ?? new Dictionary<string, string>()).Select(v => KeyValuePair.Create(
                TemplatePart.IsVariableName(v.Key) ? v.Key : throw new FormatException($"'{v.Key}' is not a variable name (letters, digits, '_' and '-')."),
                ArgumentTemplate.Parse(v.Value))).ToList();
            return CommandScenario.Create(steps, vars, Encoding.UTF8.GetBytes(d.Payload), share.Index, share.Count);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Scenario '{d.Name}': {e.Message}", e);
        }
    }

    /// <summary>The short forms <c>ping</c>, <c>echo</c>, <c>hash</c> as the templates they stand for; anything else is a template already.</summary>
    private static string ShortForm(ScenarioDefinition d) => d.Command.Trim() switch
    {
        var c when c.Equals("echo", StringComparison.OrdinalIgnoreCase) => "ECHO {feed}",
        var c when c.Equals("hash", StringComparison.OrdinalIgnoreCase) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HASH {d.HashIterations} {{feed}}"),
        var c => c,
    };

    private static CommandStep ToStep(string? name, string command, ExpectDefinition? expect, string? save)
    {
        var template = CommandTemplate.Parse(command);
        var check = expect is null
            ? null
            : new ReplyCheck(expect.Type is null ? null : ReplyCheck.ParseKind(expect.Type), expect.Value is null ? null : ArgumentTemplate.Parse(expect.Value), expect.Regex);
        if (save is not null && !TemplatePart.IsVariableName(save))
        {
            throw new FormatException($"'{save}' is not a variable name (letters, digits, '_' and '-').");
        }

        return new CommandStep(name ?? template.Name.ToLowerInvariant(), template, check, save);
    }
}
