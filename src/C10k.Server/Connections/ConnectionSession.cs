using System.Diagnostics;
using System.IO.Pipelines;
using C10k.Server.Diagnostics;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>
/// One connection's read loop and timeouts, shared by every front, built-in or an application's own (docs/framework.md, "Your
/// own front"). A front derives from it and supplies the framing (<see cref="TryHandleNext"/>) and the command lookup; it
/// hands operations to <see cref="RunOperation"/>, which places them (inline, worker pool, asynchronous) through the shared
/// dispatcher, and its <see cref="ReplyEncoder"/> turns results into bytes. Limits, deadlines, backpressure, drain and
/// metrics come with the loop.
/// <para>
/// Replies go through the connection's single writer; the loop takes the writer's turn for each batch it parses. The loop is
/// woken (with <see cref="PipeReader.CancelPendingRead"/>) only when it must act without new bytes: paused (at the in-flight
/// cap, or over its share of a full worker queue) and below it again, or asked to close and nothing is in flight.
/// </para>
/// </summary>
public abstract partial class ConnectionSession
{
    // Inline replies are flushed once this many bytes wait, so one read of amplifying commands can't buffer without bound.
    private const int FlushThresholdBytes = 64 * 1024;

    // Bytes of input a loop handles on the socket engine's thread before it leaves it, and on a ThreadPool thread before it
    // waits for its next turn (see ServeAsync).
    private const int SocketThreadTurnBytes = 4 * 1024;
    private const int TurnBytes = 16 * 1024;

    // Unparsed bytes past which a loop paused at its cap stops reading (the transports' own read-ahead bound, by default).
    private const int PausedReadAheadBytes = 64 * 1024;
    private const int NoReason = -1;

    private readonly ConnectionServices _services;
    private ConnectionDeadlines _deadlines;
    private int _serverClose = NoReason;
    private int _answeredClose = NoReason;
    private volatile bool _paused;
    private bool _stopReading;
    private int _parsed;
    private TaskCompletionSource? _progress;
    private long _unreadBytes;
    private int _bytesSinceYield;

    private protected ConnectionSession(ConnectionContext context, Front front, ConnectionServices services, OperationRegistry operations, ReplyOrder order, ReplyEncoder encoder)
    {
        Operations = operations;
        Context = context;
        _services = services;
        Front = front;
        InFlightCap = services.Limits.MaxInFlightPerConnection;
        Input = context.Transport.Input;
        Writer = new ConnectionWriter(this, context.Transport.Output, order, encoder);
    }

    /// <summary>The front this connection arrived on.</summary>
    public Front Front { get; }

    /// <summary>Kestrel's connection id.</summary>
    public string ConnectionId => Context.ConnectionId;

    /// <summary>Requests accepted and not yet answered.</summary>
    public int InFlight => Writer.InFlight;

    /// <summary>True once the connection has ended.</summary>
    public bool IsClosed => Writer.IsClosed;

    /// <summary>
    /// True when the client reads typed replies (RESP always; native after HELLO 2). Else a typed reply is flattened to bytes.
    /// </summary>
    protected bool ReadsTypedReplies { get; set; }

    internal C10kMetrics Metrics => _services.Metrics;

    internal long MaxPendingOutputBytes => _services.Limits.MaxPendingOutputBytes;

    private protected int InFlightCap { get; }

    private protected PipeReader Input { get; }

    /// <summary>Kestrel's connection (addresses, features, items).</summary>
    protected ConnectionContext Context { get; }

    /// <summary>The only owner of the connection's output (internal for tests that inspect its bounds).</summary>
    internal ConnectionWriter Writer { get; }

    /// <summary>Runs the connection until the peer leaves, a limit closes it, or the server drains.</summary>
    public Task RunAsync()
    {
        // Before the registry can see it: the heartbeat would take a zero timestamp for an idle timeout and abort the connection.
        _deadlines = new ConnectionDeadlines(_services.Limits, Stopwatch.GetTimestamp());
        var id = _services.Registry.Add(this);
        Metrics.ConnectionAccepted(Front);
        ConnectionLog.Opened(_services.Logger, Front, ConnectionId, Context.RemoteEndPoint?.ToString());
        if (_services.Registry.IsDraining)
        {
            // Admitted just as a drain began, perhaps after its CloseAll: closes once answered, like every other connection.
            RequestClose();
        }

        return ServeAsync(id);
    }

