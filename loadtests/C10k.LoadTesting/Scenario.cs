namespace C10k.LoadTesting;

/// <summary>Entry point for defining scenarios, NBomber style: <c>Scenario.Create("ping", async ctx => ...)</c>.</summary>
public static class Scenario
{
    /// <summary>Creates a scenario whose step runs once per invocation and returns ok or fail.</summary>
    public static ScenarioProps Create(string name, Func<ScenarioContext, ValueTask<Response>> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        return new ScenarioProps(name, step);
    }
}
