namespace C10k.LoadTesting.Simulations;

/// <summary>
/// A simulation placed on the scenario's timeline: its start offset and the level it ramps from.
/// All schedule math lives here so it can be tested without a clock.
/// </summary>
/// <param name="Simulation">The simulation.</param>
/// <param name="Start">Offset from the start of the scenario.</param>
/// <param name="From">Rate or copies at the segment's start (the previous segment's end level for ramps, else the target).</param>
/// <param name="Measured">False for the warm-up segment, whose results are discarded.</param>
public sealed record TimelineSegment(LoadSimulation Simulation, TimeSpan Start, double From, bool Measured)
{
    /// <summary>Rate or copies at the segment's end.</summary>
    public double To => Simulation.Target;

    /// <summary>Segment length.</summary>
    public TimeSpan During => Simulation.During;

    /// <summary>Offset at which the segment ends.</summary>
    public TimeSpan End => Start + During;

    /// <summary>Open model: how many requests the segment sends in total (the integral of its rate, rounded down).</summary>
    public long RequestCount => Simulation.IsOpenModel ? (long)Math.Floor(RequestsBefore(During.TotalSeconds) + 1e-9) : 0;

    /// <summary>Open model: the intended send offset of request <paramref name="index"/> (0-based), relative to the segment's start.</summary>
    /// <remarks>
    /// Request i goes out when the cumulative arrivals N(t) = from·t + (to − from)·t²/(2·D) reach i:
    /// a constant rate gives i / rate exactly, a ramp solves the quadratic. The first request goes out at t = 0.
    /// </remarks>
    public TimeSpan OffsetOfRequest(long index)
    {
        double seconds;
        var d = During.TotalSeconds;
        var slope = (To - From) / d;
        if (Math.Abs(slope) < 1e-12)
        {
            seconds = index / From;
        }
        else
        {
            // Solve slope/2·t² + from·t − i = 0 for the smallest t ≥ 0.
            var discriminant = (From * From) + (2 * slope * index);
            seconds = (-From + Math.Sqrt(Math.Max(0, discriminant))) / slope;
        }

        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>Open model: cumulative arrivals N(t) after <paramref name="seconds"/> into the segment.</summary>
    public double RequestsBefore(double seconds) =>
        (From * seconds) + ((To - From) * seconds * seconds / (2 * During.TotalSeconds));

    /// <summary>Closed model: virtual users wanted <paramref name="elapsed"/> into the segment (linear for a ramp, rounded).</summary>
    public int CopiesAt(TimeSpan elapsed)
    {
        if (Simulation.Kind is LoadSimulationKind.Pause)
        {
            return 0;
        }

        if (Simulation.Kind is not LoadSimulationKind.RampingConstant)
        {
            return (int)To;
        }

        var fraction = Math.Clamp(elapsed / During, 0, 1);
        return (int)Math.Round(From + ((To - From) * fraction), MidpointRounding.AwayFromZero);
    }
}
