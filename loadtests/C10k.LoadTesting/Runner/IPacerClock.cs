namespace C10k.LoadTesting.Runner;

/// <summary>The time and the sleeps of a <see cref="SendPacer"/>: the system's in a run, a simulated one in tests.</summary>
internal interface IPacerClock
{
    /// <summary>Ticks per second of <see cref="GetTimestamp"/>.</summary>
    long Frequency { get; }

    long GetTimestamp();

    /// <summary>Waits about <paramref name="ticks"/> holding <paramref name="gate"/>'s monitor, returning early when it is pulsed.</summary>
    void WaitCoarse(object gate, long ticks);

    /// <summary>Sleeps <paramref name="ticks"/> as precisely as the OS allows.</summary>
    void SleepFine(long ticks);
}
