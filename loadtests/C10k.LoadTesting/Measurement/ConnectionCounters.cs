using System.Collections.Concurrent;

namespace C10k.LoadTesting.Measurement;

/// <summary>Connection events of one scenario, each failure kind counted on its own.</summary>
public sealed class ConnectionCounters
{
    private long _opened;
    private long _open;
    private long _maxOpen;
    private long _connectFailures;
    private long _connectTimeouts;
    private long _resets;

    /// <summary>Failed connects by what happened, e.g. <c>connection refused 127.0.0.1:1</c>.</summary>
    public ConcurrentDictionary<string, long> ErrorsByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Connections opened successfully.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Connections open right now.</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Most connections open at once.</summary>
    public long MaxOpen => Interlocked.Read(ref _maxOpen);

    /// <summary>Connects refused or failed (not timeouts).</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Connects that took longer than the connect timeout.</summary>
    public long ConnectTimeouts => Interlocked.Read(ref _connectTimeouts);

    /// <summary>Held connections that the server reset or closed before the run ended.</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Counts a successful connect.</summary>
    public void OnOpened()
    {
        Interlocked.Increment(ref _opened);
        var open = Interlocked.Increment(ref _open);
        long max;
        while (open > (max = Interlocked.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
        {
        }
    }

    /// <summary>Counts a connection closed by us at the end of the run.</summary>
    public void OnClosed() => Interlocked.Decrement(ref _open);

    /// <summary>Counts a held connection lost to a reset or an unexpected close.</summary>
    public void OnReset()
    {
        Interlocked.Increment(ref _resets);
        Interlocked.Decrement(ref _open);
    }

    /// <summary>Counts a failed connect and why it failed.</summary>
    public void OnConnectFailed(string reason)
    {
        Interlocked.Increment(ref _connectFailures);
        AddReason(reason, 1);
    }

    /// <summary>Counts a connect timeout and where it went.</summary>
    public void OnConnectTimedOut(string reason)
    {
        Interlocked.Increment(ref _connectTimeouts);
        AddReason(reason, 1);
    }

    /// <summary>Adds another process's counters (max open adds too: the processes held their connections at the same time).</summary>
    public void Add(ConnectionCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Interlocked.Add(ref _opened, other.Opened);
        Interlocked.Add(ref _open, other.Open);
        Interlocked.Add(ref _maxOpen, other.MaxOpen);
        Interlocked.Add(ref _connectFailures, other.ConnectFailures);
        Interlocked.Add(ref _connectTimeouts, other.ConnectTimeouts);
        Interlocked.Add(ref _resets, other.Resets);
        foreach (var (reason, count) in other.ErrorsByReason)
        {
            AddReason(reason, count);
        }
    }

    internal void AddReason(string reason, long count) => ErrorsByReason.AddOrUpdate(reason, count, (_, n) => n + count);

    internal void Restore(long opened, long open, long maxOpen, long connectFailures, long connectTimeouts, long resets)
    {
        _opened = opened;
        _open = open;
        _maxOpen = maxOpen;
        _connectFailures = connectFailures;
        _connectTimeouts = connectTimeouts;
        _resets = resets;
    }
}
