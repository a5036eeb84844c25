using C10k.LoadTesting.Scenarios;

namespace C10k.Load.Cli;

/// <summary>Resolves <c>--scenario</c> (or <c>--command</c>) to a scenario file and applies the command line's overrides to it.</summary>
internal static class ScenarioOverrides
{
    private const string DefaultSimulation = "inject rate=1000 during=10s";

    public static ScenarioFile Resolve(RunOptions o)
    {
        var file = o.Commands.Count > 0 ? FromCommands(o) : Load(o);
        var shared = file.Scenarios.Any(s => s.Simulation is null);
        return file with
        {
            Simulation = shared && o.Simulation is not null ? o.Simulation : file.Simulation,
            Scenarios = file.Scenarios.Select(s => s with
            {
                Simulation = !shared && o.Simulation is not null ? o.Simulation : s.Simulation,
                Connections = o.Connections ?? s.Connections,
                Pipeline = o.Pipeline ?? s.Pipeline,
                ConnectRate = o.ConnectRate ?? s.ConnectRate,
                WarmUp = o.WarmUp ?? s.WarmUp,
                HashIterations = o.HashIterations ?? s.HashIterations,
                Payload = o.Payload ?? s.Payload,
                Feed = o.Feed is null ? s.Feed : new FeedDefinition(Path.GetFullPath(o.Feed), o.FeedMode),
            }).ToList(),
        };
    }

    private static ScenarioFile Load(RunOptions o)
    {
        var path = ScenarioLocator.Find(o.Scenario);
        if (path is not null)
        {
            return ScenarioBuilder.Load(path);
        }

        if (ScenarioBuilder.Commands.Contains(o.Scenario, StringComparer.OrdinalIgnoreCase))
        {
            return new ScenarioFile { Name = o.Scenario, Scenarios = [new ScenarioDefinition { Name = o.Scenario, Command = o.Scenario, Simulation = o.Simulation ?? DefaultSimulation }] };
        }

        throw new FileNotFoundException($"No scenario '{o.Scenario}': give ping, echo, hash, a shipped scenario (c10k-load scenarios), a .json path, or --command.");
    }

    /// <summary><c>--command</c> given once is a one-command scenario; given several times, its steps in order. <c>--expect*</c> check the last one.</summary>
    private static ScenarioFile FromCommands(RunOptions o)
    {
        var expect = o.Expect is null && o.ExpectType is null && o.ExpectRegex is null
            ? null
            : new ExpectDefinition { Value = o.Expect, Type = o.ExpectType, Regex = o.ExpectRegex };
        var words = o.Commands.Select(c => c.Trim().Split(' ', 2)[0].ToLowerInvariant()).ToList();
        var steps = o.Commands.Select((c, i) => new StepDefinition
        {
            Name = words.Count(w => w == words[i]) > 1 ? $"{words[i]}-{i + 1}" : words[i], // GET twice: get-1, get-2
            Command = c,
            Expect = i == o.Commands.Count - 1 ? expect : null,
        }).ToList();
        var vars = o.Vars.Select(v => v.Split('=', 2)).ToList();
        if (vars.Any(v => v.Length != 2))
        {
            throw new FormatException("--var takes name=template, e.g. \"key=k:{random:1-1000}\".");
        }

        var name = string.Join('-', words);
        var definition = new ScenarioDefinition
        {
            Name = name,
            Steps = steps,
            Vars = vars.ToDictionary(v => v[0].Trim(), v => v[1], StringComparer.Ordinal),
            Simulation = o.Simulation ?? DefaultSimulation,
        };
        return new ScenarioFile { Name = name, Scenarios = [definition] };
    }
}
