using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using C10k.Server.Buffers;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>
/// One connection's read loop and its single writer, shared by every front. The read loop is the only code that writes to the
/// pipe: inline replies go straight out, and worker replies are staged under a per-connection lock and moved out by the loop,
/// which completions wake with <see cref="PipeReader.CancelPendingRead"/> (hopped to the ThreadPool so a worker never runs I/O).
/// So a reply produced later never waits for the client's next bytes, and there is never a second writer.
/// </summary>
internal abstract class ConnectionSession : IWorkOwner, IThreadPoolWorkItem
{
    /// <summary>Close reason of <c>C10k:Limits:MaxConnectionAgeMs</c>.</summary>
    internal const string MaxAgeReason = "max_connection_age";

    private readonly ConnectionContext _context;
    private readonly ConnectionServices _services;
    private readonly object _gate = new();
    private readonly PooledBufferWriter _completed = new();
    private readonly long _partialTimeoutTicks;
    private readonly long _idleTimeoutTicks;
    private readonly long _maxAgeAt;
    private int _inFlight;
    private int _wakeScheduled;
    private int _wakePending;
    private volatile bool _closed;
    private volatile bool _closeRequested;
    private volatile string? _serverCloseReason;
    private volatile string? _answeredCloseReason;
    private long _lastActivity;
    private long _partialSince;
    private long _flushSince;
    private long _unreadBytes;

    private protected ConnectionSession(ConnectionContext context, Front front, ConnectionServices services, int inFlightCap)
    {
        _context = context;
        _services = services;
        Front = front;
        InFlightCap = inFlightCap;
        Input = context.Transport.Input;
        Output = context.Transport.Output;
        _idleTimeoutTicks = services.Limits.IdleTimeoutMs * Stopwatch.Frequency / 1000;
        _partialTimeoutTicks = services.Limits.PartialFrameTimeoutMs * Stopwatch.Frequency / 1000;
        if (services.Limits.MaxConnectionAgeMs > 0)
        {
            var ageTicks = services.Limits.MaxConnectionAgeMs * Stopwatch.Frequency / 1000;
            _maxAgeAt = Stopwatch.GetTimestamp() + ageTicks + Random.Shared.NextInt64(-(ageTicks / 10), (ageTicks / 10) + 1);
        }
    }

    /// <summary>The front this connection arrived on.</summary>
    public Front Front { get; }

    /// <summary>Kestrel's connection id.</summary>
    public string ConnectionId => _context.ConnectionId;

    /// <summary>Requests accepted and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once the connection has ended.</summary>
    public bool IsClosed => _closed;

    private protected int InFlightCap { get; }

    private protected PipeReader Input { get; }

    private protected PipeWriter Output { get; }

    private protected CommandDispatcher Dispatcher => _services.Dispatcher;

    private protected C10kMetrics Metrics => _services.Metrics;

    private protected bool Draining => _services.Registry.IsDraining;

    /// <summary>Runs the connection until the peer leaves, a limit closes it, or the server drains.</summary>
    public async Task RunAsync()
    {
        // Before the registry can see it: the heartbeat would take a zero timestamp for an idle timeout and abort the connection.
        _lastActivity = Stopwatch.GetTimestamp();
        var id = _services.Registry.Add(this);
        Metrics.ConnectionAccepted(Front);
        ConnectionLog.Opened(_services.Logger, Front, ConnectionId, _context.RemoteEndPoint?.ToString());
        var reason = "client_closed";
        try
        {
            reason = await ReadLoopAsync();
        }
        catch (ConnectionResetException)
        {
            reason = "reset";
        }
        catch (ConnectionAbortedException)
        {
            reason = "aborted";
        }
        catch (IOException)
        {
            reason = "reset";
        }
        catch (OperationCanceledException)
        {
            reason = "aborted";
        }
        finally
        {
            lock (_gate)
            {
                _closed = true;
                _completed.Reset();
            }

            reason = _serverCloseReason ?? reason;
            _services.Registry.Remove(id, Front);
            Metrics.ConnectionClosed(Front, reason);
            ConnectionLog.Closed(_services.Logger, Front, ConnectionId, reason);
        }
    }

    /// <summary>Parses and handles one request from the front of <paramref name="buffer"/>, slicing past it; false when incomplete.</summary>
    private protected abstract bool TryHandleNext(ref ReadOnlySequence<byte> buffer);

    /// <summary>For a protocol exception: writes the front's error reply (if any) to <see cref="Output"/> and names its kind; false for other exceptions.</summary>
    private protected abstract bool TryHandleProtocolError(Exception exception, out string kind);

    /// <summary>Encodes a finished worker item's reply into <paramref name="output"/> (called under the connection's lock).</summary>
    private protected abstract void WriteCompletion(WorkItem item, IBufferWriter<byte> output);

    /// <summary>Moves staged worker replies to <see cref="Output"/>. Called only by the read loop. Fronts that must reorder override it.</summary>
    private protected virtual void MoveCompletionsToOutput()
    {
        lock (_gate)
        {
            if (_completed.Length > 0)
            {
                Output.Write(_completed.WrittenSpan);
                _completed.Reset();
            }
        }
    }

    /// <summary>Counts one request that will be answered later (before it is handed to the pool).</summary>
    private protected void AddInFlight() => Interlocked.Increment(ref _inFlight);

    /// <summary>Undoes <see cref="AddInFlight"/> for a request answered at once after all.</summary>
    private protected void RemoveInFlight() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Closes the connection for a server-side reason (a limit); logged and counted with that reason.</summary>
    private protected void CloseForLimit(string reason)
    {
        _serverCloseReason ??= reason;
        ConnectionLog.LimitClosed(_services.Logger, Front, ConnectionId, reason);
        _context.Abort(new ConnectionAbortedException(reason));
    }

