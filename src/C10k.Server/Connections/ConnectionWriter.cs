using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using C10k.Protocol.Native;
using C10k.Server.Dispatch;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>
/// The only owner of a connection's <see cref="PipeWriter"/>: every reply, inline or from a worker, goes through it, and it
/// keeps the in-flight count, the staged worker replies (in the front's <see cref="ReplyOrder"/>), the pending-output bound
/// and the flush.
/// <para>
/// The pipe is written by whoever holds the <em>turn</em>: the read loop for each batch it parses, or a thread that staged a
/// worker reply and found the turn free. Nobody waits for the turn except the read loop, to which a releasing holder hands it.
/// </para>
/// <para>
/// <b>Invariant — no stranded reply.</b> A worker stages its reply and sets <c>_staged</c> <em>before</em> it tries to take
/// the turn; every holder clears <c>_staged</c> before it moves replies and, after giving the turn back, looks at
/// <c>_staged</c> again and takes the turn if it is set. So a staged reply is moved either by the thread that staged it or by
/// the holder that kept that thread out, never left for the client's next bytes (interlocked operations order the two sides).
/// </para>
/// </summary>
internal sealed class ConnectionWriter : IWorkOwner
{
    private readonly ConnectionSession _session;
    private readonly PipeWriter _pipe;
    private readonly ReplyOrder _order;
    private readonly ReplyEncoder _encoder;
    private const int Free = 0;
    private const int Held = 1;
    private const int HeldLoopWaiting = 2;

    private int _turn;
    private TaskCompletionSource? _loopWaiter;
    private int _inFlight;
    private int _staged;
    private volatile bool _closed;
    private long _flushSince;

    public ConnectionWriter(ConnectionSession session, PipeWriter pipe, ReplyOrder order, ReplyEncoder encoder)
    {
        _session = session;
        _pipe = pipe;
        _order = order;
        _encoder = encoder;
    }

    /// <summary>Requests accepted whose reply is not in the pipe yet (on the pool, or held behind one in request order).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once the connection has ended: queued work is dropped, replies are discarded.</summary>
    public bool IsClosed => _closed;

    /// <summary>Stopwatch timestamp at which the flush under way started; 0 when none is (the output-stalled timeout).</summary>
    public long FlushStartedAt => Volatile.Read(ref _flushSince);

    /// <summary>Bytes written to the pipe by the turn holder and not flushed yet.</summary>
    public long UnflushedBytes => _pipe.UnflushedBytes;

    /// <summary>Reply bytes held by this connection beyond the transport's output pipe: unflushed plus staged (the hard cap's measure).</summary>
    public long PendingBytes => _pipe.UnflushedBytes + _order.StagedBytes;

    /// <summary>The read loop takes the turn for a batch (completes at once unless a worker's flush is under way).</summary>
    public Task TakeTurnAsync()
    {
        while (Interlocked.CompareExchange(ref _turn, Held, Free) != Free)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _loopWaiter, waiter);
            if (Interlocked.CompareExchange(ref _turn, HeldLoopWaiting, Held) == Held)
            {
                return waiter.Task;
            }

