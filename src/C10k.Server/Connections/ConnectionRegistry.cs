using System.Collections.Concurrent;
using System.Diagnostics;
using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>
/// Every live session, per-front admission against <c>C10k:Limits:MaxConnections</c> (our own counter: Kestrel's is server-wide and silent),
/// the once-a-second timeout sweep (Kestrel's heartbeat idea), and the drain state.
/// </summary>
public sealed class ConnectionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<long, ConnectionSession> _sessions = new();
    private readonly int[] _perFront = new int[Enum.GetValues<Front>().Length];
    private readonly int _maxConnections;
    private readonly ITimer _heartbeat;
    private long _nextId;
    private volatile bool _draining;

    /// <summary>Creates the registry and starts its heartbeat.</summary>
    public ConnectionRegistry(IOptions<LimitsOptions> limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        _maxConnections = limits.Value.MaxConnections;
        _heartbeat = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>True from the start of a drain: readiness fails, new connections and requests are refused.</summary>
    public bool IsDraining => _draining;

    /// <summary>Open connections on <paramref name="front"/>.</summary>
    public int OpenConnections(Front front) => Volatile.Read(ref _perFront[(int)front]);

    /// <summary>Requests in flight over all connections.</summary>
    public int InFlight => _sessions.Values.Sum(s => s.InFlight);

    /// <summary>Per-front connection limit.</summary>
    public int MaxConnections => _maxConnections;

    /// <summary>Admits a connection on <paramref name="front"/>, or returns why not ("connection_limit", "draining").</summary>
    internal bool TryAdmit(Front front, out string? refusal)
    {
        if (_draining)
        {
            refusal = "draining";
            return false;
        }

        if (Interlocked.Increment(ref _perFront[(int)front]) > _maxConnections)
        {
            Interlocked.Decrement(ref _perFront[(int)front]);
            refusal = "connection_limit";
            return false;
        }

        refusal = null;
        return true;
    }

    internal long Add(ConnectionSession session)
    {
        var id = Interlocked.Increment(ref _nextId);
        _sessions[id] = session;
        return id;
    }

    internal void Remove(long id, Front front)
    {
        if (_sessions.TryRemove(id, out _))
        {
            Interlocked.Decrement(ref _perFront[(int)front]);
        }
    }

    /// <summary>Marks the server as draining.</summary>
    internal void BeginDrain() => _draining = true;

    /// <summary>Asks every session to close once its in-flight work is answered.</summary>
    internal void CloseAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.RequestClose();
        }
    }

    /// <summary>Live sessions now (a snapshot).</summary>
    internal IReadOnlyCollection<ConnectionSession> Sessions => [.. _sessions.Values];

    /// <inheritdoc />
    public void Dispose() => _heartbeat.Dispose();

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var session in _sessions.Values)
        {
            session.CheckTimeouts(now);
        }
    }
}
