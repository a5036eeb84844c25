namespace C10k.LoadTesting.Simulations;

/// <summary>Places a scenario's simulations one after another, with an optional warm-up in front.</summary>
public static class SimulationTimeline
{
    /// <summary>
    /// Builds the timeline. A warm-up repeats the first simulation's level (a constant one, never a ramp) for
    /// <paramref name="warmUp"/> and is not measured.
    /// </summary>
    public static IReadOnlyList<TimelineSegment> Build(IReadOnlyList<LoadSimulation> simulations, TimeSpan warmUp)
    {
        ArgumentNullException.ThrowIfNull(simulations);
        var segments = new List<TimelineSegment>(simulations.Count + 1);
        var offset = TimeSpan.Zero;
        if (warmUp > TimeSpan.Zero && simulations.Count > 0)
        {
            var first = simulations[0];
            var warm = first.Kind switch
            {
                LoadSimulationKind.RampingInject or LoadSimulationKind.Inject => LoadSimulation.Inject(first.Target, TimeSpan.FromSeconds(1), warmUp),
                LoadSimulationKind.IterationsForConstant => LoadSimulation.KeepConstant((int)first.Target, warmUp),
                LoadSimulationKind.Pause => LoadSimulation.Pause(warmUp),
                _ => LoadSimulation.KeepConstant((int)first.Target, warmUp),
            };
            segments.Add(new TimelineSegment(warm, offset, warm.Target, Measured: false));
            offset += warmUp;
        }

        double level = 0;
        foreach (var simulation in simulations)
        {
            var ramps = simulation.Kind is LoadSimulationKind.RampingInject or LoadSimulationKind.RampingConstant;
            segments.Add(new TimelineSegment(simulation, offset, ramps ? level : simulation.Target, Measured: true));
            offset += simulation.During;
            level = simulation.Kind is LoadSimulationKind.Pause ? 0 : simulation.Target;
        }

        return segments;
    }
}
