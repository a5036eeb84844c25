using System.Diagnostics;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Buffers;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Operations;

namespace C10k.Server.Dispatch;

/// <summary>
/// Running work that outlives the read loop's batch: queued items on a worker, and asynchronous operations, which never take a
/// worker. Both are registered while they run, so a closed connection, a deadline or a timed-out drain can cancel them.
/// </summary>
public sealed partial class CommandDispatcher
{
    /// <summary>
    /// Starts a request placed <see cref="Placement.Async"/>: copies its arguments and runs the operation at once, on this
    /// thread up to its first incomplete await. Its reply reaches <paramref name="owner"/> when it completes (possibly before
    /// this returns), so the caller takes the request's place in the reply order first.
    /// </summary>
    internal void StartAsync(Operation operation, in ArgumentList args, IWorkOwner owner, uint tag, uint deadlineMs, ReplyForm form)
    {
        var item = NewItem(operation, args, owner, tag, deadlineMs, 0, form);
        _metrics.PlacedAsync(operation.MetricName);
        _ = RunAsync(item);
    }

    // The worker loop's handler: nothing escapes it, whatever an operation or a connection does.
    private void RunQueued(WorkItem item)
    {
        try
        {
            RunQueuedCore(item);
        }
#pragma warning disable CA1031 // A worker thread must survive anything: the fault is counted and logged, the worker goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fault(item, ex);
        }
    }

    private void Fault(WorkItem item, Exception exception)
    {
        _metrics.WorkerFault(item.Operation.MetricName);
        if (_log.TryAcquire(WorkerLog.WorkerFaultId, out var suppressed))
        {
            WorkerLog.WorkerFault(_logger, item.Operation.Name, suppressed, exception);
        }
    }

    // A client can send the request that meets an operation's bug on every connection: rate-limited like every per-request line.
    private void LogOperationFailed(Operation operation, Exception exception)
    {
        if (_log.TryAcquire(WorkerLog.OperationFailedId, out var suppressed))
        {
            WorkerLog.OperationFailed(_logger, operation.Name, suppressed, exception);
        }
    }

    private void RunQueuedCore(WorkItem item)
    {
        if (item.Owner.IsClosed)
        {
            _metrics.WorkCancelled(item.Operation.MetricName);
            item.Release();
            return;
        }

        var now = Stopwatch.GetTimestamp();
        _metrics.QueueWait(item.Operation.MetricName, (double)(now - item.EnqueuedAt) / Stopwatch.Frequency);
        if (_state == Stopped)
        {
            Complete(item, NativeStatus.ShuttingDown, "server is shutting down");
            return;
        }

        if (item.DeadlineAt != 0 && now > item.DeadlineAt)
        {
            Complete(item, NativeStatus.Timeout, "deadline passed before the request ran");
            return;
        }

        NativeStatus status;
        string? error;
        using (var cancel = Track(item, now))
        {
            try
            {
                status = Execute(item.Operation, item.Args, item.Cost, item.Reply, inline: false, cancel.Token, out error);
            }
            finally
            {
                _running.TryRemove(item, out _);
            }
        }

        Complete(item, status, error);
    }

    private async Task RunAsync(WorkItem item)
    {
        var started = Stopwatch.GetTimestamp();
        var cancel = Track(item, started);
        NativeStatus status;
        string? error;
        try
        {
            await ((AsyncOperation)item.Operation).ExecuteAsync(item.Args, new ReplyWriter(item.Reply), cancel.Token).ConfigureAwait(false);
            status = Checked(item.Operation, item.Reply, out error);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            status = Cancelled(out error);
        }
#pragma warning disable CA1031 // An operation's bug must end that request only, with an ERROR reply, never the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOperationFailed(item.Operation, ex);
            status = NativeStatus.Error;
            error = "internal error";
        }
        finally
        {
            _running.TryRemove(item, out _);
            cancel.Dispose();
            _metrics.ExecutedAsync(item.Operation.MetricName, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        try
        {
            Complete(item, status, error);
        }
#pragma warning disable CA1031 // Nothing may escape a request nobody awaits: the fault is counted and logged, as a worker's is.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fault(item, ex);
        }
    }

    // The item's cancellation: its deadline, its connection's close (linked), and registered so a timed-out drain can cancel it.
    private CancellationTokenSource Track(WorkItem item, long now)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(item.Owner.Closed);
        if (item.DeadlineAt != 0)
        {
            cancel.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (item.DeadlineAt - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }

        _running[item] = cancel;
        if (_state == Stopped)
        {
            // Stopped before the registration: the drain's cancel did not see it.
            cancel.Cancel();
        }

        return cancel;
    }

    // OK, unless a typed operation wrote something that is not exactly one well-formed value (its bug: an ERROR reply).
    private NativeStatus Checked(Operation operation, PooledBufferWriter reply, out string? error)
    {
        error = null;
        if (!operation.IsTyped || ReplyReader.IsWellFormed(reply.WrittenSpan))
        {
            return NativeStatus.Ok;
        }

        LogOperationFailed(operation, new InvalidDataException("The operation wrote a malformed typed reply (not exactly one value)."));
        reply.Reset();
        error = "internal error";
        return NativeStatus.Error;
    }

    private NativeStatus Cancelled(out string? error)
    {
        error = _state == Stopped ? "server is shutting down" : "deadline passed while running";
        return NativeStatus.Cancelled;
    }

    private static void Complete(WorkItem item, NativeStatus status, string? error)
    {
        item.Status = status;
        item.Error = error;
        item.Owner.OnWorkCompleted(item);
    }
}
