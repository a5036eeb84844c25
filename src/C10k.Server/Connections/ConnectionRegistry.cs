using System.Collections.Concurrent;
using System.Diagnostics;

namespace C10k.Server.Connections;

/// <summary>
/// Every live session with its count per front, the once-a-second timeout sweep (Kestrel's heartbeat idea), and the drain state.
/// Admission (the connection limits, refusals while draining) is <see cref="Admission"/>'s, before a front's handler runs.
/// </summary>
public sealed class ConnectionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<long, ConnectionSession> _sessions = new();
    private readonly int[] _perFront = new int[Enum.GetValues<Front>().Length];
    private readonly ITimer _heartbeat;
    private long _nextId;
    private volatile bool _draining;

    /// <summary>Creates the registry and starts its heartbeat.</summary>
    public ConnectionRegistry(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _heartbeat = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>True from the start of a drain: readiness fails, new connections and requests are refused.</summary>
    public bool IsDraining => _draining;

    /// <summary>Open connections on <paramref name="front"/>.</summary>
    public int OpenConnections(Front front) => Volatile.Read(ref _perFront[(int)front]);

    /// <summary>Requests in flight over all connections.</summary>
    public int InFlight => _sessions.Values.Sum(s => s.InFlight);

    internal long Add(ConnectionSession session)
    {
        var id = Interlocked.Increment(ref _nextId);
        _sessions[id] = session;
        Interlocked.Increment(ref _perFront[(int)session.Front]);

        // Published before the caller reads IsDraining (see ConnectionSession.RunAsync): a drain's CloseAll sees this session, or
        // the session sees the drain.
        Interlocked.MemoryBarrier();
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
    internal void BeginDrain()
    {
        _draining = true;
        Interlocked.MemoryBarrier();
    }

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