    void IWorkOwner.OnWorkCompleted(WorkItem item)
    {
        var overflow = false;
        lock (_gate)
        {
            if (!_closed)
            {
                WriteCompletion(item, _completed);
                overflow = _completed.Length > _services.Limits.MaxPendingOutputBytes;
            }
        }

        Metrics.RequestCompleted(Front, item.Operation.MetricName, item.Status);
        item.Release();
        Interlocked.Decrement(ref _inFlight);
        if (overflow)
        {
            _serverCloseReason ??= "output_overflow";
        }

        ScheduleWake();
    }

    /// <summary>Ends the connection once every accepted request is answered and flushed (RESP QUIT); <paramref name="reason"/> is logged and counted.</summary>
    private protected void CloseWhenAnswered(string reason)
    {
        _answeredCloseReason = reason;
        _closeRequested = true;
    }

    /// <summary>Asks the loop to end once in-flight work is answered (drain).</summary>
    internal void RequestClose()
    {
        _closeRequested = true;
        ScheduleWake();
    }

    /// <summary>Heartbeat: closes the connection when it is idle, stuck mid-frame, or not reading its replies.</summary>
    internal void CheckTimeouts(long now)
    {
        if (InFlight == 0 && now - Volatile.Read(ref _lastActivity) > _idleTimeoutTicks)
        {
            CloseForLimit("idle_timeout");
        }
        else if (Volatile.Read(ref _partialSince) is var partial && partial != 0 && now - partial > _partialTimeoutTicks)
        {
            CloseForLimit("partial_frame_timeout");
        }
        else if (Volatile.Read(ref _flushSince) is var flush && flush != 0 && now - flush > _partialTimeoutTicks)
        {
            CloseForLimit("output_stalled");
        }
        else if (_maxAgeAt != 0 && now > _maxAgeAt && !_closeRequested && InFlight == 0 && Volatile.Read(ref _partialSince) == 0)
        {
            // Between requests: the loop ends once nothing is in flight and no frame is half-read (see RunAsync).
            CloseWhenAnswered(MaxAgeReason);
            ScheduleWake();
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _wakeScheduled, 0);
        if (!_closed)
        {
            Interlocked.Exchange(ref _wakePending, 1);
            Input.CancelPendingRead();
        }
    }

    private void ScheduleWake()
    {
        if (Interlocked.CompareExchange(ref _wakeScheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private async ValueTask<string> ReadLoopAsync()
    {
        while (true)
        {
            // A wake (CancelPendingRead) that arrived while this loop was processing can be cleared by the AdvanceTo that
            // marked everything examined; re-arm it here, after AdvanceTo, so a finished reply never waits for client bytes.
            if (Interlocked.Exchange(ref _wakePending, 0) == 1)
            {
                Input.CancelPendingRead();
            }

            var result = await Input.ReadAsync();
            var buffer = result.Buffer;
            var paused = false;
            try
            {
                var now = Stopwatch.GetTimestamp();
                if (buffer.Length > _unreadBytes)
                {
                    Metrics.BytesReceived(Front, buffer.Length - _unreadBytes);
                    Volatile.Write(ref _lastActivity, now);
                }

                // Replies a front holds back (RESP's reorder buffer) count as in flight until written: release the ready ones
                // before deciding to pause, or a connection paused at its cap would wait for bytes its client never sends.
                if (InFlight >= InFlightCap)
                {
                    MoveCompletionsToOutput();
                }

                while (!(paused = InFlight >= InFlightCap) && TryHandleNext(ref buffer))
                {
                }

                if (paused && !buffer.IsEmpty)
                {
                    Metrics.Backpressure(Front);
                }

                MoveCompletionsToOutput();
                if (!await FlushAsync())
                {
                    return "client_closed";
                }

                Volatile.Write(ref _partialSince, buffer.IsEmpty || paused ? 0 : (_partialSince == 0 ? now : _partialSince));
                if (_serverCloseReason is { } closeReason)
                {
                    return closeReason;
                }

                if (_closeRequested && InFlight == 0 && (buffer.IsEmpty || !ReferenceEquals(_answeredCloseReason, MaxAgeReason)))
                {
                    return _answeredCloseReason ?? "drain";
                }

                // A peer that stops sending has left: work it queued and that has not started is dropped, not executed.
                if (result.IsCompleted)
                {
                    if (!paused && !buffer.IsEmpty)
                    {
                        ReportProtocolError("truncated");
                        return "protocol_error";
                    }

                    return "client_closed";
                }
            }
            catch (Exception ex) when (TryHandleProtocolError(ex, out var kind))
            {
                ReportProtocolError(kind);
                await FlushAsync();
                return "protocol_error";
            }
            finally
            {
                _unreadBytes = buffer.Length;
                Input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private void ReportProtocolError(string kind)
    {
        Metrics.ProtocolError(Front, kind);
        if (_services.ProtocolErrorLimiter.TryAcquire(ConnectionLog.ProtocolErrorId, out var suppressed))
        {
            ConnectionLog.ProtocolError(_services.Logger, Front, ConnectionId, _context.RemoteEndPoint?.ToString(), kind, suppressed);
        }
    }

    private async ValueTask<bool> FlushAsync()
    {
        var pending = Output.UnflushedBytes;
        if (pending == 0)
        {
            return true;
        }

        Metrics.BytesSent(Front, pending);
        Volatile.Write(ref _flushSince, Stopwatch.GetTimestamp());
        var flush = await Output.FlushAsync();
        Volatile.Write(ref _flushSince, 0);
        return !flush.IsCompleted && !flush.IsCanceled;
    }
}