            // Released meanwhile: try again.
            Volatile.Write(ref _loopWaiter, null);
        }

        return Task.CompletedTask;
    }

    /// <summary>Gives the turn back (to the waiting read loop, if any), then moves anything staged while it was held.</summary>
    public void ReleaseTurn()
    {
        ReleaseOnly();
        Pump();
    }

    /// <summary>Where an inline reply goes (turn holder only). A reply held behind pooled work counts in flight until moved.</summary>
    public IBufferWriter<byte> InlineOutput()
    {
        var output = _order.InlineOutput(_pipe, out var held);
        if (held)
        {
            Interlocked.Increment(ref _inFlight);
        }

        return output;
    }

    /// <summary>Writes an operation's result now (turn holder only) and counts it.</summary>
    public void Answer(Operation operation, uint tag, NativeStatus status, ReadOnlySpan<byte> payload, string? error, bool statusLine = false)
    {
        _encoder.WriteResult(InlineOutput(), operation, tag, status, payload, error, statusLine);
        _session.Metrics.RequestCompleted(_session.Front, operation.MetricName, status);
    }

    /// <summary>Writes the front's wrong-arity reply (turn holder only) and counts it.</summary>
    public void AnswerWrongArity(Operation operation, uint tag)
    {
        _encoder.WriteWrongArity(InlineOutput(), operation, tag);
        _session.Metrics.RequestCompleted(_session.Front, operation.MetricName, NativeStatus.BadArgs);
    }

    /// <summary>Counts a request about to go to the pool and takes its place in the reply order (turn holder only).</summary>
    public void BeginPooled(uint tag)
    {
        _order.Reserve(tag);
        Interlocked.Increment(ref _inFlight);
    }

    /// <summary>Undoes <see cref="BeginPooled"/> for work the pool refused (turn holder only).</summary>
    public void CancelPooled(uint tag)
    {
        _order.CancelReservation(tag);
        Interlocked.Decrement(ref _inFlight);
    }

    void IWorkOwner.OnWorkCompleted(WorkItem item)
    {
        var staged = !_closed && _order.Stage(item, _encoder);
        _session.Metrics.RequestCompleted(_session.Front, item.Operation.MetricName, item.Status);
        item.Release();
        if (!staged)
        {
            return;
        }

        if (_order.StagedBytes > _session.MaxPendingOutputBytes)
        {
            _session.CloseForLimit(CloseReason.OutputOverflow);
        }

        Interlocked.Exchange(ref _staged, 1);
        Pump();
    }

    /// <summary>
    /// Moves ready replies to the pipe and flushes them (turn holder only). False when the peer is gone. Replies waiting for the
    /// peer past <c>C10k:Limits:MaxPendingOutputBytes</c> close the connection (<see cref="CloseReason.OutputOverflow"/>).
    /// </summary>
    public async ValueTask<bool> FlushAsync()
    {
        // Replies become movable only when a worker stages one (inline replies held behind it move with it).
        if (Volatile.Read(ref _staged) != 0 && Interlocked.Exchange(ref _staged, 0) != 0)
        {
            Answered(_order.MoveReady(_pipe));
        }

        if (PendingBytes > _session.MaxPendingOutputBytes)
        {
            _session.CloseForLimit(CloseReason.OutputOverflow);
        }

        if (_pipe.UnflushedBytes == 0)
        {
            return true;
        }

        var flush = StartFlush();
        return flush.IsCompletedSuccessfully ? EndFlush(flush.Result) : EndFlush(await flush);
    }

    /// <summary>Takes the turn for good once the read loop has ended: nothing touches the pipe after this, staged replies are dropped.</summary>
    public async Task CloseAsync()
    {
        await TakeTurnAsync();
        _closed = true;
        _order.Clear();
    }

    // Any thread, never waits: moves staged replies while the turn is free (see the invariant above).
    private void Pump()
    {
        while (Volatile.Read(ref _staged) != 0 && Interlocked.CompareExchange(ref _turn, Held, Free) == Free)
        {
            Interlocked.Exchange(ref _staged, 0);
            Answered(_order.MoveReady(_pipe));
            if (_pipe.UnflushedBytes > 0)
            {
                var flush = StartFlush();
                if (!flush.IsCompletedSuccessfully)
                {
                    // The peer reads slowly: finish on the pipe's scheduler, never blocking this thread.
                    _ = FinishFlushAsync(flush);
                    return;
                }

                EndFlush(flush.Result);
            }

            ReleaseOnly();
        }
    }

    // Release without the re-check (the pump's own loop re-checks). A waiting read loop gets the turn directly.
    private void ReleaseOnly()
    {
        if (Interlocked.CompareExchange(ref _turn, Free, Held) != Held)
        {
            var waiter = Volatile.Read(ref _loopWaiter)!;
            _loopWaiter = null;
            Volatile.Write(ref _turn, Held);
            waiter.SetResult();
        }
    }

    private async Task FinishFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            EndFlush(await flush);
        }
        finally
        {
            ReleaseTurn();
        }
    }

    private ValueTask<FlushResult> StartFlush()
    {
        _session.Metrics.BytesSent(_session.Front, _pipe.UnflushedBytes);
        Volatile.Write(ref _flushSince, Stopwatch.GetTimestamp());
        return _pipe.FlushAsync();
    }

    private bool EndFlush(FlushResult result)
    {
        Volatile.Write(ref _flushSince, 0);
        return !result.IsCompleted && !result.IsCanceled;
    }

    private void Answered(int requests)
    {
        if (requests > 0)
        {
            Interlocked.Add(ref _inFlight, -requests);
            _session.WakeIfNeeded();
        }
    }
}
