using System.Diagnostics;
using C10k.Server.Hosting;

namespace C10k.Server.Connections;

/// <summary>
/// A connection's time limits (<c>C10k:Limits</c>): idle, stuck mid-frame, not reading its replies, maximum age. A struct
/// field of the session: the read loop stamps it, the registry's once-a-second heartbeat asks it what is due.
/// </summary>
internal struct ConnectionDeadlines
{
    private readonly long _idleTicks;
    private readonly long _partialTicks;
    private readonly long _maxAgeAt;
    private long _lastActivity;
    private long _partialSince;

    public ConnectionDeadlines(LimitsOptions limits, long now)
    {
        _idleTicks = limits.IdleTimeoutMs * Stopwatch.Frequency / 1000;
        _partialTicks = limits.PartialFrameTimeoutMs * Stopwatch.Frequency / 1000;
        _lastActivity = now;
        if (limits.MaxConnectionAgeMs > 0)
        {
            // ±10 % jitter, so connections opened together don't all reconnect together.
            var ageTicks = limits.MaxConnectionAgeMs * Stopwatch.Frequency / 1000;
            _maxAgeAt = now + ageTicks + Random.Shared.NextInt64(-(ageTicks / 10), (ageTicks / 10) + 1);
        }
    }

    /// <summary>Bytes arrived at <paramref name="now"/>.</summary>
    public void Activity(long now) => Volatile.Write(ref _lastActivity, now);

    /// <summary>
    /// Records how a batch ended: the partial-frame clock runs from the first batch that left a frame half-read and restarts
    /// whenever a request completes, so it measures time stuck on one frame, not time since the buffer was last empty.
    /// </summary>
    public void EndOfBatch(bool midFrame, bool progressed, long now) =>
        Volatile.Write(ref _partialSince, !midFrame ? 0 : (_partialSince == 0 || progressed ? now : _partialSince));

    /// <summary>The limit that has passed at <paramref name="now"/>, if any (the heartbeat acts on it).</summary>
    public readonly CloseReason? Due(long now, int inFlight, long flushStartedAt)
    {
        var partial = Volatile.Read(in _partialSince);
        if (inFlight == 0 && now - Volatile.Read(in _lastActivity) > _idleTicks)
        {
            return CloseReason.IdleTimeout;
        }

        if (partial != 0 && now - partial > _partialTicks)
        {
            return CloseReason.PartialFrameTimeout;
        }

        if (flushStartedAt != 0 && now - flushStartedAt > _partialTicks)
        {
            return CloseReason.OutputStalled;
        }

        // Between requests only: nothing in flight and no frame half-read.
        return _maxAgeAt != 0 && now > _maxAgeAt && inFlight == 0 && partial == 0 ? CloseReason.MaxConnectionAge : null;
    }
}
