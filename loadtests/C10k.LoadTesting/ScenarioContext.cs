using C10k.LoadTesting.Targets;

namespace C10k.LoadTesting;

/// <summary>What one invocation of a scenario's step sees (NBomber's <c>IScenarioContext</c>).</summary>
public sealed class ScenarioContext
{
    private readonly ITargetConnection? _connection;

    internal ScenarioContext(string scenarioName, long invocationNumber, ITargetConnection? connection, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ScenarioName = scenarioName;
        InvocationNumber = invocationNumber;
        _connection = connection;
        Payload = payload;
        CancellationToken = cancellationToken;
    }

    /// <summary>The scenario's name.</summary>
    public string ScenarioName { get; }

    /// <summary>0-based invocation number within the scenario (open model: the request's index on the schedule).</summary>
    public long InvocationNumber { get; }

    /// <summary>The connection this invocation uses (round-robin over the scenario's held connections).</summary>
    /// <exception cref="InvalidOperationException">The scenario holds no connections.</exception>
    public ITargetConnection Connection => _connection ?? throw new InvalidOperationException($"Scenario '{ScenarioName}' holds no connections: give it WithConnections(...).");

    /// <summary>The data feed's item for this invocation, empty without a feed.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Cancelled when the run is aborted.</summary>
    public CancellationToken CancellationToken { get; }
}
