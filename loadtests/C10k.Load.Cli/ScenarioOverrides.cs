using C10k.LoadTesting.Scenarios;

namespace C10k.Load.Cli;

/// <summary>Resolves <c>--scenario</c> to a scenario file and applies the command line's overrides to it.</summary>
internal static class ScenarioOverrides
{
    private const string DefaultSimulation = "inject rate=1000 during=10s";

    public static ScenarioFile Resolve(RunOptions o)
    {
        var path = ScenarioLocator.Find(o.Scenario);
        ScenarioFile file;
        if (path is not null)
        {
            file = ScenarioBuilder.Load(path);
        }
        else if (ScenarioBuilder.Commands.Contains(o.Scenario, StringComparer.OrdinalIgnoreCase))
        {
            file = new ScenarioFile { Name = o.Scenario, Scenarios = [new ScenarioDefinition { Name = o.Scenario, Command = o.Scenario, Simulation = o.Simulation ?? DefaultSimulation }] };
        }
        else
        {
            throw new FileNotFoundException($"No scenario '{o.Scenario}': give ping, echo, hash, a shipped scenario (c10k-load scenarios) or a .json path.");
        }

        var shared = file.Scenarios.Any(s => s.Simulation is null);
        return file with
        {
            Simulation = shared && o.Simulation is not null ? o.Simulation : file.Simulation,
            Scenarios = file.Scenarios.Select(s => s with
            {
                Simulation = !shared && o.Simulation is not null ? o.Simulation : s.Simulation,
                Connections = o.Connections ?? s.Connections,
                ConnectRate = o.ConnectRate ?? s.ConnectRate,
                WarmUp = o.WarmUp ?? s.WarmUp,
                HashIterations = o.HashIterations ?? s.HashIterations,
                Payload = o.Payload ?? s.Payload,
                Feed = o.Feed is null ? s.Feed : new FeedDefinition(Path.GetFullPath(o.Feed), o.FeedMode),
            }).ToList(),
        };
    }
}
