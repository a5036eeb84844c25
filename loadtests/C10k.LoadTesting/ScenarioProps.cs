using C10k.LoadTesting.Feeds;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Thresholds;

namespace C10k.LoadTesting;

/// <summary>A scenario's definition; the <c>With...</c> methods return a modified copy.</summary>
public sealed record ScenarioProps
{
    internal ScenarioProps(string name, Func<ScenarioContext, ValueTask<Response>> step)
    {
        Name = name;
        Step = step;
    }

    /// <summary>The scenario's name, used in reports.</summary>
    public string Name { get; }

    /// <summary>The step run once per invocation.</summary>
    public Func<ScenarioContext, ValueTask<Response>> Step { get; }

    /// <summary>Simulations run one after another (default: keep-constant 1 copy for 10 s).</summary>
    public IReadOnlyList<LoadSimulation> Simulations { get; init; } = [LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(10))];

    /// <summary>Warm-up before measuring (default none).</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Connections the scenario opens and holds.</summary>
    public ConnectionSettings Connections { get; init; } = ConnectionSettings.None;

    /// <summary>Feeds <see cref="ScenarioContext.Payload"/>; null for none.</summary>
    public IDataFeed? Feed { get; init; }

    /// <summary>Thresholds checked at the end; a failed one makes the run fail.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>Sets the simulations.</summary>
    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) => this with { Simulations = simulations };

    /// <summary>Sets the warm-up duration.</summary>
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUp = duration };

    /// <summary>Sets the held connections.</summary>
    public ScenarioProps WithConnections(ConnectionSettings connections) => this with { Connections = connections };

    /// <summary>Sets the data feed.</summary>
    public ScenarioProps WithFeed(IDataFeed feed) => this with { Feed = feed };

    /// <summary>Sets the thresholds.</summary>
    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds };
}
