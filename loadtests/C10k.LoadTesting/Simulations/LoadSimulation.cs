namespace C10k.LoadTesting.Simulations;

/// <summary>
/// One segment of a scenario's load, NBomber style. Segments run one after the other; a ramping segment
/// starts from where the previous one ended (0 for the first).
/// </summary>
/// <param name="Kind">The segment's shape.</param>
/// <param name="Target">Requests per second (open model) or virtual users (closed model); 0 for a pause.</param>
/// <param name="During">How long the segment lasts; zero for <see cref="LoadSimulationKind.IterationsForConstant"/>.</param>
/// <param name="Iterations">Total iterations for <see cref="LoadSimulationKind.IterationsForConstant"/>, otherwise 0.</param>
public sealed record LoadSimulation(LoadSimulationKind Kind, double Target, TimeSpan During, long Iterations = 0)
{
    /// <summary>Open model at <paramref name="rate"/> requests per <paramref name="interval"/> for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.Inject, PerSecond(rate, interval), Positive(during));

    /// <summary>Open model ramping linearly to <paramref name="rate"/> per <paramref name="interval"/> over <paramref name="during"/>.</summary>
    public static LoadSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.RampingInject, PerSecond(rate, interval), Positive(during));

    /// <summary>Closed model with <paramref name="copies"/> virtual users for <paramref name="during"/>.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.KeepConstant, NonNegative(copies), Positive(during));

    /// <summary>Closed model ramping linearly to <paramref name="copies"/> virtual users over <paramref name="during"/>.</summary>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.RampingConstant, NonNegative(copies), Positive(during));

    /// <summary>Sends nothing for <paramref name="during"/>.</summary>
    public static LoadSimulation Pause(TimeSpan during) => new(LoadSimulationKind.Pause, 0, Positive(during));

    /// <summary>Closed model: <paramref name="copies"/> virtual users share <paramref name="iterations"/> iterations.</summary>
    public static LoadSimulation IterationsForConstant(int copies, long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        return new(LoadSimulationKind.IterationsForConstant, copies, TimeSpan.Zero, iterations);
    }

    /// <summary>True for the open (arrival-rate) model.</summary>
    public bool IsOpenModel => Kind is LoadSimulationKind.Inject or LoadSimulationKind.RampingInject;

    private static double PerSecond(double rate, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return rate / interval.TotalSeconds;
    }

    private static int NonNegative(int copies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        return copies;
    }

    private static TimeSpan Positive(TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(during, TimeSpan.Zero);
        return during;
    }
}
