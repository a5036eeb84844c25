namespace C10k.LoadTesting.Tests;

/// <summary>
/// A clock that moves only when told. Timers fire synchronously, in due order, on the thread that calls <see cref="Advance"/>,
/// with the clock set to each timer's due time, so code awaiting them runs deterministically without the wall clock.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private readonly Lock _lock = new();
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _now);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        var target = GetTimestamp() + delta.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is not null)
                {
                    _timers.Remove(next);
                    Volatile.Write(ref _now, Math.Max(_now, next.Due));
                }
            }

            if (next is null)
            {
                break;
            }

            next.Fire();
        }

        lock (_lock)
        {
            Volatile.Write(ref _now, Math.Max(_now, target)); // a Skew during a callback may have moved past the target
        }
    }

    /// <summary>Moves the clock forward without firing timers, as time passes while the calling code is busy; they fire at the next <see cref="Advance"/>.</summary>
    public void Skew(TimeSpan delta)
    {
        lock (_lock)
        {
            Volatile.Write(ref _now, _now + delta.Ticks);
        }
    }

    private void Schedule(ManualTimer timer, long due)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (due >= 0)
            {
                timer.Due = due;
                _timers.Add(timer);
            }
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _period = -1;

        public long Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period == Timeout.InfiniteTimeSpan ? -1 : period.Ticks;
            owner.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? -1 : owner.GetTimestamp() + dueTime.Ticks);
            return true;
        }

        public void Fire()
        {
            if (_period > 0)
            {
                owner.Schedule(this, Due + _period);
            }

            callback(state);
        }

        public void Dispose() => owner.Schedule(this, -1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
