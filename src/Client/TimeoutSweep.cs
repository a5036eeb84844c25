namespace C10k.Client;

/// <summary>
/// Request timeouts for every <see cref="C10kClient"/> of a process: one timer per time provider and sweep period, shared by all
/// the clients that use them (10,000 held connections cost one timer tick per period, not 10,000), created with the first such
/// client and disposed with the last. A tick takes each client's expired calls under the lock and fails them after it, so no
/// caller's continuation runs under the lock.
/// </summary>
internal sealed class TimeoutSweep
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(TimeProvider, TimeSpan), TimeoutSweep> Sweeps = [];

    private readonly (TimeProvider Time, TimeSpan Period) _key;
    private readonly HashSet<C10kClient> _clients = [];
    private readonly List<(PendingCall Call, Exception Failure)> _expired = [];
    private readonly ITimer _timer;

    private TimeoutSweep(TimeProvider time, TimeSpan period)
    {
        _key = (time, period);
        _timer = time.CreateTimer(static s => ((TimeoutSweep)s!).Tick(), this, period, period);
    }

    /// <summary>The sweep period for a request timeout: a quarter of it, within 10 ms – 1 s.</summary>
    public static TimeSpan PeriodFor(TimeSpan requestTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(Math.Round(requestTimeout.TotalMilliseconds / 4), 10, 1000));

    /// <summary>Starts sweeping <paramref name="client"/> every <paramref name="period"/>; dispose the result to stop.</summary>
    public static IDisposable Register(C10kClient client, TimeProvider time, TimeSpan period)
    {
        lock (Gate)
        {
            if (!Sweeps.TryGetValue((time, period), out var sweep))
            {
                sweep = new TimeoutSweep(time, period);
                Sweeps.Add((time, period), sweep);
            }

            sweep._clients.Add(client);
            return new Registration(sweep, client);
        }
    }

    private void Unregister(C10kClient client)
    {
        lock (Gate)
        {
            if (_clients.Remove(client) && _clients.Count == 0)
            {
                Sweeps.Remove(_key);
                _timer.Dispose();
            }
        }
    }

    private void Tick()
    {
        (PendingCall Call, Exception Failure)[] expired;
        lock (Gate)
        {
            foreach (var client in _clients)
            {
                client.CollectExpiredCalls(_expired);
            }

            if (_expired.Count == 0)
            {
                return;
            }

            expired = [.. _expired];
            _expired.Clear();
        }

        foreach (var (call, failure) in expired)
        {
            call.Fail(failure);
        }
    }

    private sealed class Registration(TimeoutSweep sweep, C10kClient client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                sweep.Unregister(client);
            }
        }
    }
}
