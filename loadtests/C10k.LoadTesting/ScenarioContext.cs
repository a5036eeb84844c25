using C10k.LoadTesting.Runner;
using C10k.LoadTesting.Targets;

namespace C10k.LoadTesting;

/// <summary>
/// What one invocation of a scenario's step sees (NBomber's <c>IScenarioContext</c>). Valid until the task the step returned
/// completes: the open model reuses contexts for later invocations, so a step must not keep one past its own end.
/// </summary>
public sealed class ScenarioContext
{
    private ITargetConnection? _connection;
    private ScenarioExecution? _execution; // null while warming up: steps are not recorded
    private TimeSpan _stepStart;

    internal ScenarioContext(string scenarioName, CancellationToken cancellationToken)
    {
        ScenarioName = scenarioName;
        CancellationToken = cancellationToken;
    }

    /// <summary>The scenario's name.</summary>
    public string ScenarioName { get; }

    /// <summary>0-based invocation number within the scenario (open model: the request's index on the schedule).</summary>
    public long InvocationNumber { get; private set; }

    /// <summary>The connection this invocation uses (round-robin over the scenario's held connections; a closed-model user keeps its own).</summary>
    /// <exception cref="InvalidOperationException">The scenario holds no connections.</exception>
    public ITargetConnection Connection => _connection ?? throw new InvalidOperationException($"Scenario '{ScenarioName}' holds no connections: give it WithConnections(...).");

    /// <summary>The data feed's item for this invocation, empty without a feed.</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>Cancelled when the run is aborted.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Points this context at invocation <paramref name="invocationNumber"/>, whose latency counts from <paramref name="start"/>.</summary>
    internal ScenarioContext For(long invocationNumber, ITargetConnection? connection, ReadOnlyMemory<byte> payload, ScenarioExecution? execution, TimeSpan start)
    {
        InvocationNumber = invocationNumber;
        _connection = connection;
        Payload = payload;
        _execution = execution;
        _stepStart = start;
        return this;
    }

    /// <summary>
    /// Runs one named step of this invocation (NBomber's <c>Step.Run</c>) and records its latency and status on their own in the
    /// report's per-step table. The first step's latency counts from the invocation's start (the intended send time in the open
    /// model), each later one from the end of the step before it. An exception counts as a failure named after its type.
    /// </summary>
    public async ValueTask<Response> StepAsync(string name, Func<ValueTask<Response>> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        Response response;
        try
        {
            response = await step();
        }
#pragma warning disable CA1031 // A step is user code: any exception is that step's failure, named by its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            response = Response.FromException(e);
        }

        if (_execution is not null)
        {
            var end = _execution.Clock.Elapsed;
            _execution.RecordStep(name, response, end - _stepStart);
            _stepStart = end;
        }

        return response;
    }
}