    // The read loop and the close, in one method: one state machine per connection, which an idle connection keeps.
    private async Task ServeAsync(long id)
    {
        var reason = CloseReason.ClientClosed;
        long? halfClosedAt = null;
        try
        {
            while (true)
            {
                var read = Input.ReadAsync();
                if (!read.IsCompleted)
                {
                    _bytesSinceYield = 0; // the client paused: a turn counts what it sends without one
                }

                var result = await read;
                var buffer = result.Buffer;
                var paused = false;
                var waitForRoom = false;
                _bytesSinceYield += (int)Math.Min(buffer.Length - _unreadBytes, TurnBytes);
                if (_bytesSinceYield >= (Thread.CurrentThread.IsThreadPoolThread ? TurnBytes : SocketThreadTurnBytes))
                {
                    // A loop runs where its read completed: with inline completions, on the socket engine's thread, which every
                    // other connection's events wait for; with Kestrel's transport, inside its receive loop. A client that sends
                    // without pause (a flood that never reads its replies) would keep that thread for seconds. So the loop takes
                    // turns: a few KiB on the socket thread, then turns of 16 KiB through the shared turn queue, where all such
                    // loops wait one behind another, and a new connection waits for one turn at most.
                    _bytesSinceYield = 0;
                    await _services.Turns.Next();
                }

                await Writer.TakeTurnAsync();
                try
                {
                    var now = Stopwatch.GetTimestamp();
                    if (buffer.Length > _unreadBytes)
                    {
                        Metrics.BytesReceived(Front, buffer.Length - _unreadBytes);
                        _deadlines.Activity(now);
                    }

                    Batch batch;
                    do
                    {
                        batch = Parse(ref buffer);
                        if (batch != Batch.FlushFirst)
                        {
                            OnBatchParsed();
                        }

                        if (!await Writer.FlushAsync())
                        {
                            reason = CloseReason.ClientClosed;
                            return;
                        }
                    }
                    while (batch == Batch.FlushFirst);

                    paused = batch == Batch.Paused;
                    if (paused && !buffer.IsEmpty)
                    {
                        Metrics.Backpressure(Front);
                    }

                    // A request is half-read when bytes are left or the reader holds a large one's start in its own buffer.
                    var partial = !_stopReading && (!buffer.IsEmpty || HeldBytes > 0);

                    // Slow-loris clock: runs while no request completes and a frame is half-read.
                    _deadlines.EndOfBatch(partial && !paused, _parsed > 0, now);
                    _parsed = 0;
                    if (Volatile.Read(ref _serverClose) is var server and not NoReason)
                    {
                        reason = (CloseReason)server;
                        return;
                    }

                    if (Volatile.Read(ref _answeredClose) is var answered and not NoReason && InFlight == 0
                        && (!partial || answered != (int)CloseReason.MaxConnectionAge))
                    {
                        reason = (CloseReason)answered;
                        return;
                    }

                    // A peer that shut down its sending side still gets every reply it asked for (as redis-server does): requests
                    // held back at the cap are parsed as replies free room, then the connection closes once all are out.
                    if (result.IsCompleted && !paused)
                    {
                        if (partial)
                        {
                            ReportProtocolError("truncated");
                        }

                        StopReading(partial ? CloseReason.ProtocolError : CloseReason.ClientClosed);
                        buffer = buffer.Slice(buffer.End);
                        if (InFlight == 0)
                        {
                            reason = (CloseReason)Volatile.Read(ref _answeredClose);
                            return;
                        }
                    }
                }
                finally
                {
                    Writer.ReleaseTurn();
                    _unreadBytes = buffer.Length;

                    // Paused with a read-ahead's worth unparsed, the bytes left are not examined: the next read returns them at once
                    // without asking the transport for more (see below).
                    waitForRoom = paused && buffer.Length >= PausedReadAheadBytes;
                    Input.AdvanceTo(buffer.Start, waitForRoom ? buffer.Start : buffer.End);
                }

                // AdvanceTo can clear a wake that arrived during the batch: check for one here, after it (see NeedsLoop).
                _paused = paused;
                if (result.IsCompleted)
                {
                    // Reads now return at once: wait for replies to be written instead, within the half-close timeout.
                    if (!await WaitForProgressAsync(halfClosedAt ??= Stopwatch.GetTimestamp()))
                    {
                        reason = CloseReason.ClientClosed;
                        return;
                    }
                }
                else if (waitForRoom)
                {
                    // Paused, a paused loop reads on so that it sees the peer leave; but past a read-ahead's worth nothing more is needed
                    // until a reply frees room, and every read would take more off the socket (a stream-based pipe, as under TLS, has no
                    // bound of its own), so the loop waits for room instead.
                    await WaitForRoomAsync();
                }
                else
                {
                    Interlocked.MemoryBarrier();
                    if (NeedsLoop())
                    {
                        Input.CancelPendingRead();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException or OperationCanceledException)
        {
            reason = ex is OperationCanceledException ? CloseReason.Aborted : CloseReason.Reset;
        }
#pragma warning disable CA1031 // A bug met by one connection (a front's parser, an encoder) ends that connection only; a client may meet it on every connection, so it is logged rate-limited.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = CloseReason.Failed;
            ReportFailure(ex);
        }
        finally
        {
            // Still registered while it waits: a worker's stalled flush is ended by the output-stalled timeout.
            await Writer.CloseAsync();
            Writer.CancelRunning();
            if (Volatile.Read(ref _serverClose) is var server and not NoReason)
            {
                reason = (CloseReason)server;
            }

            _services.Registry.Remove(id, Front);
            Metrics.ConnectionClosed(Front, reason);
            ConnectionLog.Closed(_services.Logger, Front, ConnectionId, reason.Tag());
        }
    }
}
