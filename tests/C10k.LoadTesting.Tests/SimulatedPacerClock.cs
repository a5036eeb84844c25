using C10k.LoadTesting.Runner;

namespace C10k.LoadTesting.Tests;

/// <summary>
/// A pacer clock that never waits for real time: each sleep moves it forward by exactly the time asked for, so a pacer on it wakes
/// every waiter exactly at its due time, in due order, however loaded the machine. Frozen, it stands still (and its waits
/// return after a millisecond of real time), so waits stay pending until it thaws or something else ends them.
/// </summary>
internal sealed class SimulatedPacerClock : IPacerClock
{
    private long _now;
    private volatile bool _frozen;

    public bool Frozen
    {
        get => _frozen;
        set => _frozen = value;
    }

    public long Frequency => TimeSpan.TicksPerSecond;

    public long GetTimestamp() => Volatile.Read(ref _now);

    public void WaitCoarse(object gate, long ticks)
    {
        if (Frozen)
        {
            Monitor.Wait(gate, TimeSpan.FromMilliseconds(1));
        }
        else
        {
            Interlocked.Add(ref _now, ticks);
        }
    }

    public void SleepFine(long ticks)
    {
        if (Frozen)
        {
            Thread.Sleep(1);
        }
        else
        {
            Interlocked.Add(ref _now, ticks);
        }
    }
}
