using System.Diagnostics;
using C10k.Server.Diagnostics;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>
/// How a connection ends, and when its read loop is woken without new bytes: closes for a limit (at once), closes once
/// every accepted request is answered (drain, QUIT, a protocol error, a half-close, the maximum age), and the wake-ups
/// that resume a loop paused at its in-flight cap.
/// </summary>
public abstract partial class ConnectionSession
{
    /// <summary>Stops parsing (later bytes are discarded) and ends the connection once every accepted request is answered.</summary>
    private protected void StopReading(CloseReason reason)
    {
        _stopReading = true;
        CloseWhenAnswered(reason);
    }

    /// <summary>Closes the connection for a server-side reason (a limit); logged and counted with that reason.</summary>
    internal void CloseForLimit(CloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _serverClose, (int)reason, NoReason) == NoReason
            && _services.ConnectionLogLimiter.TryAcquire(ConnectionLog.LimitClosedId, out var suppressed))
        {
            ConnectionLog.LimitClosed(_services.Logger, Front, ConnectionId, reason.Tag(), suppressed);
        }

        Context.Abort(new ConnectionAbortedException(reason.Tag()));
        Interlocked.Exchange(ref _progress, null)?.TrySetResult();
    }

    /// <summary>Asks the loop to end once in-flight work is answered (drain).</summary>
    internal void RequestClose() => CloseWhenAnswered(CloseReason.Drain);

    /// <summary>Heartbeat: closes the connection when it is idle, stuck mid-frame, or not reading its replies.</summary>
    internal void CheckTimeouts(long now)
    {
        var due = _deadlines.Due(now, InFlight, Writer.FlushStartedAt);
        if (due == CloseReason.MaxConnectionAge)
        {
            CloseWhenAnswered(CloseReason.MaxConnectionAge);
        }
        else if (due is { } reason)
        {
            CloseForLimit(reason);
        }
    }

    private void CloseWhenAnswered(CloseReason reason)
    {
        Interlocked.CompareExchange(ref _answeredClose, (int)reason, NoReason);
        WakeIfNeeded();
    }

    // True when the loop has something to do without new bytes. Read after the state it depends on is published, on both
    // sides (the loop after AdvanceTo, a waker after changing the count): one of the two always sees the other's change.
    private bool NeedsLoop() =>
        (_paused && InFlight < InFlightCap && _services.Dispatcher.MayQueue(Writer))
        || (Volatile.Read(ref _answeredClose) != NoReason && InFlight == 0);

    /// <summary>Wakes the loop if it has work without new bytes: called after replies were written, a close request, a deadline.</summary>
    internal void WakeIfNeeded()
    {
        Interlocked.MemoryBarrier();
        if (NeedsLoop() && !Writer.IsClosed)
        {
            Input.CancelPendingRead();
            Interlocked.Exchange(ref _progress, null)?.TrySetResult();
        }
    }

    // Paused at the cap: returns once there is room again, or the connection must end (a limit, a close once answered).
    private async ValueTask WaitForRoomAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _progress, waiter);
        Interlocked.MemoryBarrier();
        if (!NeedsLoop() && Volatile.Read(ref _serverClose) == NoReason)
        {
            await waiter.Task;
        }
    }

    // True once the loop has work again (room under the cap, or nothing left in flight); false when the timeout passed first.
    private async ValueTask<bool> WaitForProgressAsync(long since)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _progress, waiter);
        Interlocked.MemoryBarrier();
        if (NeedsLoop())
        {
            return true;
        }

        var left = _services.HalfCloseTimeout - Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero && await waiter.Task.WaitAsync(left).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
    }
}
